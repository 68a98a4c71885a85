"""Syndicated copies: wire copy republished elsewhere, lightly edited or cut short.

An article's text becomes a set of word shingles (five-word windows over its lower-cased
words) summarised by a MinHash signature; an LSH index over the signatures finds the
earlier articles that may share much of it. A candidate is a copy's original when the
shorter text's shingles are mostly contained in the longer one's (containment estimated
from the MinHash Jaccard and the two set sizes), so an exact copy, a copy with a few
words changed and a copy truncated to its first paragraphs all link to the original.
The original is the earliest article of the group: a copy of a copy links to the first.
"""

from __future__ import annotations

import base64
import json
import re
import zlib
from collections.abc import Iterable
from dataclasses import asdict, dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

from .errors import StateVersionError

WORD = re.compile(r"\w+")
STATE_VERSION = 1
MINHASH_SCHEME = "affine32"  # datasketch 2's default, named so that stored signatures stay comparable


@dataclass(frozen=True)
class DedupeSettings:
    shingle_words: int = 5
    num_perm: int = 64
    # LSH recall threshold on Jaccard: low enough that a copy cut to a third of the
    # original (Jaccard ~0.3) is still a candidate; containment decides
    candidate_jaccard: float = 0.25
    min_containment: float = 0.7  # share of the shorter text's shingles found in the other
    min_shingles: int = 10  # shorter texts are copies only when identical


def shingles(text: str, size: int) -> set[str]:
    words = WORD.findall(text.lower())
    if len(words) <= size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def independent_sources(members: Iterable[tuple[str | None, str | None]]) -> int:
    """How many outlets reported a story themselves, from its articles' (outlet, original id) pairs.

    Copies (an original id is set) add nothing; an article without an outlet counts as
    one outlet of its own.
    """
    outlets: set[str] = set()
    unnamed = 0
    for outlet, original in members:
        if original is not None:
            continue
        if outlet:
            outlets.add(outlet)
        else:
            unnamed += 1
    return len(outlets) + unnamed


@dataclass
class _Entry:
    position: int  # order of arrival
    original: str | None
    size: int  # number of distinct shingles
    signature: np.ndarray


class Deduper:
    """Finds syndicated and near copies among the articles added so far."""

    def __init__(self, settings: DedupeSettings | None = None):
        self.settings = settings or DedupeSettings()
        self.entries: dict[str, _Entry] = {}
        self.unsaved: list[str] = []  # ids added since the state was last saved (a store saves them as rows)
        self._lsh = MinHashLSH(threshold=self.settings.candidate_jaccard, num_perm=self.settings.num_perm)
        # drawn once: every MinHash would otherwise draw the same seeded permutations again (~1 ms)
        self._permutations = MinHash(num_perm=self.settings.num_perm, scheme=MINHASH_SCHEME).permutations

    def add(self, article_id: str, text: str) -> str | None:
        """The id of the original when `text` copies an earlier article, else None.

        Adding an id already present answers for it again without changing anything.
        """
        if article_id in self.entries:
            return self.entries[article_id].original
        shingle_set = shingles(text, self.settings.shingle_words)
        minhash = MinHash(num_perm=self.settings.num_perm, permutations=self._permutations, scheme=MINHASH_SCHEME)
        minhash.update_batch([s.encode("utf-8") for s in shingle_set])
        original = self._original_of(minhash, len(shingle_set)) if shingle_set else None
        self.entries[article_id] = _Entry(len(self.entries), original, len(shingle_set), minhash.hashvalues.copy())
        self._lsh.insert(article_id, minhash)
        self.unsaved.append(article_id)
        return original

    def original_of(self, article_id: str) -> str | None:
        entry = self.entries.get(article_id)
        return entry.original if entry else None

    def _original_of(self, minhash: MinHash, size: int) -> str | None:
        best: tuple[float, int, str] | None = None
        for candidate in self._lsh.query(minhash):
            entry = self.entries[candidate]
            if entry.size == 0:
                continue
            jaccard = float(np.mean(minhash.hashvalues == entry.signature))
            smaller = min(size, entry.size)
            if smaller < self.settings.min_shingles and not (jaccard == 1.0 and size == entry.size):
                continue
            containment = jaccard * (size + entry.size) / ((1.0 + jaccard) * smaller)
            if containment < self.settings.min_containment:
                continue
            root = entry.original or candidate
            key = (-containment, self.entries[root].position, root)
            if best is None or key < best:
                best = key
        return best[2] if best else None

    def restore(self, article_id: str, original: str | None, size: int, signature: bytes) -> None:
        """Take back an entry saved earlier (`signature` as saved by `signature_bytes`), as the latest arrival."""
        values = np.frombuffer(signature, dtype="<u4").astype(np.uint32)
        entry = _Entry(len(self.entries), original, size, values)
        self.entries[article_id] = entry
        self._lsh.insert(article_id, self._minhash(entry))

    def _minhash(self, entry: _Entry) -> MinHash:
        return MinHash(
            num_perm=self.settings.num_perm, hashvalues=entry.signature, permutations=self._permutations, scheme=MINHASH_SCHEME
        )

    def dumps(self) -> bytes:
        state = {
            "version": STATE_VERSION,
            "settings": asdict(self.settings),
            "entries": [
                [key, e.original, e.size, base64.b64encode(signature_bytes(e.signature)).decode("ascii")]
                for key, e in self.entries.items()
            ],
        }
        return zlib.compress(json.dumps(state, separators=(",", ":")).encode("utf-8"), 6)

    @classmethod
    def loads(cls, data: bytes) -> Deduper:
        state = json.loads(zlib.decompress(data).decode("utf-8"))
        if state.get("version") != STATE_VERSION:
            raise StateVersionError("deduper", state.get("version"), STATE_VERSION)
        deduper = cls(DedupeSettings(**state["settings"]))
        for key, original, size, signature in state["entries"]:
            deduper.restore(key, original, size, base64.b64decode(signature))
        return deduper


def signature_bytes(signature: np.ndarray) -> bytes:
    return signature.astype("<u4").tobytes()
