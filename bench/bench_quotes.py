"""Quotes-stage throughput against the rest of annotation, over the demo corpus.

Run: .venv/bin/python bench/bench_quotes.py [--rounds N]

Prints the time per article of the spaCy parse, of building actors and of finding quotes,
the quotes stage's share of the whole, and quotes found per second. The issue's budget:
the quotes stage must not slow annotation by more than 20 %.
"""

from __future__ import annotations

import argparse
import json
import time
from importlib import resources

from storyline.annotate.actors import build_actors
from storyline.annotate.pipeline import load_nlp
from storyline.annotate.quotes import find_quotes
from storyline.records import Article

BUDGET_SHARE = 0.20


def demo_articles() -> list[Article]:
    path = resources.files("storyline.data").joinpath("demo", "articles.jsonl")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Article(id=row["id"], text=row["text"], title=row.get("title")) for row in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="passes over the corpus (default 3)")
    rounds = parser.parse_args().rounds

    nlp = load_nlp()
    articles = demo_articles()
    nlp(articles[0].text)  # warm up
    parse = actors_time = quotes_time = 0.0
    quotes_found = 0
    for _ in range(rounds):
        for article in articles:
            started = time.perf_counter()
            doc = nlp(article.text)
            parsed = time.perf_counter()
            actors = build_actors(doc, article)
            built = time.perf_counter()
            quotes_found += len(find_quotes(doc, actors))
            done = time.perf_counter()
            parse += parsed - started
            actors_time += built - parsed
            quotes_time += done - built
    count = rounds * len(articles)
    rest = parse + actors_time
    share = quotes_time / rest
    print(f"articles: {len(articles)} x {rounds} rounds, {quotes_found // rounds} quotes per round")
    print(f"spaCy parse    {1000 * parse / count:8.2f} ms/article")
    print(f"actors         {1000 * actors_time / count:8.2f} ms/article")
    print(f"quotes         {1000 * quotes_time / count:8.2f} ms/article  ({count / quotes_time:,.0f} articles/s)")
    print(f"quotes stage adds {100 * share:.1f} % to parse + actors (budget {100 * BUDGET_SHARE:.0f} %): "
          f"{'within' if share <= BUDGET_SHARE else 'OVER'} budget")


if __name__ == "__main__":
    main()
