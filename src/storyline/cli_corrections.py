"""`storyline correct …` and `storyline corrections`: an analyst's corrections from the command line.
Each command calls one `Storyline` verb (corrections.py does the work) and prints its record."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .cli import _open, db_option, evaluate, format_option, main, output_console, print_metrics, progress_counter, report_error, terminal_text
from .records import to_jsonable
from .wording import count


def correction_options(command):
    """--author, --note and --db, shared by every correction."""
    command = click.option("--note", help="Why: kept with the correction and shown in its history.")(command)
    command = click.option("--author", envvar="STORYLINE_AUTHOR", required=True, help="Who makes the correction (a name); env STORYLINE_AUTHOR.")(command)
    return db_option(command)


def made(correction) -> None:
    click.echo(terminal_text(f"Correction {correction.id}: {correction.summary} (by {correction.author})"))


@main.group()
def correct() -> None:
    """Correct a story, an actor, a quote or an event; the correction is recorded and sticks (docs/corrections.md)."""


@correct.command(name="merge-stories")
@click.argument("keep")
@click.argument("merge")
@correction_options
def merge_stories(keep, merge, db, author, note):
    """Story MERGE joins story KEEP, now and whenever the store is grouped again."""
    made(_open(db).merge_stories(keep, merge, author, note))


@correct.command(name="split-story")
@click.argument("story_id")
@click.argument("article_ids", nargs=-1, required=True)
@click.option("--into", help="Move them to this story instead of a new one.")
@correction_options
def split_story(story_id, article_ids, into, db, author, note):
    """These articles leave STORY_ID for a new story (or --into another) and never rejoin the rest."""
    made(_open(db).split_story(story_id, article_ids, author, into=into, note=note))


@correct.command(name="move-article")
@click.argument("article_id")
@click.argument("story_id")
@correction_options
def move_article(article_id, story_id, db, author, note):
    """Move one article to another story; it stays apart from the one it left."""
    made(_open(db).move_article(article_id, story_id, author, note))


@correct.command(name="same-story")
@click.argument("first")
@click.argument("second")
@correction_options
def same_story(first, second, db, author, note):
    """Two articles belong to one story (SECOND joins FIRST's)."""
    made(_open(db).same_story(first, second, author, note))


@correct.command(name="never-same")
@click.argument("first")
@click.argument("second")
@correction_options
def never_same(first, second, db, author, note):
    """Two articles are never grouped in one story."""
    made(_open(db).never_same(first, second, author, note))


@correct.command(name="merge-actors")
@click.argument("keep")
@click.argument("merge")
@correction_options
def merge_actors(keep, merge, db, author, note):
    """Actor MERGE is actor KEEP: its mentions, quotes and events become KEEP's."""
    made(_open(db).merge_actors(keep, merge, author, note))


@correct.command(name="split-actor")
@click.argument("actor_id")
@click.argument("article_ids", nargs=-1, required=True)
@click.option("--into", help="The id of the other actor (default: ACTOR_ID-2, -3…).")
@correction_options
def split_actor(actor_id, article_ids, into, db, author, note):
    """The actor's mentions in these articles are another actor."""
    made(_open(db).split_actor(actor_id, article_ids, author, into=into, note=note))


@correct.command(name="set-speaker")
@click.argument("quote")
@click.argument("actor_id")
@correction_options
def set_speaker(quote, actor_id, db, author, note):
    """QUOTE (ARTICLE:START, the offset where it starts) was said by ACTOR_ID."""
    made(_open(db).set_speaker(quote, actor_id, author, note))


@correct.command(name="clear-speaker")
@click.argument("quote")
@correction_options
def clear_speaker(quote, db, author, note):
    """Who said QUOTE (ARTICLE:START) is not known."""
    made(_open(db).clear_speaker(quote, author, note))


@correct.command(name="reject-quote")
@click.argument("quote")
@correction_options
def reject_quote(quote, db, author, note):
    """QUOTE (ARTICLE:START) is no quote: left out, now and whenever the article is annotated again."""
    made(_open(db).reject_quote(quote, author, note))


@correct.command(name="reject-event")
@click.argument("event")
@correction_options
def reject_event(event, db, author, note):
    """The event whose trigger starts at EVENT (ARTICLE:START) is wrong: left out, now and later."""
    made(_open(db).reject_event(event, author, note))


@correct.command(name="rename-story")
@click.argument("story_id")
@click.argument("headline")
@correction_options
def rename_story(story_id, headline, db, author, note):
    """Give the story a headline of your own; it follows the story's articles."""
    made(_open(db).rename_story(story_id, headline, author, note))


@correct.command()
@click.argument("correction_id", type=int)
@correction_options
def undo(correction_id, db, author, note):
    """Take correction CORRECTION_ID back (the undo is recorded too)."""
    made(_open(db).undo(correction_id, author, note))


@main.group(invoke_without_command=True)
@db_option
@click.option("--conflicts", is_flag=True, help="List where a correction overruled the model instead.")
@click.option("--all", "everything", is_flag=True, help="Also list corrections that were undone.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
def corrections(ctx, db, conflicts, everything, fmt):
    """List the corrections in force (oldest first); `export` and `import` share them as JSON lines."""
    if ctx.invoked_subcommand is not None:
        return
    storyline = _open(db)
    if conflicts:
        rows = storyline.correction_conflicts()
        if fmt == "json":
            click.echo(json.dumps(to_jsonable(rows), indent=2, ensure_ascii=False))
            return
        for conflict in rows:
            click.echo(terminal_text(f"correction {conflict.correction_id} · {conflict.article_id}: {conflict.detail}"))
        click.echo(count(len(rows), "conflict"), err=True)
        return
    listed = storyline.corrections(in_force=not everything)
    if fmt == "json":
        click.echo(json.dumps(to_jsonable(listed), indent=2, ensure_ascii=False))
        return
    from rich.table import Table

    table = Table("id", "kind", "correction", "author", "when", "note", box=None)
    for item in listed:
        state = "" if item.in_force else f" (undone by {item.undone_by})"
        table.add_row(
            str(item.id), item.kind, terminal_text(item.summary + state), terminal_text(item.author),
            item.created_at.strftime("%Y-%m-%d %H:%M"), terminal_text(item.note or ""),
        )
    output_console().print(table)


def learned_line(report) -> str:
    return (
        f"Learned from {count(report.examples, 'corrected link')} ({report.positives} joins): the shipped link model "
        f"decides {report.against_before} against the corrections, the refitted one {report.against_after}"
    )


@corrections.command(name="learn")
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def learn_corrections(db, fmt):
    """How the grouping corrections would have changed the link model's decisions (nothing is changed; `recluster --learn` applies it)."""
    report = _open(db).learn_from_corrections()
    if fmt == "json":
        click.echo(json.dumps({**{k: v for k, v in report.__dict__.items() if k != "model"}, "model": report.model.to_json()}, indent=2))
        return
    click.echo(learned_line(report))


@corrections.command(name="export")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@db_option
def export_corrections(file, db):
    """Write the corrections in force to FILE as JSON lines (articles named by id and content hash)."""
    lines = _open(db).export_corrections()
    file.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    click.echo(f"{count(len(lines), 'correction')} written to {file}", err=True)


@corrections.command(name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@db_option
def import_corrections(file, db):
    """Apply the corrections in FILE (an export); those already in force are skipped, bad lines reported."""
    storyline = _open(db, create=True)
    applied, known = storyline.import_corrections(file, on_error=report_error)
    click.echo(f"{count(len(applied), 'correction')} applied, {known} already in force", err=True)


@evaluate.command(name="corrections")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--gold-field", default="story", show_default=True, help="Field holding the gold story label.")
@click.option("--worst", default=20, show_default=True, type=click.IntRange(min=1), help="Stories the simulated analyst corrects.")
@click.option("--past-share", default=0.5, show_default=True, type=click.FloatRange(0.1, 0.9), help="Earliest share of the stream the analyst corrects; the rest is scored as later news.")
@format_option
def eval_corrections(path, gold_field, worst, past_share, fmt):
    """Simulate an analyst correcting the worst stories; B3 of the stories nobody corrected, beside no corrections."""
    from .eval.cluster import load_corpus
    from .eval.corrections import simulate

    with progress_counter("Annotating") as progress:
        corpus = load_corpus(path, gold_field, on_article=lambda article: progress())
    figures = simulate(corpus, worst, past_share)
    if fmt != "json":
        figures.pop("learned_model")
    print_metrics(f"Corrections: {path.name}", figures, fmt)
