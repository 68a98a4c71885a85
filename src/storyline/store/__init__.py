"""The store: records in, records out. Only this package imports SQLAlchemy."""

from .repository import Repository, StoredArticle, database_url

__all__ = ["Repository", "StoredArticle", "database_url"]
