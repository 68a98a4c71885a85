"""Errors the library raises; the CLI turns each into one line naming the input and the reason."""


class StorylineError(Exception):
    """Base class for every error storyline reports to a user."""


class IngestError(StorylineError):
    """An input could not be read as an article; the batch goes on without it."""

    def __init__(self, source: str, reason: str):
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")

    def __reduce__(self):
        # rebuilt from both fields when it crosses to another process (annotation workers)
        return type(self), (self.source, self.reason)


class NotFound(StorylineError):
    """A story, article or actor id that the store does not hold."""


class StoreError(StorylineError):
    """The store cannot be opened or written."""


class StateVersionError(StorylineError):
    """A saved clusterer or deduper state was written by another version of its format."""

    def __init__(self, kind: str, found: object, expected: int):
        self.kind, self.found, self.expected = kind, found, expected
        super().__init__(
            f"the store's {kind} state has version {found!r}, this storyline reads {expected}: "
            "run `storyline recluster` to re-group the store with the current model"
        )


class CorrectionError(StorylineError):
    """A correction that cannot be made as asked (an article not in the story, a story merged with itself…)."""
