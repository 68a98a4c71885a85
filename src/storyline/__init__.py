"""storyline: a local-first news-event engine.

    from storyline import Storyline
    sl = Storyline("news.db")
    sl.ingest(["articles/"])
    for story in sl.stories():
        print(story.headline, story.outlets)
"""

import os

# Before numpy loads (any storyline module may pull it in): numpy's OpenBLAS otherwise starts a
# thread pool at import, and a process that has ever had a second thread keeps glibc's slower
# thread-safe memory allocation, as do the annotation workers forked from it; spaCy's parse
# runs ~10 % slower there. storyline's parallelism is its worker processes, so BLAS keeps to
# one thread unless the user has chosen otherwise.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"
__all__ = ["Storyline", "extract"]


def __getattr__(name: str):
    # the library pulls in spaCy and SQLAlchemy; load it on first use, not on `import storyline`
    if name in __all__:
        from . import library

        return getattr(library, name)
    raise AttributeError(f"module 'storyline' has no attribute {name!r}")
