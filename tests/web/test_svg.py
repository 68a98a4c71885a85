"""The pictures: well-formed SVG, escaped labels, and what each shape stands for."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from datetime import date

from storyline.web import svg

NS = {"svg": "http://www.w3.org/2000/svg"}
HOSTILE = '<script>alert("x")</script>&'


def parse(markup) -> ElementTree.Element:
    return ElementTree.fromstring(str(markup))


def test_timeline_places_marks_by_date_in_lanes():
    marks = [
        svg.Mark(date(2026, 3, 1), "reports", "first report", "/articles/a"),
        svg.Mark(date(2026, 3, 11), "PROTEST", HOSTILE, "#event-1"),
        svg.Mark(date(2026, 3, 6), "PROTEST", "undated strike", None, dated=False),
    ]
    root = parse(svg.timeline(marks, "Timeline", first_lanes=["reports"]))
    circles = root.findall(".//svg:circle", NS)
    assert len(circles) == 3
    xs = sorted(float(c.get("cx")) for c in circles)
    assert xs[0] < xs[1] < xs[2]
    hollow = [c for c in circles if c.get("fill") == "white"]
    assert len(hollow) == 1
    lanes = [t.text for t in root.findall("svg:text", NS)][:2]
    assert lanes == ["reports", "PROTEST"]
    titles = [t.text for t in root.findall(".//svg:title", NS)]
    assert f"2026-03-11: {HOSTILE}" in titles  # escaped on the way in, exact once parsed
    assert {a.get("href") for a in root.findall(".//svg:a", NS)} == {"/articles/a", "#event-1"}


def test_timeline_of_one_day_still_has_an_axis():
    root = parse(svg.timeline([svg.Mark(date(2026, 1, 1), "reports", "only")], "One day"))
    assert root.find(".//svg:circle", NS) is not None
    assert "2026-01-01" in [t.text for t in root.findall("svg:text", NS)]


def test_nothing_to_draw_draws_nothing():
    assert svg.timeline([], "empty") == ""
    assert svg.network([], [], "empty") == ""
    assert svg.heatmap(["A"], [("actors", [])], "empty") == ""


def test_network_draws_known_actors_and_their_links():
    nodes = [svg.Node("a", "Ines Alder", 4, "#actor-a"), svg.Node("b", HOSTILE, 1), svg.Node("c", "Port Board", 2)]
    edges = [
        svg.Edge("a", "b", "CONSULT", 2, "event"),
        svg.Edge("c", "a", "spoke about", 1, "quote"),
        svg.Edge("a", "zzz", "to nobody shown"),
        svg.Edge("a", "a", "to itself"),
    ]
    root = parse(svg.network(nodes, edges, "Network"))
    assert len(root.findall(".//svg:circle", NS)) == 3
    lines = root.findall(".//svg:line", NS)
    assert [line.get("class") for line in lines] == ["edge event", "edge quote"]
    radii = {float(c.get("r")) for c in root.findall(".//svg:circle", NS)}
    assert max(radii) > min(radii)  # more mentions, bigger node
    assert f"{HOSTILE}: 1 mentions" in [t.text for t in root.findall(".//svg:title", NS)]


def test_two_networks_on_one_page_keep_their_own_arrow_heads():
    nodes = [svg.Node("a", "A", 1), svg.Node("b", "B", 1)]
    first, second = (parse(svg.network(nodes, [svg.Edge("a", "b", "x")], "n")) for _ in range(2))
    marker_ids = {m.get("id") for root in (first, second) for m in root.findall(".//svg:marker", NS)}
    assert len(marker_ids) == 4


def test_heatmap_cells_darken_with_counts():
    rows = [svg.Row("Ines Alder", (2, 0, 1), "#actor-a"), svg.Row(HOSTILE, (0, 1, 0))]
    root = parse(svg.heatmap(["Courier", "Wire", "Ledger"], [("actors", rows)], "Coverage"))
    cells = root.findall(".//svg:rect", NS)
    assert len(cells) == 6
    empty = [c for c in cells if c.get("fill") == "white"]
    assert len(empty) == 3
    opacities = sorted(float(c.get("fill-opacity")) for c in cells if c.get("fill-opacity"))
    assert opacities[-1] == 1.0 and opacities[0] < 1.0
    assert "Ines Alder in Courier: 2 articles" in [t.text for t in root.findall(".//svg:title", NS)]
