import pytest

from storyline.annotate.dateline import dateline_end


@pytest.mark.parametrize(
    "text, dateline",
    [
        ("LONDON, Aug 16 (Reuters) - Britain said", "LONDON, Aug 16 (Reuters) - "),
        ("WASHINGTON (AP) — The Senate voted", "WASHINGTON (AP) — "),
        ("KABUL — Crowds gathered", "KABUL — "),
        ("SALTMERE, Vestria (Meridian Wire) - Dockers", "SALTMERE, Vestria (Meridian Wire) - "),
        ("NEW YORK, Jan. 5, 2021 (AP) -- Shares", "NEW YORK, Jan. 5, 2021 (AP) -- "),
        ("ST. LOUIS, Mo. — A man", "ST. LOUIS, Mo. — "),
    ],
)
def test_datelines_are_found_whole(text, dateline):
    assert text[: dateline_end(text)] == dateline


@pytest.mark.parametrize(
    "text",
    [
        "Tara Reid has entered rehab - her rep said",
        "The BBC - and others - reported",
        "US - China talks resumed",
        "In LONDON — crowds gathered",
        "",
    ],
)
def test_openings_without_a_dateline(text):
    assert dateline_end(text) == 0
