"""The store: records in, records out. Only this package imports SQLAlchemy."""

from .repository import (
    ActorSummary,
    ArticleEvent,
    ArticleQuote,
    Repository,
    StoredArticle,
    StoryFilter,
    database_url,
)

__all__ = [
    "ActorSummary",
    "ArticleEvent",
    "ArticleQuote",
    "Repository",
    "StoredArticle",
    "StoryFilter",
    "database_url",
]
