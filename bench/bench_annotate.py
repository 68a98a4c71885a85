"""Where annotation time goes: milliseconds per article for each spaCy component and each
storyline stage, on generated ~500-word articles and on real news (ECB+), flagged against the
figures recorded in bench/annotate_figures.json; then milliseconds per 1,000 characters as one
article grows from 2,000 to 200,000 characters (flat means linear cost).

Run: .venv/bin/python bench/bench_annotate.py [--articles 120] [--runs 3] [--record] [--lengths 2000 20000 200000]

The guard against a slow upgrade (docs/speed.md): spaCy 3.8.8 to 3.8.18 run the NER about
twice as slowly as 3.8.7 with the same model and the same results. A component or stage that
takes more than 1.5x its recorded figure (and over 0.5 ms more: smaller steps jitter) is flagged
SLOW and the command exits with status 1.

Times are CPU time of this process (one core, no worker pool), the median over `--runs` passes
over the same articles, after a warm-up pass: CPU time moves less than wall-clock time when
other programs share the machine, but a loaded machine still inflates it (shared caches), so
re-run a flagged figure on a quiet machine before believing it. `--record` rewrites the
recorded figures with this run's.

The articles of each length are the demo corpus's paragraphs (text written for the project)
joined until the length is reached; for each length the fastest of `--runs` passes counts. The
storyline part (actors, quotes, events) must stay flat: the issue's target is no growth per
character from 2k to 200k. `--lengths` with no value skips this part.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from importlib import resources
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIGURES = HERE / "annotate_figures.json"
ECBPLUS = HERE.parent.parent / "shared" / "data" / "ecbplus" / "articles.jsonl"
TOLERANCE = 1.5
FLOOR_MS = 0.5  # a step this much over its figure at most is jitter, not a slowdown
BATCH = 8  # articles per spaCy batch, as `annotate_stream` parses them


def corpus_articles(path: Path, count: int) -> list:
    from storyline.ingest import read
    from storyline.records import Article

    return [article for article in read([path]) if isinstance(article, Article)][:count]


def generated_articles(count: int) -> list:
    sys.path.insert(0, str(HERE))
    from generate import articles

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated.jsonl"
        path.write_text("".join(json.dumps(row) + "\n" for row in articles(count, seed=7)), encoding="utf-8")
        return corpus_articles(path, count)


def one_pass(articles: list) -> dict[str, float]:
    """CPU seconds per step over all `articles`: the tokenizer, each spaCy component, then
    storyline's stages in the order `annotate_doc` runs them."""
    from storyline.annotate import content_terms
    from storyline.annotate.actors import build_actors
    from storyline.annotate.events import find_events
    from storyline.annotate.pipeline import load_nlp, parse_titles
    from storyline.annotate.quotes import find_quotes

    nlp = load_nlp()
    spent: dict[str, float] = defaultdict(float)

    def timed(step: str, work: Callable):
        start = time.process_time()
        result = work()
        spent[step] += time.process_time() - start
        return result

    for first in range(0, len(articles), BATCH):
        batch = articles[first : first + BATCH]
        docs = timed("spacy: tokenizer", lambda: [nlp.make_doc(article.text) for article in batch])
        for name, component in nlp.pipeline:
            if hasattr(component, "pipe"):
                docs = timed(f"spacy: {name}", lambda: list(component.pipe(docs, batch_size=BATCH)))
            else:  # a plain function component
                docs = timed(f"spacy: {name}", lambda: [component(doc) for doc in docs])
        titles = [article.title for article in batch if article.title]
        timed("storyline: title parse", lambda: parse_titles(titles))
        for doc, article in zip(docs, batch):
            actors = timed("storyline: actors", lambda: build_actors(doc, article))
            quotes = timed("storyline: quotes", lambda: find_quotes(doc, actors))
            timed("storyline: events", lambda: find_events(doc, actors, article.published, quotes))
            timed("storyline: terms", lambda: content_terms(doc))
            timed("storyline: sentences", lambda: [(s.start_char, s.end_char) for s in doc.sents])
    return spent


def measure(articles: list, runs: int) -> dict[str, float]:
    """Median milliseconds per article of each step over `runs` passes, after a warm-up pass."""
    one_pass(articles[:BATCH])
    passes = [one_pass(articles) for _ in range(runs)]
    figures = {step: 1000 * statistics.median(p[step] for p in passes) / len(articles) for step in passes[0]}
    figures["spacy total"] = sum(ms for step, ms in figures.items() if step.startswith("spacy:"))
    figures["storyline total"] = sum(ms for step, ms in figures.items() if step.startswith("storyline:"))
    return figures


def demo_paragraphs() -> list[str]:
    path = resources.files("storyline.data").joinpath("demo", "articles.jsonl")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [p.strip() for row in rows for p in row["text"].split("\n") if p.strip()]


def article_of_length(paragraphs: list[str], length: int):
    from storyline.records import Article

    chosen, size = [], 0
    while size < length:
        paragraph = paragraphs[len(chosen) % len(paragraphs)]
        chosen.append(paragraph)
        size += len(paragraph) + 2
    return Article(id=f"length-{length}", text="\n\n".join(chosen)[:length])


def per_thousand_characters(lengths: list[int], runs: int) -> None:
    """Print CPU ms per 1,000 characters of the parse and of each storyline stage, per length."""
    from storyline.annotate.actors import build_actors
    from storyline.annotate.events import find_events
    from storyline.annotate.pipeline import load_nlp
    from storyline.annotate.quotes import find_quotes

    nlp = load_nlp()
    nlp.max_length = max(nlp.max_length, max(lengths) + 1)
    paragraphs = demo_paragraphs()
    print(f"\n{'chars':>8} {'parse':>8} {'actors':>8} {'quotes':>8} {'events':>8} {'storyline':>10}  (ms of CPU per 1,000 chars, fastest of {runs})")
    for length in lengths:
        article = article_of_length(paragraphs, length)
        best: dict[str, float] = {}
        for _ in range(runs):
            times: dict[str, float] = {}

            def timed(step: str, work: Callable):
                start = time.process_time()
                result = work()
                times[step] = time.process_time() - start
                return result

            doc = timed("parse", lambda: nlp(article.text))
            actors = timed("actors", lambda: build_actors(doc, article))
            quotes = timed("quotes", lambda: find_quotes(doc, actors))
            timed("events", lambda: find_events(doc, actors, article.published, quotes))
            best = {step: min(spent, best.get(step, spent)) for step, spent in times.items()}
        per_k = {step: 1000 * spent * 1000 / length for step, spent in best.items()}
        storyline = per_k["actors"] + per_k["quotes"] + per_k["events"]
        print(
            f"{length:>8} {per_k['parse']:>8.2f} {per_k['actors']:>8.2f} {per_k['quotes']:>8.2f} {per_k['events']:>8.2f} {storyline:>10.2f}",
            flush=True,
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=120, help="articles per corpus")
    parser.add_argument("--runs", type=int, default=3, help="timed passes over them (the median is kept)")
    parser.add_argument("--jsonl", type=Path, default=ECBPLUS, help="the real-news corpus")
    parser.add_argument("--record", action="store_true", help=f"write this run's figures to {FIGURES.name}")
    parser.add_argument("--lengths", type=int, nargs="*", default=[2000, 20000, 200000], help="article lengths (characters) for the per-1,000-character figures")
    args = parser.parse_args()

    from storyline.annotate.pipeline import spacy_version

    corpora = {"generated": generated_articles(args.articles)}
    if args.jsonl.exists():
        corpora["real news"] = corpus_articles(args.jsonl, args.articles)
    else:
        print(f"{args.jsonl}: not found, real news skipped")
    recorded = json.loads(FIGURES.read_text(encoding="utf-8")) if FIGURES.exists() else {}
    measured: dict[str, dict[str, float]] = {}
    slow = []
    print(f"spaCy {spacy_version()}; ms of CPU per article, median of {args.runs} passes; recorded figures in brackets")
    for corpus, articles in corpora.items():
        words = statistics.mean(len(article.text.split()) for article in articles)
        print(f"\n{corpus}: {len(articles)} articles, mean {words:.0f} words")
        measured[corpus] = figures = measure(articles, args.runs)
        before = recorded.get("figures", {}).get(corpus, {})
        for step, ms in figures.items():
            mark = ""
            if step in before:
                mark = f" [{before[step]:.2f}]"
                if ms > TOLERANCE * before[step] and ms - before[step] > FLOOR_MS and not step.endswith("total"):
                    mark += f"  SLOW: more than {TOLERANCE}x the recorded figure"
                    slow.append(f"{corpus}: {step}")
            print(f"  {step:32} {ms:7.2f}{mark}")
    if args.record:
        note = recorded.get("note", "ms of CPU per article (bench/bench_annotate.py --record)")
        FIGURES.write_text(json.dumps({"note": note, "spacy": spacy_version(), "figures": measured}, indent=1) + "\n", encoding="utf-8")
        print(f"\nrecorded in {FIGURES}")
    if args.lengths:
        per_thousand_characters(args.lengths, args.runs)
    if slow:
        print(f"\n{len(slow)} step(s) more than {TOLERANCE}x their recorded figure: {', '.join(slow)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
