"""Spark ingest against the plain ingest, on the same corpus (default: real news text, ECB+).

Run: .venv/bin/python bench/bench_spark.py [--jsonl ../shared/data/ecbplus/articles.jsonl] [--articles 300]

Each mode runs in a fresh process over the same first `--articles` lines of the corpus:

- plain, 1 process / 2 processes: `Storyline(db, processes=N).ingest([corpus])`;
- Spark local[1] / local[2]: `spark-ingest` (session start, read, annotate, sort, write
  Parquet), then `load-annotated` (dedupe, cluster, store), timed apart.

Prints articles/s of each and its ratio to the plain ingest on one process. The machine is
shared and has 2 cores: figures are noisy (other jobs take cores; the load average is printed
with each line), and Spark's fixed cost (JVM start, ~10-30 s) weighs on a small corpus.
"""

from __future__ import annotations

import argparse
import itertools
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ECBPLUS = REPO.parent / "shared" / "data" / "ecbplus" / "articles.jsonl"


def timed(code: str) -> float:
    """Seconds a fresh Python process takes to run `code`."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def plain(corpus: Path, work: Path, processes: int) -> float:
    db = work / f"plain{processes}.db"
    return timed(f"from storyline import Storyline; Storyline({str(db)!r}, processes={processes}).ingest([{str(corpus)!r}])")


def spark(corpus: Path, work: Path, cores: int) -> tuple[float, float]:
    out, db = work / f"spark{cores}", work / f"spark{cores}.db"
    annotate = timed(
        "from storyline.spark import session, spark_ingest\n"
        f"spark = session('local[{cores}]')\n"
        f"spark_ingest(spark, [{str(corpus)!r}], {str(out)!r})\n"
        "spark.stop()"
    )
    load = timed(
        "from storyline import Storyline; from storyline.columnar import read_annotated\n"
        f"Storyline({str(db)!r}).add_annotated(read_annotated({str(out)!r}))"
    )
    return annotate, load


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jsonl", type=Path, default=ECBPLUS)
    parser.add_argument("--articles", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-spark-") as folder:
        work = Path(folder)
        corpus = work / "corpus.jsonl"
        with args.jsonl.open(encoding="utf-8") as source:
            corpus.write_text("".join(itertools.islice(source, args.articles)), encoding="utf-8")
        count = sum(1 for line in corpus.open(encoding="utf-8") if line.strip())
        print(f"{count} articles from {args.jsonl}")
        base = None
        for label, run in [
            ("plain ingest, 1 process", lambda: (plain(corpus, work, 1), 0.0)),
            ("plain ingest, 2 processes", lambda: (plain(corpus, work, 2), 0.0)),
            ("spark local[1]", lambda: spark(corpus, work, 1)),
            ("spark local[2]", lambda: spark(corpus, work, 2)),
        ]:
            annotate, load = run()
            total = annotate + load
            base = base or total
            split = f" (spark-ingest {annotate:.0f} s = {count / annotate:.1f}/s, load-annotated {load:.0f} s = {count / load:.1f}/s)" if load else ""
            print(
                f"{label:26} {total:6.1f} s  {count / total:5.1f} articles/s  x{base / total:.2f}{split}"
                f"  [load average {os.getloadavg()[0]:.1f}]",
                flush=True,
            )


if __name__ == "__main__":
    main()
