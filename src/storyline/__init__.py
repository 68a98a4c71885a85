"""storyline: a local-first news-event engine."""

__version__ = "0.1.0"
