"""End-to-end ingest throughput: read JSONL, annotate (spaCy + actors, quotes, events),
dedupe, cluster and store, on generated ~500-word articles.

Run: .venv/bin/python bench/bench_ingest.py [--articles 1000] [--processes 2] [--runs 3]
     .venv/bin/python bench/bench_ingest.py --jsonl ../shared/data/ecbplus/articles.jsonl  # real news text
     .venv/bin/python bench/bench_ingest.py --articles 3000 --history 20000  # a store ~10 days into 2,000 a day

Each run ingests the same corpus into a fresh store through `Storyline.ingest` in a fresh
process. Prints, as the median (and range) over the runs:

- whole run: articles/s from the call to the last article stored, fixed costs included
  (model load, worker start-up, the last window stored after annotation ends);
- steady state: articles/s after the first stored window (what a long backfill sees);
- CPU per article: in the annotation workers and in the main process (reading, dedupe,
  clustering, store), and how busy both cores were (well under 100 % means the cores were
  idle or taken by something else running on the machine: each run's line shows it, so a
  disturbed run can be told apart).

The issue's target is at least 20 articles/s on this 2-core machine, using both cores.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET = 20.0


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def remember(store, count: int) -> None:
    """Give the store the clusterer and deduper state of `count` earlier generated articles, dated
    in the days before the corpus, as a store that has been ingesting for a while has. They come
    from another seed, so they share no vocabulary with the corpus: this measures what carrying
    the state costs (what each stored window changes of it is saved with it), not what matching old stories costs."""
    sys.path.insert(0, str(HERE))
    from generate import ARTICLES_PER_DAY, articles, cluster_items

    from storyline.cluster import StoryClusterer
    from storyline.dedupe import Deduper

    earlier = timedelta(days=count / ARTICLES_PER_DAY + 1)
    rows = [
        dict(row, id=f"earlier-{row['id']}", published=(datetime.fromisoformat(row["published"]) - earlier).isoformat())
        for row in articles(count, seed=8)
    ]
    clusterer, deduper = StoryClusterer(), Deduper()
    for row, item in zip(rows, cluster_items(rows)):
        clusterer.add(item)
        deduper.add(row["id"], row["text"])
    with store.repo.write() as session:
        version = store.repo.save_states(session, {})
        store.repo.save_grouping(session, clusterer, deduper, version, whole=True)


def measure(corpus: Path, processes: int, history: int) -> dict:
    """One ingest of `corpus` into a fresh store (holding the state of `history` earlier articles), in this process."""
    from storyline import Storyline
    from storyline.library import window_size

    with tempfile.TemporaryDirectory() as folder:
        store = Storyline(Path(folder) / "bench.db", processes=processes)
        if history:
            remember(store, history)
        first_window = window_size(0)  # the state saved whole (the storyline linker's) starts empty
        stored_at: list[float] = []
        start, main_cpu, workers_cpu = time.perf_counter(), time.process_time(), children_cpu()
        report = store.ingest([corpus], on_article=lambda _article: stored_at.append(time.perf_counter()))
        seconds = time.perf_counter() - start
        main_cpu, workers_cpu = time.process_time() - main_cpu, children_cpu() - workers_cpu
    # articles are stored a window at a time; the steady rate runs from the end of the first window
    first = first_window - 1
    steady = (len(stored_at) - 1 - first) / (stored_at[-1] - stored_at[first]) if len(stored_at) > first_window else None
    count = report.added + report.unchanged
    return {
        "seconds": seconds,
        "rate": count / seconds,
        "steady": steady,
        "worker_ms": 1000 * workers_cpu / count,
        "main_ms": 1000 * main_cpu / count,
        "busy": (main_cpu + workers_cpu) / (seconds * 2),
        "added": report.added,
        "copies": report.duplicates,
        "failed": len(report.errors),
    }


def summary(values: list[float], form: str) -> str:
    text = format(statistics.median(values), form)
    return text if len(values) == 1 else f"{text} ({format(min(values), form)}-{format(max(values), form)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jsonl", type=Path, help="ingest this JSONL corpus instead of a generated one")
    parser.add_argument("--history", type=int, default=0, help="the store already holds the state of this many earlier articles")
    parser.add_argument("--one-run", type=Path, help=argparse.SUPPRESS)  # by the parent process, in a fresh one
    args = parser.parse_args()
    if args.one_run:
        print(json.dumps(measure(args.one_run, args.processes, args.history)))
        return

    with tempfile.TemporaryDirectory() as folder:
        if args.jsonl:
            corpus, described = args.jsonl, str(args.jsonl)
            rows = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
        else:
            sys.path.insert(0, str(HERE))
            from generate import articles

            corpus, described = Path(folder) / "corpus.jsonl", "generated"
            rows = list(articles(args.articles, seed=7))
            corpus.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
        words = statistics.mean(len(row["text"].split()) for row in rows)
        command = [sys.executable, __file__, "--one-run", str(corpus), "--processes", str(args.processes), "--history", str(args.history)]
        runs = []
        for number in range(1, args.runs + 1):
            run = json.loads(subprocess.check_output(command))
            steady = f"steady {run['steady']:.1f}/s" if run["steady"] else "no steady rate (one store window)"
            print(
                f"run {number}: {run['seconds']:.1f} s, {run['rate']:.1f} articles/s, {steady},"
                f" cores busy {100 * run['busy']:.0f} %",
                flush=True,
            )
            runs.append(run)

    def column(key: str) -> list[float]:
        return [run[key] for run in runs]

    last = runs[-1]
    history = f", into a store holding the state of {args.history} earlier articles" if args.history else ""
    print(f"articles: {len(rows)} {described} (mean {words:.0f} words){history}, processes: {args.processes}, runs: {args.runs}")
    print(f"added {last['added']}, syndicated copies {last['copies']}, failed {last['failed']}")
    print(f"whole run:    {summary(column('seconds'), '.1f')} s, {summary(column('rate'), '.1f')} articles/s (target >= {TARGET:.0f})")
    if all(column("steady")):
        print(f"steady state: {summary(column('steady'), '.1f')} articles/s after the first stored window")
    print(
        f"CPU per article: workers {summary(column('worker_ms'), '.0f')} ms, main process {summary(column('main_ms'), '.0f')} ms;"
        f" cores busy {summary([100 * b for b in column('busy')], '.0f')} %"
    )


if __name__ == "__main__":
    main()
