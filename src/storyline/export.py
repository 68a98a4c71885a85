"""Tables for spreadsheets and scripts: stories, articles, actors, quotes and events as CSV or
JSONL rows, each row carrying its provenance (story, article, outlet, URL, character offsets).

The columns are fixed and documented (docs/export.md); `COLUMNS` is their one definition,
used by the CLI (`storyline export`), the web's `.csv` twins and the documentation test.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, TextIO

from .errors import StorylineError
from .records import Story
from .wording import event_sentence

if TYPE_CHECKING:
    from .library import Storyline
    from .store import StoredArticle

PROVENANCE = ("story_id", "article_id", "outlet", "url", "published")

COLUMNS: dict[str, tuple[str, ...]] = {
    "stories": ("story_id", "headline", "articles", "outlets", "independent_sources", "first", "last", "top_actors"),
    # duplicate_of: the old name of copy_of, kept for one release
    "articles": (*PROVENANCE, "title", "author", "copy_of", "version", "characters", "duplicate_of"),
    "actors": (*PROVENANCE, "actor_id", "name", "type", "role", "country", "sector", "mention", "start", "end"),
    "quotes": (*PROVENANCE, "speaker_id", "speaker", "kind", "quote", "start", "end"),
    "events": (
        *PROVENANCE, "description", "event_type", "mode", "negated", "source_id", "source", "target_id", "target",
        "date", "location", "trigger", "start", "end", "sentence_start", "sentence_end",
    ),
    # store-wide actors, one row each (`storyline actors --format csv`, /actors.csv)
    "actor_list": ("actor_id", "name", "type", "country", "articles", "stories", "mentions", "roles", "aliases"),
}
FORMATS = ("csv", "jsonl")
LIST_SEPARATOR = "|"  # between the values of one cell (outlets, top actors)
PAGE = 200  # stories read at a time


def _day(value) -> str | None:
    return value.isoformat() if value else None


def story_row(story: Story) -> dict:
    return {
        "story_id": story.id,
        "headline": story.headline,
        "articles": len(story.articles),
        "outlets": LIST_SEPARATOR.join(story.outlets),
        "independent_sources": story.independent_sources,
        "first": _day(story.first),
        "last": _day(story.last),
        "top_actors": LIST_SEPARATOR.join(actor.name for actor in story.actors[:5]),
    }


def actor_list_row(actor) -> dict:
    """A row of the actor list from a page's `ActorItem`."""
    return {
        "actor_id": actor.id, "name": actor.name, "type": actor.type, "country": actor.country,
        "articles": actor.articles, "stories": actor.stories, "mentions": actor.mentions,
        "roles": LIST_SEPARATOR.join(actor.roles), "aliases": LIST_SEPARATOR.join(actor.aliases),
    }


def article_rows(table: str, stored: StoredArticle) -> Iterator[dict]:
    """The rows of `table` ('articles', 'actors', 'quotes' or 'events') one article gives."""
    article, annotation = stored.article, stored.annotation
    where = {
        "story_id": stored.story_id,
        "article_id": article.id,
        "outlet": article.source,
        "url": article.url,
        "published": _day(article.published),
    }
    if table == "articles":
        yield where | {
            "title": article.title,
            "author": article.author,
            "copy_of": stored.duplicate_of,
            "version": stored.version,
            "characters": len(article.text),
            "duplicate_of": stored.duplicate_of,
        }
    elif table == "actors":
        for actor in annotation.actors:
            for mention in actor.mentions:
                yield where | {
                    "actor_id": actor.id, "name": actor.name, "type": actor.type, "role": actor.role,
                    "country": actor.country, "sector": actor.sector,
                    "mention": mention.text, "start": mention.start, "end": mention.end,
                }
    elif table == "quotes":
        for quote in annotation.quotes:
            yield where | {
                "speaker_id": quote.speaker.entity, "speaker": quote.speaker.name, "kind": quote.kind,
                "quote": quote.text, "start": quote.start, "end": quote.end,
            }
    elif table == "events":
        for event in annotation.events:
            yield where | {
                "description": event_sentence(event, article.text),
                "event_type": event.type, "mode": event.mode, "negated": event.negated,
                "source_id": event.source.entity if event.source else None,
                "source": event.source.name if event.source else None,
                "target_id": event.target.entity if event.target else None,
                "target": event.target.name if event.target else None,
                "date": event.date, "location": event.location,
                "trigger": event.trigger.text, "start": event.trigger.start, "end": event.trigger.end,
                "sentence_start": event.sentence.start, "sentence_end": event.sentence.end,
            }


def all_actors(storyline: Storyline) -> Iterator:
    """Every actor as the actor list shows it, most articles first, read a page at a time."""
    from .pages.actors import ActorItem

    offset = 0
    while page := storyline.find_actors(limit=PAGE, offset=offset)[0]:
        yield from map(ActorItem.of, page)
        offset += PAGE


def all_stories(storyline: Storyline) -> Iterator[Story]:
    """Every story, biggest first, read a page at a time."""
    offset = 0
    while page := storyline.stories(limit=PAGE, offset=offset):
        yield from page
        offset += PAGE


def rows(storyline: Storyline, table: str, story_id: str | None = None) -> Iterator[dict]:
    """Every row of `table`, story by story (biggest first), articles in publication order.
    A bad table or story id fails here, before a row (or a CSV header) is written."""
    if table not in COLUMNS:
        raise ValueError(f"no table {table!r}: one of {', '.join(COLUMNS)}")
    if table == "actor_list":
        if story_id is not None:
            raise StorylineError("the actor list is store-wide: --story does not apply (the actors table has a story's mentions)")
        return map(actor_list_row, all_actors(storyline))
    stories = iter([storyline.story(story_id)]) if story_id is not None else all_stories(storyline)
    if table == "stories":
        return map(story_row, stories)
    return (row for story in stories for stored in storyline.story_articles(story.id) for row in article_rows(table, stored))


def write(table: str, found: Iterable[dict], fmt: str, out: TextIO, first_columns: tuple[str, ...] = ()) -> int:
    """`found` rows written to `out` as CSV (a header, then RFC 4180 rows) or JSONL; how many.
    `first_columns` go before the table's own (a list's extra facts, e.g. a blind spot's side)."""
    written = 0
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=first_columns + COLUMNS[table], lineterminator="\n")
        writer.writeheader()
        for row in found:
            writer.writerow(row)
            written += 1
    elif fmt == "jsonl":
        for row in found:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            written += 1
    else:
        raise ValueError(f"no format {fmt!r}: one of {', '.join(FORMATS)}")
    return written


def to_csv(table: str, found: Iterable[dict], first_columns: tuple[str, ...] = ()) -> str:
    buffer = io.StringIO()
    write(table, found, "csv", buffer, first_columns)
    return buffer.getvalue()
