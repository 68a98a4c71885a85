"""Spark ingest against the plain ingest, on the same corpus (default: real news text, ECB+).

Run: .venv/bin/python bench/bench_spark.py [--jsonl ../shared/data/ecbplus/articles.jsonl] [--articles 300]

Each mode runs in a fresh process over the same first `--articles` lines of the corpus:

- plain, 1 process / 2 processes: `Storyline(db, processes=N).ingest([corpus])`;
- Spark local[1] / local[2]: `spark-ingest` (session start, read, annotate, sort, write
  Parquet), then `load-annotated` (dedupe, cluster, store), timed apart.

Prints articles/s of each, its ratio to the plain ingest on one process, and the CPU time per
article of all its processes (Spark's JVM and Python workers included): on a shared machine the
wall-clock figures are noisy (other jobs take the cores; the load average is printed with each
line), the CPU time much less so. Spark's fixed cost (JVM start, model load per worker, the
sort) weighs on a small corpus.
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
TICKS = os.sysconf("SC_CLK_TCK")


def timed(code: str) -> tuple[float, float]:
    """Wall seconds a fresh Python process takes to run `code`, and the CPU seconds it and every
    process under it (Spark's JVM and Python workers, annotation workers) used: sampled from
    /proc every 0.2 s, since Spark's workers are not waited for and escape `getrusage`."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", code], cwd=REPO, stderr=subprocess.DEVNULL)
    seen: dict[int, float] = {}
    while process.poll() is None:
        seen.update(tree_cpu(process.pid))
        time.sleep(0.2)
    if process.returncode:
        raise SystemExit(f"failed: {code}")
    return time.perf_counter() - start, sum(seen.values())


def tree_cpu(root: int) -> dict[int, float]:
    """CPU seconds so far of `root` and every process descending from it, by pid."""
    parents, cpu = {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        cpu[int(entry.name)] = (int(fields[11]) + int(fields[12])) / TICKS
    def under_root(pid: int) -> bool:
        while pid > 1:
            if pid == root:
                return True
            pid = parents.get(pid, 0)
        return False
    return {pid: seconds for pid, seconds in cpu.items() if under_root(pid)}


def plain(corpus: Path, work: Path, processes: int) -> tuple[float, float]:
    db = work / f"plain{processes}.db"
    return timed(f"from storyline import Storyline; Storyline({str(db)!r}, processes={processes}).ingest([{str(corpus)!r}])")


def spark(corpus: Path, work: Path, cores: int) -> tuple[tuple[float, float], tuple[float, float]]:
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
    parser.add_argument("--only", choices=["plain", "spark"], help="Run only these modes.")
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
            ("plain ingest, 1 process", lambda: (plain(corpus, work, 1), (0.0, 0.0))),
            ("plain ingest, 2 processes", lambda: (plain(corpus, work, 2), (0.0, 0.0))),
            ("spark local[1]", lambda: spark(corpus, work, 1)),
            ("spark local[2]", lambda: spark(corpus, work, 2)),
        ]:
            if args.only and not label.startswith(args.only):
                continue
            (annotate, annotate_cpu), (load, load_cpu) = run()
            total = annotate + load
            base = base or total
            split = (
                f"; spark-ingest {annotate:.0f} s ({1000 * annotate_cpu / count:.0f} ms CPU/article),"
                f" load-annotated {load:.0f} s = {count / load:.1f}/s ({1000 * load_cpu / count:.0f} ms CPU/article)"
                if load else ""
            )
            print(
                f"{label:26} {total:6.1f} s  {count / total:5.1f} articles/s  x{base / total:.2f}"
                f"  CPU {1000 * (annotate_cpu + load_cpu) / count:.0f} ms/article{split}"
                f"  [load average {os.getloadavg()[0]:.1f}]",
                flush=True,
            )


if __name__ == "__main__":
    main()
