"""HTML main-text extraction quality on the Zyte article-extraction benchmark.

Scoring follows the benchmark: the extracted body and the gold `articleBody` are compared
as bags of whitespace tokens; precision, recall and F1 per page, averaged over pages.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from ..errors import IngestError
from ..ingest import IngestOptions
from ..ingest.common import decode_html, load_bytes
from ..ingest.html import article_from_html


def token_scores(predicted: str, gold: str) -> tuple[float, float, float]:
    predicted_tokens, gold_tokens = Counter(predicted.split()), Counter(gold.split())
    if not gold_tokens:
        return (1.0, 1.0, 1.0) if not predicted_tokens else (0.0, 1.0, 0.0)
    common = sum((predicted_tokens & gold_tokens).values())
    precision = common / sum(predicted_tokens.values()) if predicted_tokens else 0.0
    recall = common / sum(gold_tokens.values())
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def evaluate(folder: Path) -> dict:
    gold = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    options = IngestOptions()
    totals = [0.0, 0.0, 0.0]
    failures = 0
    for key, record in gold.items():
        path = folder / "html" / f"{key}.html.gz"
        try:
            html = decode_html(load_bytes(path, options.max_bytes, decompress=True), str(path))
            text = article_from_html(html, str(path), key, options, url=record.get("url")).text
        except IngestError:
            text, failures = "", failures + 1
        for i, score in enumerate(token_scores(text, record.get("articleBody") or "")):
            totals[i] += score
    pages = len(gold)
    return {
        "pages": pages,
        "precision": totals[0] / pages,
        "recall": totals[1] / pages,
        "f1": totals[2] / pages,
        "no_text_found": failures,
    }
