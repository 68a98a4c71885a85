"""The store: records in, records out. Only this package imports SQLAlchemy."""

from .repository import Repository, database_url, shown_url

__all__ = ["Repository", "database_url", "shown_url"]
