"""Annotation time per 1,000 characters as articles grow: flat means linear cost.

Run: .venv/bin/python bench/bench_annotate_length.py [--lengths 2000 20000 200000] [--rounds N]

CPU time (not wall time: the machine is shared). Articles of each length are made by joining the demo corpus's paragraphs (text written for the
project) until the length is reached. For each length it prints milliseconds per 1,000
characters of the spaCy parse, of actors, quotes and events, and of the components together
(the storyline part, which must stay flat: the issue's target is no growth from 2k to 200k).
"""

from __future__ import annotations

import argparse
import json
import time
from importlib import resources

from storyline.annotate.actors import build_actors
from storyline.annotate.events import find_events
from storyline.annotate.pipeline import load_nlp
from storyline.annotate.quotes import find_quotes
from storyline.records import Article


def demo_paragraphs() -> list[str]:
    path = resources.files("storyline.data").joinpath("demo", "articles.jsonl")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [p.strip() for row in rows for p in row["text"].split("\n") if p.strip()]


def article_of_length(paragraphs: list[str], length: int) -> Article:
    chosen, size = [], 0
    while size < length:
        paragraph = paragraphs[len(chosen) % len(paragraphs)]
        chosen.append(paragraph)
        size += len(paragraph) + 2
    return Article(id=f"length-{length}", text="\n\n".join(chosen)[:length])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lengths", type=int, nargs="+", default=[2000, 20000, 200000])
    parser.add_argument("--rounds", type=int, default=2, help="runs per length; the fastest counts (default 2)")
    options = parser.parse_args()

    nlp = load_nlp()
    nlp.max_length = max(nlp.max_length, max(options.lengths) + 1)
    paragraphs = demo_paragraphs()
    warm_up = article_of_length(paragraphs, 2000)  # loads the model and the lexicons
    warm_doc = nlp(warm_up.text)
    find_events(warm_doc, find_quotes(warm_doc, build_actors(warm_doc, warm_up)) and [], None)
    print(f"{'chars':>8} {'parse':>8} {'actors':>8} {'quotes':>8} {'events':>8} {'storyline':>10}  (ms per 1,000 chars)")
    for length in options.lengths:
        article = article_of_length(paragraphs, length)
        best: dict[str, float] = {}
        for _ in range(options.rounds):
            times = {}
            started = time.process_time()
            doc = nlp(article.text)
            times["parse"] = time.process_time() - started
            started = time.process_time()
            actors = build_actors(doc, article)
            times["actors"] = time.process_time() - started
            started = time.process_time()
            find_quotes(doc, actors)
            times["quotes"] = time.process_time() - started
            started = time.process_time()
            find_events(doc, actors, article.published)
            times["events"] = time.process_time() - started
            best = {k: min(v, best.get(k, v)) for k, v in times.items()}
        per_k = {k: 1000 * v * 1000 / length for k, v in best.items()}
        storyline = per_k["actors"] + per_k["quotes"] + per_k["events"]
        print(
            f"{length:>8} {per_k['parse']:>8.2f} {per_k['actors']:>8.2f} {per_k['quotes']:>8.2f} "
            f"{per_k['events']:>8.2f} {storyline:>10.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
