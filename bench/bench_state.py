"""What saving and loading the clusterer's and deduper's state costs, as rows against the
whole-state blobs saved before (CPU seconds, `time.process_time`, so other load on the machine
does not count).

    python bench/bench_state.py [--articles 10000] [--window 128] [--store neus.db]

A state of `--articles` generated articles (bench/generate.py) is saved as rows in a new SQLite
store; then one more window of `--window` articles is placed and saved (what a writer does per
window), and another writer's copy catches up with it. `--store` measures an existing store's
state instead (e.g. one holding neus-dev or ECB+), loading it in full. Beside each figure, the
blob baseline: `dumps()` of both states (what every window saved before rows) and `loads()`
(what a writer read whenever another had saved).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def cpu(function):
    start = time.process_time()
    result = function()
    return time.process_time() - start, result


def blob_costs(clusterer, deduper) -> dict:
    from storyline.cluster import StoryClusterer
    from storyline.dedupe import Deduper

    dump_seconds, blobs = cpu(lambda: (clusterer.dumps(), deduper.dumps()))
    load_seconds, _ = cpu(lambda: (StoryClusterer.loads(blobs[0]), Deduper.loads(blobs[1])))
    return {"blob_save_s": dump_seconds, "blob_load_s": load_seconds, "blob_mb": sum(map(len, blobs)) / 1e6}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--window", type=int, default=128)
    parser.add_argument("--store", type=Path, help="measure this store's saved state instead")
    args = parser.parse_args()

    from storyline.cluster import StoryAssigner
    from storyline.store import Repository

    figures: dict[str, float] = {}
    if args.store:
        repo = Repository(args.store)
        with repo.read() as session:
            figures["rows_full_load_s"], (clusterer, deduper) = cpu(lambda: repo.load_grouping(session))
        figures["articles"] = len(deduper.entries)
        figures["stories"] = len(clusterer.stories)
        figures.update(blob_costs(clusterer, deduper))
    else:
        sys.path.insert(0, str(HERE))
        from generate import articles, cluster_items

        rows = list(articles(args.articles + args.window, seed=3))
        assigner = StoryAssigner()
        for row, item in zip(rows[: args.articles], cluster_items(rows[: args.articles])):
            assigner.place(item, row["text"])
        window = list(zip(rows[args.articles :], cluster_items(rows[args.articles :])))
        with tempfile.TemporaryDirectory() as folder:
            repo = Repository(Path(folder) / "state.db")
            with repo.write() as session:
                figures["rows_save_whole_s"], _ = cpu(lambda: repo.save_grouping(session, assigner.clusterer, assigner.deduper, 1, whole=True))
            with repo.read() as session:
                figures["rows_full_load_s"], (clusterer, deduper) = cpu(lambda: repo.load_grouping(session))
            figures.update(blob_costs(assigner.clusterer, assigner.deduper))
            for row, item in window:
                assigner.place(item, row["text"])
            with repo.write() as session:
                figures["rows_save_window_s"], written = cpu(lambda: repo.save_grouping(session, assigner.clusterer, assigner.deduper, 2))
            with repo.read() as session:
                figures["rows_catch_up_window_s"], _ = cpu(lambda: repo.load_grouping(session, clusterer, deduper, since=1))
            figures["rows_written_per_window"] = written
            figures["articles"] = args.articles
            figures["stories"] = len(assigner.clusterer.stories)
            figures["store_mb"] = (Path(folder) / "state.db").stat().st_size / 1e6
    for key, value in figures.items():
        print(f"{key:26} {value:.3f}" if isinstance(value, float) else f"{key:26} {value}")


if __name__ == "__main__":
    main()
