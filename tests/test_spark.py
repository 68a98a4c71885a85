"""Spark ingest in local mode equals the plain ingest: the same articles, annotations and stories.

One corpus folder (the demo corpus, part of ECB+ when ../shared has it, a .warc.gz, an RSS
feed, a broken line) goes through `spark-ingest` + `load-annotated` and through `ingest`: dated
files and undated ones (ECB+) read one after another, so the order the two paths cluster in is
checked where it is hardest. Then all of ECB+ (982 articles, several windows) goes both ways."""

from __future__ import annotations

import itertools
import json
import re
import shutil
from importlib.resources import files
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.cli import main
from tests.conftest import SHARED
from tests.ingest.test_rss import rss_feed
from tests.ingest.test_warc import demo_archive

pytest.importorskip("pyspark")
pytestmark = pytest.mark.slow

DEMO = files("storyline") / "data" / "demo" / "articles.jsonl"
ECBPLUS = SHARED / "data" / "ecbplus" / "articles.jsonl"
ECBPLUS_ARTICLES = 24  # the first topics: enough for several stories, cheap to annotate twice


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    shutil.copy(DEMO, folder / "demo.jsonl")
    rows = [json.loads(line) for line in DEMO.read_text(encoding="utf-8").splitlines() if line.strip()]
    demo_archive(rows[:3], compress=True).write(folder / "crawl.warc.gz")
    (folder / "wire.rss").write_text(rss_feed(rows[3:6], full_every=1), encoding="utf-8")
    (folder / "broken.jsonl").write_text('{"id": "ok", "text": "A line that reads."}\n{not json\n', encoding="utf-8")
    if ECBPLUS.exists():
        with ECBPLUS.open(encoding="utf-8") as source:
            (folder / "ecbplus.jsonl").write_text("".join(itertools.islice(source, ECBPLUS_ARTICLES)), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def stores(corpus, tmp_path_factory):
    """(store from spark-ingest + load-annotated, store from ingest, the two commands' outputs)."""
    work = tmp_path_factory.mktemp("spark")
    runner = CliRunner()
    spark_run = runner.invoke(main, ["spark-ingest", str(corpus), "--out", str(work / "annotated"), "--master", "local[2]"])
    load_run = runner.invoke(main, ["load-annotated", str(work / "annotated"), "--db", str(work / "spark.db")])
    assert load_run.exit_code == 0, load_run.output
    plain_run = runner.invoke(main, ["ingest", str(corpus), "--db", str(work / "plain.db")])
    from storyline import Storyline

    return Storyline(work / "spark.db"), Storyline(work / "plain.db"), spark_run, plain_run


def test_spark_writes_one_parquet_row_per_article_and_reports_bad_input(stores, corpus):
    spark_store, plain_store, spark_run, plain_run = stores
    assert spark_run.exit_code == 1 and plain_run.exit_code == 1  # the broken line
    bad_line = f"{corpus / 'broken.jsonl'}:2: invalid JSON"
    assert bad_line in spark_run.output and bad_line in plain_run.output
    # every article read is annotated, those the plain ingest found already stored (a feed's
    # entry with the same URL and text as a corpus line) included
    added, updated, unchanged = map(int, re.search(r"(\d+) added, (\d+) updated, (\d+) unchanged", plain_run.output).groups())
    assert f"{added + updated + unchanged} articles annotated" in spark_run.output
    assert added == plain_store.repo.count_articles() >= 35 + 1 + (ECBPLUS_ARTICLES if ECBPLUS.exists() else 0)


def assert_same_stores(spark_store, plain_store, fewest_stories: int) -> None:
    """The same stories and storylines, and every article equal with its actors, quotes and events."""
    stories = plain_store.stories()
    assert len(stories) >= fewest_stories
    assert spark_store.stories() == stories
    assert spark_store.storylines() == plain_store.storylines()
    annotations = []
    for story in stories:
        for member in story.articles:
            stored = plain_store.article(member.id)
            assert spark_store.article(member.id) == stored
            annotations.append(stored.annotation)
    assert sum(len(a.actors) for a in annotations) > 2 * len(annotations)
    assert sum(len(a.quotes) for a in annotations) > 10 and sum(len(a.events) for a in annotations) > 10


def test_the_same_stories_articles_actors_quotes_and_events(stores):
    spark_store, plain_store, *_ = stores
    assert_same_stores(spark_store, plain_store, fewest_stories=7)


def annotated_folder(tmp_path_factory) -> Path:
    return next(tmp_path_factory.getbasetemp().glob("spark*/annotated"))


def test_loading_again_adds_nothing(stores, tmp_path_factory):
    spark_store, *_ = stores
    from storyline.columnar import read_annotated

    folder = annotated_folder(tmp_path_factory)
    before = spark_store.stories()
    report = spark_store.add_annotated(read_annotated(folder))
    assert report.added == report.updated == 0 and report.unchanged >= spark_store.repo.count_articles()
    assert spark_store.stories() == before


def test_loading_shows_progress_of_the_total(stores, tmp_path_factory, tmp_path, monkeypatch):
    import storyline.cli

    spark_run = stores[2]
    total = int(re.search(r"(\d+) articles annotated", spark_run.output).group(1))
    monkeypatch.setattr(storyline.cli, "PROGRESS_EVERY", 0.0)  # a line per article
    run = CliRunner().invoke(main, ["load-annotated", str(annotated_folder(tmp_path_factory)), "--db", str(tmp_path / "again.db")])
    assert run.exit_code == 0, run.output
    lines = [line for line in run.output.splitlines() if line.startswith("Loading: ")]
    assert len(lines) >= total and lines[-1].startswith(f"Loading: {total}/{total} articles, ")
    assert re.search(r"[\d.]+ articles/s", lines[-1])


@pytest.mark.skipif(not ECBPLUS.exists(), reason=f"{ECBPLUS} is not there")
def test_all_of_ecbplus_the_same_as_the_plain_ingest(tmp_path):
    """Every ECB+ article (982, undated, so clustered in input order) over several windows of the
    loader: `local[2]` splits the file over two workers and the sort puts it back together."""
    from storyline import Storyline

    runner = CliRunner()
    spark_run = runner.invoke(main, ["spark-ingest", str(ECBPLUS), "--out", str(tmp_path / "annotated"), "--master", "local[2]"])
    assert spark_run.exit_code == 0, spark_run.output
    load_run = runner.invoke(main, ["load-annotated", str(tmp_path / "annotated"), "--db", str(tmp_path / "spark.db")])
    assert load_run.exit_code == 0, load_run.output
    plain_run = runner.invoke(main, ["ingest", str(ECBPLUS), "--db", str(tmp_path / "plain.db")])
    assert plain_run.exit_code == 0, plain_run.output
    spark_store, plain_store = Storyline(tmp_path / "spark.db"), Storyline(tmp_path / "plain.db")
    assert spark_store.repo.count_articles() == plain_store.repo.count_articles() == 982
    assert_same_stores(spark_store, plain_store, fewest_stories=43)
