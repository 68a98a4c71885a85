"""Records <-> rows, on SQLite (the default: a file; WAL, FTS5) or PostgreSQL (`postgresql://…`;
tsvector search). Both are created and upgraded by `schema.upgrade`; see docs/postgres.md.

Every write happens in `Repository.write()`, one transaction per batch: a batch's articles,
their annotations and the clusterer state land together or not at all, so an ingest
killed mid-way leaves the store as it was after the last whole batch. A write transaction
takes SQLite's write lock at its start (BEGIN IMMEDIATE), so writers in other processes or
threads take turns, and each finds the state as the previous one left it (`state_version`).
"""

from __future__ import annotations

import logging
import os
import re
import socket
import sqlite3
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from sqlalchemy import DateTime, Float, String, cast, create_engine, delete, event, func, insert, inspect, or_, select, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, aliased

from ..corrections import AnnotationOverrides, story_headlines
from ..dedupe import independent_sources
from ..entities import EntityProfile, link, name_key
from ..errors import NotFound, StoreError
from ..records import (
    STORY_ORDERS,
    Actor,
    ActorSummary,
    ArticleEvent,
    ArticleMatch,
    ArticleQuote,
    Annotation,
    Arc,
    Article,
    Event,
    EventActor,
    Offsets,
    Quote,
    RoleSpell,
    Speaker,
    Span,
    Story,
    StoredArticle,
    StoryActor,
    StoryArticle,
    StoryFilter,
    StoryLink,
    to_jsonable,
)
from . import search, state_rows
from .corrections import CorrectionRows
from .schema import SEARCH_CONFIG, SEARCH_DOCUMENT, upgrade
from .models import (
    ActorRow,
    ArticleFeaturesRow,
    ArticleRow,
    ArticleVersionRow,
    Base,
    EntityRow,
    EventRow,
    MetaRow,
    QuoteRow,
    StoryLinkRow,
    WriterRow,
)

log = logging.getLogger("storyline.store")

TOP_ACTORS = 5
WRITE_LOCK = 0x5707_11E1  # PostgreSQL advisory lock held by each write transaction
ALIAS_ROWS = 500  # an entity's aliases are read from its latest articles
MAX_ALIASES = 20
PRONOUNS = {"he", "him", "his", "she", "her", "hers", "they", "them", "their", "it", "its"}
# a reader or a schema check waits this long for a writer's commit (WAL: reads never wait for
# a write in progress, only for a checkpoint); a writer waits longer for another's window
BUSY_TIMEOUT_SECONDS = 10.0
WRITE_WAIT_SECONDS = 120.0
WRITE_OPTION = "storyline_write"
# a writer on another machine that has stored no window for this long is taken for gone
WRITER_STALE_SECONDS = 600.0
STATE_VERSION_KEY = "state_version"  # bumped by every write of the saved state
# FTS5 snippet markers around a matched term: private-use characters no article text holds
MATCH_START, MATCH_END = "\ue000", "\ue001"
SNIPPET_TOKENS = 24
SEPARATOR = "\x1f"  # between values the database aggregates; never inside an id, name or role



def shown_url(db: str | Path) -> str:
    """The store as it may be printed: a password in a URL is masked."""
    return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", str(db))


def database_url(db: str | Path) -> str:
    """A SQLAlchemy URL: a path is a SQLite file; `postgresql://` uses psycopg 3."""
    text_form = str(db)
    if text_form.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + text_form.split("://", 1)[1]
    return text_form if "://" in text_form else f"sqlite:///{Path(text_form)}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # the driver's own transaction handling is off: `_sqlite_begin` says when and how to begin
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # the busy timeout first: two processes opening a new store both switch it to WAL
    cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_SECONDS * 1000)}")
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
    except sqlite3.OperationalError as error:  # a read-only store in another mode stays in it
        if "readonly" not in str(error):
            raise
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin(connection) -> None:
    """Writes begin IMMEDIATE: the write lock is taken before anything is read, so what a writer
    reads in its transaction (the saved state, an article's stored version) cannot change
    under it. A writer that has to wait for another says so, once."""
    if not connection.get_execution_options().get(WRITE_OPTION):
        connection.exec_driver_sql("BEGIN")
        return
    cursor = connection.connection.driver_connection.cursor()
    try:
        cursor.execute("PRAGMA busy_timeout=0")
        try:
            cursor.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as error:
            if not is_locked(error):
                raise
        database = connection.engine.url.database
        log.warning(f"{database}: waiting for another writer (up to {WRITE_WAIT_SECONDS:.0f} s)")
        cursor.execute(f"PRAGMA busy_timeout={int(WRITE_WAIT_SECONDS * 1000)}")
        try:
            cursor.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if is_locked(error):
                raise StoreError(
                    f"{database}: another writer has held the store for over {WRITE_WAIT_SECONDS:.0f} s; try again later"
                ) from None
            raise
    finally:
        cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_SECONDS * 1000)}")
        cursor.close()


def _process_lives(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def is_locked(error: Exception) -> bool:
    return "locked" in str(error) or "busy" in str(error)


class Repository(CorrectionRows):
    def __init__(self, db: str | Path):
        self.url = database_url(db)
        self.engine: Engine = create_engine(self.url)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        self.is_postgres = self.engine.dialect.name == "postgresql"
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "begin", _sqlite_begin)
        try:
            if not self._has_schema() and not self._read_as_it_is():
                # under the write lock, so processes opening a new store at once take turns
                with self.engine.connect() as connection:
                    connection.execution_options(**{WRITE_OPTION: True})
                    with connection.begin():
                        upgrade(connection)
        except (OperationalError, DatabaseError) as error:
            raise StoreError(f"{shown_url(db)}: cannot open the store ({error.orig})") from None

    def _read_as_it_is(self) -> bool:
        """Whether this is a store of an earlier schema opened read-only: it is read as it is (what
        reading needs is there) and upgraded by the next writer."""
        read_only = self.is_sqlite and re.search(r"[?&](mode=ro|immutable=1)(&|$)", self.url) is not None
        return read_only and "articles" in inspect(self.engine).get_table_names()

    def _has_schema(self) -> bool:
        """Whether the store is at today's schema, as far as a look without the write lock can
        tell (a store being read by others, or a read-only one, is not locked for nothing)."""
        names = set(inspect(self.engine).get_table_names())
        return set(Base.metadata.tables) | {"alembic_version"} <= names and (not self.is_sqlite or "articles_fts" in names)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction holding the write lock from its start: committed when the block ends,
        rolled back on any error. Writers take turns, on PostgreSQL (an advisory lock) as on
        SQLite: what one reads in its transaction (the saved state, an article's stored version)
        cannot change under it, whichever machine the other runs on."""
        with self.engine.connect() as connection:
            connection.execution_options(**{WRITE_OPTION: True})
            with Session(bind=connection, expire_on_commit=False) as session:
                with session.begin():
                    if self.is_postgres:
                        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK})
                    yield session

    def _insertion_order(self, table: str):
        """Rows of an insert-only table in the order they were inserted: SQLite's rowid; on
        PostgreSQL the row's place in the heap, which is that order while rows are never updated
        or moved (VACUUM FULL, CLUSTER)."""
        return text(f"{table}.rowid" if self.is_sqlite else f"{table}.ctid")

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self.engine) as session:
            yield session

    # ---- state -------------------------------------------------------------------

    def load_state(self, key: str, session: Session | None = None) -> bytes | None:
        if session is None:
            with self.read() as session:
                return self.load_state(key, session)
        row = session.get(MetaRow, key)
        return row.value if row else None

    def state_version(self, session: Session) -> int:
        """How many times the saved state was written: a writer whose copy is older reloads it."""
        row = session.get(MetaRow, STATE_VERSION_KEY)
        return int(row.value) if row else 0

    def save_grouping(self, session: Session, clusterer, deduper, version: int, whole: bool = False) -> int:
        """Save the clusterer's and deduper's state as rows (`state_rows.save`); rows written.
        Saved whole, they replace any state an older version saved whole."""
        if whole:
            state_rows.drop_blobs(session)
        return state_rows.save(session, clusterer, deduper, version, whole)

    def load_grouping(self, session: Session | None = None, clusterer=None, deduper=None, since: int = 0):
        """The saved clusterer and deduper, or `clusterer` and `deduper` brought up to date since
        state version `since` (`state_rows.load`)."""
        if session is None:
            with self.read() as session:
                return self.load_grouping(session, clusterer, deduper, since)
        return state_rows.load(session, clusterer, deduper, since)

    def grouping_reset(self, session: Session) -> int:
        return state_rows.reset_version(session)

    def save_states(self, session: Session, states: Mapping[str, bytes]) -> int:
        """Save states together and bump the state version; the new version."""
        version = self.state_version(session) + 1
        for key, value in {**states, STATE_VERSION_KEY: str(version).encode()}.items():
            session.merge(MetaRow(key=key, value=value))
        return version

    # ---- writers at work ---------------------------------------------------------

    def writer_started(self) -> str:
        """Record a writer at work (in its own short transaction); its id."""
        writer = uuid.uuid4().hex
        with self.write() as session:
            session.add(WriterRow(id=writer, host=socket.gethostname(), pid=os.getpid(), seen=datetime.now(timezone.utc).timestamp()))
        return writer

    def writer_seen(self, session: Session, writer: str, done: bool = False) -> None:
        """The writer stored a window (or, `done`, its last)."""
        if done:
            session.execute(delete(WriterRow).where(WriterRow.id == writer))
        else:
            session.execute(update(WriterRow).where(WriterRow.id == writer).values(seen=datetime.now(timezone.utc).timestamp()))

    def other_writers(self, session: Session, writer: str) -> int:
        """How many other writers are at work: on this machine, those whose process lives; elsewhere,
        those that stored a window in the last `WRITER_STALE_SECONDS`. Gone ones are forgotten."""
        host, alive, gone = socket.gethostname(), 0, []
        for row in session.scalars(select(WriterRow).where(WriterRow.id != writer)):
            living = _process_lives(row.pid) if row.host == host else datetime.now(timezone.utc).timestamp() - row.seen < WRITER_STALE_SECONDS
            if living:
                alive += 1
            else:
                gone.append(row.id)
        if gone:
            session.execute(delete(WriterRow).where(WriterRow.id.in_(gone)))
        return alive

    def unplaced_for(self, session: Session) -> float:
        """Seconds the longest-waiting unplaced article has waited (0 when none waits)."""
        oldest = session.scalar(select(func.min(ArticleRow.ingested_at)).where(ArticleRow.story_id.is_(None)))
        return 0.0 if oldest is None else (datetime.now(timezone.utc).replace(tzinfo=None) - oldest).total_seconds()

    def unplaced(self, session: Session) -> list[StoredArticle]:
        """Articles stored while other writers were at work and not placed in a story yet, in the order stored."""
        ids = session.scalars(select(ArticleRow.id).where(ArticleRow.story_id.is_(None)).order_by(ArticleRow.ingested_at, ArticleRow.id))
        return self.stored_articles(session, list(ids))

    # ---- articles ----------------------------------------------------------------

    def is_stored(self, article: Article) -> bool:
        """Whether this article (same URL, else same id) is stored with this exact text, now or as an
        earlier version. The same text from another outlet is a syndicated copy, not a repeat."""
        same_article = ArticleRow.url == article.url if article.url else ArticleRow.id == article.id
        with self.read() as session:
            current = select(ArticleRow.id).where(ArticleRow.content_hash == article.content_hash, same_article)
            earlier = (
                select(ArticleVersionRow.id)
                .join(ArticleRow, ArticleRow.id == ArticleVersionRow.article_id)
                .where(ArticleVersionRow.content_hash == article.content_hash, same_article)
            )
            return bool(session.scalar(current.limit(1)) or session.scalar(earlier.limit(1)))

    def previous_version(self, session: Session, article: Article) -> ArticleRow | None:
        """The stored article this one is a new version of: same URL, else same id."""
        row = None
        if article.url:
            row = session.scalar(select(ArticleRow).where(ArticleRow.url == article.url).limit(1))
        return row if row is not None else session.get(ArticleRow, article.id)

    def save_article(
        self,
        session: Session,
        article: Article,
        annotation: Annotation,
        story_id: str | None,
        duplicate_of: str | None,
        previous: ArticleRow | None = None,
        overrides: AnnotationOverrides | None = None,
        link: bool = True,
    ) -> str:
        """Insert an article, or make it the new version of `previous`; returns the stored id.
        Its actors are stored under the ids of the store-wide entities they are linked to (linking
        needs the article's story: an article stored unplaced, `link=False`, keeps the annotator's
        ids until `place_unplaced`), and the analyst's corrections in force (`overrides`) are
        applied to its annotation."""
        stored_id = previous.id if previous is not None else article.id
        if link:
            annotation = self.linked_to_entities(session, annotation, story_id, overrides, stored_id)
        if overrides is not None:
            annotation = overrides.annotation(stored_id, annotation)
        fields = {
            "title": article.title,
            "source": article.source,
            "url": article.url,
            "published": article.published,
            "author": article.author,
            "origin": article.origin,
            "text": article.text,
            "content_hash": article.content_hash,
            "extra": to_jsonable(article.extra),
            "story_id": story_id,
            "duplicate_of": duplicate_of,
            "ingested_at": datetime.now(timezone.utc).replace(tzinfo=None),
        }
        if previous is not None:
            session.add(
                ArticleVersionRow(
                    article_id=previous.id,
                    version=previous.version,
                    title=previous.title,
                    text=previous.text,
                    content_hash=previous.content_hash,
                    ingested_at=previous.ingested_at,
                )
            )
            for model in (ActorRow, QuoteRow, EventRow, ArticleFeaturesRow):
                session.execute(delete(model).where(model.article_id == previous.id))
            for name, value in fields.items():
                setattr(previous, name, value)
            previous.version += 1
            session.flush()
            article_id = previous.id
        else:
            session.execute(insert(ArticleRow.__table__), [{"id": article.id, "version": 1, **fields}])
            article_id = article.id
        self._save_annotation(session, article_id, annotation)
        return article_id

    def place_unplaced(
        self, session: Session, article_id: str, annotation: Annotation, story_id: str, original: str | None,
        overrides: AnnotationOverrides | None = None,
    ) -> None:
        """Put an article stored unplaced in its story, its actors linked to the store's entities
        (and the analyst's corrections in force applied) as if it had been placed when stored."""
        for model in (ActorRow, QuoteRow, EventRow, ArticleFeaturesRow):
            session.execute(delete(model).where(model.article_id == article_id))
        annotation = self.linked_to_entities(session, annotation, story_id, overrides, article_id)
        if overrides is not None:
            annotation = overrides.annotation(article_id, annotation)
        self._save_annotation(session, article_id, annotation)
        self.place(session, article_id, story_id, original)

    def _save_annotation(self, session: Session, article_id: str, annotation: Annotation) -> None:
        actors = [
            {
                "article_id": article_id,
                "actor_id": actor.id,
                "name": actor.name,
                "type": actor.type,
                "role": actor.role,
                "country": actor.country,
                "sector": actor.sector,
                "mentions": [[m.start, m.end, m.text] for m in actor.mentions],
            }
            for actor in annotation.actors
        ]
        quotes = [
            {
                "article_id": article_id,
                "speaker_id": quote.speaker.entity,
                "kind": quote.kind,
                "start": quote.start,
                "end": quote.end,
                "data": to_jsonable(quote),
            }
            for quote in annotation.quotes
        ]
        events = [
            {
                "article_id": article_id,
                "type": item.type,
                "source_id": item.source.entity if item.source else None,
                "target_id": item.target.entity if item.target else None,
                "date": item.date,
                "data": to_jsonable(item),
            }
            for item in annotation.events
        ]
        features = [{"article_id": article_id, "terms": list(annotation.terms), "title_terms": list(annotation.title_terms)}]
        # one insert per table, into the table itself: an ORM object per row, or the ORM's bulk
        # insert path, costs more than the rows (a third of the main process's time at ingest)
        for model, rows in ((ActorRow, actors), (QuoteRow, quotes), (EventRow, events), (ArticleFeaturesRow, features)):
            if rows:
                session.execute(insert(model.__table__), rows)

    def linked_to_entities(
        self, session: Session, annotation: Annotation, story_id: str | None,
        overrides: AnnotationOverrides | None = None, article_id: str | None = None,
    ) -> Annotation:
        """The annotation with each actor's id replaced by its store-wide entity's (`entities.py`;
        an analyst's splits and merges of entities, `overrides`, first), new entities recorded;
        speakers and event parties follow their actors."""
        keys = {actor.id: name_key(actor.name) for actor in annotation.actors}
        profiles = self._entity_profiles(session, set(keys.values()))
        ids: dict[str, str] = {}
        for actor in annotation.actors:
            key = keys[actor.id]
            companions = frozenset(keys.values()) - {key}
            candidates = [p for p in profiles.get(key, ()) if p.id not in ids.values()]
            split_off = overrides.split_entity(article_id or annotation.article_id, key) if overrides else None
            entity = split_off or link(actor, candidates, story_id, companions)
            if entity is None:
                entity = self._new_entity(session, actor, key)
            elif actor.gender:
                session.execute(update(EntityRow).where(EntityRow.id == entity, EntityRow.gender.is_(None)).values(gender=actor.gender))
            ids[actor.id] = overrides.merged_entity(entity) if overrides else entity

        def speaker(value: Speaker) -> Speaker:
            return replace(value, entity=ids.get(value.entity, value.entity)) if value.entity else value

        def party(value: EventActor | None) -> EventActor | None:
            return replace(value, entity=ids.get(value.entity, value.entity)) if value and value.entity else value

        return replace(
            annotation,
            actors=tuple(replace(actor, id=ids[actor.id]) for actor in annotation.actors),
            quotes=tuple(replace(quote, speaker=speaker(quote.speaker)) for quote in annotation.quotes),
            events=tuple(replace(item, source=party(item.source), target=party(item.target)) for item in annotation.events),
        )

    def _entity_profiles(self, session: Session, keys: set[str]) -> dict[str, list[EntityProfile]]:
        """The entities stored under these name keys, oldest first, with the evidence linking needs:
        countries and roles, and for people their stories and the actors seen with them."""
        entities = session.execute(
            select(EntityRow.id, EntityRow.key, EntityRow.type).where(EntityRow.key.in_(keys)).order_by(self._insertion_order("entities"))
        ).all()
        if not entities:
            return {}
        ids = [row.id for row in entities]
        people = [row.id for row in entities if row.type == "PERSON"]
        facts: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for row in session.execute(
            select(ActorRow.actor_id, ActorRow.role, ActorRow.country, ArticleRow.story_id)
            .join(ArticleRow, ArticleRow.id == ActorRow.article_id)
            .where(ActorRow.actor_id.in_(ids))
        ):
            for field_name, value in (("roles", row.role), ("countries", row.country), ("stories", row.story_id)):
                if value:
                    facts[row.actor_id][field_name].add(value)
        if people:
            companion = aliased(ActorRow)
            for actor_id, name in session.execute(
                select(ActorRow.actor_id, companion.name)
                .join(companion, companion.article_id == ActorRow.article_id)
                .where(ActorRow.actor_id.in_(people), companion.actor_id != ActorRow.actor_id)
                .distinct()
            ):
                facts[actor_id]["companions"].add(name_key(name))
        profiles: dict[str, list[EntityProfile]] = defaultdict(list)
        for row in entities:  # insertion order: the oldest entity first
            known = facts[row.id]
            profiles[row.key].append(
                EntityProfile(
                    row.id,
                    row.type,
                    frozenset(known["countries"]),
                    frozenset(known["roles"]),
                    frozenset(known["stories"]),
                    frozenset(known["companions"]),
                )
            )
        return profiles

    def _new_entity(self, session: Session, actor: Actor, key: str) -> str:
        """A new entity for the actor, its id the actor's slug (numbered when a namesake has it)."""
        # SQLite's LIKE ignores case, so it cannot use the primary key's index and scanned every
        # entity for each new one (quadratic in the store's size); its GLOB can (ids are slugs)
        numbered = EntityRow.id.op("GLOB")(f"{actor.id}-*") if self.is_sqlite else EntityRow.id.like(f"{actor.id}-%")
        taken = set(session.scalars(select(EntityRow.id).where(or_(EntityRow.id == actor.id, numbered))))
        entity, counter = actor.id, 2
        while entity in taken:
            entity, counter = f"{actor.id}-{counter}", counter + 1
        session.execute(insert(EntityRow.__table__), [{"id": entity, "key": key, "name": actor.name, "type": actor.type, "gender": actor.gender}])
        return entity

    def stored_story_of(self, session: Session, article_id: str) -> str | None:
        return session.scalar(select(ArticleRow.story_id).where(ArticleRow.id == article_id))

    def move_to_stories(self, session: Session, moves: Mapping[str, str]) -> None:
        """Put articles (and their syndicated copies) in other stories: a story split in two."""
        by_story: dict[str, list[str]] = {}
        for article_id, story_id in moves.items():
            by_story.setdefault(story_id, []).append(article_id)
        for story_id, article_ids in by_story.items():
            session.execute(
                update(ArticleRow)
                .where(or_(ArticleRow.id.in_(article_ids), ArticleRow.duplicate_of.in_(article_ids)))
                .values(story_id=story_id)
            )

    def stored_article(self, article_id: str) -> StoredArticle:
        with self.read() as session:
            row = session.get(ArticleRow, article_id)
            if row is None:
                raise NotFound(f"no article with id {article_id!r}")
            return self._stored(session, [row])[0]

    def story_articles(self, story_id: str) -> list[StoredArticle]:
        """A story's articles with their annotations, in publication order."""
        with self.read() as session:
            rows = session.scalars(
                select(ArticleRow).where(ArticleRow.story_id == story_id).order_by(ArticleRow.published, ArticleRow.id)
            ).all()
            if not rows:
                raise NotFound(f"no story with id {story_id!r}")
            return self._stored(session, rows)

    def _stored(self, session: Session, rows: Sequence[ArticleRow]) -> list[StoredArticle]:
        ids = [row.id for row in rows]
        actors: dict[str, list[Actor]] = defaultdict(list)
        rows_of_actors = list(session.scalars(select(ActorRow).where(ActorRow.article_id.in_(ids)).order_by(ActorRow.id)))
        entity_ids = sorted({row.actor_id for row in rows_of_actors})
        genders = {
            entity_id: gender
            for entity_id, gender in session.execute(
                select(EntityRow.id, EntityRow.gender).where(EntityRow.id.in_(entity_ids), EntityRow.gender.is_not(None))
            )
        }
        for actor in rows_of_actors:
            actors[actor.article_id].append(
                Actor(
                    id=actor.actor_id,
                    name=actor.name,
                    type=actor.type,
                    role=actor.role,
                    country=actor.country,
                    sector=actor.sector,
                    mentions=tuple(Span(*m) for m in actor.mentions),
                    gender=genders.get(actor.actor_id),
                )
            )
        quotes: dict[str, list[Quote]] = defaultdict(list)
        for quote in session.scalars(select(QuoteRow).where(QuoteRow.article_id.in_(ids)).order_by(QuoteRow.start)):
            quotes[quote.article_id].append(quote_from_json(quote.data))
        events: dict[str, list[Event]] = defaultdict(list)
        for item in session.scalars(select(EventRow).where(EventRow.article_id.in_(ids)).order_by(EventRow.id)):
            events[item.article_id].append(event_from_json(item.data))
        features = {row.article_id: row for row in session.scalars(select(ArticleFeaturesRow).where(ArticleFeaturesRow.article_id.in_(ids)))}
        empty = ArticleFeaturesRow(terms=[], title_terms=[])
        return [
            StoredArticle(
                article=Article(
                    id=row.id,
                    text=row.text,
                    title=row.title,
                    source=row.source,
                    url=row.url,
                    published=row.published,
                    author=row.author,
                    origin=row.origin,
                    extra=row.extra or {},
                ),
                annotation=Annotation(
                    article_id=row.id,
                    actors=tuple(actors[row.id]),
                    quotes=tuple(quotes[row.id]),
                    events=tuple(events[row.id]),
                    terms=tuple(features.get(row.id, empty).terms),
                    title_terms=tuple(features.get(row.id, empty).title_terms),
                ),
                story_id=row.story_id,
                has_features=row.id in features,
                duplicate_of=row.duplicate_of,
                version=row.version,
            )
            for row in rows
        ]

    # ---- stories -----------------------------------------------------------------

    def stories(self, limit: int | None = None, offset: int = 0, story_ids: Iterable[str] | None = None) -> list[Story]:
        """Stories, biggest and newest first."""
        with self.read() as session:
            query = (
                select(
                    ArticleRow.story_id,
                    func.count(ArticleRow.id).label("size"),
                    func.max(ArticleRow.published).label("last"),
                    func.max(ArticleRow.ingested_at).label("latest_ingest"),
                )
                .where(ArticleRow.story_id.is_not(None))
                .group_by(ArticleRow.story_id)
                .order_by(func.count(ArticleRow.id).desc(), func.max(ArticleRow.published).desc(), ArticleRow.story_id)
                .offset(offset)
            )
            if story_ids is not None:
                query = query.where(ArticleRow.story_id.in_(list(story_ids)))
            if limit is not None:
                query = query.limit(limit)
            ordered = [row.story_id for row in session.execute(query)]
            return self._stories(session, ordered)

    def story(self, story_id: str) -> Story:
        stories = self.stories(story_ids=[story_id])
        if not stories:
            raise NotFound(f"no story with id {story_id!r}")
        return stories[0]

    def count_stories(self) -> int:
        with self.read() as session:
            return session.scalar(select(func.count(func.distinct(ArticleRow.story_id)))) or 0

    def _stories(self, session: Session, story_ids: list[str]) -> list[Story]:
        if not story_ids:
            return []
        articles: dict[str, list[StoryArticle]] = defaultdict(list)
        for row in session.execute(
            select(
                ArticleRow.id, ArticleRow.title, ArticleRow.source, ArticleRow.published, ArticleRow.url,
                ArticleRow.story_id, ArticleRow.duplicate_of,
            )
            .where(ArticleRow.story_id.in_(story_ids))
            .order_by(ArticleRow.published, ArticleRow.id)
        ):
            articles[row.story_id].append(
                StoryArticle(row.id, row.title, row.source, row.published, row.url, row.duplicate_of)
            )
        actor_rows: dict[str, list] = defaultdict(list)
        for row in session.execute(
            # one row per actor of a story, aggregated by the database: merging every
            # per-article row in Python (and decoding its mentions) dominated big stories
            select(
                ArticleRow.story_id,
                ActorRow.actor_id,
                func.aggregate_strings(ActorRow.article_id, SEPARATOR).label("articles"),
                func.aggregate_strings(ActorRow.name, SEPARATOR).label("names"),
                func.min(ActorRow.type).label("type"),
                func.aggregate_strings(func.coalesce(ActorRow.role, ""), SEPARATOR).label("roles"),
                func.sum(func.json_array_length(ActorRow.mentions)).label("mention_count"),
            )
            .join(ArticleRow, ArticleRow.id == ActorRow.article_id)
            .where(ArticleRow.story_id.in_(story_ids))
            .group_by(ArticleRow.story_id, ActorRow.actor_id)
        ):
            actor_rows[row.story_id].append(row)
        renamed = story_headlines(self, session, story_ids)
        stories = []
        for story_id in story_ids:
            members = articles[story_id]
            dates = [a.published for a in members if a.published]
            headline = renamed.get(story_id) or next((a.title for a in members if a.title), None)
            stories.append(
                Story(
                    id=story_id,
                    headline=headline,
                    articles=tuple(members),
                    outlets=tuple(sorted({a.source for a in members if a.source})),
                    first=min(dates) if dates else None,
                    last=max(dates) if dates else None,
                    actors=merge_story_actors(actor_rows[story_id]),
                    independent_sources=independent_sources((a.source, a.duplicate_of) for a in members),
                )
            )
        return stories

    def search(self, query: str, limit: int = 50) -> list[str]:
        """Story ids whose articles match a full-text query (words, "phrases", OR, -word, prefix*:
        store/search.py), best first."""
        matches = self._matches(query, syntax=True)
        if matches is None:
            return []
        with self.read() as session:
            rows = session.execute(
                select(ArticleRow.story_id)
                .join(matches, matches.c.article_id == ArticleRow.id)
                .order_by(matches.c.rank)
                .limit(limit * 5)
            )
            return list(dict.fromkeys(row.story_id for row in rows if row.story_id))[:limit]

    def _matches(self, text_query: str, syntax: bool):
        """(article_id, rank) of the articles matching `text_query` (store/search.py), lower rank
        better; None when it names no word to look for. `syntax`: operators and phrases are read
        as such; else every word is simply required."""
        query = search.parse(text_query, syntax)
        if not query:
            return None
        if self.is_postgres:
            # the same expression as the GIN index, so the index serves the query
            found = text(
                f"SELECT a.id AS article_id, -ts_rank({SEARCH_DOCUMENT}, q) AS rank "
                f"FROM articles a, to_tsquery('{SEARCH_CONFIG}', :query) q WHERE {SEARCH_DOCUMENT} @@ q"
            ).bindparams(query=search.tsquery(query))
        elif self.is_sqlite:
            found = text(
                "SELECT a.id AS article_id, articles_fts.rank AS rank FROM articles_fts "
                "JOIN articles a ON a.rowid = articles_fts.rowid WHERE articles_fts MATCH :query"
            ).bindparams(query=search.fts5(query))
        else:
            raise StoreError(f"full-text search needs SQLite or PostgreSQL, not {self.engine.dialect.name}")
        return found.columns(article_id=String, rank=Float).subquery("matches")

    def find_stories(self, filters: StoryFilter, limit: int, offset: int = 0) -> tuple[list[Story], int]:
        """One page of the stories matching `filters`, in the order asked for, and how many match."""
        if filters.order not in STORY_ORDERS:
            raise ValueError(f"order must be one of {', '.join(STORY_ORDERS)}")
        member = aliased(ArticleRow)
        conditions = [member.story_id.is_not(None)]
        if filters.since:
            conditions.append(member.published >= datetime.combine(filters.since, time.min))
        if filters.until:
            conditions.append(member.published < datetime.combine(filters.until + timedelta(days=1), time.min))
        if filters.outlet:
            conditions.append(member.source == filters.outlet)
        if filters.actor:
            actor_ids = self._actor_ids(filters.actor)
            if not actor_ids:
                return [], 0
            conditions.append(member.id.in_(select(ActorRow.article_id).where(ActorRow.actor_id.in_(actor_ids))))
        matches = self._matches(filters.text, syntax=True) if filters.text else None
        if filters.text and matches is None:
            return [], 0
        with self.read() as session:
            matching = select(member.story_id.label("story_id")).where(*conditions)
            if matches is not None:
                matching = matching.add_columns(func.min(matches.c.rank).label("best")).join(
                    matches, matches.c.article_id == member.id
                )
            matching = matching.group_by(member.story_id).subquery("matching")
            total = session.scalar(select(func.count()).select_from(matching)) or 0
            size = func.count(ArticleRow.id)
            last = func.max(ArticleRow.published)
            order = {
                "biggest": [size.desc(), last.desc()],
                "newest": [last.is_(None), last.desc(), size.desc()],
                "relevance": [func.min(matching.c.best), size.desc()] if matches is not None else [size.desc(), last.desc()],
            }[filters.order]
            page = (
                select(ArticleRow.story_id)
                .join(matching, matching.c.story_id == ArticleRow.story_id)
                .group_by(ArticleRow.story_id)
                .order_by(*order, ArticleRow.story_id)
                .limit(limit)
                .offset(offset)
            )
            return self._stories(session, list(session.scalars(page))), total

    def _actor_ids(self, actor: str) -> list[str]:
        """The actor ids `actor` names: itself when it is one, else those written so (any case)."""
        with self.read() as session:
            if session.scalar(select(ActorRow.id).where(ActorRow.actor_id == actor).limit(1)):
                return [actor]
            # a name is looked up only when it is not an id: this one scans the actors table
            found = select(ActorRow.actor_id).where(func.lower(ActorRow.name) == actor.lower()).distinct()
            return list(session.scalars(found))

    def outlets(self) -> list[tuple[str, int]]:
        """Every outlet with its number of articles, most first (counted on the `source` index)."""
        with self.read() as session:
            articles = func.count()
            rows = session.execute(
                select(ArticleRow.source, articles)
                .where(ArticleRow.source.is_not(None))
                .group_by(ArticleRow.source)
                .order_by(articles.desc(), ArticleRow.source)
            )
            return [(source, count) for source, count in rows]

    def actor_summary(self, actor_id: str) -> ActorSummary:
        with self.read() as session:
            # one row per distinct way the actor was written up, counted by the database
            # (an actor id is unique within an article, so a row count is an article count)
            rows = session.execute(
                select(
                    ActorRow.name,
                    ActorRow.type,
                    ActorRow.role,
                    ActorRow.country,
                    ActorRow.sector,
                    func.count().label("articles"),
                    func.sum(func.json_array_length(ActorRow.mentions)).label("mentions"),
                )
                .where(ActorRow.actor_id == actor_id)
                .group_by(ActorRow.name, ActorRow.type, ActorRow.role, ActorRow.country, ActorRow.sector)
            ).all()
            if not rows:
                raise NotFound(f"no actor with id {actor_id!r}")
            stories = session.scalar(
                select(func.count(func.distinct(ArticleRow.story_id)))
                .join(ActorRow, ActorRow.article_id == ArticleRow.id)
                .where(ActorRow.actor_id == actor_id)
            )
            history = session.execute(
                select(ActorRow.role, func.min(ArticleRow.published), func.max(ArticleRow.published), func.count())
                .join(ArticleRow, ArticleRow.id == ActorRow.article_id)
                .where(ActorRow.actor_id == actor_id, ActorRow.role.is_not(None))
                .group_by(ActorRow.role)
                .order_by(func.min(ArticleRow.published), ActorRow.role)
            ).all()
            story_ids = session.scalars(
                select(ArticleRow.story_id)
                .join(ActorRow, ActorRow.article_id == ArticleRow.id)
                .where(ActorRow.actor_id == actor_id, ArticleRow.story_id.is_not(None))
                .group_by(ArticleRow.story_id)
                .order_by(func.max(ArticleRow.published).desc())
            ).all()
            mentions = session.scalars(
                select(ActorRow.mentions).where(ActorRow.actor_id == actor_id).order_by(ActorRow.id.desc()).limit(ALIAS_ROWS)
            ).all()

        def ranked(field: str) -> tuple:
            counts: Counter = Counter()
            for row in rows:
                if getattr(row, field):
                    counts[getattr(row, field)] += row.articles
            return tuple(value for value, _ in counts.most_common())

        names = ranked("name")
        written: Counter = Counter(
            " ".join(text.split()) for rows_mentions in mentions for _, _, text in rows_mentions
            if text.strip().lower() not in PRONOUNS
        )
        return ActorSummary(
            id=actor_id,
            name=names[0],
            type=ranked("type")[0],
            names=names,
            roles=ranked("role"),
            country=next(iter(ranked("country")), None),
            sector=next(iter(ranked("sector")), None),
            articles=sum(row.articles for row in rows),
            stories=stories or 0,
            mentions=sum(row.mentions or 0 for row in rows),
            aliases=tuple(text for text, _ in written.most_common(MAX_ALIASES)),
            role_history=tuple(RoleSpell(role, first, last, count) for role, first, last, count in history),
            story_ids=tuple(story_ids),
        )

    def entities(self, query: str | None = None, limit: int = 20) -> list[ActorSummary]:
        """Entities whose name holds `query` (any case; all when None), most articles first."""
        return self.find_actors(query, limit)[0]

    def find_actors(self, query: str | None = None, limit: int = 20, offset: int = 0) -> tuple[list[ActorSummary], int]:
        """One page of the entities whose name holds `query` (any case; all when None), most
        articles first, and how many there are."""
        with self.read() as session:
            found = select(ActorRow.actor_id)
            if query:
                found = found.where(func.lower(ActorRow.name).contains(query.lower()))
            total = session.scalar(select(func.count()).select_from(found.distinct().subquery())) or 0
            ordered = found.group_by(ActorRow.actor_id).order_by(func.count().desc(), ActorRow.actor_id)
            ids = list(session.scalars(ordered.limit(limit).offset(offset)))
        return [self.actor_summary(entity_id) for entity_id in ids], total

    def actor_quotes(self, actor_id: str, limit: int, offset: int = 0) -> tuple[list[ArticleQuote], int]:
        """Quotes an actor is the speaker of, newest article first, and how many there are."""
        with self.read() as session:
            where = QuoteRow.speaker_id == actor_id
            total = session.scalar(select(func.count(QuoteRow.id)).where(where)) or 0
            rows = session.execute(
                select(QuoteRow.data, *self._story_article_columns())
                .join(ArticleRow, ArticleRow.id == QuoteRow.article_id)
                .where(where)
                .order_by(ArticleRow.published.desc(), ArticleRow.id, QuoteRow.start)
                .limit(limit)
                .offset(offset)
            )
            return [ArticleQuote(story_article(row), row.story_id, quote_from_json(row.data)) for row in rows], total

    def actor_events(self, actor_id: str, limit: int, offset: int = 0) -> tuple[list[ArticleEvent], int]:
        """Events an actor is the source or target of, in date order (undated ones at their
        article's publication), and how many there are."""
        with self.read() as session:
            where = (EventRow.source_id == actor_id) | (EventRow.target_id == actor_id)
            total = session.scalar(select(func.count(EventRow.id)).where(where)) or 0
            rows = session.execute(
                select(EventRow.data, *self._story_article_columns())
                .join(ArticleRow, ArticleRow.id == EventRow.article_id)
                .where(where)
                .order_by(func.coalesce(EventRow.date, cast(ArticleRow.published, String)), EventRow.id)  # text on both back-ends
                .limit(limit)
                .offset(offset)
            )
            return [ArticleEvent(story_article(row), row.story_id, event_from_json(row.data)) for row in rows], total

    def actor_articles_per_day(self, actor_id: str) -> list[tuple[date, int]]:
        """How many articles mention the actor on each day they were published (undated ones left out)."""
        with self.read() as session:
            day = func.date(ArticleRow.published)
            rows = session.execute(
                select(day.label("day"), func.count(func.distinct(ArticleRow.id)))
                .join(ActorRow, ActorRow.article_id == ArticleRow.id)
                .where(ActorRow.actor_id == actor_id, ArticleRow.published.is_not(None))
                .group_by(day)
                .order_by(day)
            )
            return [(date.fromisoformat(str(when)[:10]), number) for when, number in rows]

    def search_articles_per_day(self, words: str) -> list[tuple[date, int]]:
        """How many articles matching search words were published each day (undated ones left out)."""
        matches = self._matches(words, syntax=True)
        if matches is None:
            return []
        day = func.date(ArticleRow.published)
        with self.read() as session:
            rows = session.execute(
                select(day.label("day"), func.count().label("articles"))
                .join(matches, matches.c.article_id == ArticleRow.id)
                .where(ArticleRow.published.is_not(None))
                .group_by(day)
                .order_by(day)
            )
            return [(date.fromisoformat(str(row.day)[:10]), row.articles) for row in rows]

    def search_articles(
        self, words: str, limit: int, offset: int = 0, story_ids: Sequence[str] | None = None
    ) -> tuple[list[ArticleMatch], int]:
        """Articles matching search words (store/search.py), best first, each with its best passage;
        and how many match. `story_ids` keeps those of these stories."""
        matches = self._matches(words, syntax=True)
        if matches is None:
            return [], 0
        found = select(ArticleRow.id).join(matches, matches.c.article_id == ArticleRow.id)
        if story_ids is not None:
            found = found.where(ArticleRow.story_id.in_(list(story_ids)))
        with self.read() as session:
            total = session.scalar(select(func.count()).select_from(found.subquery())) or 0
            page = [
                row.id
                for row in session.execute(found.order_by(matches.c.rank, ArticleRow.id).limit(limit).offset(offset))
            ]
            snippets = self._snippets(session, words, page)
            rows = {row.id: row for row in session.execute(
                select(ArticleRow.id, ArticleRow.title, ArticleRow.source, ArticleRow.published, ArticleRow.url, ArticleRow.story_id)
                .where(ArticleRow.id.in_(page))
            )}
            return [ArticleMatch(story_article(rows[i]), rows[i].story_id, *self._marked(words, snippets.get(i, ""))) for i in page], total

    def _marked(self, words: str, snippet: str) -> tuple[str, tuple[tuple[int, int], ...]]:
        """A passage and its marks, only where the query matches (PostgreSQL marks more)."""
        plain, marks = snippet_marks(snippet)
        return plain, search.term_marks(search.parse(words, True), plain, marks) if self.is_postgres else marks

    def _snippets(self, session, words: str, article_ids: Sequence[str]) -> dict[str, str]:
        """Each article's best passage for the search words, matches between MATCH_START and MATCH_END."""
        query = search.parse(words, True)
        if not article_ids or not query:
            return {}
        names = {f"article_{index}": article_id for index, article_id in enumerate(article_ids)}
        within = ", ".join(":" + name for name in names)
        if self.is_postgres:
            statement = text(
                f"SELECT a.id, ts_headline('{SEARCH_CONFIG}', a.text, to_tsquery('{SEARCH_CONFIG}', :query), "
                f"'StartSel={MATCH_START}, StopSel={MATCH_END}, MaxWords={SNIPPET_TOKENS}, MinWords=8') AS snippet "
                f"FROM articles a WHERE a.id IN ({within})"
            ).bindparams(query=search.tsquery(query), **names)
        else:
            statement = text(
                f"SELECT a.id, snippet(articles_fts, -1, '{MATCH_START}', '{MATCH_END}', '…', {SNIPPET_TOKENS}) AS snippet "
                f"FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
                f"WHERE articles_fts MATCH :query AND a.id IN ({within})"
            ).bindparams(query=search.fts5(query), **names)
        return {row.id: row.snippet for row in session.execute(statement)}

    @staticmethod
    def _story_article_columns() -> tuple:
        return (ArticleRow.id, ArticleRow.title, ArticleRow.source, ArticleRow.published, ArticleRow.url, ArticleRow.story_id)

    def count_articles(self) -> int:
        with self.read() as session:
            return session.scalar(select(func.count(ArticleRow.id))) or 0

    def story_version(self, story_id: str) -> str:
        """Changes whenever an article joins, leaves or changes in the story, or a correction is
        made or undone (cheap: indexed)."""
        with self.read() as session:
            count, latest = session.execute(
                select(func.count(ArticleRow.id), func.max(ArticleRow.ingested_at)).where(ArticleRow.story_id == story_id)
            ).one()
            return f"{count}:{latest}:{self.latest_correction(session)}"


    # ---- storylines ----------------------------------------------------------------

    def save_story_links(self, session: Session, links: Iterable[StoryLink]) -> None:
        for link in links:
            session.merge(
                StoryLinkRow(
                    story_id=link.story_id,
                    storyline_id=link.storyline_id,
                    continues=link.continues,
                    similarity=link.similarity,
                    shared_actors=list(link.shared_actors),
                )
            )

    def story_link(self, story_id: str) -> StoryLink | None:
        """The storyline a story is in, and the story it continues; None when it is in none."""
        with self.read() as session:
            row = session.get(StoryLinkRow, story_id)
            return story_link(row) if row else None

    def storylines(self, limit: int | None = None, offset: int = 0) -> list[Arc]:
        """Storylines, the most recently active first (then the longest)."""
        with self.read() as session:
            last = func.max(ArticleRow.published)
            query = (
                select(StoryLinkRow.storyline_id)
                .join(ArticleRow, ArticleRow.story_id == StoryLinkRow.story_id)
                .group_by(StoryLinkRow.storyline_id)
                .order_by(last.is_(None), last.desc(), func.count(func.distinct(StoryLinkRow.story_id)).desc(), StoryLinkRow.storyline_id)
                .offset(offset)
            )
            if limit is not None:
                query = query.limit(limit)
            return self._arcs(session, list(session.scalars(query)))

    def storyline(self, storyline_id: str) -> Arc:
        with self.read() as session:
            arcs = self._arcs(session, [storyline_id])
            if not arcs:
                raise NotFound(f"no storyline with id {storyline_id!r}")
            return arcs[0]

    def count_storylines(self) -> int:
        with self.read() as session:
            return self.count_storylines_in(session)

    def _arcs(self, session: Session, storyline_ids: list[str]) -> list[Arc]:
        links: dict[str, list[StoryLink]] = defaultdict(list)
        for row in session.scalars(select(StoryLinkRow).where(StoryLinkRow.storyline_id.in_(storyline_ids))):
            links[row.storyline_id].append(story_link(row))
        story_ids = [link.story_id for found in links.values() for link in found]
        stories = {story.id: story for story in self._stories(session, story_ids)}
        arcs = []
        for storyline_id in storyline_ids:
            members = sorted(
                (stories[link.story_id] for link in links[storyline_id] if link.story_id in stories),
                key=lambda story: (story.first is None, story.first or datetime.min, story.id),
            )
            if not members:
                continue
            dates = [moment for story in members for moment in (story.first, story.last) if moment]
            order = {story.id: position for position, story in enumerate(members)}
            arcs.append(
                Arc(
                    id=storyline_id,
                    stories=tuple(members),
                    links=tuple(sorted((link for link in links[storyline_id] if link.story_id in order), key=lambda link: order[link.story_id])),
                    first=min(dates) if dates else None,
                    last=max(dates) if dates else None,
                )
            )
        return arcs

    # ---- re-grouping ---------------------------------------------------------------

    def publication_ids(self, session: Session) -> list[tuple[str, datetime | None]]:
        """Every current article's id and date, in the order they were stored."""
        return [(row.id, row.published) for row in session.execute(select(ArticleRow.id, ArticleRow.published).order_by(ArticleRow.ingested_at, ArticleRow.id))]

    def clear_placements(self, session: Session) -> None:
        """Take every article out of its story and every story out of its storyline (re-grouping)."""
        session.execute(update(ArticleRow).values(story_id=None, duplicate_of=None))
        session.execute(delete(StoryLinkRow))

    def place(self, session: Session, article_id: str, story_id: str, original: str | None) -> None:
        session.execute(update(ArticleRow).where(ArticleRow.id == article_id).values(story_id=story_id, duplicate_of=original))

    def count_storylines_in(self, session: Session) -> int:
        return session.scalar(select(func.count(func.distinct(StoryLinkRow.storyline_id)))) or 0

    def stored_articles(self, session: Session, article_ids: Sequence[str]) -> list[StoredArticle]:
        """Articles by id, in that order (within a write transaction)."""
        rows = {row.id: row for row in session.scalars(select(ArticleRow).where(ArticleRow.id.in_(list(article_ids))))}
        return self._stored(session, [rows[article_id] for article_id in article_ids if article_id in rows])

    def save_features(self, session: Session, article_id: str, annotation: Annotation) -> None:
        session.merge(ArticleFeaturesRow(article_id=article_id, terms=list(annotation.terms), title_terms=list(annotation.title_terms)))

    def grouping(self, session: Session) -> dict[str, str | None]:
        return {article_id: story_id for article_id, story_id in session.execute(select(ArticleRow.id, ArticleRow.story_id))}


def story_link(row: StoryLinkRow) -> StoryLink:
    return StoryLink(row.story_id, row.storyline_id, row.continues, row.similarity, tuple(row.shared_actors))


def snippet_marks(marked: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A snippet (FTS5's or `ts_headline`'s) with its match markers taken out, and where they were."""
    plain: list[str] = []
    marks: list[tuple[int, int]] = []
    length, start = 0, 0
    for piece in re.split(f"([{MATCH_START}{MATCH_END}])", marked or ""):
        if piece == MATCH_START:
            start = length
        elif piece == MATCH_END:
            marks.append((start, length))
        else:
            plain.append(piece)
            length += len(piece)
    return "".join(plain), tuple(marks)


def story_article(row) -> StoryArticle:
    return StoryArticle(row.id, row.title, row.source, row.published, row.url)


def merge_story_actors(rows: Iterable) -> tuple[StoryActor, ...]:
    """One story's actors from rows aggregated per actor id (articles, names and roles joined
    by SEPARATOR); in most articles, then most mentions, first."""
    actors = []
    for row in rows:
        names = Counter(row.names.split(SEPARATOR))
        roles = Counter(role for role in row.roles.split(SEPARATOR) if role)
        actors.append(
            StoryActor(
                id=row.actor_id,
                name=names.most_common(1)[0][0],
                type=row.type,
                roles=tuple(role for role, _ in roles.most_common()),
                articles=tuple(sorted(set(row.articles.split(SEPARATOR)))),
                mentions=row.mention_count or 0,
            )
        )
    return tuple(sorted(actors, key=lambda actor: (-len(actor.articles), -actor.mentions, actor.id)))


def quote_from_json(data: dict) -> Quote:
    cue = data.get("cue")
    return Quote(
        text=data["text"],
        start=data["start"],
        end=data["end"],
        kind=data["kind"],
        speaker=Speaker(**data["speaker"]),
        cue=Span(**cue) if cue else None,
        parts=tuple(Span(**part) for part in data.get("parts", ())),
    )


def event_from_json(data: dict) -> Event:
    def actor(value: dict | None) -> EventActor | None:
        return EventActor(**value) if value else None

    return Event(
        type=data["type"],
        mode=data.get("mode"),
        source=actor(data.get("source")),
        target=actor(data.get("target")),
        trigger=Span(**data["trigger"]),
        sentence=Offsets(**data["sentence"]),
        date=data.get("date"),
        date_text=data.get("date_text"),
        location=data.get("location"),
        negated=bool(data.get("negated")),
        lemma=data.get("lemma"),
        claimed_by=actor(data.get("claimed_by")),
    )
