"""Plain typed records exchanged between pipeline stages.

Every stage takes and returns these frozen dataclasses; none passes spaCy Docs,
ORM rows or loose dicts across a stage boundary. Every extracted fact carries
character offsets into `Article.text`, its provenance.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
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
    lemma: str | None = None  # the trigger word's lemma ("expel"), what story events compare
    # who says it happened, when it is told inside a quote or reported speech: their claim
    claimed_by: EventActor | None = None


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
    duplicate_of: str | None = None  # the original, when this article is a syndicated copy


@dataclass(frozen=True)
class Story:
    id: str
    headline: str | None
    articles: tuple[StoryArticle, ...]
    outlets: tuple[str, ...]
    first: datetime | None
    last: datetime | None
    actors: tuple[StoryActor, ...]
    independent_sources: int = 0  # outlets that reported it themselves (syndicated copies collapsed)


# ---- records of the store, used by every stage after it ---------------------------


@dataclass(frozen=True)
class StoredArticle:
    """An article as stored, with where the pipeline put it."""

    article: Article
    annotation: Annotation
    story_id: str | None
    duplicate_of: str | None
    version: int


@dataclass(frozen=True)
class StoryFilter:
    """What a list of stories can be narrowed to; a story matches when one of its articles
    matches every given field. `order`: biggest | newest | relevance (needs `text`)."""

    text: str | None = None  # words, each required (not FTS5 syntax)
    since: date | None = None  # inclusive
    until: date | None = None  # inclusive
    outlet: str | None = None
    actor: str | None = None  # actor id, or a name as written
    order: str = "biggest"


STORY_ORDERS = ("biggest", "newest", "relevance")


@dataclass(frozen=True)
class ActorSummary:
    """One actor across the whole store."""

    id: str
    name: str  # the most frequent name
    type: str
    names: tuple[str, ...]  # every name it appears under, most frequent first
    roles: tuple[str, ...]  # most frequent first
    country: str | None
    sector: str | None
    articles: int
    stories: int
    mentions: int


@dataclass(frozen=True)
class ArticleQuote:
    article: StoryArticle
    story_id: str | None
    quote: Quote


@dataclass(frozen=True)
class ArticleEvent:
    article: StoryArticle
    story_id: str | None
    event: Event


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


# ---- the story account: what `synthesise.account` makes of a stored story ----------


@dataclass(frozen=True)
class Citation:
    """Where an item of an account comes from: an article and [start, end) offsets into its text."""

    article_id: str
    outlet: str | None
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class AccountArticle:
    """A story's article; the fields of `StoryArticle`, plus the original it was syndicated from."""

    id: str
    title: str | None
    source: str | None
    published: datetime | None
    url: str | None
    duplicate_of: str | None = None


@dataclass(frozen=True)
class AccountActor:
    """One person or body across a story's articles; the fields of `StoryActor` come first."""

    id: str
    name: str
    type: str
    roles: tuple[str, ...]
    articles: tuple[str, ...]
    mentions: int
    country: str | None = None
    sector: str | None = None
    outlets: tuple[str, ...] = ()
    names: tuple[str, ...] = ()  # canonical names merged into this actor ("Kovac", "Petar Kovac")
    quotes: tuple[str, ...] = ()  # AccountQuote ids spoken by this actor
    events: tuple[str, ...] = ()  # AccountEvent ids with this actor as source or target
    citations: tuple[Citation, ...] = ()  # every mention


@dataclass(frozen=True)
class DiffPart:
    """One stretch of a quote version compared word by word with the reference wording."""

    op: str  # same | omitted | added | changed
    reference: str  # the words of the reference version ("" when added)
    version: str  # the words of this version ("" when omitted)


@dataclass(frozen=True)
class QuoteVersion:
    """A quote as one article gives it."""

    citation: Citation
    kind: str  # direct | mixed | indirect
    speaker_name: str | None
    drift: str  # reference | verbatim | truncated | altered | paraphrased
    similarity: float  # word-sequence similarity to the reference, 0..1
    differences: tuple[DiffPart, ...] = ()  # empty for the reference itself


@dataclass(frozen=True)
class AccountQuote:
    """One thing said, with every article that reports it."""

    id: str
    speaker: str | None  # AccountActor.id, None when the speaker is not resolved
    speaker_name: str | None
    text: str  # the reference wording: the fullest direct version
    kind: str
    articles: tuple[str, ...]
    outlets: tuple[str, ...]
    drift: tuple[str, ...]  # how versions depart from the reference; empty when all agree
    versions: tuple[QuoteVersion, ...]

    @property
    def label(self) -> str:
        return f"{self.speaker_name or 'unattributed'}: “{self.text}”"


@dataclass(frozen=True)
class AccountParty:
    """The source or target of a merged event."""

    id: str | None  # AccountActor.id, None when the party is not an actor of the story
    name: str


@dataclass(frozen=True)
class EventMention:
    """One report of an event: its trigger words and sentence in one article."""

    trigger: Citation
    sentence: Citation
    date: str | None
    date_text: str | None


@dataclass(frozen=True)
class AccountEvent:
    """One real-world event, however many articles report it."""

    id: str
    type: str
    mode: str | None
    negated: bool
    source: AccountParty | None
    target: AccountParty | None
    date: str | None
    location: str | None
    articles: tuple[str, ...]
    outlets: tuple[str, ...]
    mentions: tuple[EventMention, ...]

    @property
    def label(self) -> str:
        words = [self.source.name if self.source else "someone", ("not " if self.negated else "") + self.type]
        if self.mode:
            words.append(f"({self.mode})")
        if self.target:
            words.append(self.target.name)
        return " ".join(words)


@dataclass(frozen=True)
class TimelineEntry:
    when: str | None  # ISO date or datetime the entry is ordered by
    dated_by: str  # event (its own resolved date) | article (placed by its article) | publication | undated
    kind: str  # event | publication
    label: str
    articles: tuple[str, ...]
    outlets: tuple[str, ...]
    event_id: str | None = None


@dataclass(frozen=True)
class CoverageRow:
    kind: str  # actor | quote | event
    id: str
    label: str
    outlets: tuple[str, ...]  # outlets whose articles carry it, syndicated copies included
    sources: tuple[str, ...]  # independent outlets reporting it: a copy counts for its original's outlet


@dataclass(frozen=True)
class OnlyIn:
    """What a single independent outlet reported and no other did (ids of actors, quotes, events)."""

    outlet: str
    actors: tuple[str, ...]
    quotes: tuple[str, ...]
    events: tuple[str, ...]


@dataclass(frozen=True)
class Syndication:
    article_id: str
    outlet: str | None
    copy_of: str
    copy_of_outlet: str | None


@dataclass(frozen=True)
class Coverage:
    outlets: tuple[str, ...]  # matrix columns; an article without an outlet stands for itself
    rows: tuple[CoverageRow, ...]
    only_in: tuple[OnlyIn, ...]
    independent_sources: int  # outlets with reporting of their own, syndicated copies collapsed
    syndicated: tuple[Syndication, ...]


@dataclass(frozen=True)
class SummarySentence:
    text: str
    citations: tuple[Citation, ...]  # the sentence where it was taken from, then near-identical ones elsewhere


@dataclass(frozen=True)
class Account:
    """A story told from all its reports: the fields of `Story` first, then the synthesis."""

    id: str
    headline: str | None
    articles: tuple[AccountArticle, ...]
    outlets: tuple[str, ...]
    first: datetime | None
    last: datetime | None
    actors: tuple[AccountActor, ...]
    quotes: tuple[AccountQuote, ...]
    events: tuple[AccountEvent, ...]
    timeline: tuple[TimelineEntry, ...]
    coverage: Coverage
    summary: tuple[SummarySentence, ...]

    def _repr_markdown_(self) -> str:
        # notebooks display an account as its report instead of a wall of dataclass fields
        from .render import to_markdown

        return to_markdown(self)
