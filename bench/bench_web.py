"""Web latency over a store of generated articles: the stories page and story pages.

Run: .venv/bin/python bench/bench_web.py [--articles 10000] [--requests 20] [--db PATH]

Generates articles with actors, quotes and events (placed by offset, as the annotator
would, so no spaCy is needed), stores them in stories of 1 to 60 articles, serves the app
with uvicorn on a free loopback port and times pages over HTTP: the first view of story
pages (their account is synthesised for the request), then median and 95th percentile of
`--requests` repeated requests per page after one warm-up (accounts are then cached). The
issue's budget: the stories page and a story page answer in under 200 ms with 10,000
stored articles.
"""

from __future__ import annotations

import argparse
import random
import socket
import statistics
import tempfile
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import uvicorn

from storyline.library import Storyline
from storyline.records import Actor, Annotation, Article, Event, EventActor, Offsets, Quote, Speaker, Span
from storyline.web import create_app

BUDGET_MS = 200
PEOPLE = [
    ("Ines Alder", "Mayor"), ("Petar Kovac", "union leader"), ("Anna Kovac", "Transport Minister"),
    ("Lena Varga", "Foreign Minister"), ("Tomas Brandt", "engineer"), ("Miriam Oduya", "central bank governor"),
    ("Daniel Ferreira", "fire chief"), ("Oskar Lind", "trade envoy"), ("Erik Sandvik", "economist"),
    ("Mara Jensen", "spokeswoman"), ("Gregor Hadley", "inspector"), ("Colin Mercer", "factory owner"),
]  # fmt: skip
BODIES = ["Port Board", "Northline Terminals", "Bank of Vestria", "Dockworkers Union", "Workplace Safety Executive",
          "Social Alliance", "Halvaria", "Korvania", "Meridian Council", "Rivena Authority"]  # fmt: skip
OUTLETS = ["The Harbour Courier", "Meridian Wire", "Daily Ledger", "Northgate Post", "Riverside Chronicle", "Capital Observer"]
TOPICS = ["harbour strike", "flood defences", "rate rise", "steel sanctions", "ceasefire talks", "factory fire", "bridge repairs"]
EVENT_VERBS = [("CONSULT", "met"), ("ACCUSE", "accused"), ("REJECT", "rejected"), ("AGREE", "agreed with"),
               ("REQUEST", "urged"), ("THREATEN", "threatened"), ("SUPPORT", "backed"), ("PROTEST", "protested against")]  # fmt: skip
SAYINGS = ["We will not back down", "The plan protects every job in the port", "Talks must resume this week",
           "Nobody wants a long dispute", "The figures speak for themselves", "We expect an answer by Friday"]  # fmt: skip


def slug(name: str) -> str:
    return name.lower().replace(" ", "-")


class Writer:
    """Builds an article's text piece by piece, remembering where each actor, quote and event is."""

    def __init__(self):
        self.parts: list[str] = []
        self.length = 0
        self.mentions: dict[str, list[Span]] = {}
        self.quotes: list[Quote] = []
        self.events: list[Event] = []

    def add(self, text: str) -> Span:
        span = Span(self.length, self.length + len(text), text)
        self.parts.append(text)
        self.length += len(text)
        return span

    def actor(self, name: str) -> Span:
        span = self.add(name)
        self.mentions.setdefault(name, []).append(span)
        return span

    def sentence_event(self, rng: random.Random, day: datetime) -> None:
        start = self.length
        source, target = rng.sample([p for p, _ in PEOPLE] + BODIES, 2)
        kind, verb = rng.choice(EVENT_VERBS)
        self.actor(source)
        self.add(" ")
        trigger = self.add(verb)
        self.add(" ")
        self.actor(target)
        self.add(f" over the {rng.choice(TOPICS)} on {day:%A}. ")
        self.events.append(
            Event(kind, None, EventActor(slug(source), source), EventActor(slug(target), target), trigger,
                  Offsets(start, self.length), date=day.date().isoformat())  # fmt: skip
        )

    def sentence_quote(self, rng: random.Random) -> None:
        person, role = rng.choice(PEOPLE)
        who = self.actor(person)
        self.add(f", the {role}, said: “")
        words = rng.choice(SAYINGS) + (", " + rng.choice(SAYINGS).lower() if rng.random() < 0.5 else "") + "."
        said = self.add(words)
        self.add("” ")
        self.quotes.append(Quote(words, said.start, said.end, "direct", Speaker(slug(person), person, who.start, who.end), None))

    def record(self, article_id: str, title: str, outlet: str, published: datetime) -> tuple[Article, Annotation]:
        text = "".join(self.parts)
        roles = dict(PEOPLE)
        actors = tuple(
            Actor(slug(name), name, "PERSON" if name in roles else "ORG", role=roles.get(name), mentions=tuple(spans))
            for name, spans in self.mentions.items()
        )
        article = Article(article_id, text, title=title, source=outlet, published=published,
                          url=f"https://{slug(outlet)}.example/{article_id}")  # fmt: skip
        terms = tuple(word.lower() for word in text.split() if word.isalpha())
        return article, Annotation(article_id, actors, tuple(self.quotes), tuple(self.events), terms)


def story_sizes(rng: random.Random, articles: int) -> list[int]:
    """Story sizes with a long tail, as news has: mostly small, a few of up to 60."""
    sizes = []
    while sum(sizes) < articles:
        sizes.append(min(60, max(1, int(rng.paretovariate(1.2)))))
    sizes[-1] -= sum(sizes) - articles
    return [size for size in sizes if size]


def generate(storyline: Storyline, count: int, seed: int = 7) -> list[tuple[str, int]]:
    """Store `count` articles; returns (story id, size) for every story."""
    rng = random.Random(seed)
    start = datetime(2025, 1, 1)
    stories = []
    number = 0
    batch = []
    for index, size in enumerate(story_sizes(rng, count)):
        story_id = f"story-{index:05d}"
        topic = rng.choice(TOPICS)
        first_day = start + timedelta(days=rng.randrange(500))
        stories.append((story_id, size))
        for _ in range(size):
            day = first_day + timedelta(days=rng.randrange(10), hours=rng.randrange(24))
            writer = Writer()
            for _ in range(rng.randint(4, 9)):
                if rng.random() < 0.5:
                    writer.sentence_event(rng, day)
                else:
                    writer.sentence_quote(rng)
            title = f"{rng.choice(BODIES)} and the {topic}: report {number}"
            batch.append((*writer.record(f"a{number:06d}", title, rng.choice(OUTLETS), day), story_id))
            number += 1
            if len(batch) == 500:
                save(storyline, batch)
                batch = []
    if batch:
        save(storyline, batch)
    return stories


def save(storyline: Storyline, batch) -> None:
    with storyline.repo.write() as session:
        for article, annotation, story_id in batch:
            storyline.repo.save_article(session, article, annotation, story_id, None)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def percentiles(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    return statistics.median(times), times[min(len(times) - 1, int(0.95 * len(times)))]


def timed(client: httpx.Client, path: str, requests: int) -> tuple[float, float]:
    """Median and p95 of repeated requests for one page, after a warm-up request."""
    client.get(path).raise_for_status()
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(path).raise_for_status()
        times.append(1000 * (time.perf_counter() - started))
    return percentiles(times)


def first_views(client: httpx.Client, paths: list[str]) -> tuple[float, float]:
    """Median and p95 of the first request for each of `paths`: nothing of them is cached."""
    times = []
    for path in paths:
        started = time.perf_counter()
        client.get(path).raise_for_status()
        times.append(1000 * (time.perf_counter() - started))
    return percentiles(times)


def report(label: str, median: float, p95: float) -> None:
    flag = "" if median < BUDGET_MS else f"  over the {BUDGET_MS} ms budget"
    print(f"{label:60} {median:9.1f} {p95:9.1f}{flag}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--db", help="reuse or keep the generated store here (default: a temporary file)")
    args = parser.parse_args()

    folder = tempfile.TemporaryDirectory()
    db = Path(args.db or Path(folder.name) / "bench.db")
    fresh = not db.exists()
    storyline = Storyline(db, processes=1)
    started = time.perf_counter()
    if fresh:
        generate(storyline, args.articles)
        print(f"generated {storyline.repo.count_articles():,} articles in {time.perf_counter() - started:.1f} s")
    sizes = sorted(((len(s.articles), s.id) for s in storyline.stories()), reverse=True)
    print(f"store: {storyline.repo.count_articles():,} articles in {len(sizes):,} stories (largest {sizes[0][0]})")

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(storyline), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    median_size = sizes[len(sizes) // 2]
    typical = [(size, story_id) for size, story_id in sizes if 5 <= size <= 10]
    pages = {
        "stories (first page)": "/stories",
        "stories (page 50)": "/stories?offset=1000",
        "stories.json": "/stories.json",
        "stories, search 'harbour strike'": "/stories?q=harbour+strike",
        "stories, outlet + actor filter": "/stories?outlet=Daily+Ledger&actor=ines-alder",
        f"story, largest ({sizes[0][0]} articles)": f"/stories/{sizes[0][1]}",
        f"story, {typical[0][0]} articles": f"/stories/{typical[0][1]}",
        f"story, median ({median_size[0]} article)": f"/stories/{median_size[1]}",
        "story.json, largest": f"/stories/{sizes[0][1]}.json",
        "article": "/articles/a000100",
        "actor (in thousands of articles)": "/actors/ines-alder",
    }
    print(f"{'page':60} {'median':>9} {'p95':>9}   (ms)")
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
        # the process's first account loads the summariser's libraries: pay that once, apart
        client.get(f"/stories/{sizes[-1][1]}").raise_for_status()
        # first views: each story's account is synthesised for the request itself
        cold = {
            f"story, first view, 10 largest ({sizes[9][0]}-{sizes[0][0]} articles)": [f"/stories/{i}" for _, i in sizes[:10]],
            f"story, first view, {len(typical[1:21])} of 5-10 articles": [f"/stories/{i}" for _, i in typical[1:21]],
        }
        for label, paths in cold.items():
            report(label, *first_views(client, paths))
        # repeated views: what a page costs once the server has seen it
        for label, path in pages.items():
            report(label + f" (x{args.requests})", *timed(client, path, args.requests))
    server.should_exit = True
    thread.join(timeout=10)
    folder.cleanup()


if __name__ == "__main__":
    main()
