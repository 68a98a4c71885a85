"""The `storyline` command: each command calls one library function and prints its result."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .errors import IngestError, StorylineError
from .ingest import IngestOptions
from .ingest.common import parse_datetime
from .records import to_jsonable

stdout = Console()
stderr = Console(stderr=True)

db_option = click.option(
    "--db", envvar="STORYLINE_DB", default="storyline.db", show_default=True,
    help="Store: a SQLite file, or a postgresql://user@host/database URL; env STORYLINE_DB.",
)


# Control characters (terminal escape sequences among them) and bidirectional overrides from
# article data must not reach a terminal, where they could rewrite what is shown.
_UNSHOWABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_text(text: str) -> str:
    """`text` without control characters (line breaks and tabs kept), safe to print to a terminal."""
    return _UNSHOWABLE.sub("", text)


def terminal_safe(value):
    """A record (dataclass, tuple, list, dict or text) with `terminal_text` applied to all its text."""
    if isinstance(value, str):
        return terminal_text(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: terminal_safe(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init})
    if isinstance(value, (list, tuple)):
        return type(value)(terminal_safe(item) for item in value)
    if isinstance(value, dict):
        return {terminal_safe(key): terminal_safe(item) for key, item in value.items()}
    return value


def report_error(error: IngestError) -> None:
    # one plain line per rejected input, so it can be grepped and counted
    click.echo(terminal_text(f"{error.source}: {error.reason}").replace("\n", " "), err=True)


@contextmanager
def progress_counter(label: str, rate: bool = False) -> Iterator:
    """A progress display on a terminal; a no-op when stderr is a file or pipe. With `rate`,
    the callback takes (done, total) and the display shows the rate and the time left, and
    off a terminal a line every PROGRESS_EVERY seconds."""
    if not sys.stderr.isatty():
        yield ProgressLines(label) if rate else (lambda *_: None)
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = [SpinnerColumn(), TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    if rate:
        columns += [TaskProgressColumn(), TextColumn("{task.fields[rate]}"), TimeRemainingColumn()]
    with Progress(*columns, console=stderr) as bar:
        task = bar.add_task(label, total=None, rate="")
        if rate:
            started = time.monotonic()

            def update(done: int, total: int) -> None:
                per_second = done / max(time.monotonic() - started, 1e-9)
                bar.update(task, completed=done, total=total, rate=f"{per_second:.0f}/s")

            yield update
        else:
            yield lambda *_: bar.advance(task)


PROGRESS_EVERY = 10.0  # seconds between progress lines when stderr is not a terminal


class ProgressLines:
    """Progress as plain lines (done/total, rate, time left), for logs."""

    def __init__(self, label: str):
        self.label = label
        self.started = time.monotonic()
        self.shown = self.started

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.shown < PROGRESS_EVERY and done < total:
            return
        self.shown = now
        rate = done / max(now - self.started, 1e-9)
        left = (total - done) / rate if rate else 0.0
        click.echo(f"{self.label}: {done}/{total} articles, {rate:.0f}/s, {left:.0f} s left", err=True)


class StorylineGroup(click.Group):
    """Turns library errors into `Error: …` and exit status 1, in one place."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except StorylineError as error:
            raise click.ClickException(str(error)) from None


@click.group(cls=StorylineGroup)
@click.version_option(package_name="storyline")
def main() -> None:
    """storyline: news articles in; stories, actors, quotes and events out, each with its source."""
    # readers log per-file counts (e.g. WARC records skipped) at INFO: show them as plain lines
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    # and the store says when a writer waits for another
    for name in ("storyline.ingest", "storyline.store"):
        log = logging.getLogger(name)
        log.setLevel(logging.INFO)
        if not log.handlers:
            log.addHandler(handler)


def _open(db: str, outlets_file: Path | None = None):
    from .library import Storyline
    from .outlets import load_outlet_overrides

    return Storyline(db, outlets=load_outlet_overrides(outlets_file) if outlets_file else None)


def _ingest_options(
    source: str | None, published: str | None, max_mb: float, fetch: bool = False, allow_private_addresses: bool = False
) -> IngestOptions:
    moment = parse_datetime(published) if published else None
    if published and moment is None:
        raise click.BadParameter(f"cannot read the date {published!r}", param_hint="--published")
    return IngestOptions(
        source=source, published=moment, max_bytes=int(max_mb * 1_000_000), fetch=fetch,
        allow_private_addresses=allow_private_addresses,
    )


allow_private_option = click.option(
    "--allow-private-addresses", is_flag=True,
    help="Let fetching reach loopback, private and link-local addresses (refused by default).",
)


outlets_option = click.option(
    "--outlets", "outlets_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Outlet-name mapping file laid over the shipped table (docs/feeds.md).",
)


def shown_url(db: str) -> str:
    from .store import shown_url as masked

    return masked(db)


def watch_state_path(db: str) -> Path:
    """Beside a store file; for a database server, in the current folder, named after its URL."""
    if "://" not in db:
        return Path(f"{db}.watch.json")
    return Path(f"storyline-{hashlib.sha256(db.encode()).hexdigest()[:12]}.watch.json")


def summarise(report, storyline, db: str, skipped: str = "") -> None:
    click.echo(
        f"{report.added} added, {report.updated} updated, {report.unchanged} unchanged, "
        f"{report.duplicates} syndicated copies, {len(report.errors)} failed{skipped}; "
        f"{storyline.repo.count_stories()} stories in {shown_url(db)}",
        err=True,
    )


@main.command()
@click.argument("paths", nargs=-1)
@db_option
@click.option("--source", help="Outlet name for inputs that do not say (plain text).")
@click.option("--published", help="Publication date for inputs that do not say, e.g. 2021-08-19.")
@click.option(
    "--max-mb", default=20.0, show_default=True, type=click.FloatRange(min=0, min_open=True), help="Refuse files larger than this."
)
@click.option("--demo", is_flag=True, help="Ingest the built-in demo corpus.")
@click.option("--fetch", is_flag=True, help="Feeds: fetch the linked page of entries that carry only a summary.")
@allow_private_option
@outlets_option
@click.option("-v", "--verbose", is_flag=True, help="Name each file skipped in a folder (no reader for its kind).")
def ingest(paths, db, source, published, max_mb, demo, fetch, allow_private_addresses, outlets_file, verbose):
    """Read, annotate, dedupe and cluster articles (files, folders, globs) into the store."""
    from .library import demo_corpus

    paths = list(paths) + ([str(demo_corpus())] if demo else [])
    if not paths:
        raise click.UsageError("give at least one PATH (or --demo)")
    storyline = _open(db, outlets_file)
    options = _ingest_options(source, published, max_mb, fetch, allow_private_addresses)
    with progress_counter("Ingesting") as advance:
        report = storyline.ingest(paths, options, on_error=report_error, on_article=advance)
    if verbose:
        for path in report.skipped:
            click.echo(terminal_text(f"{path}: skipped (no reader for this kind of file)"), err=True)
    summarise(report, storyline, db, f", {len(report.skipped)} skipped (not article files{'' if verbose else '; -v names them'})")
    if report.errors:
        sys.exit(1)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@click.option("--source", help="Outlet name for inputs that do not say (plain text).")
@click.option("--published", help="Publication date for inputs that do not say.")
def extract(paths, fmt, source, published):
    """Print each article with its actors, quotes and events, one JSON object per line (no store)."""
    from .library import extract as extract_articles

    failed = False
    for result in extract_articles(paths, _ingest_options(source, published, 20.0)):
        if isinstance(result, IngestError):
            report_error(result)
            failed = True
            continue
        click.echo(json.dumps(article_json(*result), ensure_ascii=False))
    if failed:
        sys.exit(1)


def article_json(article, annotation) -> dict:
    return {
        "id": article.id,
        "title": article.title,
        "source": article.source,
        "url": article.url,
        "published": article.published.isoformat() if article.published else None,
        "text": article.text,
        "entities": [to_jsonable(actor) for actor in annotation.actors],
        "quotes": [to_jsonable(quote) for quote in annotation.quotes],
        "events": [to_jsonable(item) for item in annotation.events],
    }


@main.command()
@click.argument("feeds_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@db_option
@click.option("--every", default="15m", show_default=True, help="Polling interval: 90s, 15m, 2h, 1d.")
@click.option("--fetch", is_flag=True, help="Fetch the linked page of entries that carry only a summary.")
@click.option("--rounds", type=click.IntRange(min=1), help="Stop after this many polling rounds (default: until Ctrl-C).")
@allow_private_option
@outlets_option
def watch(feeds_file, db, every, fetch, rounds, allow_private_addresses, outlets_file):
    """Poll the feed URLs listed in FEEDS_FILE and ingest only their new entries, until Ctrl-C.
    Exits with status 1 when any poll failed or any entry could not be stored."""
    from .watch import parse_interval, read_feed_list
    from .watch import watch as watch_feeds

    try:
        seconds = parse_interval(every)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--every") from None
    storyline = _open(db, outlets_file)
    failures = 0

    def show(report) -> None:
        nonlocal failures
        failures += report.status == "failed"
        click.echo(terminal_text(str(report)), err=True)
        for error in report.errors:
            report_error(error)

    def sink(articles) -> None:
        nonlocal failures
        failures += len(storyline.add_articles(articles, on_error=report_error).errors)

    total = watch_feeds(
        read_feed_list(feeds_file), seconds, sink, state_path=watch_state_path(db),
        options=IngestOptions(fetch=fetch, allow_private_addresses=allow_private_addresses), on_report=show, rounds=rounds,
    )
    click.echo(f"{total} new articles handed to {shown_url(db)}; {failures} failures", err=True)
    if failures:
        sys.exit(1)


@main.command(name="spark-ingest")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", required=True, help="Folder (any Hadoop-compatible path) for the Parquet output; must not exist.")
@click.option("--master", help="Spark master, e.g. local[4] (default: what spark-submit says, else local[*]).")
@click.option("--partitions", type=click.IntRange(min=1), help="Annotation tasks (default: Spark's default parallelism).")
@click.option("--source", help="Outlet name for inputs that do not say (plain text).")
@click.option("--published", help="Publication date for inputs that do not say, e.g. 2021-08-19.")
@click.option("--max-mb", default=20.0, show_default=True, help="Refuse files larger than this.")
@outlets_option
def spark_ingest(inputs, out, master, partitions, source, published, max_mb, outlets_file):
    """Read and annotate articles with Spark (JSONL, WARC, HTML, RSS from any Hadoop path) into Parquet."""
    from .outlets import load_outlet_overrides
    from .spark import session, spark_ingest as run

    spark = session(master)
    try:
        report = run(
            spark, inputs, out, _ingest_options(source, published, max_mb),
            outlets=load_outlet_overrides(outlets_file) if outlets_file else None, partitions=partitions,
        )
    finally:
        spark.stop()
    for error in report.errors:
        report_error(error)
    click.echo(f"{report.articles} articles annotated into {out}, {len(report.errors)} failed", err=True)
    if report.errors:
        sys.exit(1)


@main.command(name="load-annotated")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@db_option
@outlets_option
def load_annotated(folder, db, outlets_file):
    """Dedupe, cluster and store the Parquet output of spark-ingest, streaming, in publication order."""
    from .columnar import read_annotated

    storyline = _open(db, outlets_file)
    with progress_counter("Loading") as advance:
        report = storyline.add_annotated(read_annotated(folder), on_article=advance)
    summarise(report, storyline, db)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True)
def cluster(paths, fmt):
    """Print {article id: story id} for a corpus, clustered in memory in publication order."""
    from .library import cluster_file

    assignment, errors = cluster_file(paths)
    for error in errors:
        report_error(error)
    click.echo(json.dumps(assignment, indent=1))
    if errors:
        sys.exit(1)


def _date(value) -> str:
    return value.date().isoformat() if value else "–"


@main.command()
@db_option
@click.option("--q", "query", default=None, help="Only entities whose name holds these words (any case).")
@click.option("--limit", default=20, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def actors(db, query, limit, fmt):
    """List actors across the store (people and bodies told apart from their namesakes), with aliases, roles and stories."""
    found = _open(db).actors(query, limit)
    if fmt == "json":
        click.echo(json.dumps(to_jsonable(found), indent=1, ensure_ascii=False))
        return
    table = Table(title=f"{len(found)} actors", show_lines=False)
    for column in ("actor", "name", "type", "aliases", "roles", "articles", "stories"):
        table.add_column(column, overflow="fold")
    for actor in found:
        roles = [f"{s.role} ({_date(s.first)} → {_date(s.last)})" for s in actor.role_history] or list(actor.roles)
        table.add_row(
            actor.id,
            actor.name,
            actor.type,
            "; ".join(actor.aliases[:6]),
            "; ".join(roles),
            str(actor.articles),
            ", ".join(actor.story_ids[:5]) + (" …" if len(actor.story_ids) > 5 else ""),
        )
    stdout.print(table)


@main.command()
@db_option
@click.option("--limit", default=50, show_default=True)
@click.option("--offset", default=0)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def stories(db, limit, offset, fmt):
    """List stories, biggest and newest first."""
    found = _open(db).stories(limit=limit, offset=offset)
    if fmt == "json":
        click.echo(json.dumps(to_jsonable(found), indent=1, ensure_ascii=False))
        return
    found = terminal_safe(found)
    table = Table(title=f"{len(found)} stories", show_lines=False)
    for column in ("story", "headline", "articles", "outlets", "dates", "top actors"):
        table.add_column(column, overflow="fold")
    for story in found:
        table.add_row(
            story.id,
            story.headline or "(untitled)",
            str(len(story.articles)),
            ", ".join(story.outlets) or "–",
            f"{_date(story.first)} → {_date(story.last)}",
            ", ".join(actor.name for actor in story.actors[:5]),
        )
    stdout.print(table)


@main.command()
@db_option
@click.option("--limit", default=50, show_default=True)
@click.option("--offset", default=0)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def storylines(db, limit, offset, fmt):
    """List storylines (stories that continue one another), the most recently active first."""
    found = _open(db).storylines(limit=limit, offset=offset)
    if fmt == "json":
        click.echo(json.dumps([arc_json(arc) for arc in found], indent=1, ensure_ascii=False))
        return
    table = Table(title=f"{len(found)} storylines", show_lines=True)
    for column in ("storyline", "stories", "dates", "its stories, in order"):
        table.add_column(column, overflow="fold")
    for arc in found:
        table.add_row(
            arc.id,
            str(len(arc.stories)),
            f"{_date(arc.first)} → {_date(arc.last)}",
            "\n".join(f"{_date(story.first)} {story.headline or '(untitled)'} [{story.id}]" for story in arc.stories),
        )
    stdout.print(table)


def arc_json(arc) -> dict:
    return {"id": arc.id, "headline": arc.headline, **to_jsonable(arc)}


@main.command()
@db_option
def recluster(db):
    """Group every stored article again with the current model, in one transaction, and say what moved."""
    storyline = _open(db)
    with progress_counter("Re-grouping", rate=True) as advance:
        report = storyline.recluster(on_progress=advance)
    click.echo(
        f"{report.articles} articles re-grouped: {report.moved} changed story; "
        f"stories {report.stories_before} -> {report.stories_after}, "
        f"storylines {report.storylines_before} -> {report.storylines_after}",
        err=True,
    )


@main.command()
@click.argument("story_id")
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table", show_default=True)
@click.option("--sentences", default=5, show_default=True, type=click.IntRange(min=0), help="Length of the summary.")
def show(story_id, db, fmt, sentences):
    """Show one story told from all its reports: summary, actors, quotes and their drift, events, timeline, coverage."""
    from .render import render, to_markdown

    storyline = _open(db)
    account = storyline.account(story_id, summary_sentences=sentences)
    link = storyline.story_storyline(story_id)
    arc = storyline.storyline(link.storyline_id) if link else None
    in_storyline = (
        f"Storyline {arc.id}: {arc.headline or '(untitled)'} ({len(arc.stories)} stories, "
        f"{_date(arc.first)} → {_date(arc.last)}; `storyline storylines` lists them)"
        if arc
        else "In no storyline."
    )
    if fmt == "json":
        click.echo(json.dumps({**to_jsonable(account), "storyline": arc_json(arc) if arc else None}, indent=1, ensure_ascii=False))
    elif fmt == "markdown":
        click.echo(to_markdown(terminal_safe(account)) + f"\n{in_storyline}\n", nl=False)
    else:
        render(terminal_safe(account), stdout)
        stdout.print(f"\n[bold]{escape(in_storyline)}[/bold]")


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on; beyond loopback, every request needs the token.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--token", envvar="STORYLINE_TOKEN",
    help="Enables POST /api/articles for requests that carry it. Pass it as env STORYLINE_TOKEN: an option shows in `ps`.",
)
@click.option(
    "--allowed-host", "allowed_hosts", multiple=True,
    help="Another host name the server answers to (the Host header), besides the --host it listens on; repeatable.",
)
def serve(db, host, port, token, allowed_hosts):
    """Serve the web UI and the JSON API (pages at /stories, API docs at /docs)."""
    from .library import Storyline
    from .web import serve as run

    if click.get_current_context().get_parameter_source("token") is click.core.ParameterSource.COMMANDLINE:
        click.echo("warning: --token is visible to every user of this machine (ps); set STORYLINE_TOKEN instead", err=True)
    # one annotating process: the server handles each ingest request in a worker thread
    run(Storyline(db, processes=1), host=host, port=port, token=token, allowed_hosts=allowed_hosts)


@main.group(name="eval")
def evaluate() -> None:
    """Measure quality on the shared data sets."""


def print_metrics(title: str, metrics: dict, fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(metrics, indent=1))
        return
    table = Table(title=title)
    table.add_column("metric")
    table.add_column("value", justify="right")
    for key, value in metrics.items():
        if isinstance(value, float):
            value = f"{value:.3f}"
        elif isinstance(value, (dict, list)):
            value = json.dumps(value)
        table.add_row(key, str(value))
    stdout.print(table)


format_option = click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)


@evaluate.command(name="cluster")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--gold-field", default="story", show_default=True, help="Field holding the gold story label.")
@click.option("--shuffles", default=0, show_default=True, help="Also cluster N shuffled orders and report the spread.")
@format_option
def eval_cluster(path, gold_field, shuffles, fmt):
    """B-cubed and pairwise precision/recall/F1 of story clustering against gold labels."""
    from .eval.cluster import evaluate as run

    print_metrics(f"Clustering: {path.name}", run(path, gold_field=gold_field, shuffles=shuffles), fmt)



@evaluate.command(name="storylines")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--gold-field", default="topic", show_default=True, help="Field holding the broad label a storyline should not mix.")
@click.option("--stories", type=click.Choice(["model", "gold"]), default="model", show_default=True, help="Stories from the model, or the corpus's own labels (judges the linking alone).")
@click.option("--story-field", default="story", show_default=True, help="Field holding the gold story label (with --stories gold).")
@click.option("--tune-share", default=0.5, show_default=True, type=click.FloatRange(0.1, 0.9), help="Earliest share of the articles to tune on; the rest is reported.")
@format_option
def eval_storylines(path, gold_field, stories, story_field, tune_share, fmt):
    """Storyline purity against a broad label and how many stories they link, tuned on the earlier weeks, reported on the later."""
    from .eval.storylines import evaluate as run

    print_metrics(f"Storylines: {path.name}", run(path, gold_field=gold_field, stories=stories, story_field=story_field, tune_share=tune_share), fmt)


@evaluate.command(name="quotes")
@click.argument("gold", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--polnear", type=click.Path(exists=True, file_okay=False, path_type=Path), help="Score on a PolNeAR folder instead of a gold file.")
@click.option("--split", type=click.Choice(["train", "dev"]), default="dev", show_default=True, help="The PolNeAR split to score.")
@click.option("--limit", type=int, default=None, help="Score only the first N PolNeAR articles.")
@format_option
def eval_quotes(gold, polnear, split, limit, fmt):
    """Quote precision/recall/F1 (span overlap) and speaker accuracy on a gold file (default: the
    shipped one), or on PolNeAR attributions beside a quote-marks baseline."""
    if polnear is not None:
        from .eval.polnear import evaluate as run_polnear

        report = run_polnear(polnear, split, limit)
        for problem in report.pop("unreadable"):
            stderr.print(problem, markup=False, highlight=False)
        print_metrics(f"Quotes: PolNeAR {split}", report, fmt)
        return
    from .eval.quotes import evaluate as run

    print_metrics("Quotes", run(gold), fmt)


@evaluate.command(name="events")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--folds", type=click.IntRange(min=2), default=None, help="Cross-validate: code each fold as if unseen (the held-out figure), beside the old lexicon and the majority type.")
@format_option
def eval_events(path, folds, fmt):
    """PLOVER event type, source, target and full-triple accuracy on coded sentences (e.g. gsr_dev.jsonl)."""
    from .eval.events import evaluate as run

    print_metrics(f"Events: {path.name}", run(path, folds), fmt)


@evaluate.command(name="extraction")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@format_option
def eval_extraction(folder, fmt):
    """Token precision/recall/F1 of HTML main-text extraction on a benchmark folder (html/ + ground-truth.json)."""
    from .eval.extraction import evaluate as run

    print_metrics(f"Extraction: {folder.name}", run(folder), fmt)


if __name__ == "__main__":
    main()
