"""Plain typed records exchanged between pipeline stages.

Every stage takes and returns these frozen dataclasses; none passes spaCy Docs,
ORM rows or loose dicts across a stage boundary. Every extracted fact carries
character offsets into `Article.text`, its provenance.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any


def content_hash(text: str) -> str:
    """Stable hash of an article body; equal bodies are the same content."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Article:
    """One article as read from its source; `text` is kept exactly as decoded."""

    id: str
    text: str
    title: str | None = None
    source: str | None = None  # outlet name
    url: str | None = None
    published: datetime | None = None
    author: str | None = None
    origin: str | None = None  # file path (and record) it was read from
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        return content_hash(self.text)


@dataclass(frozen=True)
class Span:
    """A stretch of the article text: [start, end) character offsets."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Offsets:
    """[start, end) character offsets without the text (e.g. a sentence)."""

    start: int
    end: int


@dataclass(frozen=True)
class Actor:
    """A canonical actor of one article: a person, body or place acting in it.

    `id` is a slug of the canonical name ("dominic-raab"), unique within the article
    and stable across articles, so stories can merge on it.
    """

    id: str
    name: str
    type: str  # PERSON | ORG | GPE | NORP
    role: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-3 where known
    sector: str | None = None  # government, legislature, military, IGO, rebels, media, ...
    mentions: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Speaker:
    entity: str | None  # Actor.id, or None when the speaker is not resolved
    name: str | None
    start: int | None
    end: int | None


@dataclass(frozen=True)
class Quote:
    text: str  # content without the surrounding marks
    start: int
    end: int
    kind: str  # direct | mixed | indirect
    speaker: Speaker
    cue: Span | None


@dataclass(frozen=True)
class EventActor:
    entity: str | None
    name: str
    country: str | None = None
    sector: str | None = None


@dataclass(frozen=True)
class Event:
    type: str  # one of PLOVER's 16 event types
    mode: str | None
    source: EventActor | None
    target: EventActor | None
    trigger: Span
    sentence: Offsets
    date: str | None = None  # ISO date or month, resolved against publication date
    date_text: str | None = None
    location: str | None = None
    negated: bool = False


@dataclass(frozen=True)
class Annotation:
    """What `annotate` learns about one article."""

    article_id: str
    actors: tuple[Actor, ...] = ()
    quotes: tuple[Quote, ...] = ()
    events: tuple[Event, ...] = ()
    # content-word lemmas (lowercase, no stop words or punctuation) for story grouping
    terms: tuple[str, ...] = ()
    title_terms: tuple[str, ...] = ()
    sentences: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class StoryActor:
    id: str
    name: str
    type: str
    roles: tuple[str, ...]
    articles: tuple[str, ...]
    mentions: int


@dataclass(frozen=True)
class StoryArticle:
    id: str
    title: str | None
    source: str | None
    published: datetime | None
    url: str | None


@dataclass(frozen=True)
class Story:
    id: str
    headline: str | None
    articles: tuple[StoryArticle, ...]
    outlets: tuple[str, ...]
    first: datetime | None
    last: datetime | None
    actors: tuple[StoryActor, ...]


def to_jsonable(value: Any) -> Any:
    """Records -> JSON-ready structures (datetimes as ISO strings)."""
    if hasattr(value, "__dataclass_fields__"):
        return to_jsonable(asdict(value))
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value
