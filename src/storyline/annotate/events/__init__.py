"""PLOVER events: who did what to whom, when and where.

`find_events(doc, actors, published)` codes a parsed article (`extract`), from a trigger
lexicon (`lexicon`) matched over the parse (`triggers`), with source and target taken from
the trigger's clause (`arguments`) and its negation, modality, date and place (`context`).
"""

from .extract import find_events, primary_event
from .lexicon import PLOVER_TYPES, plover_type

__all__ = ["PLOVER_TYPES", "find_events", "plover_type", "primary_event"]
