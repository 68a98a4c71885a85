"""Spark ingest for backfills: read, extract and annotate articles on many cores, write Parquet.

    storyline spark-ingest INPUT... --out DIR [--master local[4]]
    spark-submit --master yarn src/storyline/spark.py INPUT... --out DIR   # the same command

Inputs are any Hadoop-compatible paths (local, hdfs://, s3a://, gs://; folders are read
recursively, globs work): each file is read whole (`binaryFiles`) by the same readers as
`storyline ingest` (JSONL, WARC and .warc.gz, HTML, RSS/Atom, text), chosen by its name. The
articles are spread over the cluster and annotated in `mapPartitions`, the spaCy model loaded
once per worker process; nothing is fetched from the network. The output is Parquet, one row per
article (`storyline.columnar`), written in publication order: `storyline load-annotated DIR`
then dedupes, clusters and stores it streaming.

Imports are absolute so that spark-submit can run this file as a script.
"""

from __future__ import annotations

import os
import sys
from bisect import bisect_left
import tempfile
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse

from storyline.errors import IngestError
from storyline.ingest import IngestOptions, expand, read, reader_for
from storyline.records import Article

# where each article came from, to keep publication order ties in input order (as `ingest` does)
ORDER_COLUMNS = ("_order_time", "_order_file", "_order_path", "_order_position")
UNLISTED = 1 << 30  # the file index of inputs `ingest` cannot list (remote URIs): after local files, by name
# an article whose annotation failed: a row with only these set
ERROR_COLUMNS = ("_error_source", "_error_reason")


@dataclass
class SparkReport:
    articles: int = 0
    errors: list[IngestError] = field(default_factory=list)


def local_name(uri: str) -> str:
    """A file: URI as the plain path `storyline ingest` would name; other URIs as they are."""
    parsed = urlparse(uri)
    return parsed.path if parsed.scheme == "file" else uri


def file_order(paths: Iterable[str]) -> dict[str, int]:
    """The place of every local input file in the order `storyline ingest` reads them (folders
    walked sorted, files before subfolders), by resolved path. Remote URIs are not listed."""
    order: dict[str, int] = {}
    for item in expand([path for path in paths if "://" not in path]):
        if not isinstance(item, IngestError):
            order.setdefault(str(item.resolve()), len(order))
    return order


def order_key(name: str, files: Mapping[str, int]) -> tuple[int, str]:
    """Where a file comes in the input order: its place in `files`, then its name."""
    place = files.get(str(Path(name).resolve())) if "://" not in name else None
    return (UNLISTED if place is None else place), name


def read_file(
    uri: str, data: bytes, options: IngestOptions, outlets: Mapping[str, str] | None, files: Mapping[str, int]
) -> Iterator[tuple[tuple, Article] | IngestError]:
    """The articles of one input file, each with its order key (publication time or None, file
    place, name, position), or errors naming the input.

    The bytes are written to a private temporary file of the same name, so the file readers
    (which take paths, and name articles after them) read it exactly as `ingest` would."""
    from storyline.library import with_outlet

    name = local_name(uri)
    place = order_key(name, files)
    with tempfile.TemporaryDirectory(prefix="storyline-spark-") as folder:
        copy = Path(folder) / Path(urlparse(uri).path).name
        copy.write_bytes(data)
        del data
        anchor: datetime | None = None  # an undated article keeps its place after the dated one before it (see `anchored`)
        for position, item in enumerate(read([copy], options)):
            if isinstance(item, IngestError):
                yield IngestError(item.source.replace(str(copy), name), item.reason)
                continue
            article = with_outlet(item, outlets)
            if article.origin:
                article = replace(article, origin=article.origin.replace(str(copy), name))
            anchor = article.published or anchor
            yield (anchor, *place, position), article


def anchored(keyed, spark):
    """`keyed` with the undated articles at the head of a file anchored to the last dated article
    of the files before it, as `ingest` anchors them reading the files one after another. Only
    each file's last publication time goes through the driver."""
    last_dated = sorted(
        keyed.filter(lambda pair: pair[1].published is not None)
        .map(lambda pair: (pair[0][1:3], (pair[0][3], pair[1].published)))
        .reduceByKey(max)  # the dated article latest in the file
        .collect()
    )
    files = spark.sparkContext.broadcast(([file for file, _ in last_dated], [moment for _, (_, moment) in last_dated]))

    def anchor(pair):
        (moment, *place), article = pair
        if moment is None:
            earlier, moments = files.value
            before = bisect_left(earlier, tuple(place[:2]))
            moment = moments[before - 1] if before else None
        return (moment, *place), article

    return keyed.map(anchor)


def annotate_partition(keyed: Iterable[tuple[tuple, Article]]) -> Iterator[dict]:
    """Rows of annotated articles (or of the errors that stopped their annotation): one spaCy
    model per worker process, batches as in `ingest`."""
    from storyline.annotate import annotate_stream
    from storyline.columnar import row_from_pair

    keys: deque[tuple] = deque()  # annotations come back in input order

    def articles() -> Iterator[Article]:
        for key, article in keyed:
            keys.append(key)
            yield article

    for pair in annotate_stream(articles(), processes=1):
        key = keys.popleft()
        if isinstance(pair, IngestError):
            yield dict(zip(ERROR_COLUMNS, (pair.source, pair.reason)))
            continue
        row = row_from_pair(*pair)
        row.update(zip(ORDER_COLUMNS, key))
        yield row


def session(master: str | None = None):
    """A Spark session; `master` None keeps what spark-submit set (local[*] on its own)."""
    from pyspark.sql import SparkSession

    # Python workers run this interpreter, so they find the same packages
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = (
        SparkSession.builder.appName("storyline spark-ingest")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.hadoop.mapreduce.input.fileinputformat.input.dir.recursive", "true")
        .config("spark.sql.session.timeZone", "UTC")
    )
    if master:
        builder = builder.master(master)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")  # errors in the input are reported per file, not as Spark warnings
    return spark


def spark_ingest(
    spark,
    inputs: Iterable[str],
    out: str,
    options: IngestOptions | None = None,
    outlets: Mapping[str, str] | None = None,
    partitions: int | None = None,
) -> SparkReport:
    """Read and annotate `inputs` on `spark`; write the annotated articles to `out` as Parquet,
    sorted by publication time (ties in input order). Errors are collected, not fatal."""
    from pyspark import StorageLevel

    from storyline.columnar import spark_schema

    options = replace(options or IngestOptions(), fetch=False)  # no network on the workers
    report = SparkReport()
    paths = []
    for given in inputs:
        if "://" not in given and not any(ch in given for ch in "*?[") and not Path(given).exists():
            report.errors.append(IngestError(given, "no such file or folder"))
        else:
            # absolute, but through the same links as given: articles are named after the path as `ingest` names them
            paths.append(os.path.abspath(given) if "://" not in given else given)
    if not paths:
        return report
    files = spark.sparkContext.binaryFiles(",".join(paths)).filter(
        lambda pair: reader_for(Path(urlparse(pair[0]).path)) is not None
        and not Path(urlparse(pair[0]).path).name.startswith((".", "_"))
    )
    order = file_order(paths)
    items = files.flatMap(lambda pair: read_file(pair[0], pair[1], options, outlets, order)).persist(StorageLevel.MEMORY_AND_DISK)
    try:
        report.errors.extend(items.filter(lambda item: isinstance(item, IngestError)).collect())
        keyed = anchored(items.filter(lambda item: not isinstance(item, IngestError)), spark)
        keyed = keyed.repartition(partitions or spark.sparkContext.defaultParallelism)
        schema = (
            spark_schema() + ", `_order_time` TIMESTAMP_NTZ, `_order_file` INT, `_order_path` STRING, `_order_position` INT"
            ", `_error_source` STRING, `_error_reason` STRING"
        )
        # annotated once: the sort samples its input before sorting it
        rows = spark.createDataFrame(keyed.mapPartitions(annotate_partition), schema).persist(StorageLevel.MEMORY_AND_DISK)
        try:
            failed = rows.where(rows._error_source.isNotNull())
            report.errors.extend(IngestError(row._error_source, row._error_reason) for row in failed.select(*ERROR_COLUMNS).collect())
            annotated = rows.where(rows._error_source.isNull())
            report.articles = annotated.count()
            annotated.orderBy(*ORDER_COLUMNS).drop(*ORDER_COLUMNS, *ERROR_COLUMNS).write.parquet(out)
        finally:
            rows.unpersist()
    finally:
        items.unpersist()
    return report


if __name__ == "__main__":
    from storyline.cli import main

    main(["spark-ingest", *sys.argv[1:]])
