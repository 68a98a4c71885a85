"""A small store written by hand: articles with actors, quotes and events placed exactly.

Building annotations by hand (instead of running spaCy) keeps the web tests fast and lets
them put hostile markup in every field a page shows: titles, outlets, actor names, roles,
quotes and event parties. Offsets are found in the text, so they are always consistent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from storyline.records import Actor, Annotation, Article, Event, EventActor, Offsets, Quote, Speaker, Span, StoryLink

# Each payload sets window.__pwned if it ever runs; the browser test reads that flag.
SCRIPT = '<script>window.__pwned = "script"</script>'
IMG = "<img src=x onerror=\"window.__pwned='img'\">"
SVG = "<svg onload=\"window.__pwned='svg'\"></svg>"
IFRAME = "<iframe srcdoc=\"<script>parent.__pwned='iframe'</script>\"></iframe>"
QUOTE_BREAKER = "\"'><body onload=\"window.__pwned='attr'\">"
JAVASCRIPT_URL = "javascript:window.__pwned='url'"
PAYLOADS = (SCRIPT, IMG, SVG, IFRAME, QUOTE_BREAKER)
HOSTILE_ARTICLE = 'hostile-<script>"1"'


@dataclass
class Draft:
    """One article and what an annotator would have found in it."""

    article: Article
    actors: list[Actor] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.article.text

    def span(self, words: str, after: int = 0) -> Span:
        start = self.text.find(words, after)
        assert start >= 0, f"{words!r} is not in the text of {self.article.id}"
        return Span(start, start + len(words), words)

    def sentence(self, at: int) -> Offsets:
        starts = [0] + [m.end() for m in re.finditer(r"[.!?”]\s+", self.text)]
        start = max(s for s in starts if s <= at)
        end = next((m.end() for m in re.finditer(r"[.!?]", self.text) if m.end() > at), len(self.text))
        return Offsets(start, end)

    def actor(self, actor_id: str, name: str, type: str, *surfaces: str, role: str | None = None) -> Draft:
        mentions, after = [], 0
        for surface in surfaces:
            mention = self.span(surface, after)
            mentions.append(mention)
            after = mention.end
        self.actors.append(Actor(actor_id, name, type, role=role, mentions=tuple(mentions)))
        return self

    def quote(self, words: str, speaker: str, kind: str = "direct") -> Draft:
        span = self.span(words)
        who = next(actor for actor in self.actors if actor.id == speaker)
        first = who.mentions[0] if who.mentions else None
        self.quotes.append(
            Quote(
                text=words,
                start=span.start,
                end=span.end,
                kind=kind,
                speaker=Speaker(who.id, who.name, first.start if first else None, first.end if first else None),
                cue=None,
            )
        )
        return self

    def event(self, type: str, trigger: str, source: str | None, target: str | None = None, date: str | None = None) -> Draft:
        words = self.span(trigger)
        names = {actor.id: actor.name for actor in self.actors}

        def party(actor_id: str | None) -> EventActor | None:
            return EventActor(actor_id, names[actor_id]) if actor_id else None

        self.events.append(
            Event(
                type=type,
                mode=None,
                source=party(source),
                target=party(target),
                trigger=words,
                sentence=self.sentence(words.start),
                date=date,
            )
        )
        return self

    def annotation(self) -> Annotation:
        words = tuple(w.lower() for w in re.findall(r"[A-Za-z]{3,}", self.text))
        return Annotation(
            article_id=self.article.id,
            actors=tuple(self.actors),
            quotes=tuple(self.quotes),
            events=tuple(self.events),
            terms=words,
        )


def article(article_id: str, text: str, title: str, source: str, published: str, url: str | None = None) -> Draft:
    return Draft(Article(article_id, text, title=title, source=source, published=datetime.fromisoformat(published), url=url))


def harbour_story() -> list[Draft]:
    """Three outlets on one story; the Meridian Wire truncates the mayor's quote."""
    courier = (
        article(
            "courier-harbour-vote",
            "Mayor Ines Alder met the Port Board on Monday to discuss the harbour. "
            "Alder said: “We will keep the harbour open to every ship, whatever the board decides.” "
            "The Port Board rejected the plan after the meeting.",
            "Mayor meets Port Board over harbour future",
            "The Harbour Courier",
            "2026-04-01T09:00:00",
            "https://courier.example/harbour-vote",
        )
        .actor("ines-alder", "Ines Alder", "PERSON", "Mayor Ines Alder", "Alder", role="Mayor")
        .actor("port-board", "Port Board", "ORG", "Port Board", "Port Board")
        .quote("We will keep the harbour open to every ship, whatever the board decides.", "ines-alder")
        .event("CONSULT", "met", "ines-alder", "port-board", date="2026-03-30")
        .event("REJECT", "rejected", "port-board")
    )
    wire = (
        article(
            "wire-harbour-open",
            "Ines Alder said: “We will keep the harbour open to every ship.” "
            "The Port Board met again on Tuesday and the harbour stayed open.",
            "Harbour stays open, mayor says",
            "Meridian Wire",
            "2026-04-02T10:30:00",
        )
        .actor("ines-alder", "Ines Alder", "PERSON", "Ines Alder")
        .actor("port-board", "Port Board", "ORG", "Port Board")
        .quote("We will keep the harbour open to every ship.", "ines-alder")
    )
    ledger = (
        article(
            "ledger-board-accuses",
            "The Port Board accused Ines Alder of grandstanding over the harbour on Wednesday.",
            "Port Board accuses mayor of grandstanding",
            "Daily Ledger",
            "2026-04-03T08:00:00",
        )
        .actor("port-board", "Port Board", "ORG", "Port Board")
        .actor("ines-alder", "Ines Alder", "PERSON", "Ines Alder")
        .event("ACCUSE", "accused", "port-board", "ines-alder", date="2026-04-01")
    )
    return [courier, wire, ledger]


def hostile_story() -> list[Draft]:
    """Markup everywhere a page shows article data; none of it may run or become HTML."""
    text = (
        f"Breaking {SCRIPT} news from the harbour. {IMG} was named. "
        f"Then {QUOTE_BREAKER} said “{IFRAME} and {SVG}” to reporters. "
        f"{IMG} attacked the harbour wall."
    )
    draft = (
        article(
            HOSTILE_ARTICLE,
            text,
            f"{SCRIPT} Hostile harbour {IMG}",
            f"<b>Evil</b> Outlet {SVG}",
            "2026-05-01T12:00:00",
            JAVASCRIPT_URL,
        )
        .actor("hostile-img", IMG, "PERSON", IMG, IMG, role=SCRIPT)
        .actor("hostile-breaker", QUOTE_BREAKER, "ORG", QUOTE_BREAKER)
        .quote(f"{IFRAME} and {SVG}", "hostile-breaker")
        .event("ASSAULT", "attacked", "hostile-img", "hostile-breaker")
    )
    return [draft]


def quiet_story() -> list[Draft]:
    return [
        article(
            "post-bridge-repairs",
            "Engineer Tomas Brandt said the old bridge would close for repairs in June.",
            "Old bridge to close for repairs",
            "Northgate Post",
            "2026-06-10T07:00:00",
        ).actor("tomas-brandt", "Tomas Brandt", "PERSON", "Engineer Tomas Brandt", role="Engineer")
    ]


STORIES = {"harbour-vote": harbour_story, "hostile-story": hostile_story, "bridge-repairs": quiet_story}


# the hostile story continues the harbour vote: the storyline page shows hostile headlines too
STORYLINE_LINKS = (
    StoryLink("harbour-vote", "harbour-vote", "harbour-vote", 1.0, ()),
    StoryLink("hostile-story", "harbour-vote", "harbour-vote", 0.42, ("ines-alder",)),
)


def write_stories(repository, stories: dict = STORIES) -> None:
    """Store every draft under its story id, as the pipeline would have, and one storyline."""
    with repository.write() as session:
        for story_id, make in stories.items():
            for draft in make():
                repository.save_article(session, draft.article, draft.annotation(), story_id, None)
        if stories is STORIES:
            repository.save_story_links(session, STORYLINE_LINKS)
