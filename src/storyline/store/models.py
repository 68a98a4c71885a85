"""SQLAlchemy tables. Only `store/` knows about them; other stages see records."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

SCHEMA_VERSION = 1


class Base(DeclarativeBase):
    pass


class ArticleRow(Base):
    """The current version of an article; earlier versions live in `article_versions`."""

    __tablename__ = "articles"

    id: Mapped[str] = mapped_column(String, primary_key=True)
    title: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String, index=True)
    url: Mapped[str | None] = mapped_column(String, index=True)
    published: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    author: Mapped[str | None] = mapped_column(String)
    origin: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    extra: Mapped[dict] = mapped_column(JSON, default=dict)
    story_id: Mapped[str | None] = mapped_column(String, index=True)
    duplicate_of: Mapped[str | None] = mapped_column(String, index=True)
    ingested_at: Mapped[datetime] = mapped_column(DateTime)


class ArticleVersionRow(Base):
    __tablename__ = "article_versions"
    __table_args__ = (UniqueConstraint("article_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    ingested_at: Mapped[datetime] = mapped_column(DateTime)


class ActorRow(Base):
    """One canonical actor of one article, with its mentions."""

    __tablename__ = "article_actors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[str] = mapped_column(String, index=True)
    name: Mapped[str] = mapped_column(String)
    type: Mapped[str] = mapped_column(String)
    role: Mapped[str | None] = mapped_column(String)
    country: Mapped[str | None] = mapped_column(String)
    sector: Mapped[str | None] = mapped_column(String)
    mentions: Mapped[list] = mapped_column(JSON)


class EntityRow(Base):
    """A person or body across the whole store; `article_actors.actor_id` holds its id."""

    __tablename__ = "entities"

    id: Mapped[str] = mapped_column(String, primary_key=True)
    key: Mapped[str] = mapped_column(String, index=True)  # the folded name it was first seen under
    name: Mapped[str] = mapped_column(String)
    type: Mapped[str] = mapped_column(String)
    gender: Mapped[str | None] = mapped_column(String)  # m | f for a person, as its articles signal it


class QuoteRow(Base):
    __tablename__ = "quotes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    speaker_id: Mapped[str | None] = mapped_column(String, index=True)
    kind: Mapped[str] = mapped_column(String)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict] = mapped_column(JSON)


class EventRow(Base):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    type: Mapped[str] = mapped_column(String, index=True)
    source_id: Mapped[str | None] = mapped_column(String, index=True)
    target_id: Mapped[str | None] = mapped_column(String, index=True)
    date: Mapped[str | None] = mapped_column(String, index=True)
    data: Mapped[dict] = mapped_column(JSON)


class MetaRow(Base):
    """Key-value state saved with each batch (schema version, clusterer and deduper state)."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String, primary_key=True)
    value: Mapped[bytes] = mapped_column(LargeBinary)


class ArticleFeaturesRow(Base):
    """What story grouping reads of an article besides its stored text and actors (its content
    lemmas), so that a store can be grouped again without annotating it again."""

    __tablename__ = "article_features"

    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    terms: Mapped[list] = mapped_column(JSON)
    title_terms: Mapped[list] = mapped_column(JSON)


class StoryLinkRow(Base):
    """A story's storyline: the earlier story it continues and why (a story is in at most one)."""

    __tablename__ = "story_storylines"

    story_id: Mapped[str] = mapped_column(String, primary_key=True)
    storyline_id: Mapped[str] = mapped_column(String, index=True)
    continues: Mapped[str] = mapped_column(String)
    similarity: Mapped[float] = mapped_column(Float)
    shared_actors: Mapped[list] = mapped_column(JSON)


# The clusterer's and deduper's state as rows (`state_rows.py`). `saved` is the state version
# whose window wrote the row: a writer reads only the rows saved since its own copy.


class ClusterStoryRow(Base):
    """One story as the clusterer remembers it (`cluster/state.py`); `state` is NULL once forgotten."""

    __tablename__ = "cluster_stories"

    story_id: Mapped[str] = mapped_column(String, primary_key=True)
    state: Mapped[bytes | None] = mapped_column(LargeBinary)  # zlib-compressed JSON
    saved: Mapped[int] = mapped_column(Integer, index=True)


class ClusterPostingRow(Base):
    """One key of the clusterer's inverted index: its stories, the most recently updated last."""

    __tablename__ = "cluster_postings"

    key: Mapped[str] = mapped_column(String, primary_key=True)
    stories: Mapped[list] = mapped_column(JSON)
    saved: Mapped[int] = mapped_column(Integer, index=True)


class ClusterTermRow(Base):
    """In how many clustered articles a term of a channel was seen (the clusterer's IDF)."""

    __tablename__ = "cluster_terms"

    channel: Mapped[int] = mapped_column(Integer, primary_key=True)
    term: Mapped[str] = mapped_column(String, primary_key=True)
    frequency: Mapped[int] = mapped_column(Integer)
    saved: Mapped[int] = mapped_column(Integer, index=True)


class DedupeSignatureRow(Base):
    """An article's MinHash signature as the deduper keeps it; its LSH bands are rebuilt from it."""

    __tablename__ = "dedupe_signatures"

    article_id: Mapped[str] = mapped_column(String, primary_key=True)
    position: Mapped[int] = mapped_column(Integer)  # order of arrival
    original: Mapped[str | None] = mapped_column(String)
    size: Mapped[int] = mapped_column(Integer)  # distinct shingles
    signature: Mapped[bytes] = mapped_column(LargeBinary)
    saved: Mapped[int] = mapped_column(Integer, index=True)


class WriterRow(Base):
    """A writer storing articles now (`Repository.writer_started`): while others are at work, a
    window's articles wait unplaced, and the last writer places them all in publication order."""

    __tablename__ = "writers"

    id: Mapped[str] = mapped_column(String, primary_key=True)
    host: Mapped[str] = mapped_column(String)
    pid: Mapped[int] = mapped_column(Integer)
    seen: Mapped[float] = mapped_column(Float)  # seconds since the epoch of its latest window
