"""Pictures drawn on the server as SVG: a timeline, an actor network and a heat-map.

Every function returns `Markup` that can go straight into a template. All text that came
from articles passes through `escape`, and the SVG uses presentation attributes only (no
`style` attributes or scripts), so the pages work under a strict Content-Security-Policy.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import count

from markupsafe import Markup, escape

# Colour-blind-safe categorical palette (Okabe–Ito), cycled for lanes and event types.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
INK = "#222"
FAINT = "#bbb"
HEAT = "#b2182b"

_picture_ids = count(1)


def element(tag: str, body: str | Markup = "", **attributes: object) -> Markup:
    """One SVG element; attribute names use `_` for `-` and a trailing `_` for keywords."""
    rendered = "".join(
        f' {name.rstrip("_").replace("_", "-")}="{escape(value)}"' for name, value in attributes.items() if value is not None
    )
    return Markup(f"<{tag}{rendered}>{body}</{tag}>")


def text(x: float, y: float, content: str, **attributes: object) -> Markup:
    return element("text", escape(content), x=f"{x:.1f}", y=f"{y:.1f}", **attributes)


def link(href: str | None, body: Markup, tooltip: str) -> Markup:
    inner = element("title", escape(tooltip)) + body
    return element("a", inner, href=href) if href else element("g", inner)


def svg(width: float, height: float, body: Iterable[Markup], label: str, css_class: str) -> Markup:
    return element(
        "svg",
        Markup("").join(body),
        xmlns="http://www.w3.org/2000/svg",
        viewBox=f"0 0 {width:.0f} {height:.0f}",
        width=f"{width:.0f}",
        height=f"{height:.0f}",
        role="img",
        aria_label=label,
        class_=css_class,
        font_family="system-ui, sans-serif",
        font_size="12",
    )


LANE_LABEL_CHARS = 34


def shorten(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def colour_for(keys: Sequence[str]) -> dict[str, str]:
    return {key: PALETTE[index % len(PALETTE)] for index, key in enumerate(keys)}


# ---- timeline ---------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    """One item on a timeline: a dot in `lane` at `day`."""

    day: date
    lane: str
    label: str
    href: str | None = None
    dated: bool = True  # False: placed at its article's publication date


def _ticks(first: date, last: date, room: int) -> list[date]:
    """Round dates (days, weeks, months or years) between first and last, at most `room` of them."""
    span = (last - first).days
    for step in (1, 2, 7, 14):
        if span / step <= room:
            return [first + timedelta(days=offset) for offset in range(0, span + 1, step)]
    months = [date(year, month, 1) for year in range(first.year, last.year + 1) for month in range(1, 13)]
    months = [month for month in months if first <= month <= last]
    for step in (1, 3, 6, 12, 24, 60):
        if len(months) / step <= room:
            return months[::step]
    return [first, last]


def timeline(
    marks: Sequence[Mark],
    label: str,
    width: int = 900,
    first_lanes: Sequence[str] = (),
    window: tuple[date, date] | None = None,
) -> Markup:
    """Dots on a date axis, one row (lane) per kind, linked to what they stand for.

    Items of the same lane and day stack upwards; undated items are hollow. `first_lanes`
    come on top, the others in order of appearance. With a `window`, the axis spans no more
    than it: items outside sit at its edge as triangles pointing the way they lie, so one
    event of last year does not squash a week of reporting into a corner.
    """
    if not marks:
        return Markup("")
    lanes = sorted(dict.fromkeys(mark.lane for mark in marks), key=lambda lane: lane not in first_lanes)
    colours = colour_for(lanes)
    first, last = min(m.day for m in marks), max(m.day for m in marks)
    if window:
        first, last = max(first, window[0]), min(last, window[1])
    if first >= last:
        first, last = first - timedelta(days=1), last + timedelta(days=1)
    captions = {lane: shorten(lane, LANE_LABEL_CHARS) for lane in lanes}
    # wide enough for the longest lane name, so that none is cut off at the left edge
    gutter = max(150, 16 + CHARACTER_WIDTH * max(len(caption) for caption in captions.values()))
    right, lane_height, top = 50, 34, 12
    plot = width - gutter - right
    height = top + lane_height * len(lanes) + 34

    def x_of(day: date) -> float:
        return gutter + plot * (day - first).days / (last - first).days

    parts: list[Markup] = []
    for index, lane in enumerate(lanes):
        middle = top + lane_height * index + lane_height / 2
        parts.append(element("line", x1=gutter, x2=width - right, y1=f"{middle:.1f}", y2=f"{middle:.1f}", stroke=FAINT))
        parts.append(text(gutter - 8, middle + 4, captions[lane], text_anchor="end", fill=INK))
    axis = top + lane_height * len(lanes) + 4
    parts.append(element("line", x1=gutter, x2=width - right, y1=axis, y2=axis, stroke=INK))
    for tick in _ticks(first, last, room=max(2, plot // 90)):
        x = x_of(tick)
        parts.append(element("line", x1=f"{x:.1f}", x2=f"{x:.1f}", y1=axis, y2=axis + 5, stroke=INK))
        parts.append(text(x, axis + 18, tick.isoformat(), text_anchor="middle", fill=INK, font_size="11"))
    stacked: dict[tuple[str, date], int] = defaultdict(int)
    for mark in sorted(marks, key=lambda m: (m.day, m.lane)):
        level = stacked[mark.lane, mark.day]
        stacked[mark.lane, mark.day] += 1
        y = top + lane_height * lanes.index(mark.lane) + lane_height / 2 - min(level, 3) * 5
        colour = colours[mark.lane]
        shape = {"fill": colour if mark.dated else "white", "stroke": colour, "stroke_width": "2", "class_": "mark"}
        if mark.day < first or mark.day > last:
            x, side = (x_of(first), -1) if mark.day < first else (x_of(last), 1)
            tip = f"{x + 7 * side:.1f},{y:.1f} {x - 3 * side:.1f},{y - 6:.1f} {x - 3 * side:.1f},{y + 6:.1f}"
            dot = element("polygon", points=tip, **shape)
        else:
            dot = element("circle", cx=f"{x_of(mark.day):.1f}", cy=f"{y:.1f}", r="6", **shape)
        when = mark.day.isoformat() if mark.dated else f"reported {mark.day.isoformat()}"
        parts.append(link(mark.href, dot, f"{when}: {mark.label}"))
    return svg(width, height, parts, label, "timeline")


# ---- actor network ----------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    id: str
    label: str
    weight: int  # mentions: sets the size
    href: str | None = None


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str  # what links them, e.g. "CONSULT ×2" or "spoke about"
    weight: int = 1
    kind: str = "event"  # event | quote


def network(nodes: Sequence[Node], edges: Sequence[Edge], label: str, width: int = 900, height: int = 480) -> Markup:
    """Actors on a circle, sized by mentions, with arrows for who acted on or spoke about whom."""
    if not nodes:
        return Markup("")
    picture = next(_picture_ids)
    # labels sit beside the circle, left and right: those sides need the room
    centre_x, centre_y = width / 2, height / 2
    radius = max(40.0, min(height / 2 - 40, width / 2 - 170))
    positions: dict[str, tuple[float, float]] = {}
    for index, node in enumerate(nodes):
        angle = -math.pi / 2 + 2 * math.pi * index / len(nodes)
        positions[node.id] = (centre_x + radius * math.cos(angle), centre_y + radius * math.sin(angle))
    heaviest = max(node.weight for node in nodes) or 1
    radii = {node.id: 6 + 14 * math.sqrt(node.weight / heaviest) for node in nodes}
    kinds = {"event": "#555", "quote": PALETTE[0]}
    names = {node.id: node.label for node in nodes}
    parts: list[Markup] = [
        element(
            "defs",
            Markup("").join(
                element(
                    "marker",
                    element("path", d="M0,0 L10,5 L0,10 z", fill=colour),
                    id=f"arrow-{picture}-{kind}",
                    viewBox="0 0 10 10",
                    refX="10",
                    refY="5",
                    markerWidth="10",
                    markerHeight="10",
                    markerUnits="userSpaceOnUse",
                    orient="auto-start-reverse",
                )
                for kind, colour in kinds.items()
            ),
        )
    ]
    for edge in edges:
        if edge.source not in positions or edge.target not in positions or edge.source == edge.target:
            continue
        (x1, y1), (x2, y2) = positions[edge.source], positions[edge.target]
        length = math.hypot(x2 - x1, y2 - y1) or 1
        ux, uy = (x2 - x1) / length, (y2 - y1) / length
        start = (x1 + ux * radii[edge.source], y1 + uy * radii[edge.source])
        end = (x2 - ux * (radii[edge.target] + 2), y2 - uy * (radii[edge.target] + 2))
        line = element(
            "line",
            x1=f"{start[0]:.1f}",
            y1=f"{start[1]:.1f}",
            x2=f"{end[0]:.1f}",
            y2=f"{end[1]:.1f}",
            stroke=kinds.get(edge.kind, "#555"),
            stroke_width=f"{min(1 + edge.weight, 5)}",
            stroke_dasharray="5 3" if edge.kind == "quote" else None,
            marker_end=f"url(#arrow-{picture}-{edge.kind})",
            class_=f"edge {edge.kind}",
        )
        parts.append(link(None, line, f"{names[edge.source]} → {names[edge.target]}: {edge.label}"))
    for node in nodes:
        x, y = positions[node.id]
        dot = element("circle", cx=f"{x:.1f}", cy=f"{y:.1f}", r=f"{radii[node.id]:.1f}", fill="#fdf6e3", stroke=INK, class_="node")
        # labels sit outside the circle, on the side facing away from the centre
        anchor = "start" if x > centre_x + 1 else "end" if x < centre_x - 1 else "middle"
        dx = radii[node.id] + 4 if anchor == "start" else -radii[node.id] - 4 if anchor == "end" else 0
        dy = 4 if anchor != "middle" else (radii[node.id] + 14 if y > centre_y else -radii[node.id] - 6)
        caption = text(x + dx, y + dy, shorten(node.label, 22), text_anchor=anchor, fill=INK)
        parts.append(link(node.href, dot + caption, f"{node.label}: {node.weight} mentions"))
    return svg(width, height, parts, label, "network")


# ---- heat-map ---------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """A row of the heat-map; one without values is a link to the rows not drawn ("and 4 more quotes")."""

    label: str
    values: tuple[int, ...]
    href: str | None = None


# Text of 12px system-ui is at most about this wide per character: room is made for labels
# from it, so that none is cut off at the picture's left edge.
CHARACTER_WIDTH = 7
ROW_LABEL_CHARS = 40


def heatmap(columns: Sequence[str], groups: Sequence[tuple[str, Sequence[Row]]], label: str) -> Markup:
    """A grid of counts under a heading per group of rows: the darker a cell, the more it
    holds; an empty cell is something that column left out."""
    groups = [(title, rows) for title, rows in groups if rows]
    if not groups or not columns:
        return Markup("")
    cell, header = 30, 120
    labels = [shorten(row.label, ROW_LABEL_CHARS) for _, rows in groups for row in rows]
    gutter = 16 + CHARACTER_WIDTH * max(len(caption) for caption in labels)
    # rotated column names lean right: leave room for the last one
    width = gutter + cell * len(columns) + header
    height = header + sum(cell * (len(rows) + 1) for _, rows in groups) + 10
    highest = max((value for _, rows in groups for row in rows for value in row.values), default=0) or 1
    parts: list[Markup] = []
    for index, column in enumerate(columns):
        x = gutter + cell * index + cell / 2
        parts.append(text(x, header - 8, shorten(column, 22), transform=f"rotate(-40 {x:.1f} {header - 8})", fill=INK))
    y = header
    for title, rows in groups:
        parts.append(text(gutter - 8, y + cell / 2 + 8, title, text_anchor="end", fill=INK, font_weight="bold"))
        y += cell
        for row in rows:
            style = {} if row.values else {"font_style": "italic", "class_": "more"}
            caption = text(gutter - 8, y + cell / 2 + 4, shorten(row.label, ROW_LABEL_CHARS), text_anchor="end", fill=INK, **style)
            parts.append(link(row.href, caption, row.label))
            for index, value in enumerate(row.values):
                square = element(
                    "rect",
                    x=gutter + cell * index + 1,
                    y=y + 1,
                    width=cell - 2,
                    height=cell - 2,
                    fill=HEAT if value else "white",
                    fill_opacity=f"{0.2 + 0.8 * value / highest:.2f}" if value else None,
                    stroke="#ddd",
                    class_="cell",
                )
                parts.append(link(None, square, f"{row.label} in {columns[index]}: {value} article{'s' if value != 1 else ''}"))
            y += cell
    return svg(width, height, parts, label, "heatmap")


# ---- coverage over time -----------------------------------------------------------

MAX_BARS = 31  # days while they fit, else weeks, else months


def _bin_start(day: date, period: str) -> date:
    if period == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1) if period == "month" else day


def _next_bin(day: date, period: str) -> date:
    if period == "month":
        return date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return day + timedelta(days=7 if period == "week" else 1)


def per_day(days: Sequence[tuple[date, int]], label: str, unit: str = "article", width: int = 900) -> Markup:
    """Bars of how many `unit`s appeared each day (each week or month over a longer span), every
    count written above its bar and the dates under the axis: readable without hovering."""
    if not days:
        return Markup("")
    first, last = min(day for day, _ in days), max(day for day, _ in days)
    period = "day" if (last - first).days < MAX_BARS else ("week" if (last - first).days < 7 * MAX_BARS else "month")
    counted: dict[date, int] = defaultdict(int)
    for day, number in days:
        counted[_bin_start(day, period)] += number
    bins = [_bin_start(first, period)]
    while bins[-1] < _bin_start(last, period):
        bins.append(_next_bin(bins[-1], period))
    left, top, plot, bottom = 10, 34, 110, 40
    slot = min(48.0, (width - left - 10) / len(bins))
    bar = slot * 0.8
    highest = max(counted.values())
    # a date under every bar when they fit (about 46 px for "17 Mar"), else under every n-th
    every = max(1, math.ceil(46 / slot))
    label_of = {"day": "%-d %b", "week": "%-d %b", "month": "%b %Y"}[period]
    used = left + slot * len(bins) + 10
    parts: list[Markup] = [
        element("line", x1=left, x2=f"{used - 10:.1f}", y1=top + plot, y2=top + plot, stroke=FAINT),
        text(left, 14, f"{unit}s per {period}" + (" (weeks from Monday)" if period == "week" else ""), fill=INK, font_size="12"),
    ]
    for index, start in enumerate(bins):
        x = left + slot * index + (slot - bar) / 2
        number = counted.get(start, 0)
        tall = plot * number / highest
        when = start.strftime(label_of)
        if number:
            shape = element("rect", x=f"{x:.1f}", y=f"{top + plot - tall:.1f}", width=f"{bar:.1f}", height=f"{tall:.1f}", fill=PALETTE[0], class_="bar")
            parts.append(link(None, shape, f"{when} {start.year}: {number} {unit}{'s' if number != 1 else ''}"))
            if bar >= 12:
                parts.append(text(x + bar / 2, top + plot - tall - 4, str(number), text_anchor="middle", fill=INK, class_="count"))
        if index % every == 0:
            parts.append(text(x + bar / 2, top + plot + 16, when, text_anchor="middle", fill=INK, font_size="11", class_="day"))
    if period != "month":
        years = f"{bins[0].year}" if bins[0].year == bins[-1].year else f"{bins[0].year}–{bins[-1].year}"
        parts.append(text(left, top + plot + 34, years, fill=INK, font_size="11"))
    return svg(max(used, 200), top + plot + bottom, parts, label, "per-day")
