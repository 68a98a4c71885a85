"""Progress totals counted before reading: one per text file, one per JSONL line, unknown for feeds."""

from storyline.ingest.count import count_articles


def test_counts_files_and_jsonl_lines(tmp_path):
    (tmp_path / "a.txt").write_text("One article.")
    (tmp_path / "b.html").write_text("<p>Another.</p>")
    (tmp_path / "c.jsonl").write_text('{"id": 1}\n\n{"id": 2}\n{"id": 3}\n')
    (tmp_path / "notes.md").write_text("not an article file")
    assert count_articles([tmp_path]) == 5
    assert count_articles([tmp_path / "c.jsonl", tmp_path / "missing.txt"]) == 3


def test_feeds_make_the_total_unknown(tmp_path):
    (tmp_path / "a.txt").write_text("One article.")
    (tmp_path / "feed.rss").write_text("<rss/>")
    assert count_articles([tmp_path]) is None
