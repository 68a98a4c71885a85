"""Outlet identity: one name per news outlet, from a site name and/or a page URL.

Coverage comparisons count outlets, so `www.bbc.co.uk`, `bbc.com` and a feed titled
"BBC News" must all be "BBC". The shipped table `data/outlets.tsv` maps domains and
names to outlets; a user mapping file in the same format overrides it.

Lookup order: overrides by domain, overrides by name, table by domain, table by name,
then a fallback: the site name as given, or else the bare host name (`example.com`),
which is also preferred to an unknown site name that carries a section ("Example - World").
Domains match their subdomains (`news.bbc.co.uk` is `bbc.co.uk`). A domain wins over
a site name because a page's host says who published it, while site names vary with
the section ("World news | The Guardian").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from .errors import StorylineError
from .lexicons import data_text

TABLE_FILE = "outlets.tsv"
# Leading host labels that name a mirror or edition of the same site, not another outlet.
MIRROR_PREFIXES = ("www", "www1", "www2", "m", "mobile", "amp")
_TITLE_SEPARATOR = re.compile(r"\s+[-|–—:·»]\s+")
_DOMAIN = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+$")


def normalise_outlet(site_name: str | None, url: str | None, overrides: Mapping[str, str] | None = None) -> str | None:
    """The outlet's canonical name; None only when neither a site name nor a URL host is given.

    `overrides` maps domains or names to outlet names (as read by `load_outlet_overrides`)
    and wins over the shipped table.
    """
    name = " ".join((site_name or "").split())
    host = _host(url) or (_host(name) if _looks_like_domain(name) else None)
    tables = [_key_table(overrides)] if overrides else []
    tables.append(_shipped_table())
    for table in tables:
        found = _by_domain(host, table) or _by_name(name, table)
        if found:
            return found
    # An unknown title with a section ("Example Daily - World") names a section, not the outlet:
    # the host counts outlets more reliably then.
    sectioned = bool(_TITLE_SEPARATOR.search(name)) and host is not None
    if name and not _looks_like_domain(name) and not sectioned:
        return name
    return _strip_mirror(host) if host else None


def read_user_table(path: Path, what: str) -> str:
    """The text of a table file the user gives (`what` names it in errors); a byte-order mark is dropped."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise StorylineError(f"{path}: no such {what}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise StorylineError(f"{path}: cannot read the {what} ({error})") from None


def load_outlet_overrides(path: str | Path) -> dict[str, str]:
    """A user mapping file (same format as `data/outlets.tsv`) as a key -> outlet mapping."""
    path = Path(path)
    return parse_outlet_table(read_user_table(path, "outlet mapping file").splitlines(), str(path))


def parse_outlet_table(lines: Iterable[str], source: str) -> dict[str, str]:
    """Rows `outlet <TAB> domains <TAB> names` ('|' between values) -> {domain or name: outlet}.

    The outlet's own name is a name key too. Keys are as given; lookups normalise them.
    """
    mapping: dict[str, str] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        outlet, *columns = (cell.strip() for cell in line.split("\t"))
        if not outlet or len(columns) > 2:
            raise StorylineError(f"{source}:{number}: expected 'outlet<TAB>domains<TAB>names', got {line.strip()!r}")
        mapping.setdefault(outlet, outlet)
        for column in columns:
            for key in column.split("|"):
                if key.strip():
                    mapping[key.strip()] = outlet
    return mapping


@cache
def _shipped_table() -> dict[str, str]:
    return _key_table(parse_outlet_table(data_text(TABLE_FILE).splitlines(), TABLE_FILE))


def _key_table(mapping: Mapping[str, str]) -> dict[str, str]:
    """Keys made comparable: domains lower-cased without mirror prefixes, names as `_name_key`."""
    table: dict[str, str] = {}
    for key, outlet in mapping.items():
        if _looks_like_domain(key):
            table[_strip_mirror(key.lower())] = outlet
        else:
            table[_name_key(key)] = outlet
    return table


def _by_domain(host: str | None, table: Mapping[str, str]) -> str | None:
    if not host:
        return None
    labels = host.split(".")
    # news.bbc.co.uk, then bbc.co.uk, then co.uk: a parent domain covers its subdomains
    for first in range(len(labels) - 1):
        found = table.get(".".join(labels[first:]))
        if found:
            return found
    return None


def _by_name(name: str, table: Mapping[str, str]) -> str | None:
    if not name:
        return None
    found = table.get(_name_key(name))
    if found:
        return found
    # a feed or page title often adds a section: "BBC News - World", "World news | The Guardian"
    for part in _TITLE_SEPARATOR.split(name):
        found = table.get(_name_key(part))
        if found:
            return found
    return None


def _name_key(name: str) -> str:
    key = " ".join(name.casefold().split())
    return key.removeprefix("the ")


def _looks_like_domain(text: str) -> bool:
    return bool(_DOMAIN.match(text.lower()))


def _host(url: str | None) -> str | None:
    if not url:
        return None
    text = url.strip()
    if "//" not in text:
        text = "//" + text  # a bare domain or host/path
    try:
        host = urlsplit(text).hostname
    except ValueError:
        return None
    return host.rstrip(".") if host else None


def _strip_mirror(host: str) -> str:
    labels = host.lower().split(".")
    while len(labels) > 2 and labels[0] in MIRROR_PREFIXES:
        labels = labels[1:]
    return ".".join(labels)
