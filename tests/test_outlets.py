"""Outlet identity: domains, subdomains and site names of one outlet give one name; users can override."""

from __future__ import annotations

from collections import defaultdict

import pytest

from storyline.errors import StorylineError
from storyline.lexicons import data_text
from storyline.outlets import TABLE_FILE, load_outlet_overrides, normalise_outlet, parse_outlet_table


@pytest.mark.parametrize(
    "site_name, url",
    [
        (None, "https://www.bbc.co.uk/news/world-asia-58271797"),
        (None, "http://bbc.com/"),
        (None, "https://news.bbc.co.uk/1/hi/world/"),
        ("BBC News", None),
        ("BBC News - World", None),
        ("bbc news", "https://feeds.bbci.co.uk/news/rss.xml"),
        ("www.bbc.co.uk", None),
    ],
)
def test_every_face_of_the_bbc_is_one_outlet(site_name, url):
    assert normalise_outlet(site_name, url) == "BBC"


def test_a_feed_title_with_a_section_names_its_outlet():
    assert normalise_outlet("World news | The Guardian", None) == "The Guardian"
    assert normalise_outlet(None, "https://www.theguardian.com/world/2021/aug/19/x") == "The Guardian"
    assert normalise_outlet(None, "https://edition.cnn.com/2021/08/19/x") == "CNN"


def test_the_domain_says_who_published_a_page():
    # an agency's site name on a page hosted by another outlet: the host is the publisher
    assert normalise_outlet("Reuters", "https://www.theguardian.com/world/2021/x") == "The Guardian"


def test_unknown_outlets_keep_their_name_or_their_bare_host():
    assert normalise_outlet("The Harbour Courier", "https://www.harbourcourier.co.uk/local/x") == "The Harbour Courier"
    assert normalise_outlet(None, "https://www.harbourcourier.co.uk/local/x") == "harbourcourier.co.uk"
    assert normalise_outlet(None, "https://m.harbourcourier.co.uk/x") == "harbourcourier.co.uk"
    assert normalise_outlet("www.harbourcourier.co.uk", None) == "harbourcourier.co.uk"
    assert normalise_outlet("  Meridian   Wire ", None) == "Meridian Wire"


def test_an_unknown_sectioned_title_counts_by_host_when_there_is_one():
    # "Courier - Sport" and "Courier - Local" would otherwise be two outlets
    assert normalise_outlet("Harbour Courier - Sport", "https://www.harbourcourier.co.uk/s") == "harbourcourier.co.uk"
    assert normalise_outlet("Harbour Courier - Sport", None) == "Harbour Courier - Sport"


def test_nothing_to_go_on_gives_none():
    assert normalise_outlet(None, None) is None
    assert normalise_outlet("", "") is None


def test_overrides_win_over_the_shipped_table():
    overrides = {"bbc.co.uk": "British Broadcasting Corporation", "Harbour Courier": "The Harbour Courier"}
    assert normalise_outlet(None, "https://www.bbc.co.uk/news", overrides) == "British Broadcasting Corporation"
    assert normalise_outlet(None, "https://www.bbc.com/news", overrides) == "BBC"  # not overridden
    assert normalise_outlet("harbour courier", None, overrides) == "The Harbour Courier"


def test_a_user_mapping_file_in_the_table_format(tmp_path):
    path = tmp_path / "outlets.tsv"
    path.write_text(
        "# my outlets\nThe Harbour Courier\tharbourcourier.co.uk|courier.example\tCourier|HC\n\nMeridian Wire\tmeridianwire.com\n",
        encoding="utf-8",
    )
    overrides = load_outlet_overrides(path)
    assert normalise_outlet(None, "https://courier.example/x", overrides) == "The Harbour Courier"
    assert normalise_outlet("HC", None, overrides) == "The Harbour Courier"
    assert normalise_outlet(None, "https://www.meridianwire.com/a", overrides) == "Meridian Wire"


def test_bad_mapping_files_are_one_line_errors(tmp_path):
    with pytest.raises(StorylineError, match=r"missing\.tsv: no such outlet mapping file"):
        load_outlet_overrides(tmp_path / "missing.tsv")
    path = tmp_path / "bad.tsv"
    path.write_text("BBC\tbbc.co.uk\tBBC News\textra column\n", encoding="utf-8")
    with pytest.raises(StorylineError, match=r"bad\.tsv:1: expected 'outlet<TAB>domains<TAB>names'"):
        load_outlet_overrides(path)


def test_the_shipped_table_never_gives_one_key_two_outlets():
    owners: dict[str, set[str]] = defaultdict(set)
    for line in data_text(TABLE_FILE).splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        for key, outlet in parse_outlet_table([line], TABLE_FILE).items():
            owners[key.casefold().removeprefix("the ")].add(outlet)
    clashes = {key: outlets for key, outlets in owners.items() if len(outlets) > 1}
    assert not clashes
