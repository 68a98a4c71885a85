"""One story (`storyline.pages.story`): its HTML page with pictures, JSON twin and CSV tables."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from ...export import rows
from ...pages.story import ARTICLES_LIMIT, StoryPage, story_page
from .. import svg
from .base import accounts_of, csv_response, here, outlet_table_of, render, storyline_of, templates
from .params import Limit, Offset

# Pictures stay readable: the most mentioned actors only, the first rows of the matrix.
NETWORK_ACTORS = 14
HEATMAP_ROWS_PER_KIND = 12
templates.globals["heatmap_rows_per_kind"] = HEATMAP_ROWS_PER_KIND  # the full table appears past it
# the timeline spans the reporting, and this much before and after it
EARLIER_DAYS = timedelta(days=14)
LATER_DAYS = timedelta(days=7)

router = APIRouter(tags=["stories"])


def page_of(
    request: Request,
    story_id: Annotated[str, Path(max_length=200, description="a story id from /stories.json")],
    articles_limit: Limit = ARTICLES_LIMIT,
    articles_offset: Offset = 0,
) -> StoryPage:
    return story_page(
        storyline_of(request), here(request), story_id, articles_limit, articles_offset,
        outlets=outlet_table_of(request), accounts=accounts_of(request),
    )


# ---- pictures ---------------------------------------------------------------------


def day_of(when: str | None) -> date | None:
    """The day of an ISO date, month ("2021-08": its first day) or datetime."""
    if not when:
        return None
    try:
        return date.fromisoformat(when[:10]) if len(when) >= 10 else date.fromisoformat(f"{when[:7]}-01")
    except ValueError:
        return None


def timeline_picture(page: StoryPage) -> Markup:
    marks = []
    for entry in page.timeline:
        day = day_of(entry.when)
        if day is None:
            continue
        lane = (entry.type or "event") if entry.kind == "event" else "reports"
        marks.append(svg.Mark(day=day, lane=lane, label=entry.label, href=entry.href, dated=entry.dated_by != "article"))
    reported = [mark.day for mark in marks if mark.lane == "reports"]
    window = (min(reported) - EARLIER_DAYS, max(reported) + LATER_DAYS) if reported else None
    return svg.timeline(marks, f"Timeline of {page.headline or page.id}", first_lanes=["reports"], window=window)


def network_picture(page: StoryPage) -> Markup:
    linked = {edge.source for edge in page.network} | {edge.target for edge in page.network}
    ranked = sorted(page.actors, key=lambda actor: (actor.id not in linked, -actor.mentions, actor.name))
    shown = ranked[:NETWORK_ACTORS]
    nodes = [svg.Node(id=a.id, label=a.name, weight=a.mentions, href=f"#{a.anchor}") for a in shown]
    edges = [svg.Edge(e.source, e.target, e.label, e.count, e.kind) for e in page.network]
    return svg.network(nodes, edges, "Who acted on or spoke about whom")


def coverage_picture(page: StoryPage) -> Markup:
    """The first rows of each kind (actors, quotes, events), so that all three show; a last
    row says how many more there are and links to the full table under the picture."""
    groups = []
    for kind in ("actor", "quote", "event"):
        # the most widely reported first: where outlets differ is what the picture is for
        rows = sorted((row for row in page.coverage.rows if row.kind == kind), key=lambda row: -len(row.outlets))
        drawn = [svg.Row(label=row.label, values=tuple(row.articles), href=row.href or None) for row in rows[:HEATMAP_ROWS_PER_KIND]]
        if len(rows) > HEATMAP_ROWS_PER_KIND:
            # the rest are listed in full below the picture
            drawn.append(svg.Row(label=f"and {len(rows) - HEATMAP_ROWS_PER_KIND} more {kind}s", values=(), href=f"#all-{kind}s"))
        groups.append((f"{kind}s", drawn))
    return svg.heatmap(page.coverage.outlets, groups, "How many articles of each outlet carry each actor, quote and event")


def per_day_picture(page: StoryPage) -> Markup:
    return svg.per_day([(item.day, item.articles) for item in page.per_day], f"Articles per day on {page.headline or page.id}")


@router.get("/stories/{story_id}.json", response_model=StoryPage, summary="One story's account")
def story_json(page: Annotated[StoryPage, Depends(page_of)]) -> StoryPage:
    return page


@router.get(
    "/stories/{story_id}/{table}.csv",
    response_class=Response,
    summary="One story's articles, actors, quotes or events as CSV (columns: docs/export.md)",
    responses={200: {"content": {"text/csv": {}}}},
)
def story_table_csv(
    request: Request,
    story_id: Annotated[str, Path(max_length=200, description="a story id from /stories.json")],
    table: Annotated[Literal["articles", "actors", "quotes", "events"], Path(description="which table")],
) -> Response:
    return csv_response(table, rows(storyline_of(request), table, story_id), f"{table}.csv")


@router.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
def story_html(request: Request, page: Annotated[StoryPage, Depends(page_of)]) -> HTMLResponse:
    return render(
        request,
        "story.html",
        page,
        timeline=timeline_picture(page),
        network=network_picture(page),
        coverage=coverage_picture(page),
        per_day=per_day_picture(page),
    )
