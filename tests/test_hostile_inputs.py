"""Issue 15, end to end: no bad record ends a batch, and the Python API and the CLI refuse
what they cannot do with one clear message. Tests that annotate load the model (slow)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from storyline import Storyline
from storyline.cli import main, terminal_text
from storyline.errors import StoreError
from tests.web.fixtures import article, write_stories

ESCAPE = "\x1b]0;owned\x07\x1b[2J\x1b[31m"  # set the window title, clear the screen, turn red
TOKEN = "hostile-token"


def run(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, env=env)


def small_texts(folder: Path, count: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        (folder / f"council-{number}.txt").write_text(
            f"Council vote number {number}\n\nThe Saltmere council voted on measure {number} on Monday. "
            f"Mayor Ines Alder said the vote on measure {number} was close.",
            encoding="utf-8",
        )


# ---- the Python API ----------------------------------------------------------------------


def test_memory_store_has_its_tables_in_every_thread():
    store = Storyline(":memory:")
    seen = []
    worker = threading.Thread(target=lambda: seen.append(store.stories()))
    worker.start()
    worker.join()
    assert store.stories() == [] and seen == [[]]


def test_search_syntax_errors_are_store_errors(tmp_path):
    store = Storyline(tmp_path / "s.db")
    for query in ('"', "AND", "a NEAR(", "\x00"):
        try:
            assert store.search(query) == []
        except StoreError as error:
            assert str(error).startswith("cannot search for")


def make_read_only(path: Path) -> bool:
    """Take write access away from `path` and its folder; False when this user writes anyway."""
    path.chmod(0o444)
    path.parent.chmod(0o555)
    if not os.access(path, os.W_OK):
        return True
    # root ignores permissions; the immutable attribute binds root too, where the file system has it
    chattr = shutil.which("chattr")
    return bool(chattr) and subprocess.run([chattr, "+i", str(path), str(path.parent)], capture_output=True).returncode == 0


def test_a_read_only_store_can_be_read(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "news.db"
    writer = Storyline(db)
    write_stories(writer.repo)
    writer.repo.engine.dispose()  # the last connection closed: the write-ahead log is folded in
    if not make_read_only(db):
        pytest.skip("this user can write any file and the file system has no immutable attribute")
    try:
        stories = Storyline(db).stories()
    finally:
        if shutil.which("chattr"):
            subprocess.run(["chattr", "-i", str(db), str(folder)], capture_output=True)
        folder.chmod(0o755)
        db.chmod(0o644)
    assert {story.id for story in stories} == {"harbour-vote", "hostile-story", "bridge-repairs"}


@pytest.mark.slow
def test_one_oversize_text_in_a_folder_of_eleven_loses_only_itself(tmp_path):
    small_texts(tmp_path / "news", 10)
    (tmp_path / "news" / "huge.txt").write_text("Huge\n\n" + "The council met again. " * 53_000, encoding="utf-8")
    report = Storyline(tmp_path / "s.db", processes=1).ingest(str(tmp_path / "news"))  # a string: one path
    assert report.added == 10
    assert [(Path(e.source).name, e.reason.split(" (")[0]) for e in report.errors] == [("huge.txt", "text too long")]


@pytest.mark.slow
def test_an_annotation_failure_is_that_articles_one_line_and_the_window_goes_on(tmp_path, monkeypatch):
    import storyline.annotate as annotate

    real = annotate.annotate_doc

    def failing_on_one(doc, article, title_doc=None):
        if "measure 3 " in article.text:
            raise ValueError("injected fault\nwith a second line")
        return real(doc, article, title_doc)

    monkeypatch.setattr(annotate, "annotate_doc", failing_on_one)
    small_texts(tmp_path / "news", 6)
    report = Storyline(tmp_path / "s.db", processes=1).ingest([tmp_path / "news"])
    assert report.added == 5
    [error] = report.errors
    assert error.source.endswith("council-3.txt")
    assert error.reason == "annotation failed (ValueError: injected fault with a second line)"


# ---- the CLI -----------------------------------------------------------------------------


@pytest.mark.slow
def test_extract_reports_each_bad_record_and_prints_the_rest(tmp_path):
    path = tmp_path / "mixed.jsonl"
    rows = [
        {"id": "good", "text": "Mayor Ines Alder said the harbour would stay open."},
        {"id": "bad-title", "text": "Body.", "title": {"an": "object"}},
        {"id": "big", "text": "word " * 210_000},
    ]
    path.write_text("\n".join(json.dumps(row) for row in rows) + "\n" + "[" * 100_000 + "\n", encoding="utf-8")
    result = run("extract", path)
    assert result.exit_code == 1
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["good"]
    assert result.stderr.splitlines() == [
        f"{path}:2: 'title' must be a string, not an object",
        f"{path}:3: text too long (1,050,000 characters; limit 1,000,000)",
        f"{path}:4: invalid JSON (nested too deeply)",
    ]


@pytest.mark.parametrize("value", ["-1", "0"])
def test_max_mb_must_be_positive(tmp_path, value):
    result = run("ingest", tmp_path, "--db", tmp_path / "s.db", "--max-mb", value)
    assert result.exit_code == 2 and "--max-mb" in result.output


@pytest.mark.slow
def test_skipped_files_are_counted_and_named_with_verbose(tmp_path):
    small_texts(tmp_path / "news", 1)
    for name in ("scan.pdf", "memo.docx", "README.md"):
        (tmp_path / "news" / name).write_bytes(b"not an article")
    quiet = run("ingest", tmp_path / "news", "--db", tmp_path / "s.db")
    assert quiet.exit_code == 0 and "3 skipped (not article files; -v names them)" in quiet.stderr
    loud = run("ingest", tmp_path / "news", "--db", tmp_path / "s.db", "-v")
    named = [line for line in loud.stderr.splitlines() if line.endswith("skipped (no reader for this kind of file)")]
    assert [Path(line.split(":")[0]).name for line in named] == ["README.md", "memo.docx", "scan.pdf"]


def test_titles_and_outlets_reach_the_terminal_without_control_characters(tmp_path):
    db = tmp_path / "s.db"
    store = Storyline(db)
    draft = article("esc", "Mayor Ines Alder spoke.", f"Harbour{ESCAPE} news", f"Evil{ESCAPE} Outlet", "2026-04-01T09:00:00")
    draft.actor("ines-alder", f"Ines{ESCAPE} Alder", "PERSON", "Ines Alder")
    write_stories(store.repo, {"esc-story": lambda: [draft]})
    for args in (("stories", "--db", db), ("show", "esc-story", "--db", db), ("show", "esc-story", "--db", db, "--format", "markdown")):
        result = run(*args)
        assert result.exit_code == 0, result.output
        assert "\x1b" not in result.stdout and "\x07" not in result.stdout, args
    assert "Harbour]0;owned[2J[31m news" in result.stdout  # the text stays; only the control characters go
    assert terminal_text("a\x1b[31mb\u202ec\x00d\ne\tf") == "a[31mbcd\ne\tf"


def test_watch_exits_non_zero_when_feeds_fail_and_refuses_loopback_by_default(tmp_path):
    from tests.test_watch import FeedServer, rss

    server = FeedServer()
    try:
        server.feeds["/a.rss"] = rss([])
        feeds = tmp_path / "feeds.txt"
        feeds.write_text(f"{server.url('/a.rss')}\n", encoding="utf-8")
        refused = run("watch", feeds, "--db", tmp_path / "s.db", "--rounds", "1")
        assert refused.exit_code == 1
        assert "refused: 127.0.0.1 is not a public address" in refused.stderr
        assert server.requests == []
        allowed = run("watch", feeds, "--db", tmp_path / "s.db", "--rounds", "1", "--allow-private-addresses")
        assert allowed.exit_code == 0, allowed.stderr
        feeds.write_text(f"{server.url('/broken')}\n", encoding="utf-8")
        broken = run("watch", feeds, "--db", tmp_path / "s.db", "--rounds", "1", "--allow-private-addresses")
        assert broken.exit_code == 1 and "HTTP 500" in broken.stderr
    finally:
        server.close()


# ---- the HTTP API --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body, reason",
    [
        ({"articles": [{"id": "big", "text": "word " * 210_000}]}, "text too long"),
        ({"articles": [{"id": "s", "text": "Body.", "title": "\ud800"}]}, "Invalid JSON"),  # pydantic refuses it
    ],
)
def test_api_refuses_bad_records_as_json_with_the_security_headers(tmp_path, body, reason):
    from storyline.web import create_app

    store = Storyline(tmp_path / "s.db", processes=1)
    with TestClient(create_app(store, token=TOKEN, max_body_bytes=5_000_000)) as client:
        response = client.post(
            "/api/articles", content=json.dumps(body), headers={"authorization": f"Bearer {TOKEN}", "content-type": "application/json"}
        )
    assert response.status_code == 422, response.text
    assert response.headers["x-content-type-options"] == "nosniff"
    [detail] = response.json()["error"]["details"]
    assert reason in json.dumps(detail)


def test_serve_warns_that_a_token_on_the_command_line_is_visible(tmp_path):
    # a non-loopback host without a token is refused before anything listens: the warning comes first
    result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "s.db"), "--host", "0.0.0.0", "--token", ""])
    assert "--token is visible to every user of this machine" in result.stderr
    assert "STORYLINE_TOKEN" in result.stderr and result.exit_code == 1
