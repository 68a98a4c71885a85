"""The clusterer's and deduper's saved state as rows that change with the articles they describe.

- `cluster_stories`: a row per story (`StoryState`: centroids, span, young members), rewritten
  when an article joins it or a split changes it; a forgotten (quiet) story keeps a row whose
  `state` is NULL, so that writers holding it drop it too;
- `cluster_postings`: the inverted index, a row per key (its stories, most recently updated last);
- `cluster_terms`: document frequencies, a row per (channel, term);
- `dedupe_signatures`: a MinHash signature per article and its original; the LSH bands are
  rebuilt from them when loading;
- `meta`: the scalars of each (settings, article count, newest day) as small JSON.

Every row carries `saved`, the state version of the window that wrote it. A window saves only
what it changed (`save`), in its own transaction, so saving costs what the window changed
rather than what the store holds; a writer whose copy is at version v reads only the rows saved
after v (`load(..., since=v)`). `recluster` rewrites everything (`save(..., whole=True)`) and
records its version under `RESET_KEY`: a writer with an older copy then loads afresh.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable
from dataclasses import asdict

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..cluster import ClusterSettings, StoryClusterer
from ..cluster.features import TermWeights
from ..cluster.state import STATE_VERSION as CLUSTER_STATE_VERSION
from ..cluster.state import StoryState
from ..dedupe import STATE_VERSION as DEDUPE_STATE_VERSION
from ..dedupe import DedupeSettings, Deduper, signature_bytes
from ..errors import StateVersionError
from .models import ClusterPostingRow, ClusterStoryRow, ClusterTermRow, DedupeSignatureRow, MetaRow

CLUSTERER_KEY = "clusterer_rows"  # meta: the clusterer's scalars
DEDUPER_KEY = "deduper_rows"
RESET_KEY = "grouping_reset"  # meta: the state version of the last whole rewrite
LEGACY_KEYS = {"clusterer": "clusterer", "deduper": "deduper"}  # each state saved whole, before rows
ROW_TABLES = (ClusterStoryRow, ClusterPostingRow, ClusterTermRow, DedupeSignatureRow)


def save(session: Session, clusterer: StoryClusterer, deduper: Deduper, version: int, whole: bool = False) -> int:
    """Save what changed since the last save (everything when `whole`) as of state `version`;
    the number of rows written."""
    if whole:
        for model in ROW_TABLES:
            session.execute(delete(model))
        session.merge(MetaRow(key=RESET_KEY, value=str(version).encode()))
        stories: Iterable[str] = clusterer.stories
        keys: Iterable[str] = clusterer.index.postings
        terms: Iterable[Iterable[str]] = clusterer.weights.frequency
        articles: Iterable[str] = deduper.entries
    else:
        stories, keys, terms, articles = clusterer.changed_stories, clusterer.index.changed, clusterer.changed_terms, deduper.unsaved
    story_rows = [
        {"story_id": story_id, "state": _story_bytes(clusterer.stories.get(story_id)), "saved": version} for story_id in stories
    ]
    posting_rows = [{"key": key, "stories": list(clusterer.index.postings.get(key, ())), "saved": version} for key in keys]
    term_rows = [
        {"channel": channel, "term": term, "frequency": clusterer.weights.frequency[channel][term], "saved": version}
        for channel, changed in enumerate(terms)
        for term in changed
    ]
    signature_rows = []
    for article_id in articles:
        entry = deduper.entries[article_id]
        signature_rows.append(
            {
                "article_id": article_id,
                "position": entry.position,
                "original": entry.original,
                "size": entry.size,
                "signature": signature_bytes(entry.signature),
                "saved": version,
            }
        )
    for model, rows in (
        (ClusterStoryRow, story_rows),
        (ClusterPostingRow, posting_rows),
        (ClusterTermRow, term_rows),
        (DedupeSignatureRow, signature_rows),
    ):
        _upsert(session, model, rows)
    _put_meta(session, CLUSTERER_KEY, _clusterer_scalars(clusterer))
    _put_meta(session, DEDUPER_KEY, {"version": DEDUPE_STATE_VERSION, "settings": asdict(deduper.settings)})
    session.flush()
    mark_saved(clusterer, deduper)
    return len(story_rows) + len(posting_rows) + len(term_rows) + len(signature_rows)


def load(
    session: Session, clusterer: StoryClusterer | None = None, deduper: Deduper | None = None, since: int = 0
) -> tuple[StoryClusterer, Deduper]:
    """The saved clusterer and deduper: `clusterer` and `deduper` (copies at state version
    `since`) brought up to date with the rows saved after it, or, when either is None, loaded
    afresh (empty ones for a new store). `StateVersionError` when another version saved them."""
    if clusterer is None or deduper is None:
        clusterer, deduper, since = _fresh_clusterer(session), _fresh_deduper(session), 0
    else:
        scalars = _get_meta(session, CLUSTERER_KEY)
        if scalars is not None:
            _check_version(scalars, "clusterer", CLUSTER_STATE_VERSION)
            _set_clusterer_scalars(clusterer, scalars)
    _load_story_rows(session, clusterer, since)
    _load_posting_rows(session, clusterer, since)
    for channel, term, frequency in session.execute(
        select(ClusterTermRow.channel, ClusterTermRow.term, ClusterTermRow.frequency).where(ClusterTermRow.saved > since)
    ):
        clusterer.weights.frequency[channel][term] = frequency
    signatures = select(DedupeSignatureRow.article_id, DedupeSignatureRow.original, DedupeSignatureRow.size, DedupeSignatureRow.signature)
    for article_id, original, size, signature in session.execute(
        signatures.where(DedupeSignatureRow.saved > since).order_by(DedupeSignatureRow.position)
    ):
        deduper.restore(article_id, original, size, signature)
    mark_saved(clusterer, deduper)
    return clusterer, deduper


def reset_version(session: Session) -> int:
    """The state version of the last whole rewrite (`recluster`): a copy older than it is loaded afresh."""
    row = session.get(MetaRow, RESET_KEY)
    return int(row.value) if row else 0


def convert_blobs(session: Session, version: int) -> list[str]:
    """Turn the states a store saved whole (before rows) into rows as of state `version`; the
    names of those converted. A state of another model version is left as it is: loading it
    raises `StateVersionError`, which asks for `recluster`."""
    converted: dict[str, StoryClusterer | Deduper] = {}
    for name, loads in (("clusterer", StoryClusterer.loads), ("deduper", Deduper.loads)):
        blob = session.get(MetaRow, LEGACY_KEYS[name])
        if blob is None:
            continue
        try:
            converted[name] = loads(blob.value)
        except StateVersionError:
            continue
    if converted:
        save(session, converted.get("clusterer") or StoryClusterer(), converted.get("deduper") or Deduper(), version, whole=True)
        if "clusterer" not in converted:  # the empty one saved above would hide the unconverted state
            session.execute(delete(MetaRow).where(MetaRow.key == CLUSTERER_KEY))
        drop_blobs(session, list(converted))
    return list(converted)


def drop_blobs(session: Session, names: Iterable[str] = tuple(LEGACY_KEYS)) -> None:
    """Forget states saved whole (their rows replace them)."""
    session.execute(delete(MetaRow).where(MetaRow.key.in_([LEGACY_KEYS[name] for name in names])))


def mark_saved(clusterer: StoryClusterer, deduper: Deduper) -> None:
    clusterer.changed_stories.clear()
    clusterer.index.changed.clear()
    for changed in clusterer.changed_terms:
        changed.clear()
    deduper.unsaved.clear()


# ---- internals -----------------------------------------------------------------


def _fresh(session: Session, name: str, key: str, version: int, loads, empty, build):
    """The saved clusterer or deduper `name` built from its scalars, to take its rows; or, saved
    whole by an older version and not converted by the upgrade, that state (which says what to
    do); or an empty one."""
    scalars = _get_meta(session, key)
    if scalars is None:
        legacy = session.get(MetaRow, LEGACY_KEYS[name])
        return loads(legacy.value) if legacy else empty()
    _check_version(scalars, name, version)
    return build(scalars)


def _fresh_clusterer(session: Session) -> StoryClusterer:
    def build(scalars: dict) -> StoryClusterer:
        clusterer = StoryClusterer(settings=ClusterSettings(**scalars["settings"]))
        _set_clusterer_scalars(clusterer, scalars)
        return clusterer

    return _fresh(session, "clusterer", CLUSTERER_KEY, CLUSTER_STATE_VERSION, StoryClusterer.loads, StoryClusterer, build)


def _fresh_deduper(session: Session) -> Deduper:
    def build(scalars: dict) -> Deduper:
        return Deduper(DedupeSettings(**scalars["settings"]))

    return _fresh(session, "deduper", DEDUPER_KEY, DEDUPE_STATE_VERSION, Deduper.loads, Deduper, build)


def _clusterer_scalars(clusterer: StoryClusterer) -> dict:
    return {
        "version": CLUSTER_STATE_VERSION,
        "settings": asdict(clusterer.settings),
        "documents": clusterer.weights.documents,
        "newest": clusterer.newest,
        "since_sweep": clusterer.since_sweep,
    }


def _set_clusterer_scalars(clusterer: StoryClusterer, scalars: dict) -> None:
    weights = clusterer.weights
    clusterer.weights = TermWeights(weights.prior_documents, scalars["documents"], weights.frequency)
    clusterer.newest = scalars["newest"]
    clusterer.since_sweep = scalars["since_sweep"]


def _check_version(scalars: dict, what: str, expected: int) -> None:
    if scalars.get("version") != expected:
        raise StateVersionError(what, scalars.get("version"), expected)


def _load_story_rows(session: Session, clusterer: StoryClusterer, since: int) -> None:
    rows = session.execute(select(ClusterStoryRow.story_id, ClusterStoryRow.state).where(ClusterStoryRow.saved > since))
    for story_id, state in rows:
        if state is None:  # forgotten
            clusterer.stories.pop(story_id, None)
            clusterer.semantic_index.remove(story_id)
            continue
        story = StoryState.from_json(json.loads(zlib.decompress(state)))
        clusterer.stories[story_id] = story
        if story.semantic is not None:
            clusterer.semantic_index.update(story_id, story.semantic)


def _load_posting_rows(session: Session, clusterer: StoryClusterer, since: int) -> None:
    index = clusterer.index
    for key, stories in session.execute(select(ClusterPostingRow.key, ClusterPostingRow.stories).where(ClusterPostingRow.saved > since)):
        for story_id in index.postings.pop(key, ()):
            index.keys.get(story_id, {}).pop(key, None)
        if stories:
            index.postings[key] = dict.fromkeys(stories)
            for story_id in stories:
                index.keys.setdefault(story_id, {})[key] = None


def _story_bytes(story: StoryState | None) -> bytes | None:
    return None if story is None else zlib.compress(json.dumps(story.to_json(), separators=(",", ":")).encode("utf-8"), 6)


def _upsert(session: Session, model, rows: list[dict]) -> None:
    """Insert rows, replacing those with the same primary key (one statement for all)."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    statement = (postgresql if dialect == "postgresql" else sqlite).insert(model)
    keys = [column.name for column in model.__table__.primary_key]
    values = {column.name: statement.excluded[column.name] for column in model.__table__.columns if column.name not in keys}
    session.execute(statement.on_conflict_do_update(index_elements=keys, set_=values), rows)


def _get_meta(session: Session, key: str) -> dict | None:
    row = session.get(MetaRow, key)
    return json.loads(row.value) if row else None


def _put_meta(session: Session, key: str, value: dict) -> None:
    session.merge(MetaRow(key=key, value=json.dumps(value, separators=(",", ":")).encode("utf-8")))
