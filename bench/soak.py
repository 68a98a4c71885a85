"""Soak test of concurrent writers on one store (run by hand, not in CI).

    python bench/soak.py [--corpus ../shared/data/neus-dev/articles.jsonl] [--limit N]
                         [--processes 2] [--threads 2] [--api 1] [--readers 2]

The corpus arrives as news does, a few days at a time (`--block-days`): the articles of each
block are dealt round-robin to the writers, which store them at once — `--processes`
`storyline ingest` processes (one per block), `--threads` library threads (a `Storyline` each,
kept across blocks) and `--api` threads posting their part to one `storyline serve` process in
batches — and the next block starts when every writer is done with this one (tomorrow's news
is not out yet). `--readers` threads read pages of the server and the library all along. The
same corpus, in the same order, is also ingested by one writer alone. At the end:

- every article is stored, in a story, and known to the saved deduper;
- every syndicated copy is in its original's story;
- the grouping agrees with the single writer's on the same input: B-cubed F1 >= 0.98. Writers
  at work at once place their windows together, in publication order (`Storyline._store_window`),
  so the concurrent store should group as the single writer does; what still differs is where a
  writer placed alone while another had not started yet or had waited over two minutes, and
  the story model groups by the order articles are placed in. Beside it, its baseline computed
  the same way: one writer given the same articles with each day's articles in another order
  (dates are often whole days, and a day's order is arbitrary) — the story model's own
  sensitivity to an order no one chose;
- no writer and no read failed (every request answered 200, every process exited 0);
- `PRAGMA integrity_check` is ok.

Prints the figures (and `--json` for machines); exits 1 if a check fails.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "data" / "neus-dev" / "articles.jsonl"
TOKEN = "soak-test-token"
API_BATCH = 20
MIN_AGREEMENT = 0.98


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")


class Tally:
    """Counts of requests and failures, shared by threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.counts: dict[str, int] = {}
        self.failures: list[str] = []

    def ok(self, what: str) -> None:
        with self.lock:
            self.counts[what] = self.counts.get(what, 0) + 1

    def failed(self, what: str, why: str) -> None:
        with self.lock:
            self.counts[what] = self.counts.get(what, 0) + 1
            self.failures.append(f"{what}: {why}"[:300])


def wait_for_server(base: str, server: subprocess.Popen, seconds: float = 180.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with {server.returncode}")
        try:
            if httpx.get(f"{base}/stories.json", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit("the server did not answer in time")


def days_blocks(rows: list[dict], days: float) -> list[list[dict]]:
    """Rows (in date order) cut into blocks of `days` days of news."""
    from storyline.ingest.common import parse_datetime

    blocks: list[list[dict]] = []
    start = None
    for row in rows:
        moment = parse_datetime(row["published"]) if row.get("published") else None
        if not blocks or (moment and start and (moment - start).total_seconds() >= days * 86400):
            blocks.append([])
            start = moment
        start = start or moment
        blocks[-1].append(row)
    return blocks


def library_writer(writer, path: Path, tally: Tally) -> None:
    try:
        report = writer.ingest([path])
        if report.errors:
            tally.failed("library write", "; ".join(str(error) for error in report.errors))
        else:
            tally.ok("library write")
    except Exception as error:  # noqa: BLE001 - a soak test reports every failure
        tally.failed("library write", repr(error))


def api_writer(base: str, rows: list[dict], tally: Tally) -> None:
    if not rows:
        return
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=600) as client:
        for start in range(0, len(rows), API_BATCH):
            batch = [{key: row[key] for key in ("id", "title", "text", "source", "url", "published") if row.get(key)} for row in rows[start : start + API_BATCH]]
            try:
                answer = client.post("/api/articles", json={"articles": batch})
                if answer.status_code == 200 and not answer.json()["errors"]:
                    tally.ok("api write")
                else:
                    tally.failed("api write", f"{answer.status_code} {answer.text}")
            except httpx.HTTPError as error:
                tally.failed("api write", repr(error))


def reader(base: str, db: Path, stop: threading.Event, tally: Tally, seed: int) -> None:
    from storyline import Storyline

    rng = random.Random(seed)
    library = Storyline(db, processes=1)
    with httpx.Client(base_url=base, timeout=120) as client:
        while not stop.is_set():
            for path in ("/stories.json?limit=20", "/storylines.json", "/stories.json?q=vaccine"):
                try:
                    answer = client.get(path)
                    if answer.status_code == 200:
                        tally.ok("api read")
                        stories = answer.json().get("stories") or []
                        if stories:
                            story = client.get(rng.choice(stories)["href"] + ".json")
                            if story.status_code == 200:
                                tally.ok("api read")
                            else:
                                tally.failed("api read", f"{story.url}: {story.status_code}")
                    else:
                        tally.failed("api read", f"{path}: {answer.status_code} {answer.text[:200]}")
                except httpx.HTTPError as error:
                    tally.failed("api read", f"{path}: {error!r}")
            try:
                library.stories(limit=20)
                library.storylines(limit=5)
                tally.ok("library read")
            except Exception as error:  # noqa: BLE001
                tally.failed("library read", repr(error))
            stop.wait(0.2)


def check_store(db: Path, ids: set[str], reference: dict[str, str]) -> dict:
    from storyline.eval.cluster import scores
    from storyline.store import Repository

    with sqlite3.connect(db) as connection:
        stories = dict(connection.execute("SELECT id, story_id FROM articles"))
        copies = list(connection.execute("SELECT id, duplicate_of FROM articles WHERE duplicate_of IS NOT NULL"))
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
    known = set(Repository(db).load_grouping()[1].entries)
    return {
        "articles_expected": len(ids),
        "articles_stored": len(stories),
        "missing": len(ids - set(stories)),
        "without_story": sum(1 for story in stories.values() if not story),
        "unknown_to_deduper": len(ids - known),
        "copies": len(copies),
        "copies_apart_from_original": sum(stories[copy] != stories.get(original) for copy, original in copies),
        "stories": len(set(stories.values())),
        "stories_single_writer": len(set(reference.values())),
        "b3_f1_vs_single_writer": round(scores(stories, reference)["b3_f1"], 4),
        "baseline_b3_f1_one_writer_days_reordered": round(scores(replay(db), reference)["b3_f1"], 4),
        "integrity_check": integrity,
    }


def replay(db: Path) -> dict[str, str]:
    """The grouping one writer makes of the stored articles in publication order, each day's
    articles in a random order (store-free)."""
    from storyline.cluster import assign_stories, cluster_item
    from storyline.store import Repository

    repo = Repository(db)
    with sqlite3.connect(db) as connection:
        order = [article_id for (article_id,) in connection.execute("SELECT id FROM articles ORDER BY rowid")]
    with repo.write() as session:
        stored = repo.stored_articles(session, order)
    items = [cluster_item(entry.article, entry.annotation) for entry in stored]
    rng = random.Random(0)
    keyed = [(item.published.date() if item.published else None, rng.random(), item) for item in items]
    items = [item for *_, item in sorted(keyed, key=lambda entry: (entry[0] is not None, entry[0] or 0, entry[1]))]
    return assign_stories(items, {entry.article.id: entry.article.text for entry in stored})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, help="only the first N articles by date")
    parser.add_argument("--processes", type=int, default=2, help="`storyline ingest` processes")
    parser.add_argument("--threads", type=int, default=2, help="library writer threads")
    parser.add_argument("--api", type=int, default=1, help="threads posting to the HTTP API")
    parser.add_argument("--readers", type=int, default=2)
    parser.add_argument("--block-days", type=float, default=2.0, help="days of news the writers store at once")
    parser.add_argument("--workdir", type=Path, help="where the stores go (default: a temporary folder)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    rows = [json.loads(line) for line in args.corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows.sort(key=lambda row: row.get("published") or "")
    rows = rows[: args.limit] if args.limit else rows  # the first days of news
    ids = {row["id"] for row in rows}
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="storyline-soak-"))
    workdir.mkdir(parents=True, exist_ok=True)
    writers = args.processes + args.threads + args.api
    blocks = days_blocks(rows, args.block_days)
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "STORYLINE_TOKEN": TOKEN}

    from storyline import Storyline

    started = time.monotonic()
    reference_db = workdir / "single.db"
    single = Storyline(reference_db, processes=1)
    for number, block in enumerate(blocks):  # the single writer gets the news as it arrives too
        write_jsonl(workdir / f"block{number}.jsonl", block)
        single.ingest([workdir / f"block{number}.jsonl"])
    with sqlite3.connect(reference_db) as connection:
        reference = dict(connection.execute("SELECT id, story_id FROM articles"))
    single_seconds = time.monotonic() - started

    db = workdir / "soak.db"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    tally = Tally()
    stop = threading.Event()
    started = time.monotonic()
    waited = 0
    # the server and the first CLI writers start at once: they create the new store together
    server = subprocess.Popen(
        [sys.executable, "-m", "storyline.cli", "serve", "--db", str(db), "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        library_writers = [Storyline(db, processes=1) for _ in range(args.threads)]
        readers = [threading.Thread(target=reader, args=(base, db, stop, tally, seed)) for seed in range(args.readers)]
        for number, block in enumerate(blocks):
            parts = [block[index::writers] for index in range(writers)]
            files: dict[int, Path] = {}
            for index, part in enumerate(parts[: args.processes + args.threads]):
                if part:
                    files[index] = workdir / f"block{number}-writer{index}.jsonl"
                    write_jsonl(files[index], part)
            processes = [
                subprocess.Popen([sys.executable, "-m", "storyline.cli", "ingest", str(path), "--db", str(db)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                for index, path in files.items()
                if index < args.processes
            ]
            if number == 0:
                wait_for_server(base, server)
                for thread in readers:
                    thread.start()
            threads = [
                threading.Thread(target=library_writer, args=(library_writers[index - args.processes], path, tally))
                for index, path in files.items()
                if index >= args.processes
            ]
            threads += [threading.Thread(target=api_writer, args=(base, part, tally)) for part in parts[args.processes + args.threads :]]
            for thread in threads:
                thread.start()
            for process in processes:
                _, errors = process.communicate()
                waited += errors.decode("utf-8", "replace").count("waiting for another writer")
                if process.returncode == 0:
                    tally.ok("cli write")
                else:
                    tally.failed("cli write", errors.decode("utf-8", "replace")[-300:])
            for thread in threads:
                thread.join()
        stop.set()
        for thread in readers:
            if thread.is_alive():
                thread.join()
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    concurrent_seconds = time.monotonic() - started

    figures = {
        "writers": {"cli processes": args.processes, "library threads": args.threads, "api threads": args.api},
        "readers": args.readers,
        "single_writer_seconds": round(single_seconds, 1),
        "concurrent_seconds": round(concurrent_seconds, 1),
        **check_store(db, ids, reference),
        "requests": tally.counts,
        "failed": len(tally.failures),
        "failures": tally.failures[:10],
        "blocks": len(blocks),
        "cli_waits_reported": waited,
    }
    passed = (
        figures["missing"] == figures["without_story"] == figures["unknown_to_deduper"] == 0
        and figures["copies_apart_from_original"] == 0
        and figures["b3_f1_vs_single_writer"] >= MIN_AGREEMENT
        and figures["failed"] == 0
        and figures["integrity_check"] == "ok"
    )
    figures["passed"] = passed
    if args.json:
        print(json.dumps(figures, indent=1))
    else:
        for key, value in figures.items():
            print(f"{key:28} {value}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
