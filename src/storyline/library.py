"""`Storyline`: the Python API. The CLI, the HTTP API and the web UI are thin skins over it."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from urllib.parse import quote

from . import ingest
from .cluster import StoryAssigner, cluster_corpus, cluster_item, publication_order
from .errors import IngestError
from .ingest import IngestOptions
from .outlets import normalise_outlet
from .records import (
    Account,
    ActorSummary,
    Annotation,
    Arc,
    Article,
    ArticleEvent,
    ArticleMatch,
    ArticleQuote,
    StoredArticle,
    Story,
    StoryFilter,
    StoryLink,
)
from .store import Repository
from .storylines import StorylineLinker

DEFAULT_DB = "storyline.db"
ORDER_WINDOW = 128  # fewest articles put in publication order before clustering and stored in one transaction
# The clusterer's and deduper's states are saved as rows, what each window changed
# (store/state_rows.py); the storyline linker's is still saved whole, which takes longer the more
# it remembers: a window holds at least one article per this many bytes of it, so saving stays
# near 5 ms an article however big the store.
STATE_BYTES_PER_ARTICLE = 32_000
STORYLINE_STATE = "storylines"
# a window's articles wait unplaced while other writers are at work (see `_store_window`), but
# not for longer than this: a writer that has been at work for long places them anyway
PLACEMENT_WAIT_SECONDS = 300.0
RECLUSTER_BATCH = 256  # stored articles read (and, without features, annotated) at a time


def default_db() -> str:
    return os.environ.get("STORYLINE_DB") or DEFAULT_DB


def store_url(db: str) -> str:
    """What to open for `db`: ":memory:" is an in-memory store that every thread of this process
    sees (SQLite's plain ":memory:" is one empty store per connection); an existing file this
    process may not write is opened read-only, so it can still be read."""
    if db == ":memory:":
        # SQLite's memdb: one store per name, shared by the connections of this process
        return f"sqlite:///file:/storyline-{uuid.uuid4().hex}?vfs=memdb&uri=true"
    path = Path(db)
    if "://" in db or not path.is_file() or os.access(path, os.W_OK):
        return db
    # without write access to the folder SQLite cannot make the WAL index it needs to read
    # safely beside writers; then nobody is writing there, and the file is read as it is
    shared_index = os.access(path.parent, os.W_OK) or Path(f"{path}-shm").exists()
    mode = "mode=ro" if shared_index else "immutable=1"
    return f"sqlite:///file:{quote(str(path.resolve()))}?{mode}&uri=true"


def demo_corpus() -> Path:
    """The built-in demo corpus: fictional articles from several outlets and stories."""
    return Path(__file__).parent / "data" / "demo" / "articles.jsonl"


@dataclass
class IngestReport:
    added: int = 0
    updated: int = 0  # new versions of stored articles
    unchanged: int = 0  # content already stored
    duplicates: int = 0  # syndicated copies among the added (that this writer placed)
    errors: list[IngestError] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)  # files in folders that no reader takes (.pdf, .md, ...)

    @property
    def ok(self) -> bool:
        return not self.errors

    def fail(self, error: IngestError, on_error: Callable[[IngestError], None] | None) -> None:
        self.errors.append(error)
        if on_error:
            on_error(error)


@dataclass(frozen=True)
class ReclusterReport:
    articles: int
    moved: int  # articles whose story changed
    stories_before: int
    stories_after: int
    storylines_before: int
    storylines_after: int


@dataclass
class SavedState:
    """A writer's copy of the saved clusterer, deduper and storyline linker, and the state version it was loaded at."""

    assigner: StoryAssigner  # the clusterer and the deduper
    linker: StorylineLinker
    version: int
    size: int  # bytes of the state saved whole (the linker's) when last saved


def window_size(state_bytes: int) -> int:
    """Articles to store in one window when the saved state has `state_bytes`."""
    return max(ORDER_WINDOW, state_bytes // STATE_BYTES_PER_ARTICLE)


def default_processes() -> int:
    return max(1, min(2, os.cpu_count() or 1))


def with_outlet(article: Article, overrides: Mapping[str, str] | None = None) -> Article:
    """The article with its outlet named consistently (www.bbc.co.uk, bbc.com -> BBC)."""
    outlet = normalise_outlet(article.source, article.url, overrides)
    return article if outlet == article.source else replace(article, source=outlet)


def extract(
    paths: Iterable[str | Path],
    options: IngestOptions | None = None,
    processes: int = 1,
    outlets: Mapping[str, str] | None = None,
) -> Iterator[tuple[Article, Annotation] | IngestError]:
    """Store-free: every article in `paths` with its annotation, or the error that stopped it."""
    errors: list[IngestError] = []

    def articles() -> Iterator[Article]:
        for item in ingest.read(paths, options):
            if isinstance(item, IngestError):
                errors.append(item)
            else:
                yield with_outlet(item, outlets)

    from .annotate import annotate_stream

    for pair in annotate_stream(articles(), processes=processes):
        while errors:
            yield errors.pop(0)
        yield pair  # an article that could not be annotated comes as its IngestError
    yield from errors


def cluster_file(paths: Iterable[str | Path], processes: int = 1) -> tuple[dict[str, str], list[IngestError]]:
    """Story id of every article in a corpus, processed in publication order, in memory."""
    items, texts, errors = [], {}, []
    for result in extract(paths, processes=processes):
        if isinstance(result, IngestError):
            errors.append(result)
        else:
            article, annotation = result
            items.append(cluster_item(article, annotation))
            texts[article.id] = article.text  # syndicated copies take their original's story
    return cluster_corpus(items, texts=texts), errors


class Storyline:
    """A store of articles grouped into stories.

    >>> sl = Storyline("news.db")
    >>> sl.ingest(["articles/"])
    >>> sl.stories()[0].headline
    """

    def __init__(
        self, db: str | Path | None = None, processes: int | None = None, outlets: Mapping[str, str] | None = None
    ):
        """`outlets` maps site names or domains to outlet names, over the shipped table (see docs/feeds.md)."""
        self.db = str(db or default_db())
        self.repo = Repository(store_url(self.db))
        self.processes = processes or default_processes()
        self.outlets = outlets
        self._state: SavedState | None = None  # loaded by the first write

    # ---- writing -----------------------------------------------------------------

    def ingest(
        self,
        paths: Iterable[str | Path],
        options: IngestOptions | None = None,
        on_error: Callable[[IngestError], None] | None = None,
        on_article: Callable[[Article], None] | None = None,
        on_progress: Callable[[Article], None] | None = None,
    ) -> IngestReport:
        """Read, annotate, dedupe, cluster and store every article in `paths` (a path, or an
        iterable of paths)."""
        skipped: list[Path] = []
        report = self.add_articles(
            ingest.read(paths, options, skipped), on_error=on_error, on_article=on_article, on_progress=on_progress
        )
        report.skipped = skipped
        return report

    def add_articles(
        self,
        items: Iterable[Article | IngestError],
        on_error: Callable[[IngestError], None] | None = None,
        on_article: Callable[[Article], None] | None = None,
        on_progress: Callable[[Article], None] | None = None,
    ) -> IngestReport:
        """Store articles (errors in `items` are reported and skipped), one transaction per window of
        `window_size` articles. `on_article` is called once an article is stored (or found
        unchanged); `on_progress` as soon as it is annotated (or found unchanged), which is
        steady where stored windows come in bursts."""
        from .annotate import annotate_stream

        report = IngestReport()
        fresh = self._fresh(items, report, on_error, on_article, on_progress)
        return self._store_windows(
            annotate_stream(fresh, processes=self.processes), report, on_error, on_article, on_progress
        )

    def add_annotated(
        self, pairs: Iterable[tuple[Article, Annotation]], on_article: Callable[[Article], None] | None = None
    ) -> IngestReport:
        """Store articles annotated elsewhere (`storyline spark-ingest`) exactly as `add_articles`
        stores those it annotates: the same checks, dedupe, clustering and windows."""
        report = IngestReport()
        return self._store_windows(self._fresh(pairs, report, None, on_article), report, None, on_article)

    def _fresh(self, items: Iterable, report: IngestReport, on_error, on_article, on_progress=None) -> Iterator:
        """The articles (or (article, annotation) pairs) of `items` whose content is not stored yet,
        checked and with outlets named consistently; errors and repeats are counted in `report`.
        It runs ahead of annotation, so only content not stored yet is parsed."""
        seen: set[tuple[str, str]] = set()
        for item in items:
            annotated = isinstance(item, tuple)
            article = item[0] if annotated else item
            try:
                article = with_outlet(ingest.checked(article), self.outlets) if isinstance(article, Article) else article
            except IngestError as error:
                article = error
            if isinstance(article, IngestError):
                report.fail(article, on_error)
                continue
            identity = (article.url or article.id, article.content_hash)
            if identity in seen or self.repo.is_stored(article):
                report.unchanged += 1
                for callback in (on_article, on_progress):
                    if callback:
                        callback(article)
                continue
            seen.add(identity)
            yield (article, item[1]) if annotated else article

    def _store_windows(self, pairs: Iterable, report: IngestReport, on_error, on_article, on_progress=None) -> IngestReport:
        """Dedupe, cluster and store annotated articles (or the errors that stopped their
        annotation), one transaction per window. The writer is recorded as at work meanwhile."""
        writer = self.repo.writer_started()
        try:
            window: list[tuple[Article, Annotation]] = []
            size = window_size(self._state.size if self._state else 0)
            for pair in pairs:
                if isinstance(pair, IngestError):
                    report.fail(pair, on_error)
                    continue
                if on_progress:
                    on_progress(pair[0])
                window.append(pair)
                if len(window) >= size:
                    size = window_size(self._store_window(window, report, on_article, writer))
                    window = []
            self._store_window(window, report, on_article, writer, last=True)
        except BaseException:
            with contextlib.suppress(Exception):  # the error that stopped it is the one to report
                self._store_window([], report, on_article, writer, last=True)  # what waits for it is placed
            raise
        return report

    def _store_window(self, window, report: IngestReport, on_article, writer: str, last: bool = False) -> int:
        """Store a window of (article, annotation) pairs in one transaction; the bytes of state saved.

        Stories grow best in the order the news happened: a corpus or a backfill arrives in any
        order, so each window is placed in publication order. Writers at work at once (several
        `ingest`, `watch`, API or library writers) each get part of the news of the same days: while
        others are at work a window's articles are stored unplaced, and the writer that finds
        itself alone places them all, its own window's with them, in publication order, as one
        writer given all of them would. Articles of the same time (dates are often whole days)
        go by id, so the order they came in, which concurrent writers change, changes nothing."""
        if not window and not last:
            return 0
        try:
            with self.repo.write() as session:
                # the write lock is held from here: no other writer can change the state until commit
                self.repo.writer_seen(session, writer, done=last)
                if self.repo.other_writers(session, writer) and self.repo.unplaced_for(session) < PLACEMENT_WAIT_SECONDS:
                    for article, annotation in window:
                        self._store_article(session, None, article, annotation, report)
                        if on_article:
                            on_article(article)
                    return self._state.size if self._state else 0
                waiting = self.repo.unplaced(session)
                if not window and not waiting:
                    return 0
                state = self._current_state(session)
                mine = [(article, annotation, True) for article, annotation in window]
                others = [(entry.article, entry.annotation, False) for entry in waiting]
                for article, annotation, own in publication_order(sorted(others + mine, key=lambda entry: entry[0].id), published=lambda entry: entry[0].published):
                    if own:
                        self._store_article(session, state, article, annotation, report)
                        if on_article:
                            on_article(article)
                    else:
                        story_id, original = self._place(session, state, article, annotation)
                        self.repo.place_unplaced(session, article.id, annotation, story_id, original)
                version, size = self._save_state(session, state)
        except BaseException:
            self._state = None  # it may hold part of a window that was rolled back
            raise
        state.version, state.size = version, size
        return size

    def _save_state(self, session, state: SavedState, whole: bool = False) -> tuple[int, int]:
        """Save the state in the transaction (what changed since the last save, or all of it when
        `whole`); the new state version and the bytes saved whole."""
        linker = state.linker.dumps()
        version = self.repo.save_states(session, {STORYLINE_STATE: linker})
        self.repo.save_grouping(session, state.assigner.clusterer, state.assigner.deduper, version, whole)
        return version, len(linker)

    def _store_article(self, session, state: SavedState | None, article: Article, annotation: Annotation, report: IngestReport) -> None:
        """Store one article of a window: placed in a story, or without `state` left unplaced."""
        previous = self.repo.previous_version(session, article)
        if previous is not None and previous.content_hash == article.content_hash:
            report.unchanged += 1  # stored by another writer since this one checked
        elif previous is not None:
            # a new version keeps its article's place in its story (or waits unplaced with it)
            self.repo.save_article(session, article, annotation, previous.story_id, previous.duplicate_of, previous, link=previous.story_id is not None)
            report.updated += 1
        else:
            story_id, original = self._place(session, state, article, annotation) if state else (None, None)
            if original is not None:
                report.duplicates += 1
            self.repo.save_article(session, article, annotation, story_id, original, link=state is not None)
            report.added += 1

    def _place(self, session, state: SavedState, article: Article, annotation: Annotation) -> tuple[str, str | None]:
        """A new article's story and original (None unless it is a syndicated copy): the one place
        that decides them, for ingest and `recluster` alike. Stored articles a split moves are
        moved, and the story's storyline is decided, in the same transaction."""
        item = cluster_item(article, annotation)
        placement = state.assigner.place(item, article.text, story_of=lambda earlier: self.repo.stored_story_of(session, earlier))
        if placement.moves:
            self.repo.move_to_stories(session, placement.moves)
        if placement.original is None:  # a copy adds nothing to its story's profile
            self.repo.save_story_links(session, state.linker.add(placement.story_id, item))
        return placement.story_id, placement.original

    def _current_state(self, session) -> SavedState:
        """The clusterer and deduper as last saved: this object's copy, unless another writer
        (a process, a thread, another `Storyline`) has saved a newer one since."""
        version = self.repo.state_version(session)
        if self._state is not None and self._state.version == version:
            return self._state
        copy = self._state
        if copy is not None and self.repo.grouping_reset(session) <= copy.version:
            # only the rows saved since this copy: what other writers' windows changed
            clusterer, deduper = self.repo.load_grouping(session, copy.assigner.clusterer, copy.assigner.deduper, since=copy.version)
        else:
            clusterer, deduper = self.repo.load_grouping(session)
        linker = self.repo.load_state(STORYLINE_STATE, session)
        self._state = SavedState(
            assigner=StoryAssigner(clusterer, deduper),
            # a store made before storylines: they start with the stories that start now
            linker=StorylineLinker.loads(linker) if linker else StorylineLinker(),
            version=version,
            size=len(linker or b""),
        )
        return self._state

    def recluster(self, on_progress: Callable[[int, int], None] | None = None) -> ReclusterReport:
        """Group every stored article again with the current model, as if ingested anew in
        publication order, in one transaction: stores made by an earlier version, or after a
        model change. Articles stored before their grouping features were kept are annotated
        again. `on_progress(done, total)` is called as articles are placed."""
        from .annotate import annotate_stream

        with self.repo.write() as session:
            before = self.repo.grouping(session)
            storylines_before = self.repo.count_storylines_in(session)
            order = publication_order(self.repo.publication_ids(session), published=lambda row: row[1])
            state = SavedState(StoryAssigner(), StorylineLinker(), version=-1, size=0)
            self._state = None
            try:
                self.repo.clear_placements(session)
                done = 0
                for start in range(0, len(order), RECLUSTER_BATCH):
                    stored = self.repo.stored_articles(session, [article_id for article_id, _ in order[start : start + RECLUSTER_BATCH]])
                    annotations = {entry.article.id: entry.annotation for entry in stored}
                    missing = [entry.article for entry in stored if not entry.has_features]
                    for article, annotation in annotate_stream(iter(missing), processes=self.processes):
                        self.repo.save_features(session, article.id, annotation)
                        annotations[article.id] = annotation
                    for entry in stored:
                        story_id, original = self._place(session, state, entry.article, annotations[entry.article.id])
                        self.repo.place(session, entry.article.id, story_id, original)
                        done += 1
                        if on_progress:
                            on_progress(done, len(order))
                self._save_state(session, state, whole=True)
                after = self.repo.grouping(session)
                storylines_after = self.repo.count_storylines_in(session)
            except BaseException:
                self._state = None
                raise
        return ReclusterReport(
            articles=len(after),
            moved=sum(before.get(article_id) != story_id for article_id, story_id in after.items()),
            stories_before=len(set(before.values()) - {None}),
            stories_after=len(set(after.values()) - {None}),
            storylines_before=storylines_before,
            storylines_after=storylines_after,
        )

    # ---- reading -----------------------------------------------------------------

    def stories(self, limit: int | None = None, offset: int = 0) -> list[Story]:
        return self.repo.stories(limit=limit, offset=offset)

    def story(self, story_id: str) -> Story:
        return self.repo.story(story_id)

    def storylines(self, limit: int | None = None, offset: int = 0) -> list[Arc]:
        """Storylines (stories that continue one another), the most recently active first."""
        return self.repo.storylines(limit=limit, offset=offset)

    def count_storylines(self) -> int:
        return self.repo.count_storylines()

    def storyline(self, storyline_id: str) -> Arc:
        return self.repo.storyline(storyline_id)

    def story_storyline(self, story_id: str) -> StoryLink | None:
        """The storyline a story is in (and the earlier story it continues), or None."""
        return self.repo.story_link(story_id)

    def story_articles(self, story_id: str) -> list[StoredArticle]:
        return self.repo.story_articles(story_id)

    def account(self, story_id: str, summary_sentences: int = 5) -> Account:
        """The story told from all its reports: merged actors, quotes with drift, events,
        timeline, coverage by outlet and a cited summary. Shown as a report in a notebook."""
        from .synthesise import account

        return account(self.story(story_id), self.story_articles(story_id), summary_sentences)

    def story_version(self, story_id: str) -> str:
        """A token that changes whenever the story's articles do: a key for caching its account."""
        return self.repo.story_version(story_id)

    def article(self, article_id: str) -> StoredArticle:
        return self.repo.stored_article(article_id)

    def find_stories(self, filters: StoryFilter | None = None, limit: int = 20, offset: int = 0) -> tuple[list[Story], int]:
        """One page of the stories matching `filters` (words, dates, outlet, actor) and how many match."""
        return self.repo.find_stories(filters or StoryFilter(), limit=limit, offset=offset)

    def outlet_counts(self) -> list[tuple[str, int]]:
        """Every outlet with its number of articles, most first."""
        return self.repo.outlets()

    def actor(self, actor_id: str) -> ActorSummary:
        """One actor across the store: names, roles, counts of articles, stories and mentions."""
        return self.repo.actor_summary(actor_id)

    def actors(self, query: str | None = None, limit: int = 20) -> list[ActorSummary]:
        """Store-wide entities whose name holds `query` (all when None), most articles first, each
        with its aliases, roles over time and stories."""
        return self.repo.entities(query, limit)

    def find_actors(self, query: str | None = None, limit: int = 20, offset: int = 0) -> tuple[list[ActorSummary], int]:
        """One page of the store-wide actors whose name holds `query` (all when None), most
        articles first, and how many there are."""
        return self.repo.find_actors(query, limit, offset)

    def actor_quotes(self, actor_id: str, limit: int = 50, offset: int = 0) -> tuple[list[ArticleQuote], int]:
        return self.repo.actor_quotes(actor_id, limit=limit, offset=offset)

    def actor_events(self, actor_id: str, limit: int = 50, offset: int = 0) -> tuple[list[ArticleEvent], int]:
        return self.repo.actor_events(actor_id, limit=limit, offset=offset)

    def actor_articles_per_day(self, actor_id: str) -> list[tuple[date, int]]:
        """How many articles mention the actor, per day of publication: its coverage over time."""
        return self.repo.actor_articles_per_day(actor_id)

    def search_articles_per_day(self, words: str) -> list[tuple[date, int]]:
        """How many articles matching search words were published each day: a search's coverage over time."""
        return self.repo.search_articles_per_day(words)

    def search_articles(
        self, words: str, limit: int = 20, offset: int = 0, story_ids: Sequence[str] | None = None
    ) -> tuple[list[ArticleMatch], int]:
        """Articles matching search words ("a phrase", OR, -word), best first, each with the
        passage that matched; and how many match. `story_ids` keeps those of these stories."""
        return self.repo.search_articles(words, limit, offset, story_ids)

    def search(self, query: str, limit: int = 50) -> list[Story]:
        ids = self.repo.search(query, limit=limit)
        by_id = {story.id: story for story in self.repo.stories(story_ids=ids)}
        return [by_id[i] for i in ids if i in by_id]
