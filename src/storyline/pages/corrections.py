"""The corrections' page models (`corrections.py`): every correction, and a story's or an
actor's history with what its forms offer to correct. The web's views and JSON twins serve them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from pydantic import BaseModel

from ..records import Account, Correction

if TYPE_CHECKING:
    from ..library import Storyline


class CorrectionItem(BaseModel):
    id: int
    kind: str
    summary: str  # the correction in words
    author: str
    created_at: datetime
    note: str | None
    in_force: bool
    undone_by: int | None
    data: dict  # the correction itself, portable (docs/corrections.md)

    @classmethod
    def of(cls, correction: Correction) -> CorrectionItem:
        return cls(**{name: getattr(correction, name) for name in cls.model_fields})


class ConflictItem(BaseModel):
    correction_id: int
    article_id: str
    detail: str
    found_at: datetime


class Choice(BaseModel):
    value: str
    label: str


class CorrectionsPanel(BaseModel):
    """A story's or an actor's corrections, and what its forms offer to correct."""

    subject: str  # story | actor
    id: str
    history: list[CorrectionItem]  # oldest first, undone ones and undos included
    articles: list[Choice] = []  # the story's articles
    quotes: list[Choice] = []  # ARTICLE:START of each quote, as a form names it
    events: list[Choice] = []
    actors: list[Choice] = []


class CorrectionsPage(BaseModel):
    """`/corrections`: every correction made, and where one overruled the model."""

    corrections: list[CorrectionItem]
    conflicts: list[ConflictItem]


def items(corrections: list[Correction]) -> list[CorrectionItem]:
    return [CorrectionItem.of(correction) for correction in corrections]


def story_panel(storyline: Storyline, account: Account) -> CorrectionsPanel:
    quotes = {
        f"{version.citation.article_id}:{version.citation.start}": f"“{shortened(quote.text)}” ({version.citation.outlet or version.citation.article_id})"
        for quote in account.quotes for version in quote.versions
    }
    events = {
        f"{mention.trigger.article_id}:{mention.trigger.start}": f"{item.type} “{mention.trigger.text}” ({mention.trigger.outlet or mention.trigger.article_id})"
        for item in account.events for mention in item.mentions
    }
    return CorrectionsPanel(
        subject="story",
        id=account.id,
        history=items(storyline.story_history(account.id)),
        articles=[Choice(value=a.id, label=f"{a.title or a.id} ({a.source or 'unknown outlet'})") for a in account.articles],
        quotes=[Choice(value=value, label=label) for value, label in quotes.items()],
        events=[Choice(value=value, label=label) for value, label in events.items()],
        actors=[Choice(value=actor.id, label=actor.name) for actor in account.actors],
    )


def actor_panel(storyline: Storyline, actor_id: str) -> CorrectionsPanel:
    return CorrectionsPanel(subject="actor", id=actor_id, history=items(storyline.actor_history(actor_id)))


def shortened(text: str, words: int = 10) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def corrections_page(storyline: Storyline) -> CorrectionsPage:
    return CorrectionsPage(
        corrections=items(storyline.corrections()),
        conflicts=[ConflictItem(**conflict.__dict__) for conflict in storyline.correction_conflicts()],
    )


