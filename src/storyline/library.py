"""`Storyline`: the Python API. The CLI, the HTTP API and the web UI are thin skins over it."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import quote

from . import ingest
from .cluster import ClusterItem, StoryClusterer, cluster_corpus, numbers_in, publication_order
from .dedupe import Deduper
from .errors import IngestError
from .ingest import IngestOptions
from .outlets import normalise_outlet
from .records import Account, ActorSummary, Annotation, Article, ArticleEvent, ArticleQuote, StoredArticle, Story, StoryFilter
from .store import Repository

DEFAULT_DB = "storyline.db"
ORDER_WINDOW = 128  # fewest articles put in publication order before clustering and stored in one transaction
# Each stored window saves the clusterer's and deduper's states whole, which takes longer the more
# they remember (~0.16 s per MB; ~25 MB after 20,000 articles): a window holds at least one article
# per this many bytes of saved state, so saving stays near 5 ms an article however big the store.
STATE_BYTES_PER_ARTICLE = 32_000
CLUSTER_STATE = "clusterer"
DEDUPE_STATE = "deduper"


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
    duplicates: int = 0  # syndicated copies among the added
    errors: list[IngestError] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)  # files in folders that no reader takes (.pdf, .md, ...)

    @property
    def ok(self) -> bool:
        return not self.errors

    def fail(self, error: IngestError, on_error: Callable[[IngestError], None] | None) -> None:
        self.errors.append(error)
        if on_error:
            on_error(error)


def window_size(state_bytes: int) -> int:
    """Articles to store in one window when the saved state has `state_bytes`."""
    return max(ORDER_WINDOW, state_bytes // STATE_BYTES_PER_ARTICLE)


def default_processes() -> int:
    return max(1, min(2, os.cpu_count() or 1))


def with_outlet(article: Article, overrides: Mapping[str, str] | None = None) -> Article:
    """The article with its outlet named consistently (www.bbc.co.uk, bbc.com -> BBC)."""
    outlet = normalise_outlet(article.source, article.url, overrides)
    return article if outlet == article.source else replace(article, source=outlet)


def cluster_item(article: Article, annotation: Annotation) -> ClusterItem:
    return ClusterItem(
        article_id=article.id,
        published=article.published,
        terms=annotation.terms,
        title_terms=annotation.title_terms,
        actors=tuple(actor.id for actor in annotation.actors),
        source=article.source,
        numbers=numbers_in(article.text),
    )


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

    # ---- writing -----------------------------------------------------------------

    def ingest(
        self,
        paths: Iterable[str | Path],
        options: IngestOptions | None = None,
        on_error: Callable[[IngestError], None] | None = None,
        on_article: Callable[[Article], None] | None = None,
    ) -> IngestReport:
        """Read, annotate, dedupe, cluster and store every article in `paths` (a path, or an
        iterable of paths)."""
        skipped: list[Path] = []
        report = self.add_articles(ingest.read(paths, options, skipped), on_error=on_error, on_article=on_article)
        report.skipped = skipped
        return report

    def add_articles(
        self,
        items: Iterable[Article | IngestError],
        on_error: Callable[[IngestError], None] | None = None,
        on_article: Callable[[Article], None] | None = None,
    ) -> IngestReport:
        """Store articles (errors in `items` are reported and skipped), one transaction per window of
        `window_size` articles."""
        from .annotate import annotate_stream

        report = IngestReport()
        fresh = self._fresh(items, report, on_error, on_article)
        return self._store_windows(annotate_stream(fresh, processes=self.processes), report, on_error, on_article)

    def add_annotated(
        self, pairs: Iterable[tuple[Article, Annotation]], on_article: Callable[[Article], None] | None = None
    ) -> IngestReport:
        """Store articles annotated elsewhere (`storyline spark-ingest`) exactly as `add_articles`
        stores those it annotates: the same checks, dedupe, clustering and windows."""
        report = IngestReport()
        return self._store_windows(self._fresh(pairs, report, None, on_article), report, None, on_article)

    def _fresh(self, items: Iterable, report: IngestReport, on_error, on_article) -> Iterator:
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
                if on_article:
                    on_article(article)
                continue
            seen.add(identity)
            yield (article, item[1]) if annotated else article

    def _store_windows(self, pairs: Iterable, report: IngestReport, on_error, on_article) -> IngestReport:
        """Dedupe, cluster and store annotated articles (or the errors that stopped their
        annotation), one transaction per window."""
        clusterer, cluster_bytes = self._load(CLUSTER_STATE, StoryClusterer)
        deduper, dedupe_bytes = self._load(DEDUPE_STATE, Deduper)
        window: list[tuple[Article, Annotation]] = []
        size = window_size(cluster_bytes + dedupe_bytes)
        for pair in pairs:
            if isinstance(pair, IngestError):
                report.fail(pair, on_error)
                continue
            window.append(pair)
            if len(window) >= size:
                size = window_size(self._store_window(window, clusterer, deduper, report, on_article))
                window = []
        self._store_window(window, clusterer, deduper, report, on_article)
        return report

    def _store_window(self, window, clusterer, deduper, report: IngestReport, on_article) -> int:
        """Store a window of (article, annotation) pairs in one transaction; the bytes of state saved."""
        # stories grow best in the order the news happened: a corpus or a backfill arrives in any
        # order, so each window is clustered in publication order. One transaction per window: the
        # clusterer's and deduper's states, saved with the articles, grow with the store, so
        # saving them costs more per article the more often it happens.
        if not window:
            return 0
        with self.repo.write() as session:
            for article, annotation in publication_order(window, published=lambda pair: pair[0].published):
                previous = self.repo.previous_version(session, article)
                if previous is not None:
                    # a new version keeps its article's place in its story
                    self.repo.save_article(session, article, annotation, previous.story_id, previous.duplicate_of, previous)
                    report.updated += 1
                else:
                    original = deduper.add(article.id, article.text)
                    story_id = self.repo.stored_story_of(session, original) if original else None
                    if original is not None:
                        report.duplicates += 1
                    if story_id is None:
                        story_id = clusterer.add(cluster_item(article, annotation))
                        if clusterer.last_moves:
                            self.repo.move_to_stories(session, clusterer.last_moves)
                    self.repo.save_article(session, article, annotation, story_id, original)
                    report.added += 1
                if on_article:
                    on_article(article)
            states = {CLUSTER_STATE: clusterer.dumps(), DEDUPE_STATE: deduper.dumps()}
            for key, state in states.items():
                self.repo.save_state(session, key, state)
        return sum(map(len, states.values()))

    def _load(self, key: str, kind):
        """The saved clusterer or deduper (a new one if none was saved), and its saved size in bytes."""
        state = self.repo.load_state(key)
        return (kind.loads(state), len(state)) if state else (kind(), 0)

    # ---- reading -----------------------------------------------------------------

    def stories(self, limit: int | None = None, offset: int = 0) -> list[Story]:
        return self.repo.stories(limit=limit, offset=offset)

    def story(self, story_id: str) -> Story:
        return self.repo.story(story_id)

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

    def actor_quotes(self, actor_id: str, limit: int = 50, offset: int = 0) -> tuple[list[ArticleQuote], int]:
        return self.repo.actor_quotes(actor_id, limit=limit, offset=offset)

    def actor_events(self, actor_id: str, limit: int = 50, offset: int = 0) -> tuple[list[ArticleEvent], int]:
        return self.repo.actor_events(actor_id, limit=limit, offset=offset)

    def search(self, query: str, limit: int = 50) -> list[Story]:
        ids = self.repo.search(query, limit=limit)
        by_id = {story.id: story for story in self.repo.stories(story_ids=ids)}
        return [by_id[i] for i in ids if i in by_id]
