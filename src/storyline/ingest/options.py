from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class IngestOptions:
    """What a user can tell the readers about inputs that do not say it themselves."""

    source: str | None = None  # outlet name for plain text
    published: datetime | None = None  # publication time for plain text
    max_bytes: int = 20_000_000  # larger files are refused, not truncated
    fetch: bool = False  # feeds: fetch the linked page of summary-only entries (needs the network)
    allow_private_addresses: bool = False  # fetching may reach loopback, private and link-local addresses
