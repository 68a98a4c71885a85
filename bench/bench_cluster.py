"""Throughput of story grouping alone (no reading or annotation) on generated corpora.

    .venv/bin/python bench/bench_cluster.py            # 1k, 10k and 100k articles
    .venv/bin/python bench/bench_cluster.py --sizes 1000 20000
    .venv/bin/python bench/bench_cluster.py --undated --sizes 1000 10000   # split checks on

Each size runs in its own process: generate the articles (bench/generate.py, ~500 words
each, dated over ~2,000 a day), build their ClusterItems, then time `StoryClusterer.add`
and `Deduper.add` over all of them (the corpus is streamed, not held). Times are CPU seconds
of the process (`time.process_time`: the machine may be shared; BLAS threads count too).
Prints articles per CPU second overall and for the last tenth of the stream (flat cost means
the two agree), the clustering's B-cubed F1 against the generated stories, copies found (none
are generated), and the process's memory before the stream and at its peak. The issue's
target, clustering alone >= 1,000 articles/s at 100k articles within 2 GB, is checked on the
largest size (exit status 1 when missed); `--record` writes the figures to
bench/cluster_figures.json. With `--undated` the articles' dates are dropped: stories never
go quiet and, being undated, keep their members and look for splits (storyline.cluster),
which is what that costs.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
FIGURES = HERE / "cluster_figures.json"
TARGET_ARTICLES = 100_000
TARGET_PER_S = 1000.0  # clustering alone, articles per CPU second at TARGET_ARTICLES
TARGET_PEAK_MB = 2048.0


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


def measure(size: int, undated: bool = False) -> dict:
    from generate import articles, cluster_items

    from storyline.cluster import StoryClusterer
    from storyline.dedupe import Deduper
    from storyline.eval.cluster import scores

    clusterer, deduper = StoryClusterer(), Deduper()
    stories, gold = {}, {}
    tail_from = size - size // 10
    cluster_seconds = tail_seconds = dedupe_seconds = 0.0
    copies = 0
    base_mb = peak_mb()
    # streamed: the corpus is never held in memory, only the clustering and dedupe state
    for n, row in enumerate(articles(size)):
        (item,) = cluster_items([row])
        if undated:
            item = dataclasses.replace(item, published=None)
        gold[row["id"]] = row["story"]
        start = time.process_time()
        stories[item.article_id] = clusterer.add(item)
        elapsed = time.process_time() - start
        cluster_seconds += elapsed
        if n >= tail_from:
            tail_seconds += elapsed
        start = time.process_time()
        copies += deduper.add(row["id"], row["text"]) is not None
        dedupe_seconds += time.process_time() - start

    quality = scores(stories, gold)
    return {
        "articles": size,
        "cluster_per_s": size / cluster_seconds,
        "cluster_last_tenth_per_s": (size - tail_from) / tail_seconds,
        "b3_f1": quality["b3_f1"],
        "stories": quality["stories"],
        "gold_stories": quality["gold_stories"],
        "dedupe_per_s": size / dedupe_seconds,
        "copies_found": copies,
        "start_mb": base_mb,
        "peak_mb": peak_mb(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--undated", action="store_true", help="drop the articles' dates")
    parser.add_argument("--record", action="store_true", help=f"write the figures to {FIGURES.name}")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # worker: measure one size, print JSON
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.undated)))
        return
    results = []
    print(f"{'articles':>9} {'cluster/s':>10} {'last 10%/s':>11} {'B3 F1':>6} {'stories':>8} {'gold':>7} "
          f"{'dedupe/s':>9} {'copies':>7} {'start MB':>9} {'peak MB':>8}")
    for size in args.sizes:
        worker = [sys.executable, __file__, "--one", str(size)] + (["--undated"] if args.undated else [])
        out = subprocess.run(worker, capture_output=True, text=True, check=True)
        r = json.loads(out.stdout)
        results.append(r)
        print(
            f"{r['articles']:>9} {r['cluster_per_s']:>10.0f} {r['cluster_last_tenth_per_s']:>11.0f} {r['b3_f1']:>6.3f} "
            f"{r['stories']:>8} {r['gold_stories']:>7} {r['dedupe_per_s']:>9.0f} {r['copies_found']:>7} "
            f"{r['start_mb']:>9.0f} {r['peak_mb']:>8.0f}",
            flush=True,
        )
    largest = results[-1]
    met = largest["cluster_per_s"] >= TARGET_PER_S and largest["peak_mb"] <= TARGET_PEAK_MB
    if largest["articles"] >= TARGET_ARTICLES:
        print(f"target at {largest['articles']:,} articles, >= {TARGET_PER_S:,.0f}/s within {TARGET_PEAK_MB:,.0f} MB: "
              + ("met" if met else "MISSED"))
    if args.record:
        note = "articles per CPU second (time.process_time) of StoryClusterer.add / Deduper.add; peak resident MB"
        FIGURES.write_text(json.dumps({"note": note, "undated": args.undated, "runs": results}, indent=1) + "\n", encoding="utf-8")
    sys.exit(0 if met or largest["articles"] < TARGET_ARTICLES else 1)


if __name__ == "__main__":
    main()
