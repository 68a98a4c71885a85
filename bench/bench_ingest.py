"""End-to-end ingest throughput: read JSONL, annotate (spaCy + actors, quotes, events),
dedupe, cluster and store, on generated ~500-word articles.

Run: .venv/bin/python bench/bench_ingest.py [--articles 300] [--processes 2]

Prints articles/s for the whole `Storyline.ingest` path. The issue's target is at least
20 articles/s on this 2-core machine, using both cores.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import articles  # noqa: E402

from storyline import Storyline  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "corpus.jsonl"
        rows = list(articles(args.articles, seed=7))
        corpus.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
        words = statistics.mean(len(row["text"].split()) for row in rows)
        store = Storyline(Path(folder) / "bench.db", processes=args.processes)
        start = time.perf_counter()
        report = store.ingest([corpus])
        seconds = time.perf_counter() - start
    print(f"articles: {args.articles} (mean {words:.0f} words), processes: {args.processes}")
    print(f"added {report.added}, syndicated copies {report.duplicates}, failed {len(report.errors)}")
    print(f"end-to-end ingest: {seconds:.1f} s, {args.articles / seconds:.1f} articles/s (target >= 20)")


if __name__ == "__main__":
    main()
