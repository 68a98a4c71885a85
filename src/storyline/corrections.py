"""An analyst's corrections: recorded, applied, respected by every later change, and undoable.

Every correction is a row of its own (who, when, why; `records.Correction`) and is applied here
and nowhere else; the CLI, the HTTP API and the web UI only call `Storyline`'s verbs, which call
`apply`, `undo` and `import_lines`. Kinds (`KINDS`):

- stories: merge-stories, split-story (chosen articles to a new or another story),
  move-article, same-story and never-same (a pair of articles), rename-story;
- actors: merge-actors, split-actor (its mentions in chosen articles are another entity);
- quotes and events: set-speaker, clear-speaker, reject-quote, reject-event.

A correction changes the store at once (`apply`), and stays in force afterwards (`in_force`):

- grouping corrections become must-link and cannot-link constraints that `StoryAssigner.place`
  obeys when later articles arrive and when `recluster` groups the store again; where the
  model would have decided otherwise the correction wins and the conflict is recorded;
- actor, quote and event corrections are re-applied by the store each time an article's
  annotation is saved (a new version, a re-annotation): keyed by the article and the quote's
  or event's offsets and text, never by row ids, so they outlive the rows;
- a rename follows its story's articles, wherever they are grouped.

A correction's `data` is portable: articles are named by id and content hash, stories by their
articles, so `export_lines` / `import_lines` carry corrections to a store rebuilt from scratch.
What applying changed in this store (moves, row ids) is kept apart (`effect`), for `undo`.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .cluster import cluster_item
from .cluster.constraints import GroupingConstraints, Link
from .entities import name_key
from .errors import CorrectionError, IngestError, NotFound
from .records import Annotation, Correction, Quote, Speaker

if TYPE_CHECKING:
    from .cluster import StoryClusterer
    from .store import Repository

GROUPING = ("merge-stories", "split-story", "move-article", "same-story", "never-same")
ACTORS = ("merge-actors", "split-actor")
ANNOTATIONS = ("set-speaker", "clear-speaker", "reject-quote", "reject-event")
KINDS = (*GROUPING, *ACTORS, *ANNOTATIONS, "rename-story")
UNDO = "undo"
NO_SPEAKER = {"entity": None, "name": None, "start": None, "end": None}


# ---- naming things portably ------------------------------------------------------------


def split_reference(reference: str, what: str) -> tuple[str, int]:
    """'ARTICLE:START' -> (article id, start offset): how a quote or an event is named."""
    article_id, _, start = reference.rpartition(":")
    if not article_id or not start.isdigit():
        raise CorrectionError(f"{reference!r}: name a {what} as ARTICLE:START (the article id and the offset where it starts)")
    return article_id, int(start)


def article_refs(repo: Repository, session, article_ids: Iterable[str]) -> list[dict]:
    ids = list(dict.fromkeys(article_ids))
    hashes = repo.article_hashes(session, ids)
    missing = [article_id for article_id in ids if article_id not in hashes]
    if missing:
        raise NotFound(f"no article with id {missing[0]!r}")
    return [{"id": article_id, "hash": hashes[article_id]} for article_id in ids]


def ids_of(refs: Iterable[dict] | None) -> list[str]:
    return [ref["id"] for ref in refs or ()]


def story_refs(repo: Repository, session, story_id: str) -> list[dict]:
    return article_refs(repo, session, repo.story_originals(session, story_id))


def _quote_ref(repo: Repository, session, reference: str) -> dict:
    article_id, start = split_reference(reference, "quote")
    for row in repo.quote_rows(session, article_id):
        if row.start <= start < max(row.end, row.start + 1):
            return {"article": article_refs(repo, session, [article_id])[0], "start": row.start, "end": row.end, "text": row.data["text"]}
    raise NotFound(f"no quote at {reference!r}")


def _event_ref(repo: Repository, session, reference: str) -> dict:
    article_id, start = split_reference(reference, "event")
    for row in repo.event_rows(session, article_id):
        trigger = row.data["trigger"]
        if trigger["start"] <= start < max(trigger["end"], trigger["start"] + 1):
            return {"article": article_refs(repo, session, [article_id])[0], "start": trigger["start"], "end": trigger["end"], "type": row.type, "trigger": trigger["text"]}
    raise NotFound(f"no event at {reference!r}")


def quote_matches(reference: dict, article_id: str, start: int, end: int, text: str) -> bool:
    """Whether a quote is the one a correction names: same article, and the same offsets or,
    when a new version of the article moved it, the same words."""
    return reference["article"]["id"] == article_id and ((start, end) == (reference["start"], reference["end"]) or text == reference["text"])


def event_matches(reference: dict, article_id: str, start: int, end: int, kind: str, trigger: str) -> bool:
    same_place = (start, end) == (reference["start"], reference["end"])
    return reference["article"]["id"] == article_id and kind == reference["type"] and (same_place or trigger == reference["trigger"])


# ---- what each kind says ----------------------------------------------------------------


def prepare(repo: Repository, session, kind: str, arguments: dict[str, Any]) -> dict:
    """The portable `data` of a correction of `kind`, checked against the store."""
    if kind not in KINDS:
        raise CorrectionError(f"{kind!r} is no kind of correction (one of {', '.join(KINDS)})")
    try:
        return PREPARE[kind](repo, session, **arguments)
    except TypeError as error:  # a missing or unknown argument, as the caller named it
        raise CorrectionError(f"{kind}: {error}") from None


LIST_ARGUMENTS = ("articles",)


def arguments_of(kind: str, fields: dict[str, Any]) -> dict[str, Any]:
    """The arguments of a `kind` correction among submitted fields (a web form's, a JSON body's):
    the names `prepare` takes; a list may come as one field of ids separated by spaces or commas;
    empty fields are left out."""
    if kind not in KINDS:
        raise CorrectionError(f"{kind!r} is no kind of correction (one of {', '.join(KINDS)})")
    names = list(inspect.signature(PREPARE[kind]).parameters)[2:]  # after the store and the session
    found: dict[str, Any] = {}
    for name in names:
        value = fields.get(name)
        if name in LIST_ARGUMENTS:
            values = value if isinstance(value, list) else [value] if value else []
            value = [part for item in values for part in str(item).replace(",", " ").split()]
        elif isinstance(value, list):
            value = value[0] if value else None
        if value not in (None, "", []):
            found[name] = value
    return found


def _two_stories(repo, session, first: str, second: str) -> dict:
    if first == second:
        raise CorrectionError(f"cannot merge story {first!r} with itself")
    return {"stories": [story_refs(repo, session, first), story_refs(repo, session, second)]}


def _split(repo, session, story: str, articles: list[str], into: str | None = None) -> dict:
    members = repo.story_originals(session, story)
    stories = repo.stories_of(session, articles)
    outside = [a for a in articles if stories.get(a) != story]
    if outside:
        raise CorrectionError(f"article {outside[0]!r} is not in story {story!r}")
    kept = [a for a in members if a not in articles]
    if not kept:
        raise CorrectionError(f"that would move every article of story {story!r}: use merge-stories or move-article")
    if into == story:
        raise CorrectionError(f"cannot split story {story!r} into itself")
    return {
        "moved": article_refs(repo, session, articles),
        "kept": article_refs(repo, session, kept),
        "into": story_refs(repo, session, into) if into else None,
    }


def _move(repo, session, article: str, story: str) -> dict:
    current = repo.stories_of(session, [article]).get(article)
    if article not in repo.article_hashes(session, [article]):
        raise NotFound(f"no article with id {article!r}")
    if current == story:
        raise CorrectionError(f"article {article!r} is already in story {story!r}")
    into = story_refs(repo, session, story)
    was = [a for a in (repo.story_originals(session, current) if current else []) if a != article]
    return {"article": article_refs(repo, session, [article])[0], "into": into, "from": article_refs(repo, session, was)}


def _pair(repo, session, first: str, second: str) -> dict:
    if first == second:
        raise CorrectionError("name two different articles")
    return {"articles": article_refs(repo, session, [first, second])}


def _merge_actors(repo, session, keep: str, merge: str) -> dict:
    if keep == merge:
        raise CorrectionError(f"cannot merge actor {keep!r} with itself")
    kept, merged = repo.entity_row(session, keep), repo.entity_row(session, merge)
    return {"keep": keep, "merge": merge, "names": [kept.name, merged.name]}


def _split_actor(repo, session, actor: str, articles: list[str], into: str | None = None) -> dict:
    entity = repo.entity_row(session, actor)
    if not articles:
        raise CorrectionError("name the articles whose mentions are another actor")
    names = repo.actor_names(session, actor, articles)
    if not names:
        raise CorrectionError(f"actor {actor!r} is in none of these articles")
    if into is None:  # numbered as namesakes are: the first free "actor-N"
        number = 2
        while repo.entity_names(session, [f"{actor}-{number}"]):
            number += 1
        into = f"{actor}-{number}"
    if into == actor:
        raise CorrectionError(f"cannot split actor {actor!r} into itself")
    keys = sorted({name_key(name) for name in names})
    return {"entity": actor, "name": entity.name, "keys": keys, "articles": article_refs(repo, session, articles), "into": into}


def _set_speaker(repo, session, quote: str, actor: str) -> dict:
    return {"quote": _quote_ref(repo, session, quote), "speaker": actor, "name": repo.entity_row(session, actor).name}


def _quote(repo, session, quote: str) -> dict:
    return {"quote": _quote_ref(repo, session, quote)}


def _event(repo, session, event: str) -> dict:
    return {"event": _event_ref(repo, session, event)}


def _rename(repo, session, story: str, headline: str) -> dict:
    headline = " ".join(headline.split())
    if not headline:
        raise CorrectionError("a headline needs words")
    return {"story": story_refs(repo, session, story), "headline": headline}


PREPARE = {
    "merge-stories": _two_stories,
    "split-story": _split,
    "move-article": _move,
    "same-story": _pair,
    "never-same": _pair,
    "merge-actors": _merge_actors,
    "split-actor": _split_actor,
    "set-speaker": _set_speaker,
    "clear-speaker": _quote,
    "reject-quote": _quote,
    "reject-event": _event,
    "rename-story": _rename,
}


def describe(correction: Correction) -> str:
    """The correction in words, for lists and histories."""
    data, kind = correction.data, correction.kind

    def story(refs) -> str:
        return f"the story of {refs[0]['id']}" if refs else "a story"

    if kind == "merge-stories":
        return f"merged {story(data['stories'][1])} into {story(data['stories'][0])}"
    if kind == "split-story":
        moved = ", ".join(ids_of(data["moved"]))
        return f"split {moved} from {story(data['kept'])} into " + (story(data["into"]) if data.get("into") else "a new story")
    if kind == "move-article":
        return f"moved {data['article']['id']} to {story(data['into'])}"
    if kind == "same-story":
        return "{} and {} are the same story".format(*ids_of(data["articles"]))
    if kind == "never-same":
        return "{} and {} are never the same story".format(*ids_of(data["articles"]))
    if kind == "merge-actors":
        return f"merged actor {data['merge']} ({data['names'][1]}) into {data['keep']} ({data['names'][0]})"
    if kind == "split-actor":
        return f"{data['name']} in {', '.join(ids_of(data['articles']))} is another actor, {data['into']}"
    if kind in ("set-speaker", "clear-speaker", "reject-quote"):
        quote = data["quote"]
        where = f"quote at {quote['article']['id']}:{quote['start']} (“{_short(quote['text'])}”)"
        return {
            "set-speaker": f"{data.get('name')} ({data.get('speaker')}) said the {where}",
            "clear-speaker": f"the speaker of the {where} is unknown",
            "reject-quote": f"the {where} is no quote",
        }[kind]
    if kind == "reject-event":
        event = data["event"]
        return f"the {event['type']} event at {event['article']['id']}:{event['start']} (“{event['trigger']}”) is wrong"
    if kind == "rename-story":
        return f"{story(data['story'])} is headlined “{data['headline']}”"
    if kind == UNDO:
        return f"undid correction {data['correction']}"
    return kind


def _short(text: str, words: int = 8) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


# ---- in force: what later ingests, re-annotation and recluster obey -------------------


def grouping_links(correction: Correction) -> tuple[list[Link], list[Link]]:
    """The must-links and cannot-links a grouping correction stands for."""
    data, number = correction.data, correction.id
    must: list[Link] = []
    cannot: list[Link] = []

    def together(ids: list[str]) -> None:
        must.extend(Link(ids[0], other, number) for other in ids[1:])

    def apart(first: list[str], second: list[str]) -> None:
        cannot.extend(Link(a, b, number) for a in first for b in second if a != b)

    if correction.kind == "merge-stories":
        together(ids_of(data["stories"][0]) + ids_of(data["stories"][1]))
    elif correction.kind == "split-story":
        moved = ids_of(data["moved"])
        together(moved + ids_of(data["into"])[:1])  # with the first article of the story they join
        apart(moved, ids_of(data["kept"]))
    elif correction.kind == "move-article":
        article = data["article"]["id"]
        together([article, *ids_of(data["into"])[:1]])
        apart([article], ids_of(data["from"]))
    elif correction.kind == "same-story":
        together(ids_of(data["articles"]))
    elif correction.kind == "never-same":
        first, second = ids_of(data["articles"])
        apart([first], [second])
    return must, cannot


@dataclass
class AnnotationOverrides:
    """The actor, quote and event corrections in force, re-applied whenever an article's
    annotation is saved (`Repository.save_article`)."""

    aliases: dict[str, str] = field(default_factory=dict)  # merged entity -> the one kept
    splits: dict[tuple[str, str], str] = field(default_factory=dict)  # (article, name key) -> entity split off
    speakers: list[tuple[dict, dict]] = field(default_factory=list)  # (quote reference, speaker)
    rejected_quotes: list[dict] = field(default_factory=list)
    rejected_events: list[dict] = field(default_factory=list)

    def split_entity(self, article_id: str, key: str) -> str | None:
        """The entity an analyst split off for the actor of this name key in this article, if any:
        it is that entity whatever linking would say."""
        return self.splits.get((article_id, key))

    def merged_entity(self, entity_id: str) -> str:
        """The entity `entity_id` was merged into (itself when it was not)."""
        seen = set()
        while entity_id in self.aliases and entity_id not in seen:
            seen.add(entity_id)
            entity_id = self.aliases[entity_id]
        return entity_id

    def annotation(self, article_id: str, annotation: Annotation) -> Annotation:
        """The (entity-linked) annotation with rejected quotes and events left out and
        corrected speakers set."""
        quotes = tuple(
            self._speaker(article_id, quote) for quote in annotation.quotes
            if not any(quote_matches(r, article_id, quote.start, quote.end, quote.text) for r in self.rejected_quotes)
        )
        events = tuple(
            item for item in annotation.events
            if not any(event_matches(r, article_id, item.trigger.start, item.trigger.end, item.type, item.trigger.text) for r in self.rejected_events)
        )
        return replace(annotation, quotes=quotes, events=events)

    def _speaker(self, article_id: str, quote: Quote) -> Quote:
        for reference, speaker in reversed(self.speakers):  # the latest correction of a quote counts
            if quote_matches(reference, article_id, quote.start, quote.end, quote.text):
                return replace(quote, speaker=Speaker(**speaker))
        return quote


@dataclass
class InForce:
    grouping: GroupingConstraints
    annotations: AnnotationOverrides


def in_force(repo: Repository, session) -> InForce:
    """The corrections in force, as constraints on grouping and overrides of annotations."""
    must: list[Link] = []
    cannot: list[Link] = []
    overrides = AnnotationOverrides()
    for correction in repo.correction_records(session, kinds=KINDS, in_force=True):
        data = correction.data
        if correction.kind in GROUPING:
            pairs = grouping_links(correction)
            must.extend(pairs[0])
            cannot.extend(pairs[1])
        elif correction.kind == "merge-actors":
            overrides.aliases[data["merge"]] = data["keep"]
        elif correction.kind == "split-actor":
            for article_id in ids_of(data["articles"]):
                for key in data["keys"]:
                    overrides.splits[article_id, key] = data["into"]
        elif correction.kind == "set-speaker":
            overrides.speakers.append((data["quote"], {"entity": data["speaker"], "name": data["name"], "start": None, "end": None}))
        elif correction.kind == "clear-speaker":
            overrides.speakers.append((data["quote"], dict(NO_SPEAKER)))
        elif correction.kind == "reject-quote":
            overrides.rejected_quotes.append(data["quote"])
        elif correction.kind == "reject-event":
            overrides.rejected_events.append(data["event"])
    return InForce(GroupingConstraints(must, cannot), overrides)


def story_headlines(repo: Repository, session, story_ids: Iterable[str]) -> dict[str, str]:
    """Headlines renamed by corrections in force, for these stories (the latest rename counts)."""
    wanted = set(story_ids)
    headlines: dict[str, str] = {}
    for correction in repo.correction_records(session, kinds=["rename-story"], in_force=True):
        story_id = repo.story_of_articles(session, ids_of(correction.data["story"]))
        if story_id in wanted:
            headlines[story_id] = correction.data["headline"]
    return headlines


# ---- applying and undoing ----------------------------------------------------------------


def apply(
    repo: Repository, session, clusterer: StoryClusterer, kind: str, author: str, note: str | None,
    data: dict, created_at: datetime | None = None,
) -> Correction:
    """Record a correction (its `data` from `prepare`) and make it true in the store at once."""
    author = " ".join((author or "").split())
    if not author:
        raise CorrectionError("a correction needs an author (a name)")
    correction_id = repo.add_correction(session, kind, author, (note or "").strip() or None, data, created_at)
    repo.set_correction_effect(session, correction_id, _enforce(repo, session, clusterer, kind, data))
    return repo.correction_row(session, correction_id)[0]


def undo(repo: Repository, session, clusterer: StoryClusterer, correction_id: int, author: str, note: str | None = None) -> Correction:
    """Take a correction back: the store returns to what it was before it (where nothing since
    changed the same things), and it is no longer in force. The undo is recorded too."""
    correction, effect = repo.correction_row(session, correction_id)
    if correction.kind == UNDO:
        raise CorrectionError(f"correction {correction_id} is an undo: make the correction again instead")
    if not correction.in_force:
        raise CorrectionError(f"correction {correction_id} was already undone (by correction {correction.undone_by})")
    undo_record = apply(repo, session, clusterer, UNDO, author, note, {"correction": correction_id})
    repo.mark_undone(session, correction_id, undo_record.id)
    _revert(repo, session, clusterer, correction, effect)
    return undo_record


def _enforce(repo: Repository, session, clusterer: StoryClusterer, kind: str, data: dict) -> dict:
    """Change the store as the correction says; what was changed (the undo's recipe)."""
    if kind == "merge-stories":
        # the merged story keeps its own centroid as a part of the other: what would have joined it still does
        moves = move_articles(repo, session, clusterer, _grouping_moves(repo, session, kind, data), keep_centroids=True)
        merged = sorted({was for was, _ in moves.values() if was})
        for story_id in merged:
            clusterer.merge(story_id, next(iter(moves.values()))[1])
        return {"moves": moves, "merged": merged}
    if kind in GROUPING:
        return {"moves": move_articles(repo, session, clusterer, _grouping_moves(repo, session, kind, data))}
    if kind == "merge-actors":
        return repo.retarget_entity(session, data["merge"], data["keep"])
    if kind == "split-actor":
        repo.ensure_entity(session, data["into"], like=data["entity"])
        return repo.retarget_entity(session, data["entity"], data["into"], article_ids=ids_of(data["articles"]))
    if kind in ("set-speaker", "clear-speaker"):
        speaker = {"entity": data["speaker"], "name": data["name"], "start": None, "end": None} if kind == "set-speaker" else dict(NO_SPEAKER)
        before = None
        for row in _quote_rows(repo, session, data["quote"]):
            before = before or row.data["speaker"]
            repo.set_quote_speaker(session, row, speaker)
        return {"before": before}
    if kind == "reject-quote":
        return {"removed": repo.remove_rows(session, _quote_rows(repo, session, data["quote"]))}
    if kind == "reject-event":
        event = data["event"]
        rows = [
            row for row in repo.event_rows(session, event["article"]["id"])
            if event_matches(event, row.article_id, row.data["trigger"]["start"], row.data["trigger"]["end"], row.type, row.data["trigger"]["text"])
        ]
        return {"removed": repo.remove_rows(session, rows)}
    return {}  # a rename is read where headlines are; an undo is carried out by `undo`


def _revert(repo: Repository, session, clusterer: StoryClusterer, correction: Correction, effect: dict) -> None:
    kind, data = correction.kind, correction.data
    if kind in GROUPING:
        moves = effect.get("moves", {})
        now = repo.stories_of(session, moves)
        back = {article_id: was for article_id, (was, to) in moves.items() if now.get(article_id) == to and was is not None}
        move_articles(repo, session, clusterer, back, keep_centroids=kind == "merge-stories")
        for story_id in effect.get("merged", ()):
            clusterer.merge(story_id, None)
    elif kind == "merge-actors":
        repo.retarget_entity(session, data["keep"], data["merge"], rows=effect)
    elif kind == "split-actor":
        repo.retarget_entity(session, data["into"], data["entity"], rows=effect)
    elif kind in ("set-speaker", "clear-speaker") and effect.get("before"):
        # by the quote's identity, not its row: the article may have been annotated again since
        for row in _quote_rows(repo, session, data["quote"]):
            repo.set_quote_speaker(session, row, effect["before"])
    elif kind in ("reject-quote", "reject-event"):
        repo.restore_rows(session, "quotes" if kind == "reject-quote" else "events", effect.get("removed", []))


def _quote_rows(repo: Repository, session, reference: dict) -> list:
    article_id = reference["article"]["id"]
    return [row for row in repo.quote_rows(session, article_id) if quote_matches(reference, article_id, row.start, row.end, row.data["text"])]


def _grouping_moves(repo: Repository, session, kind: str, data: dict) -> dict[str, str]:
    """{article: story} that makes a grouping correction true now."""
    if kind == "merge-stories":
        target = repo.story_of_articles(session, ids_of(data["stories"][0]))
        return {a: target for a in ids_of(data["stories"][1])} if target else {}
    if kind == "split-story":
        moved = ids_of(data["moved"])
        target = repo.story_of_articles(session, ids_of(data["into"])) if data.get("into") else None
        return {a: target or repo.unused_story_id(session, moved[0]) for a in moved}
    if kind == "move-article":
        target = repo.story_of_articles(session, ids_of(data["into"]))
        return {data["article"]["id"]: target} if target else {}
    first, second = ids_of(data["articles"])
    stories = repo.stories_of(session, [first, second])
    if kind == "same-story":
        return {second: stories[first]} if stories.get(first) and stories.get(second) else {}
    together = stories.get(first) is not None and stories.get(first) == stories.get(second)
    return {second: repo.unused_story_id(session, second)} if together else {}


def move_articles(
    repo: Repository, session, clusterer: StoryClusterer, moves: dict[str, str], keep_centroids: bool = False
) -> dict[str, list]:
    """Put articles (and their syndicated copies) in the stories named, in the store and (unless
    `keep_centroids`: a whole story merged) in the clusterer's centroids; {article: [story
    before, story after]} of those that moved."""
    before = repo.stories_of(session, moves)
    moved = {a: story for a, story in moves.items() if a in before and before[a] != story}
    if not moved:
        return {}
    repo.move_to_stories(session, moved)
    for stored in [] if keep_centroids else repo.stored_articles(session, list(moved)):
        if stored.duplicate_of is None:  # copies are not in the clusterer's stories
            clusterer.move(cluster_item(stored.article, stored.annotation), before[stored.article.id], moved[stored.article.id])
    repo.drop_links_of_empty_stories(session, [before[a] for a in moved if before[a]])
    return {a: [before[a], story] for a, story in moved.items()}


# ---- sharing: JSON lines ---------------------------------------------------------------------


def export_lines(corrections: Iterable[Correction]) -> Iterator[str]:
    """The corrections in force as JSON lines, portable to another store (undos are not exported:
    what they undid is simply left out)."""
    for correction in corrections:
        if correction.in_force and correction.kind != UNDO:
            yield json.dumps(
                {"kind": correction.kind, "author": correction.author, "created_at": correction.created_at.isoformat(), "note": correction.note, "data": correction.data},
                ensure_ascii=False,
                sort_keys=True,
            )


def parse_line(line: str, where: str) -> tuple[str, str, str | None, datetime, dict]:
    try:
        item = json.loads(line)
        kind, author, data = item["kind"], item["author"], item["data"]
        created_at = datetime.fromisoformat(item["created_at"])
    except (ValueError, KeyError, TypeError) as error:
        raise IngestError(where, f"not a correction ({type(error).__name__}: {error})") from None
    if kind not in KINDS or not isinstance(data, dict):
        raise IngestError(where, f"not a correction kind: {kind!r}")
    return kind, author, item.get("note"), created_at, data


def localised(repo: Repository, session, data: Any) -> Any:
    """`data` with every article named by an id this store lacks renamed to the stored article
    with the same text (content hash), when there is one; unmatched articles keep their ids,
    for the corrections to take effect when they are ingested."""
    refs: list[dict] = []

    def collect(value):
        if isinstance(value, dict):
            if set(value) == {"id", "hash"}:
                refs.append(value)
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    collect(data)
    stored = repo.article_hashes(session, [ref["id"] for ref in refs])
    by_hash = repo.articles_with_hashes(session, [ref["hash"] for ref in refs if ref["id"] not in stored])
    for ref in refs:
        if ref["id"] not in stored and ref["hash"] in by_hash:
            ref["id"] = by_hash[ref["hash"]]
    return data


def import_lines(
    repo: Repository, session, clusterer: StoryClusterer, lines: Iterable[str], source: str, on_error=None
) -> tuple[list[Correction], int]:
    """Apply the corrections of a JSON-lines export; those already in force here are skipped.
    A bad line is reported (`on_error`, an `IngestError` naming file and line) and the rest go on.
    The corrections applied, and how many were already here."""
    existing = {
        (c.kind, c.author, c.created_at, json.dumps(c.data, sort_keys=True)) for c in repo.correction_records(session, in_force=True)
    }
    applied, known = [], 0
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            kind, author, note, created_at, data = parse_line(line, where)
            data = localised(repo, session, data)
            if (kind, author, created_at, json.dumps(data, sort_keys=True)) in existing:
                known += 1
                continue
            with session.begin_nested():  # a line that fails leaves nothing behind
                applied.append(apply(repo, session, clusterer, kind, author, note, data, created_at))
        except IngestError as error:
            if on_error:
                on_error(error)
        except (CorrectionError, NotFound, KeyError, TypeError, ValueError) as error:
            if on_error:
                on_error(IngestError(where, str(error) or type(error).__name__))
    return applied, known


def history(corrections: Iterable[Correction], article_ids: Iterable[str] = (), actor_id: str | None = None) -> list[Correction]:
    """The corrections (in force or undone, and their undos) touching these articles or this
    actor, oldest first: a story's or an actor's history."""
    articles = set(article_ids)
    listed = list(corrections)
    touching: list[Correction] = []
    for correction in listed:
        if correction.kind == UNDO:
            continue
        named = _articles_named(correction.data)
        entities = {correction.data.get(key) for key in ("keep", "merge", "entity", "into", "speaker")} - {None}
        if (articles & named) or (actor_id is not None and actor_id in entities):
            touching.append(correction)
    ids = {c.id for c in touching}
    undos = [c for c in listed if c.kind == UNDO and c.data.get("correction") in ids]
    return sorted(touching + undos, key=lambda c: c.id)


def _articles_named(value: Any) -> set[str]:
    if isinstance(value, dict):
        if set(value) == {"id", "hash"}:
            return {value["id"]}
        return set().union(*(_articles_named(item) for item in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_articles_named(item) for item in value)) if value else set()
    return set()
