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
from pydantic import BaseModel
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .errors import IngestError, StoreError, StorylineError
from .ingest import IngestOptions
from .ingest.common import parse_datetime
from .pages.actors import ACTORS_LIMIT
from .pages.actors import EVENTS_LIMIT as ACTOR_EVENTS_LIMIT
from .pages.actors import QUOTES_LIMIT as ACTOR_QUOTES_LIMIT
from .pages.actors import STORIES_LIMIT as ACTOR_STORIES_LIMIT
from .pages.blindspots import BLIND_SPOTS_LIMIT
from .pages.common import MAX_PAGE_SIZE
from .pages.stories import STORIES_LIMIT
from .pages.story import ARTICLES_LIMIT as STORY_ARTICLES_LIMIT
from .pages.storylines import STORYLINES_LIMIT
from .records import STORY_ORDERS, StoryFilter, to_jsonable
from .wording import actor_type, count, country

# Piped or redirected output is read in logs and by other programs: rows stay whole (no
# wrapping at 80 columns, no words broken across lines) and carry no colour codes.
PLAIN_WIDTH = 100_000
stderr = Console(stderr=True)


def output_console() -> Console:
    """Standard output as a terminal (its width, colour) or, when piped, full-width plain rows."""
    if sys.stdout.isatty():
        return Console()
    return Console(width=PLAIN_WIDTH, no_color=True, highlight=False, emoji=False, soft_wrap=True)

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
    if isinstance(value, BaseModel):  # a page model
        return value.model_copy(update={name: terminal_safe(getattr(value, name)) for name in type(value).model_fields})
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


# items arrive in batches: those within this many seconds of the first are one batch
FIRST_BATCH_SECONDS = 0.5
PROGRESS_EVERY = 10.0  # seconds between progress lines when stderr is not a terminal


def pace(done: int, total: int | None, seconds: float, unit: str = "articles") -> str:
    """'12.5 articles/s, 40 s left': `done` items in `seconds`, and the time left at that rate
    when the total is known."""
    if done < 1 or seconds <= 0:
        return ""
    per_second = done / seconds
    left = f", {max(total - done, 0) / per_second:.0f} s left" if total is not None else ""
    return f"{per_second:.1f} {unit}/s{left}"


class Progress:
    """Items done of a total, and their pace counted after the first batch (so that loading the
    model is not taken for slowness). Called with nothing, one more item is done; called with
    (done, total), that many of that total are."""

    def __init__(self, total: int | None, unit: str):
        self.done, self.total, self.unit = 0, total, unit
        self.first_at, self.first_size = 0.0, 0

    def __call__(self, done: int | None = None, total: int | None = None) -> None:
        now = time.monotonic()
        self.done = self.done + 1 if done is None else done
        self.total = total if total is not None else self.total
        if not self.first_size or now - self.first_at < FIRST_BATCH_SECONDS:
            self.first_at, self.first_size = self.first_at or now, self.done
        self.shown(now)

    def pace(self, now: float) -> str:
        rest = self.total - self.first_size if self.total is not None else None
        return pace(self.done - self.first_size, rest, now - self.first_at, self.unit)

    def shown(self, now: float) -> None:
        """Show the state; a subclass says where."""


class ProgressLines(Progress):
    """Progress as a plain line every PROGRESS_EVERY seconds and when the total is reached, for logs."""

    def __init__(self, label: str, total: int | None, unit: str):
        super().__init__(total, unit)
        self.label, self.last_line = label, time.monotonic()

    def shown(self, now: float) -> None:
        finished = self.total is not None and self.done >= self.total
        if now - self.last_line >= PROGRESS_EVERY or finished:
            self.last_line = now
            of = f"/{self.total}" if self.total is not None else ""
            click.echo(f"{self.label}: {self.done}{of} {self.unit}, {self.pace(now) or 'starting'}", err=True)


@contextmanager
def progress_counter(label: str, total: int | None = None, unit: str = "articles") -> Iterator[Progress]:
    """A progress bar on a terminal (count of total, rate, time left), or a line every
    PROGRESS_EVERY seconds when stderr is a file or pipe. Yields the `Progress` to call."""
    if not sys.stderr.isatty():
        yield ProgressLines(label, total, unit)
        return
    from rich.progress import BarColumn, MofNCompleteColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as Bar

    columns = [SpinnerColumn(), TextColumn(label), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[pace]}"), TimeElapsedColumn()]
    with Bar(*columns, console=stderr) as bar:
        task = bar.add_task(label, total=total, pace="")

        class OnBar(Progress):
            def shown(self, now: float) -> None:
                bar.update(task, completed=self.done, total=self.total, pace=self.pace(now))

        yield OnBar(total, unit)


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


def _open(db: str, outlets_file: Path | None = None, create: bool = False, **options):
    """The store at `db`; only writing commands (`create`) make a new one, so that a
    mistyped `--db` of a reading command fails instead of answering from an empty store."""
    from .library import Storyline

    if not create and "://" not in db and not Path(db).is_file():
        raise StoreError(f"{db}: no such store (`storyline ingest PATH --db {db}` creates one)")
    return Storyline(db, outlets=_outlet_mapping(outlets_file) if outlets_file else None, **options)


def _outlet_mapping(path: Path) -> dict[str, str]:
    """Site -> outlet names from an outlets file: the mapping format, or an outlets table's
    `domains` and `names` columns."""
    from .outlet_profiles import is_profile_table, load_outlet_table
    from .outlets import load_outlet_overrides

    return dict(load_outlet_table(path).mapping) if is_profile_table(path) else load_outlet_overrides(path)


def _outlet_table(path: Path | None):
    from .outlet_profiles import is_profile_table, load_outlet_table

    if path is None:
        return None
    if not is_profile_table(path):
        raise StoreError(f"{path}: not an outlets table (a header row starting with 'outlet'; docs/outlets.md)")
    return load_outlet_table(path)


def _ingest_options(
    source: str | None, published: str | None, max_mb: float, fetch: bool = False, allow_private_addresses: bool = False
) -> IngestOptions:
    moment = parse_datetime(published) if published else None
    if published and moment is None:
        raise click.BadParameter(
            f"{published!r} is not a calendar date (relative dates such as 'yesterday' are refused): give e.g. 2021-08-19",
            param_hint="--published",
        )
    return IngestOptions(
        source=source, published=moment, max_bytes=int(max_mb * 1_000_000), fetch=fetch,
        allow_private_addresses=allow_private_addresses,
    )


def outlet_name_option(command):
    """`--outlet NAME`, and `--source NAME`, its old name, kept for this release (deprecated: it
    also names an event's acting party and an input file)."""
    command = click.option("--source", "old_outlet", hidden=True, help="Deprecated: the old name of --outlet.")(command)
    return click.option("--outlet", help="Outlet name for inputs that do not say (plain text).")(command)


def chosen_outlet(outlet: str | None, old_outlet: str | None) -> str | None:
    if old_outlet is not None:
        click.echo("warning: --source is deprecated and will go in the next release: use --outlet", err=True)
    return outlet if outlet is not None else old_outlet


allow_private_option = click.option(
    "--allow-private-addresses", is_flag=True,
    help="Let fetching reach loopback, private and link-local addresses (refused by default).",
)


outlets_option = click.option(
    "--outlets", "outlets_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Outlets file: a table of outlet, country, language, lean, ownership (docs/outlets.md), or a name mapping (docs/feeds.md).",
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
        f"{count(report.duplicates, 'syndicated copy')}, {len(report.errors)} failed{skipped}; "
        f"{count(storyline.find_stories(limit=1)[1], 'story')} in {shown_url(db)}",
        err=True,
    )


@main.command()
@click.argument("paths", nargs=-1)
@db_option
@outlet_name_option
@click.option("--published", help="Publication date for inputs that do not say, e.g. 2021-08-19.")
@click.option(
    "--max-mb", default=20.0, show_default=True, type=click.FloatRange(min=0, min_open=True), help="Refuse files larger than this."
)
@click.option("--demo", is_flag=True, help="Ingest the built-in demo corpus.")
@click.option("--fetch", is_flag=True, help="Feeds: fetch the linked page of entries that carry only a summary.")
@allow_private_option
@outlets_option
@click.option("-v", "--verbose", is_flag=True, help="Name each file skipped in a folder (no reader for its kind).")
def ingest(paths, db, outlet, old_outlet, published, max_mb, demo, fetch, allow_private_addresses, outlets_file, verbose):
    """Read, annotate, dedupe and cluster articles (files, folders, globs) into the store."""
    from .library import demo_corpus

    paths = list(paths) + ([str(demo_corpus())] if demo else [])
    if not paths:
        raise click.UsageError("give at least one PATH (or --demo)")
    options = _ingest_options(chosen_outlet(outlet, old_outlet), published, max_mb, fetch, allow_private_addresses)
    storyline = _open(db, outlets_file, create=True)
    from .ingest.count import count_articles

    with progress_counter("Ingesting", count_articles(paths)) as progress:
        report = storyline.ingest(paths, options, on_error=report_error, on_progress=lambda _article: progress())
    if verbose:
        for path in report.skipped:
            click.echo(terminal_text(f"{path}: skipped (no reader for this kind of file)"), err=True)
    summarise(report, storyline, db, f", {len(report.skipped)} skipped (not article files{'' if verbose else '; -v names them'})")
    if report.errors:
        sys.exit(1)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@outlet_name_option
@click.option("--published", help="Publication date for inputs that do not say.")
def extract(paths, fmt, outlet, old_outlet, published):
    """Print each article with its actors, quotes and events, one JSON object per line (no store)."""
    from .library import extract as extract_articles

    failed = False
    for result in extract_articles(paths, _ingest_options(chosen_outlet(outlet, old_outlet), published, 20.0)):
        if isinstance(result, IngestError):
            report_error(result)
            failed = True
            continue
        click.echo(json.dumps(article_json(*result), ensure_ascii=False))
    if failed:
        sys.exit(1)


def article_json(article, annotation) -> dict:
    actors = [to_jsonable(actor) for actor in annotation.actors]
    return {
        "id": article.id,
        "title": article.title,
        "outlet": article.source,
        "source": article.source,  # the old name of `outlet`, kept for one release
        "url": article.url,
        "published": article.published.isoformat() if article.published else None,
        "text": article.text,
        "actors": actors,
        "entities": actors,  # the old name of `actors`, kept for one release
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
    storyline = _open(db, outlets_file, create=True)
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
@outlet_name_option
@click.option("--published", help="Publication date for inputs that do not say, e.g. 2021-08-19.")
@click.option("--max-mb", default=20.0, show_default=True, help="Refuse files larger than this.")
@outlets_option
def spark_ingest(inputs, out, master, partitions, outlet, old_outlet, published, max_mb, outlets_file):
    """Read and annotate articles with Spark (JSONL, WARC, HTML, RSS from any Hadoop path) into Parquet."""
    from .outlets import load_outlet_overrides
    from .spark import session, spark_ingest as run

    spark = session(master)
    try:
        report = run(
            spark, inputs, out, _ingest_options(chosen_outlet(outlet, old_outlet), published, max_mb),
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
    from .columnar import count_annotated, read_annotated

    storyline = _open(db, outlets_file, create=True)
    with progress_counter("Loading", count_annotated(folder)) as advance:
        report = storyline.add_annotated(read_annotated(folder), on_article=lambda _article: advance())
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


# a page of a list holds at most as many items as on the web, so that its JSON is the web's
page_size = click.IntRange(1, MAX_PAGE_SIZE)


def here(path: str, **web_names: str):
    """Where this command's page stands, as the web names it: the path of its JSON twin, and the
    options given on the command line under their web names (in the order the command defines
    them), so that the page's pagination links are the ones the web gives."""
    from .pages import Here

    context = click.get_current_context()
    query = []
    for parameter in context.command.params:
        name = web_names.get(parameter.name)
        if name and context.get_parameter_source(parameter.name) is click.core.ParameterSource.COMMANDLINE:
            value = context.params[parameter.name]
            query.append((name, value.date().isoformat() if hasattr(value, "date") else str(value)))
    return Here(path, tuple(query))


def print_page(page) -> None:
    """A page model as its web JSON twin gives it (storyline.pages: the one JSON contract)."""
    click.echo(json.dumps(page.model_dump(mode="json"), indent=1, ensure_ascii=False))


def listed(pagination, word: str) -> str:
    """'12 stories', or 'showing 21–40 of 89 stories' when the list is one page of more."""
    total = count(pagination.total, word)
    if pagination.total and pagination.offset >= pagination.total:
        return f"{total} (none from {pagination.offset + 1})"
    return total if pagination.limit >= pagination.total and not pagination.offset else f"showing {pagination.shown.split(' of ')[0]} of {total}"


@main.command()
@db_option
@click.option("--q", "query", default=None, help="Only actors whose name holds these words (any case).")
@click.option("--limit", default=ACTORS_LIMIT, show_default=True, type=page_size)
@click.option("--offset", default=0, type=click.IntRange(min=0))
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
def actors(db, query, limit, offset, fmt):
    """List actors across the store (people and bodies told apart from their namesakes), most articles first; as /actors."""
    from .export import actor_list_row, write
    from .pages import actors_page

    page = actors_page(_open(db), here("/actors.json", query="q", limit="limit", offset="offset"), query, limit, offset)
    if fmt == "json":
        print_page(page)
        return
    if fmt == "csv":
        write("actor_list", map(actor_list_row, page.actors), "csv", sys.stdout)
        return
    table = Table(title=listed(page.pagination, "actor"), show_lines=False)
    for column in ("actor", "name", "type", "country", "aliases", "roles", "articles", "stories"):
        table.add_column(column, overflow="fold")
    for actor in terminal_safe(page.actors):
        table.add_row(
            actor.id, actor.name, actor_type(actor.type), country(actor.country), "; ".join(actor.aliases),
            "; ".join(actor.roles[:3]), str(actor.articles), str(actor.stories),
        )
    output_console().print(table)


@main.command()
@db_option
@click.option("--q", "words", help='Only stories whose articles hold these words: "a phrase", OR, -word (as the web search).')
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Only stories with an article published on or after this day.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Only stories with an article published on or before this day.")
@click.option("--outlet", help="Only stories with an article from this outlet.")
@click.option("--actor", help="Only stories mentioning this actor (id or name).")
@click.option("--order", type=click.Choice(STORY_ORDERS), help="biggest (default), newest, or relevance (default with --q).")
@click.option("--limit", default=STORIES_LIMIT, show_default=True, type=page_size)
@click.option("--offset", default=0, type=click.IntRange(min=0))
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
def stories(db, words, since, until, outlet, actor, order, limit, offset, fmt):
    """List stories, biggest first, filtered as on the web's stories page (one option per
    `StoryFilter` field); with --q, the JSON also holds the matching articles and their passages."""
    from .export import story_row, write
    from .pages import stories_page

    filters = StoryFilter.chosen(
        text=words, since=since.date() if since else None, until=until.date() if until else None,
        outlet=outlet, actor=actor, order=order,
    )
    storyline = _open(db)
    where = here("/stories.json", words="q", since="since", until="until", outlet="outlet", actor="actor", order="order", limit="limit", offset="offset")
    if fmt == "csv":
        write("stories", map(story_row, storyline.find_stories(filters, limit=limit, offset=offset)[0]), "csv", sys.stdout)
        return
    page = stories_page(storyline, where, filters, limit, offset)
    if fmt == "json":
        print_page(page)
        return
    table = Table(title=listed(page.pagination, "story"), show_lines=False)
    for column in ("story", "headline", "articles", "outlets", "dates", "top actors"):
        table.add_column(column, overflow="fold")
    for story in terminal_safe(page.stories):
        unknown = f" (+{story.unknown_outlets} unknown)" if story.unknown_outlets and story.outlets else ""
        table.add_row(
            story.id,
            story.headline or "(untitled)",
            str(story.articles),
            (", ".join(story.outlets) + unknown) or "unknown",
            f"{_date(story.first)} → {_date(story.last)}" if story.first else "undated",
            ", ".join(actor.name for actor in story.actors),
        )
    output_console().print(table)


@main.command()
@click.argument("storyline_id", required=False)
@db_option
@click.option("--limit", default=STORYLINES_LIMIT, show_default=True, type=page_size)
@click.option("--offset", default=0, type=click.IntRange(min=0))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def storylines(storyline_id, db, limit, offset, fmt):
    """List storylines (stories that continue one another), the most recently active first, as
    /storylines; with STORYLINE_ID, that one's stories in the order they began, as /storylines/ID."""
    from .pages import storyline_page, storylines_page

    storyline = _open(db)
    if storyline_id is not None:
        one = storyline_page(storyline, storyline_id)
        if fmt == "json":
            print_page(one)
            return
        _storyline_table(terminal_safe(one))
        return
    page = storylines_page(storyline, here("/storylines.json", limit="limit", offset="offset"), limit, offset)
    if fmt == "json":
        print_page(page)
        return
    table = Table(title=listed(page.pagination, "storyline"), show_lines=True)
    for column in ("storyline", "stories", "dates", "its stories, in order"):
        table.add_column(column, overflow="fold")
    for item in page.storylines:
        arc = terminal_safe(storyline.storyline(item.id))
        table.add_row(
            arc.id,
            str(len(arc.stories)),
            f"{_date(arc.first)} → {_date(arc.last)}",
            "\n".join(f"{_date(story.first)} {story.headline or '(untitled)'} [{story.id}]" for story in arc.stories),
        )
    output_console().print(table)


def _storyline_table(page) -> None:
    table = Table(title=f"{page.title}: {count(len(page.stories), 'story')}, {_date(page.storyline.first)} → {_date(page.storyline.last)}")
    for column in ("#", "story", "headline", "articles", "dates", "continues", "shared actors"):
        table.add_column(column, overflow="fold")
    for number, story in enumerate(page.stories, start=1):
        table.add_row(
            str(number), story.id, story.headline or "(untitled)", story.overview,
            f"{_date(story.first)} → {_date(story.last)}", story.continues or "", ", ".join(story.shared_actors),
        )
    output_console().print(table)


@main.command()
@db_option
def recluster(db):
    """Group every stored article again with the current model, in one transaction, and say what moved."""
    storyline = _open(db)
    with progress_counter("Re-grouping") as progress:
        report = storyline.recluster(on_progress=progress)
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
@click.option("--articles-limit", default=STORY_ARTICLES_LIMIT, show_default=True, type=page_size, help="JSON: how many of its articles to list.")
@click.option("--articles-offset", default=0, type=click.IntRange(min=0), help="JSON: how many of its articles to skip.")
@outlets_option
def show(story_id, db, fmt, sentences, articles_limit, articles_offset, outlets_file):
    """Show one story told from all its reports: summary, actors, quotes and their drift, events, timeline, coverage; as /stories/ID."""
    from .pages import story_page
    from .pages.common import story_href
    from .render import render, to_markdown

    table = _outlet_table(outlets_file)
    storyline = _open(db)
    if fmt == "json":
        where = here(f"{story_href(story_id)}.json", articles_limit="articles_limit", articles_offset="articles_offset")
        print_page(story_page(storyline, where, story_id, articles_limit, articles_offset, outlets=table, sentences=sentences))
        return
    account = storyline.account(story_id, summary_sentences=sentences)
    sides = _sides(table, account) if table else {}
    link = storyline.story_storyline(story_id)
    arc = storyline.storyline(link.storyline_id) if link else None
    in_storyline = (
        f"Storyline {arc.id}: {arc.headline or '(untitled)'} ({count(len(arc.stories), 'story')}, "
        f"{_date(arc.first)} → {_date(arc.last)}; `storyline storylines` lists them)"
        if arc
        else "In no storyline."
    )
    if fmt == "markdown":
        click.echo(to_markdown(terminal_safe(account)) + f"\n{terminal_text(in_storyline)}\n", nl=False)
    else:
        console = output_console()
        render(terminal_safe(account), console)
        console.print(f"\n[bold]{escape(terminal_text(in_storyline))}[/bold]")
    for field, groups in sides.items():
        click.echo(terminal_text(f"Coverage by {field}: " + " · ".join(_group_text(group) for group in groups)))


def _sides(table, account) -> dict:
    from .outlet_profiles import coverage_by

    return {field: coverage_by(table, (a.source for a in account.articles), field) for field in ("lean", "country")}


def _group_text(group) -> str:
    return f"{group.value} {count(group.articles, 'article')}" + (f" ({', '.join(group.outlets)})" if group.outlets else "")


@main.command()
@db_option
@click.option("--outlets", "outlets_file", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path), help="The outlets table giving each outlet's lean or country (docs/outlets.md).")
@click.option("--by", type=click.Choice(["lean", "country", "language", "ownership"]), default="lean", show_default=True, help="Which side of the outlets table to compare.")
@click.option("--limit", default=BLIND_SPOTS_LIMIT, show_default=True, type=page_size)
@click.option("--offset", default=0, type=click.IntRange(min=0))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def blindspots(db, outlets_file, by, limit, offset, fmt):
    """List stories that outlets of only one side (lean, country, ...) reported: each side's blind spots."""
    from .outlet_profiles import blind_spots

    storyline, table = _open(db), _outlet_table(outlets_file)
    if fmt == "json":
        from .pages import blind_spots_page

        where = here("/blindspots.json", by="by", limit="limit", offset="offset")
        print_page(blind_spots_page(storyline, where, table, by, limit, offset))
        return
    every = blind_spots(storyline, table, by)
    found = every[offset : offset + limit]
    table = Table(title=f"{count(len(every), 'story')} reported by one {by} only" + (f" (showing {len(found)})" if len(found) < len(every) else ""))
    for column in (f"only {by}", "story", "headline", "articles", "outlets"):
        table.add_column(column, overflow="fold")
    for side, story in found:
        story = terminal_safe(story)
        table.add_row(terminal_text(side), story.id, story.headline or "(untitled)", str(len(story.articles)), ", ".join(story.outlets))
    output_console().print(table)


@main.command()
@click.argument("actor_id")
@db_option
@click.option("--stories-limit", default=ACTOR_STORIES_LIMIT, show_default=True, type=page_size, help="How many of its stories to list.")
@click.option("--stories-offset", default=0, type=click.IntRange(min=0))
@click.option("--quotes-limit", default=ACTOR_QUOTES_LIMIT, show_default=True, type=page_size, help="How many of its quotes to list.")
@click.option("--quotes-offset", default=0, type=click.IntRange(min=0))
@click.option("--events-limit", default=ACTOR_EVENTS_LIMIT, show_default=True, type=page_size, help="How many of its events to list.")
@click.option("--events-offset", default=0, type=click.IntRange(min=0))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def actor(actor_id, db, stories_limit, stories_offset, quotes_limit, quotes_offset, events_limit, events_offset, fmt):
    """Show one actor across the store: names, roles, articles per day, its stories, quotes and events; as /actors/ID."""
    from .pages import actor_page
    from .pages.common import actor_href

    names = ("stories_limit", "stories_offset", "quotes_limit", "quotes_offset", "events_limit", "events_offset")
    where = here(f"{actor_href(actor_id)}.json", **{name: name for name in names})
    page = actor_page(_open(db), where, actor_id, stories_limit, stories_offset, quotes_limit, quotes_offset, events_limit, events_offset)
    if fmt == "json":
        print_page(page)
        return
    page = terminal_safe(page)
    console = output_console()
    place = f" · {country(page.country)}" if page.country else ""
    console.print(f"[bold]{escape(page.name)}[/bold]  [dim]{page.id}[/dim]", highlight=False)
    console.print(
        f"{actor_type(page.type)}{place} · {count(page.mentions, 'mention')} in {count(page.articles, 'article')}, "
        f"{count(page.stories_page.total, 'story')}",
        markup=False,
    )
    for label, values in (("Roles", page.roles), ("Also named", page.names[1:])):
        if values:
            console.print(f"{label}: {'; '.join(values)}", markup=False)
    if page.per_day:
        console.print("Articles per day: " + ", ".join(f"{item.day.isoformat()} {item.articles}" for item in page.per_day), markup=False)
    stories = Table(title=f"Stories, newest first ({page.stories_page.shown})")
    for column in ("story", "headline", "articles", "dates"):
        stories.add_column(column, overflow="fold")
    for story in page.stories:
        stories.add_row(story.id, story.headline or "(untitled)", str(story.articles), f"{_date(story.first)} → {_date(story.last)}")
    console.print(stories)
    if page.quotes:
        said = Table(title=f"Quotes, latest first ({page.quotes_page.shown})")
        for column in ("published", "outlet", "quote", "article"):
            said.add_column(column, overflow="fold")
        for item in page.quotes:
            said.add_row(_date(item.article.published), item.article.outlet or "–", item.text, item.article.id)
        console.print(said)
    if page.events:
        done = Table(title=f"Events ({page.events_page.shown})")
        for column in ("date", "what happened", "PLOVER code", "article"):
            done.add_column(column, overflow="fold")
        for item in page.events:
            done.add_row(item.date or f"reported {_date(item.article.published)}", item.description, item.code, item.article.id)
        console.print(done)


@main.command()
@click.argument("article_id")
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def article(article_id, db, fmt):
    """Show one stored article: where it came from, its story, and the actors, quotes and events found in it; as /articles/ID."""
    from .pages import article_page

    page = article_page(_open(db), article_id)
    if fmt == "json":
        print_page(page)
        return
    page = terminal_safe(page)
    console = output_console()
    console.print(f"[bold]{escape(page.title or page.id)}[/bold]  [dim]{page.id}[/dim]", highlight=False)
    where = [page.outlet or "unknown outlet", _date(page.published), page.url or "no URL"]
    story = f" · story {page.story.id}" if page.story else ""
    console.print(" · ".join(where) + story + (f" · copy of {page.copy_of}" if page.copy_of else ""), markup=False)
    kinds = [sum(1 for h in page.highlights if h.kind == kind) for kind in ("actor", "quote", "event")]
    found = Table(title=f"Found in it: {count(len(page.actors), 'actor')} ({count(kinds[0], 'mention')}), {count(kinds[1], 'quote')}, {count(kinds[2], 'event')}")
    for column in ("kind", "words", "what", "where (characters)"):
        found.add_column(column, overflow="fold")
    for item in page.highlights:
        found.add_row(item.kind, item.text, item.label, f"{item.start}–{item.end}")
    console.print(found)


@main.command()
@click.argument("table", type=click.Choice(["stories", "articles", "actors", "quotes", "events", "actor_list"]))
@db_option
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default="csv", show_default=True)
@click.option("--story", "story_id", help="Only this story's rows.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True, path_type=Path), help="Write here instead of standard output.")
def export(table, db, fmt, story_id, output):
    """Write a table (stories, articles, actors, quotes, events; actor_list) as CSV or JSONL, each row with its provenance."""
    from .export import rows, write

    storyline = _open(db)
    if output is None:
        written = write(table, rows(storyline, table, story_id), fmt, sys.stdout)
    else:
        # newline="" as the csv module asks; a half-written file is removed, not left looking whole
        try:
            with output.open("w", encoding="utf-8", newline="") as out:
                written = write(table, rows(storyline, table, story_id), fmt, out)
        except BaseException:
            output.unlink(missing_ok=True)
            raise
    click.echo(f"{count(written, 'row')} of {table} exported", err=True)


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
@outlets_option
def serve(db, host, port, token, allowed_hosts, outlets_file):
    """Serve the web UI and the JSON API (pages at /stories, API docs at /docs)."""
    from .web import serve as run

    from .outlet_profiles import is_profile_table

    if click.get_current_context().get_parameter_source("token") is click.core.ParameterSource.COMMANDLINE:
        click.echo("warning: --token is visible to every user of this machine (ps); set STORYLINE_TOKEN instead", err=True)
    # one annotating process: the server handles each ingest request in a worker thread;
    # a server that can ingest (a token) may start from an empty store
    table = _outlet_table(outlets_file) if outlets_file and is_profile_table(outlets_file) else None
    storyline = _open(db, outlets_file, create=bool(token), processes=1)
    run(storyline, host=host, port=port, token=token, allowed_hosts=allowed_hosts, outlets=table)


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
    output_console().print(table)


format_option = click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)


@evaluate.command(name="cluster")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--gold-field", default="story", show_default=True, help="Field holding the gold story label.")
@click.option("--shuffles", default=0, show_default=True, help="Also cluster N shuffled orders and report the spread.")
@click.option(
    "--time-folds", default=0, show_default=True,
    help="Time-blocked cross-validation over K blocks of stories: fit on earlier blocks, score each later one.",
)
@click.option("--baseline", type=click.Choice(["tfidf"]), help="Also score the single-pass TF-IDF baseline in the same run.")
@click.option("--headlines", is_flag=True, help="Replace every text by its headline first (an RSS feed without bodies).")
@format_option
def eval_cluster(path, gold_field, shuffles, time_folds, baseline, headlines, fmt):
    """B-cubed and pairwise precision/recall/F1 of story clustering against gold labels."""
    from .eval.cluster import evaluate as run
    from .ingest.count import count_articles

    with progress_counter("Annotating", count_articles([path])) as advance:
        metrics = run(
            path, gold_field=gold_field, shuffles=shuffles, time_folds=time_folds, baseline=baseline,
            progress=lambda line: click.echo(line, err=True), headlines=headlines,
            on_article=lambda _article: advance(),
        )
    print_metrics(f"Clustering: {path.name}", metrics, fmt)


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

    with progress_counter("Evaluating", unit="steps"):
        metrics = run(gold)
    print_metrics("Quotes", metrics, fmt)


@evaluate.command(name="events")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--folds", type=click.IntRange(min=2), default=None, help="Cross-validate: code each fold as if unseen (the held-out figure), beside the old lexicon and the majority type.")
@format_option
def eval_events(path, folds, fmt):
    """PLOVER event type, source, target and full-triple accuracy on coded sentences (e.g. gsr_dev.jsonl)."""
    from .eval.events import evaluate as run

    with progress_counter("Evaluating", unit="steps"):
        metrics = run(path, folds)
    print_metrics(f"Events: {path.name}", metrics, fmt)


@evaluate.command(name="extraction")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@format_option
def eval_extraction(folder, fmt):
    """Token precision/recall/F1 of HTML main-text extraction on a benchmark folder (html/ + ground-truth.json)."""
    from .eval.extraction import evaluate as run

    with progress_counter("Evaluating", unit="steps"):
        metrics = run(folder)
    print_metrics(f"Extraction: {folder.name}", metrics, fmt)


if __name__ == "__main__":
    main()
