"""Semantic vectors of a report's headline and lead: wordllama, loaded from its own package.

wordllama (MIT) ships its 256-dimension weights and tokenizer inside the wheel; its default
`WordLlama.load()` would look for the tokenizer online, so it is loaded from the installed
package's folder with downloads disabled: nothing touches the network.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np

DIMENSIONS = 256


@cache
def _model():
    import wordllama
    from wordllama import WordLlama

    return WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)


def embed(texts: list[str]) -> np.ndarray:
    """Unit vectors (float32, one row per text); an empty text gets a zero row."""
    rows = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    filled = [n for n, text in enumerate(texts) if text.strip()]
    if filled:
        rows[filled] = _model().embed([texts[n] for n in filled], norm=True)
    return rows
