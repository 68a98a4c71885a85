"""Plain typed records exchanged between pipeline stages.

Every stage takes and returns these frozen dataclasses; none passes spaCy Docs,
ORM rows or loose dicts across a stage boundary. Every extracted fact carries
character offsets into `Article.text`, its provenance.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields
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

    `id` is a slug of the canonical name ("dominic-raab"), unique within the article; the store
    replaces it with the id of the store-wide entity the actor is linked to (`entities.py`), so
    that namesakes in unrelated stories keep two ids ("elena-marsh", "elena-marsh-2").
    """

    id: str
    name: str
    type: str  # PERSON | ORG | GPE | NORP
    role: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-3 where known
    sector: str | None = None  # government, legislature, military, IGO, rebels, media, ...
    mentions: tuple[Span, ...] = ()
    gender: str | None = None  # m | f for a person: set once, by actors.py, from honorifics, first names, pronouns


@dataclass(frozen=True)
class Speaker:
    entity: str | None  # Actor.id, or None when the speaker is not resolved
    name: str | None
    start: int | None
    end: int | None


@dataclass(frozen=True)
class Quote:
    """One thing said. A quote interrupted by its attribution (`"Normally," she said, "you ..."`)
    or continued by its speaker in the next sentences is one quote of several `parts`; `text`
    joins them for display and `start`/`end` bound them all."""

    text: str  # content without the surrounding marks, parts joined by a space
    start: int
    end: int
    kind: str  # direct | mixed | indirect
    speaker: Speaker
    cue: Span | None
    parts: tuple[Span, ...] = ()  # each stretch of the article the quote is made of, in order

    @property
    def spans(self) -> tuple[Span, ...]:
        """The quote's stretches: its parts, or the whole quote for a record stored without them."""
        return self.parts or (Span(self.start, self.end, self.text),)


@dataclass(frozen=True)
class EventActor:
    entity: str | None
    name: str
    country: str | None = None
    sector: str | None = None


# occurrences a story is about that are no PLOVER interaction (annotate/events: data/happening_triggers.jsonl)
HAPPENING_TYPES = ("ACCIDENT", "DISASTER", "DEATH", "ELECTION", "RESIGNATION", "VERDICT")


@dataclass(frozen=True)
class Event:
    type: str  # one of PLOVER's 16 event types, or a happening's (HAPPENING_TYPES)
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
    has_features: bool = True  # False for articles stored before their grouping features were kept


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

    @classmethod
    def chosen(cls, order: str | None = None, **fields) -> StoryFilter:
        """The filter with `order` as chosen, or by default relevance when searching, else biggest."""
        return cls(order=order or ("relevance" if fields.get("text") else "biggest"), **fields)


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
    aliases: tuple[str, ...] = ()  # how articles refer to it: "Mr Raab", "the foreign secretary", "Raab"
    role_history: tuple[RoleSpell, ...] = ()  # each role with the first and last article giving it
    story_ids: tuple[str, ...] = ()  # its stories, the latest first


@dataclass(frozen=True)
class RoleSpell:
    """A role an entity is given, from the first to the last article (by publication) giving it."""

    role: str
    first: datetime | None
    last: datetime | None
    articles: int


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


@dataclass(frozen=True)
class ArticleMatch:
    """An article found by a search, with the passage that matched."""

    article: StoryArticle
    story_id: str | None
    snippet: str  # the best-matching passage, "…" where it is cut
    marks: tuple[tuple[int, int], ...]  # [start, end) of each matched term within `snippet`


@dataclass(frozen=True)
class StoryLink:
    """A story put in a storyline: the earlier story it continues, and why."""

    story_id: str
    storyline_id: str
    continues: str  # the earlier story (itself for the story a storyline is named after)
    similarity: float  # of the two stories' profiles
    shared_actors: tuple[str, ...]  # salient actors of both


@dataclass(frozen=True)
class Arc:
    """A storyline: stories that continue one another over days or weeks, in the order they began."""

    id: str  # the id of its first story
    stories: tuple[Story, ...]
    links: tuple[StoryLink, ...]
    first: datetime | None
    last: datetime | None

    @property
    def headline(self) -> str | None:
        """The headline of its biggest story."""
        biggest = max(self.stories, key=lambda story: len(story.articles), default=None)
        return biggest.headline if biggest else None


def to_jsonable(value: Any) -> Any:
    """Records -> JSON-ready structures (datetimes as ISO strings)."""
    if hasattr(value, "__dataclass_fields__"):
        # field by field: `asdict` would copy the whole record deeply before it is walked again
        return {spec.name: to_jsonable(getattr(value, spec.name)) for spec in fields(value)}
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
    parts: tuple[Citation, ...] = ()  # the quote's own words, without the attribution between its parts


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
    claimed_by: str | None = None  # who says it happened, when the report tells it in a quote


@dataclass(frozen=True)
class Variant:
    """One outlet version of a fact: the value and the outlets that give it."""

    value: str
    outlets: tuple[str, ...]


@dataclass(frozen=True)
class Disagreement:
    """Where the reports of one event differ: `field` is date | number, each variant with its outlets."""

    field: str
    variants: tuple[Variant, ...]

    @property
    def label(self) -> str:
        return f"{self.field}: " + " / ".join(f"{v.value} ({', '.join(v.outlets)})" for v in self.variants)


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
    disagreements: tuple[Disagreement, ...] = ()

    @property
    def label(self) -> str:
        """What happened in plain words, from its first report: "Halvaria expelled Vestria's
        trade attaché (13 March 2026)"; "according to …" when every report gives it as someone's word."""
        from .wording import event_sentence

        return event_sentence(self)

    @property
    def code(self) -> str:
        """Its PLOVER coding, shown beside the plain words: "SANCTION", "REJECT · intend · negated"."""
        from .wording import event_code

        return event_code(self)


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
class NetworkEdge:
    """Who acted on whom (events) or spoke about whom (actors named inside their quotes)."""

    source: str  # AccountActor ids
    target: str
    kind: str  # event | quote
    label: str  # the event types, or "spoke about"
    count: int


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
    network: tuple[NetworkEdge, ...] = ()

    def _repr_markdown_(self) -> str:
        # notebooks display an account as its report instead of a wall of dataclass fields
        from .render import to_markdown

        return to_markdown(self)
