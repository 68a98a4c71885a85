"""WARC ingest throughput (records/s) and memory over a generated archive of about 1 GB.

Run: .venv/bin/python bench/bench_warc.py [--size-mb 1024] [--gzip] [--dir /tmp] [--keep]

Generates into `--dir` (default /tmp) a WARC shaped like a CC-News crawl: per page a
request record, a response record with a news page (navigation, scripts, styles and an
article body built from the demo corpus, varied so no two pages are equal) and a
metadata record, with the odd redirect, 404 and image among them. Then streams it
through `ingest.warc.iter_warc` (the reader `storyline ingest` uses) and prints records/s,
articles/s, MB/s and the process's resident memory sampled as the file is read: flat
memory means the samples stay level while the position in the file grows.
The archive is deleted afterwards unless --keep. Not run by the tests.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import resource
import time
from importlib.resources import files
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyline.errors import IngestError
from storyline.ingest import IngestOptions
from storyline.ingest.warc import WarcStats, iter_warc

DEMO = files("storyline") / "data" / "demo" / "articles.jsonl"
MB = 1024 * 1024
MEMORY_SAMPLES = 10
SECTIONS = ["world", "business", "politics", "sport", "culture", "science", "opinion", "local"]


def resident_mb() -> float:
    """Current resident set size of this process, from /proc (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def page_html(rng: random.Random, number: int, row: dict, paragraphs: list[str]) -> bytes:
    """A news page of 60-120 KB, like the pages in CC-News: most of it is not the article."""
    body = [p.replace("Saltmere", rng.choice(["Saltmere", "Kellhaven", "Ellmouth", "Corran"])) for p in rng.sample(paragraphs, 8)]
    body.append(f"Reference {number}: {rng.getrandbits(64):x}.")
    links = "".join(f'<li><a href="/{s}/{rng.getrandbits(32):x}">{s.title()} story {i}</a></li>' for i in range(60) for s in [rng.choice(SECTIONS)])
    script = "var config = " + json.dumps({f"k{i}": rng.getrandbits(48) for i in range(rng.randint(900, 2200))}) + ";"
    style = "".join(f".c{i}{{margin:{i % 7}px;color:#{rng.getrandbits(24):06x}}}" for i in range(400))
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{row["title"]} | {row["source"]}</title>'
        f'<meta property="og:site_name" content="{row["source"]}">'
        f'<meta property="article:published_time" content="{row["published"]}"><style>{style}</style>'
        f"<script>{script}</script></head><body><header><nav><ul>{links}</ul></nav></header>"
        f"<main><article><h1>{row['title']}</h1><p class='byline'>By {row['author']}</p>"
        + "".join(f"<p>{p}</p>" for p in body)
        + f"</article><aside><ul>{links}</ul></aside></main><footer>© {row['source']}</footer></body></html>"
    ).encode("utf-8")


def generate(path: Path, size_bytes: int, compress: bool, seed: int = 7) -> tuple[int, int]:
    """Write records until the file reaches `size_bytes`; returns (records, pages)."""
    rng = random.Random(seed)
    rows = [json.loads(line) for line in DEMO.read_text(encoding="utf-8").splitlines() if line.strip()]
    paragraphs = [p for row in rows for p in row["text"].split("\n\n") if len(p) > 80]
    records = pages = 0
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=compress)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "storyline bench_warc"}))
        records += 1
        while out.tell() < size_bytes:
            row = rng.choice(rows)
            url = f"https://www.{row['source'].lower().replace(' ', '')}.example/{rng.choice(SECTIONS)}/{pages}"
            request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example"), ("User-Agent", "bench")], is_http_request=True)
            writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(b""), http_headers=request))
            kind = rng.random()
            if kind < 0.03:
                status, media_type, payload = "404 Not Found", "text/html", b"<html><body>Not found</body></html>"
            elif kind < 0.06:
                status, media_type, payload = "200 OK", "image/jpeg", rng.randbytes(40_000)
            else:
                status, media_type, payload = "200 OK", "text/html; charset=utf-8", page_html(rng, pages, row, paragraphs)
                pages += 1
            headers = StatusAndHeaders(status, [("Content-Type", media_type)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(payload), http_headers=headers))
            fields = f"fetchTimeMs: {rng.randint(50, 900)}\r\noutlinks: 120\r\n".encode()
            writer.write_record(writer.create_warc_record(url, "metadata", payload=io.BytesIO(fields), warc_content_type="application/warc-fields"))
            records += 3
    return records, pages


def measure(path: Path) -> None:
    size = path.stat().st_size
    stats = WarcStats()
    samples: list[tuple[float, float]] = []  # (fraction of the file read, resident MB)
    next_sample = 0.0
    errors = 0
    started = time.perf_counter()
    for result in iter_warc(path, IngestOptions(), stats):
        if isinstance(result, IngestError):
            errors += 1
            print(result)
            continue
        position = int(result.origin.rsplit("@", 1)[1]) / size  # origin is "file@offset"
        if position >= next_sample:
            samples.append((position, resident_mb()))
            next_sample += 1 / MEMORY_SAMPLES
    elapsed = time.perf_counter() - started
    samples.append((1.0, resident_mb()))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"read:      {stats.summary()}")
    print(f"time:      {elapsed:.1f} s")
    print(f"records/s: {stats.records / elapsed:,.0f}    articles/s: {stats.articles / elapsed:,.1f}    MB/s: {size / MB / elapsed:.2f}")
    print("memory (resident MB at position in file): " + "  ".join(f"{fraction:4.0%}: {mb:.0f}" for fraction, mb in samples))
    print(f"memory peak: {peak:.0f} MB for a {size / MB:,.0f} MB file; errors: {errors}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=1024, help="size of the generated archive on disk")
    parser.add_argument("--gzip", action="store_true", help="one gzip member per record (.warc.gz), as CC-News")
    parser.add_argument("--dir", type=Path, default=Path("/tmp"))
    parser.add_argument("--keep", action="store_true", help="keep the generated archive")
    arguments = parser.parse_args()
    path = arguments.dir / ("storyline-bench.warc.gz" if arguments.gzip else "storyline-bench.warc")
    started = time.perf_counter()
    records, pages = generate(path, arguments.size_mb * MB, arguments.gzip)
    print(f"generated: {path} ({path.stat().st_size / MB:,.0f} MB, {records:,} records, {pages:,} article pages) in {time.perf_counter() - started:.0f} s")
    print(f"memory before reading: {resident_mb():.0f} MB")
    try:
        measure(path)
    finally:
        if not arguments.keep:
            path.unlink()


if __name__ == "__main__":
    main()
