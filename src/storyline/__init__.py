"""storyline: a local-first news-event engine.

    from storyline import Storyline
    sl = Storyline("news.db")
    sl.ingest(["articles/"])
    for story in sl.stories():
        print(story.headline, story.outlets)
"""

__version__ = "0.1.0"
__all__ = ["Storyline", "extract"]


def __getattr__(name: str):
    # the library pulls in spaCy and SQLAlchemy; load it on first use, not on `import storyline`
    if name in __all__:
        from . import library

        return getattr(library, name)
    raise AttributeError(f"module 'storyline' has no attribute {name!r}")
