"""An `Account` for people: rich tables in a terminal, or a Markdown report to paste.

Both show the same sections in the same order: summary with citations, sources,
actors, quotes (with drift side by side), events, timeline, coverage and "only in" lists.
Articles are cited by their number in the sources list, e.g. "[2]".
"""

from __future__ import annotations

from rich.console import Console, Group
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from .records import Account, AccountQuote, Citation, CoverageRow, DiffPart, QuoteVersion
from .wording import actor_type, articles_and_outlets, count, country, when

OWN_REPORTING = "✓"
COPY_ONLY = "c"  # the outlet carries it only in a syndicated copy of another outlet's article
LIST_LABEL_CHARS = 100


def _date(value) -> str:
    if value is None:
        return "–"
    return value.date().isoformat() if hasattr(value, "date") else str(value)[:10]


def _article_numbers(account: Account) -> dict[str, int]:
    return {article.id: number for number, article in enumerate(account.articles, start=1)}


def _cite(citations: tuple[Citation, ...], numbers: dict[str, int]) -> str:
    """'BBC [1]; The National [2]': each cited article once, by outlet and number."""
    seen = dict.fromkeys((c.outlet or c.article_id, numbers[c.article_id]) for c in citations)
    return "; ".join(f"{outlet} [{number}]" for outlet, number in seen)


def _sources(article_ids: tuple[str, ...], account: Account, numbers: dict[str, int]) -> str:
    by_id = {a.id: a for a in account.articles}
    return "; ".join(f"{by_id[a].source or a} [{numbers[a]}]" for a in article_ids)


def _overview(account: Account) -> str:
    coverage = account.coverage
    copies = f", {count(len(coverage.syndicated), 'syndicated copy')}" if coverage.syndicated else ""
    dates = f"{_date(account.first)} → {_date(account.last)}" if account.first else "undated"
    # with no outlet known, how many reported it themselves is not known either
    sources = count(coverage.independent_sources, "independent source") if account.outlets else ""
    detail = f" ({sources}{copies})".replace("(, ", "(") if sources or copies else ""
    return f"{articles_and_outlets(a.source for a in account.articles)}{detail}, {dates}"


def _cell(row: CoverageRow, outlet: str) -> str:
    if outlet in row.sources:
        return OWN_REPORTING
    return COPY_ONLY if outlet in row.outlets else ""


def _labels(account: Account) -> dict[tuple[str, str], str]:
    """Coverage row labels by (kind, id), long quotes shortened for lists."""
    return {(row.kind, row.id): _short(row.label) for row in account.coverage.rows}


def _codes(account: Account) -> dict[str | None, str]:
    """Each event's PLOVER code by its id, shown beside its plain words."""
    return {item.id: item.code for item in account.events}


def _short(text: str, limit: int = LIST_LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# ---- terminal -----------------------------------------------------------------------


def _diff_text(parts: tuple[DiffPart, ...]) -> Text:
    """A version's words, with reference words it lacks struck out and words it adds underlined."""
    text = Text()
    for part in parts:
        if text:
            text.append(" ")
        if part.op == "same":
            text.append(part.version)
        elif part.op == "omitted":
            text.append(part.reference, style="strike red")
        elif part.op == "added":
            text.append(part.version, style="underline green")
        else:
            text.append(part.reference, style="strike red")
            text.append(" ")
            text.append(part.version, style="underline green")
    return text


def _version_text(version: QuoteVersion) -> Text:
    return _diff_text(version.differences) if version.differences else Text(version.citation.text)


def drift_table(quote: AccountQuote, numbers: dict[str, int]) -> Table:
    """One column per report of the quote, differences from the reference marked."""
    table = Table(title=f"{quote.speaker_name or 'Unattributed'}: drift ({', '.join(quote.drift)})", show_lines=True)
    for version in quote.versions:
        table.add_column(f"{version.citation.outlet or version.citation.article_id} [{numbers[version.citation.article_id]}]\n{version.drift}, {version.kind}", overflow="fold")
    table.add_row(*(_version_text(v) for v in quote.versions))
    return table


def render(account: Account, console: Console | None = None) -> None:
    """Print the whole account as rich tables."""
    console = console or Console()
    numbers = _article_numbers(account)
    labels = _labels(account)
    console.print(f"[bold]{escape(account.headline or '(untitled)')}[/bold]  [dim]{account.id}[/dim]")
    console.print(_overview(account))

    if account.summary:
        console.print("\n[bold]Summary[/bold]")
        for sentence in account.summary:
            console.print(f"• {escape(sentence.text)} [dim]{escape(_cite(sentence.citations, numbers))}[/dim]")

    articles = Table(title="Sources")
    for column in ("#", "outlet", "published", "title", "article", "copy of"):
        articles.add_column(column, overflow="fold")
    for article in account.articles:
        copy_of = f"[{numbers[article.duplicate_of]}]" if article.duplicate_of in numbers else (article.duplicate_of or "")
        articles.add_row(str(numbers[article.id]), article.source or "–", _date(article.published), article.title or "", article.id, copy_of)
    console.print(articles)

    actors = Table(title="Actors")
    for column in ("actor", "type", "roles", "country", "outlets", "articles", "mentions", "quotes"):
        actors.add_column(column, overflow="fold")
    for actor in account.actors:
        actors.add_row(
            actor.name,
            actor_type(actor.type),
            "; ".join(actor.roles),
            country(actor.country),
            ", ".join(actor.outlets),
            " ".join(f"[{numbers[a]}]" for a in actor.articles),
            str(actor.mentions),
            str(len(actor.quotes)) if actor.quotes else "",
        )
    console.print(actors)

    if account.quotes:
        quotes = Table(title="Quotes")
        for column in ("speaker", "quote", "kind", "reported by", "drift"):
            quotes.add_column(column, overflow="fold")
        for quote in account.quotes:
            quotes.add_row(quote.speaker_name or "–", quote.text, quote.kind, _sources(quote.articles, account, numbers), ", ".join(quote.drift))
        console.print(quotes)
        for quote in account.quotes:
            if quote.drift:
                console.print(drift_table(quote, numbers))

    if account.events:
        events = Table(title="Events")
        for column in ("date", "what happened", "PLOVER code", "where", "reported by", "as"):
            events.add_column(column, overflow="fold")
        for item in account.events:
            events.add_row(
                item.date or "–",
                item.label,
                item.code,
                item.location or "",
                _sources(item.articles, account, numbers),
                " / ".join(dict.fromkeys(m.trigger.text for m in item.mentions)),
            )
        console.print(events)

    if account.network:
        names = {actor.id: actor.name for actor in account.actors}
        network = Table(title="Who acted on or spoke about whom")
        for column in ("who", "what", "whom", "times"):
            network.add_column(column, overflow="fold")
        for edge in account.network:
            network.add_row(names[edge.source], edge.label, names[edge.target], str(edge.count))
        console.print(network)

    codes = _codes(account)
    timeline = Table(title="Timeline")
    for column in ("when", "what", "PLOVER code", "outlets"):
        timeline.add_column(column, overflow="fold")
    for entry in account.timeline:
        what = entry.label if entry.kind == "event" else f"published: {entry.label}"
        timeline.add_row(when(entry.when, entry.dated_by), what, codes.get(entry.event_id, ""), ", ".join(entry.outlets))
    console.print(timeline)

    coverage = account.coverage
    matrix = Table(title=f"Coverage ({OWN_REPORTING} own reporting, {COPY_ONLY} syndicated copy only)")
    matrix.add_column("item", overflow="fold")
    for outlet in coverage.outlets:
        matrix.add_column(outlet, justify="center")
    for row in coverage.rows:
        matrix.add_row(f"{row.kind}: {row.label}", *(_cell(row, outlet) for outlet in coverage.outlets))
    console.print(matrix)
    for only in coverage.only_in:
        parts = [
            f"{kind}s: " + "; ".join(labels[(kind, item)] for item in items)
            for kind, items in (("actor", only.actors), ("quote", only.quotes), ("event", only.events))
            if items
        ]
        if parts:
            console.print(Group(Text(f"Only in {only.outlet}", style="bold"), *(Text("  " + part) for part in parts)))


# ---- Markdown -----------------------------------------------------------------------


def _md(text: str | None) -> str:
    """Text safe inside a Markdown table cell or list item."""
    if not text:
        return ""
    return " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")


def _md_diff(parts: tuple[DiffPart, ...]) -> str:
    words = []
    for part in parts:
        if part.op == "same":
            words.append(_md(part.version))
        elif part.op == "omitted":
            words.append(f"~~{_md(part.reference)}~~")
        elif part.op == "added":
            words.append(f"**{_md(part.version)}**")
        else:
            words.append(f"~~{_md(part.reference)}~~ **{_md(part.version)}**")
    return " ".join(words)


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines + [""]


def to_markdown(account: Account) -> str:
    """The account as a Markdown report: every sentence and item cites its sources by number."""
    numbers = _article_numbers(account)
    labels = _labels(account)
    lines = [f"# {_md(account.headline) or '(untitled story)'}", "", f"*Story `{account.id}` · {_overview(account)}*", ""]

    if account.summary:
        lines += ["## Summary", ""]
        lines += [f"- {_md(s.text)} *({_md(_cite(s.citations, numbers))})*" for s in account.summary]
        lines.append("")

    lines += ["## Sources", ""]
    for article in account.articles:
        title = _md(article.title) or "(untitled)"
        linked = f"[{title}]({article.url})" if article.url else title
        copy = f" — syndicated copy of [{numbers[article.duplicate_of]}]" if article.duplicate_of in numbers else ""
        lines.append(f"{numbers[article.id]}. **{_md(article.source) or 'unknown outlet'}**, {_date(article.published)}: {linked} (`{article.id}`){copy}")
    lines.append("")

    lines += ["## Actors", ""]
    lines += _md_table(
        ["Actor", "Type", "Roles", "Country", "Reported by", "Mentions", "Quotes"],
        [
            [
                _md(a.name),
                _md(actor_type(a.type)),
                _md("; ".join(a.roles)),
                _md(country(a.country)),
                _md(_sources(a.articles, account, numbers)),
                str(a.mentions),
                str(len(a.quotes)) if a.quotes else "",
            ]
            for a in account.actors
        ],
    )

    if account.quotes:
        lines += ["## Quotes", ""]
        speakers: dict[str, list[AccountQuote]] = {}
        for quote in account.quotes:
            speakers.setdefault(quote.speaker_name or "Unattributed", []).append(quote)
        for speaker, quotes in speakers.items():
            lines += [f"### {_md(speaker)}", ""]
            for quote in quotes:
                drift = f" — **drift: {', '.join(quote.drift)}**" if quote.drift else ""
                lines.append(f"- “{_md(quote.text)}” ({quote.kind}) *{_md(_sources(quote.articles, account, numbers))}*{drift}")
            lines.append("")
        drifting = [q for q in account.quotes if q.drift]
        if drifting:
            lines += ["### Quote drift", "", "Each report of the quote; ~~struck~~ words are in the fullest version but not in this one, **bold** words are only in this one.", ""]
            for quote in drifting:
                lines += [f"**{_md(quote.speaker_name or 'Unattributed')}**: “{_md(quote.text)}”", ""]
                lines += _md_table(
                    ["Source", "As reported", "Drift"],
                    [
                        [
                            f"{_md(v.citation.outlet or v.citation.article_id)} [{numbers[v.citation.article_id]}]",
                            _md_diff(v.differences) if v.differences else _md(v.citation.text),
                            f"{v.drift} ({v.kind})",
                        ]
                        for v in quote.versions
                    ],
                )

    if account.events:
        lines += ["## Events", ""]
        lines += _md_table(
            ["Date", "What happened", "PLOVER code", "Where", "Reported by", "As", "Outlets differ on"],
            [
                [
                    e.date or "–",
                    _md(e.label),
                    _md(e.code),
                    _md(e.location),
                    _md(_sources(e.articles, account, numbers)),
                    _md("; ".join(f"{m.trigger.outlet or m.trigger.article_id}: “{m.trigger.text}” ({m.trigger.start}–{m.trigger.end})" for m in e.mentions)),
                    _md("; ".join(d.label for d in e.disagreements)),
                ]
                for e in account.events
            ],
        )

    if account.network:
        names = {actor.id: actor.name for actor in account.actors}
        lines += ["## Who acted on or spoke about whom", ""]
        lines += _md_table(
            ["Who", "What", "Whom", "Times"],
            [[_md(names[e.source]), _md(e.label), _md(names[e.target]), str(e.count)] for e in account.network],
        )

    lines += ["## Timeline", ""]
    rows = []
    codes = _codes(account)
    for entry in account.timeline:
        what = _md(entry.label) if entry.kind == "event" else f"Published: {_md(entry.label)}"
        rows.append([when(entry.when, entry.dated_by), what, _md(codes.get(entry.event_id, "")), _md(_sources(entry.articles, account, numbers))])
    lines += _md_table(["When", "What", "PLOVER code", "Source"], rows)

    coverage = account.coverage
    lines += ["## Coverage", "", f"{OWN_REPORTING} own reporting, {COPY_ONLY} syndicated copy only.", ""]
    lines += _md_table(
        ["Item", *(_md(o) for o in coverage.outlets)],
        [[f"{row.kind}: {_md(row.label)}", *(_cell(row, o) for o in coverage.outlets)] for row in coverage.rows],
    )
    for only in coverage.only_in:
        lines += [f"### Only in {_md(only.outlet)}", ""]
        for kind, items in (("actor", only.actors), ("quote", only.quotes), ("event", only.events)):
            lines.append(f"- {kind.capitalize()}s:" + ("" if items else " none"))
            lines += [f"  - {_md(labels[(kind, item)])}" for item in items]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
