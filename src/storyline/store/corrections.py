"""The store's side of corrections: their rows, and the row-level changes applying one makes.

What a correction means, and which changes it makes, is decided in `storyline.corrections`;
these methods only read and write rows, within the caller's write transaction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timezone

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from ..errors import NotFound
from ..records import Correction, CorrectionConflict
from .models import ActorRow, ArticleRow, CorrectionConflictRow, CorrectionRow, EntityRow, EventRow, QuoteRow, StoryLinkRow


def now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class CorrectionRows:
    """Mixed into `Repository`: corrections, conflicts, and the rows corrections change."""

    # ---- the corrections themselves -----------------------------------------------

    def add_correction(
        self, session: Session, kind: str, author: str, note: str | None, data: dict, created_at: datetime | None = None
    ) -> int:
        row = CorrectionRow(kind=kind, author=author, note=note, data=data, effect={}, created_at=created_at or now())
        session.add(row)
        session.flush()
        return row.id

    def set_correction_effect(self, session: Session, correction_id: int, effect: dict) -> None:
        session.execute(update(CorrectionRow).where(CorrectionRow.id == correction_id).values(effect=effect))

    def mark_undone(self, session: Session, correction_id: int, undo_id: int) -> None:
        session.execute(update(CorrectionRow).where(CorrectionRow.id == correction_id).values(undone_by=undo_id))

    def latest_correction(self, session: Session) -> int:
        return session.scalar(select(func.max(CorrectionRow.id))) or 0

    def correction_row(self, session: Session, correction_id: int) -> tuple[Correction, dict]:
        """A correction and what applying it changed in this store."""
        row = session.get(CorrectionRow, correction_id)
        if row is None:
            raise NotFound(f"no correction with id {correction_id}")
        return correction_record(row), dict(row.effect or {})

    def correction_records(self, session: Session | None = None, kinds: Iterable[str] | None = None, in_force: bool = False) -> list[Correction]:
        """Corrections in the order they were made (only those `kinds`; only those in force)."""
        if session is None:
            with self.read() as session:
                return self.correction_records(session, kinds, in_force)
        query = select(CorrectionRow).order_by(CorrectionRow.id)
        if kinds is not None:
            query = query.where(CorrectionRow.kind.in_(list(kinds)))
        if in_force:
            query = query.where(CorrectionRow.undone_by.is_(None))
        return [correction_record(row) for row in session.scalars(query)]

    # ---- conflicts ------------------------------------------------------------------

    def save_conflicts(self, session: Session, article_id: str, conflicts: Iterable[tuple[int, str]]) -> None:
        rows = [{"correction_id": c, "article_id": article_id, "detail": d, "found_at": now()} for c, d in conflicts]
        if rows:
            session.execute(insert(CorrectionConflictRow), rows)

    def clear_conflicts(self, session: Session) -> None:
        session.execute(delete(CorrectionConflictRow))

    def conflicts(self) -> list[CorrectionConflict]:
        with self.read() as session:
            rows = session.scalars(select(CorrectionConflictRow).order_by(CorrectionConflictRow.id))
            return [CorrectionConflict(row.correction_id, row.article_id, row.detail, row.found_at) for row in rows]

    # ---- articles and stories ---------------------------------------------------------

    def article_hashes(self, session: Session, article_ids: Sequence[str]) -> dict[str, str]:
        rows = session.execute(select(ArticleRow.id, ArticleRow.content_hash).where(ArticleRow.id.in_(list(article_ids))))
        return dict(rows.all())

    def articles_with_hashes(self, session: Session, hashes: Sequence[str]) -> dict[str, str]:
        """Content hash -> the id of a stored article with that text (the first stored)."""
        found: dict[str, str] = {}
        rows = session.execute(
            select(ArticleRow.content_hash, ArticleRow.id).where(ArticleRow.content_hash.in_(list(hashes))).order_by(ArticleRow.ingested_at, ArticleRow.id)
        )
        for content_hash, article_id in rows:
            found.setdefault(content_hash, article_id)
        return found

    def story_originals(self, session: Session, story_id: str) -> list[str]:
        """A story's articles that are no syndicated copy, in publication order (its first founds it)."""
        rows = session.scalars(
            select(ArticleRow.id)
            .where(ArticleRow.story_id == story_id, ArticleRow.duplicate_of.is_(None))
            .order_by(ArticleRow.published, ArticleRow.id)
        ).all()
        if not rows:
            raise NotFound(f"no story with id {story_id!r}")
        return list(rows)

    def stories_of(self, session: Session, article_ids: Iterable[str]) -> dict[str, str | None]:
        return dict(session.execute(select(ArticleRow.id, ArticleRow.story_id).where(ArticleRow.id.in_(list(article_ids)))).all())

    def unused_story_id(self, session: Session, wanted: str) -> str:
        """`wanted`, or `wanted-2`, `wanted-3`… when a story already has that id."""
        candidate, counter = wanted, 2
        while session.scalar(select(ArticleRow.id).where(ArticleRow.story_id == candidate).limit(1)) is not None:
            candidate, counter = f"{wanted}-{counter}", counter + 1
        return candidate

    def drop_links_of_empty_stories(self, session: Session, story_ids: Iterable[str]) -> None:
        """Take stories that lost their last article out of their storylines."""
        for story_id in set(story_ids):
            if session.scalar(select(ArticleRow.id).where(ArticleRow.story_id == story_id).limit(1)) is None:
                session.execute(delete(StoryLinkRow).where(StoryLinkRow.story_id == story_id))

    def story_of_articles(self, session: Session, article_ids: Sequence[str]) -> str | None:
        """The story holding most of these articles (the earliest named on a tie), or None."""
        stories = self.stories_of(session, article_ids)
        counts = Counter(stories[a] for a in article_ids if stories.get(a))
        if not counts:
            return None
        best = max(counts.values())
        return next(stories[a] for a in article_ids if stories.get(a) and counts[stories[a]] == best)

    # ---- entities, quotes and events ----------------------------------------------------

    def entity_row(self, session: Session, entity_id: str) -> EntityRow:
        row = session.get(EntityRow, entity_id)
        if row is None:
            raise NotFound(f"no actor with id {entity_id!r}")
        return row

    def ensure_entity(self, session: Session, entity_id: str, like: str) -> None:
        """An entity `entity_id` exists, made after `like` (same name and type) if it did not."""
        if session.get(EntityRow, entity_id) is None:
            model = self.entity_row(session, like)
            session.execute(insert(EntityRow), [{"id": entity_id, "key": model.key, "name": model.name, "type": model.type, "gender": model.gender}])

    def retarget_entity(
        self, session: Session, old: str, new: str, article_ids: Sequence[str] | None = None, rows: Mapping[str, Sequence[int]] | None = None
    ) -> dict[str, list[int]]:
        """Give the actor rows, quote speakers and event parties of entity `old` (within
        `article_ids`, or just the `rows` given) to entity `new`; the ids of the rows changed."""
        changed: dict[str, list[int]] = {"actors": [], "quotes": [], "events": []}

        def chosen(model, column, kind):
            query = select(model).where(column == old)
            if rows is not None:
                query = query.where(model.id.in_(list(rows.get(kind, ()))))
            elif article_ids is not None:
                query = query.where(model.article_id.in_(list(article_ids)))
            return session.scalars(query).all()

        for row in chosen(ActorRow, ActorRow.actor_id, "actors"):
            row.actor_id = new
            changed["actors"].append(row.id)
        for row in chosen(QuoteRow, QuoteRow.speaker_id, "quotes"):
            row.speaker_id = new
            row.data = {**row.data, "speaker": {**row.data["speaker"], "entity": new}}
            changed["quotes"].append(row.id)
        query = select(EventRow).where((EventRow.source_id == old) | (EventRow.target_id == old))
        if rows is not None:
            query = query.where(EventRow.id.in_(list(rows.get("events", ()))))
        elif article_ids is not None:
            query = query.where(EventRow.article_id.in_(list(article_ids)))
        for row in session.scalars(query):
            data = dict(row.data)
            for side in ("source", "target", "claimed_by"):
                if data.get(side) and data[side].get("entity") == old:
                    data[side] = {**data[side], "entity": new}
            row.source_id = new if row.source_id == old else row.source_id
            row.target_id = new if row.target_id == old else row.target_id
            row.data = data
            changed["events"].append(row.id)
        session.flush()
        return changed

    def actor_names(self, session: Session, entity_id: str, article_ids: Sequence[str]) -> list[str]:
        """The names the entity goes by in these articles."""
        rows = session.scalars(select(ActorRow.name).where(ActorRow.actor_id == entity_id, ActorRow.article_id.in_(list(article_ids))).distinct())
        return sorted(rows)

    def quote_rows(self, session: Session, article_id: str) -> list[QuoteRow]:
        return list(session.scalars(select(QuoteRow).where(QuoteRow.article_id == article_id).order_by(QuoteRow.start)))

    def event_rows(self, session: Session, article_id: str) -> list[EventRow]:
        return list(session.scalars(select(EventRow).where(EventRow.article_id == article_id).order_by(EventRow.id)))

    def set_quote_speaker(self, session: Session, row: QuoteRow, speaker: dict) -> None:
        row.speaker_id = speaker.get("entity")
        row.data = {**row.data, "speaker": speaker}
        session.flush()

    def remove_rows(self, session: Session, rows: Sequence) -> list[dict]:
        """Delete quote or event rows; their contents, to put back on undo."""
        kept = []
        for row in rows:
            kept.append({column.name: getattr(row, column.name) for column in row.__table__.columns})
            session.delete(row)
        session.flush()
        return kept

    def restore_rows(self, session: Session, table: str, contents: Sequence[dict]) -> None:
        """Put back rows `remove_rows` took out, for articles still stored."""
        model = {"quotes": QuoteRow, "events": EventRow}[table]
        stored = set(self.article_hashes(session, [content["article_id"] for content in contents]))
        for content in contents:
            if content["article_id"] not in stored:
                continue
            # under its old id where that is free, so that it keeps its place among the article's rows
            free = session.get(model, content["id"]) is None
            session.execute(insert(model), [{k: v for k, v in content.items() if free or k != "id"}])

    def entity_names(self, session: Session, entity_ids: Iterable[str]) -> dict[str, str]:
        return dict(session.execute(select(EntityRow.id, EntityRow.name).where(EntityRow.id.in_(list(entity_ids)))).all())


def correction_record(row: CorrectionRow) -> Correction:
    from ..corrections import describe  # the wording of a correction lives with its meaning

    record = Correction(
        id=row.id,
        kind=row.kind,
        author=row.author,
        created_at=row.created_at,
        note=row.note,
        data=dict(row.data),
        in_force=row.undone_by is None,
        undone_by=row.undone_by,
    )
    return replace(record, summary=describe(record))
