"""Fit the reported-speech model (`src/storyline/data/attribution_model.json`) on PolNeAR train.

    python scripts/build_attribution_model.py ../shared/data/polnear [--folds 5] [--min-precision 0.85] [--parsed train.spacy]

Every candidate of `annotate/reported.py` that the rules and quote marks leave free is labelled
by the train split's gold: an attribution the rules missed shares half of the shorter of the two.
A logistic regression (scikit-learn) is fitted on those labels. The acceptance threshold is chosen
by cross-validation over articles of train only: the lowest threshold (most recall) whose
all-attributions precision, end to end with the rules' quotes, stays at or above
`--min-precision`. The cross-validated figures are printed; dev is never read here.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from spacy.tokens import DocBin

from storyline.annotate.actors import build_actors
from storyline.annotate.pipeline import load_nlp
from storyline.annotate.quotes import _Candidate, _QuoteFinder
from storyline.annotate.reported import MODEL_FILE, select
from storyline.eval.polnear import load_polnear, match, score, shared_characters
from storyline.records import Article, Quote, Span, Speaker

THRESHOLDS = [round(t, 2) for t in np.arange(0.20, 0.91, 0.05)]
REGULARISATION = 1.0
MIN_FEATURE_COUNT = 3
OUTPUT = Path(__file__).resolve().parent.parent / "src" / "storyline" / "data" / MODEL_FILE


def _article_rows(article, doc):
    """The rules' quotes, the free candidates and their labels for one article."""
    actors = build_actors(doc, Article(id=article.id, text=article.text))
    finder = _QuoteFinder(doc, actors)
    rule_quotes = finder.run(None)
    missed = [g for g in article.attributions if all(g is not m for m, _ in match(article.attributions, rule_quotes))]
    pool = finder.learned_pool([_Candidate(part.start, part.end, quote.kind, None, None) for quote in rule_quotes for part in quote.spans])
    labels = []
    for candidate in pool:
        length = candidate.end - candidate.start
        labels.append(any(
            shared_characters(g.parts, [(candidate.start, candidate.end)])
            >= 0.5 * min(length, sum(e - s for s, e in g.parts))
            for g in missed
        ))
    return rule_quotes, pool, labels


def _quotes_with(rule_quotes, chosen, text):
    added = [
        Quote(
            text[r.start : r.end], r.start, r.end, "mixed" if "holds_quote=True" in r.features else "indirect",
            Speaker(None, None, None, None), Span(r.cue.idx, r.cue.idx + len(r.cue), r.cue.text),
        )
        for r in chosen
    ]
    return list(rule_quotes) + added


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("polnear", type=Path)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--min-precision", type=float, default=0.85)
    parser.add_argument("--parsed", type=Path, help="the train split already parsed: a spaCy DocBin, articles in order")
    options = parser.parse_args()

    articles, errors = load_polnear(options.polnear, "train")
    for error in errors:
        print(error, file=sys.stderr)
    nlp = load_nlp()
    if options.parsed:
        docs = DocBin().from_disk(options.parsed).get_docs(nlp.vocab)
    else:
        docs = nlp.pipe((a.text for a in articles), batch_size=8)
    rows = []
    started = time.monotonic()
    for number, (article, doc) in enumerate(zip(articles, docs), 1):
        rows.append((article, *_article_rows(article, doc)))
        if number % 100 == 0 or number == len(articles):
            rate = number / (time.monotonic() - started)
            print(f"parsed {number}/{len(articles)} articles ({rate:.1f}/s, ETA {(len(articles) - number) / rate:.0f}s)", file=sys.stderr)

    # features seen fewer than MIN_FEATURE_COUNT times carry noise, not evidence
    counts = Counter(name for _, _, pool, _ in rows for r in pool for name in r.features)
    vectoriser = DictVectorizer()
    vectoriser.fit([{name: 1 for name, count in counts.items() if count >= MIN_FEATURE_COUNT}])

    def fit(part):
        x = vectoriser.transform({name: 1 for name in r.features} for _, _, pool, _ in part for r in pool)
        y = np.array([label for _, _, _, labels in part for label in labels])
        return LogisticRegression(C=REGULARISATION, max_iter=2000, fit_intercept=False).fit(x, y)

    def probabilities(model, pool):
        if not pool:
            return []
        return model.predict_proba(vectoriser.transform({name: 1 for name in r.features} for r in pool))[:, 1].tolist()

    # cross-validation over articles: every article is scored by a model fitted without it
    folds = [rows[k :: options.folds] for k in range(options.folds)]
    held_out = []  # (article, rule quotes, pool, probabilities)
    for k, fold in enumerate(folds):
        model = fit([row for j, other in enumerate(folds) if j != k for row in other])
        held_out += [(article, rules, pool, probabilities(model, pool)) for article, rules, pool, _ in fold]
    rules_only = score((article, rules, []) for article, rules, _, _ in held_out)
    print(f"rules only (train): all P {rules_only['all']['precision']} R {rules_only['all']['recall']}, quoted F1 {rules_only['quoted']['f1']}")
    chosen_threshold, chosen = None, None
    for threshold in THRESHOLDS:
        both = score(
            (article, _quotes_with(rules, select(pool, probs, threshold), article.text), [])
            for article, rules, pool, probs in held_out
        )
        report, quoted = both["all"], both["quoted"]
        print(
            f"threshold {threshold:.2f}: all P {report['precision']} R {report['recall']} F1 {report['f1']}, "
            f"quoted F1 {quoted['f1']} (train, {options.folds}-fold CV)"
        )
        if report["precision"] >= options.min_precision and chosen_threshold is None:
            chosen_threshold, chosen, chosen_quoted_f1 = threshold, report, quoted["f1"]
    if chosen_threshold is None:
        raise SystemExit(f"no threshold keeps precision at {options.min_precision}")
    print(f"chosen threshold {chosen_threshold}: all P {chosen['precision']} R {chosen['recall']} (train CV)")

    model = fit(rows)
    weights = {
        name: round(float(weight), 4)
        for name, weight in zip(vectoriser.get_feature_names_out(), model.coef_[0])
        if abs(weight) >= 1e-3
    }
    OUTPUT.write_text(
        json.dumps({
            "about": "Logistic weights of annotate/reported.py, fitted on PolNeAR train by scripts/build_attribution_model.py",
            "threshold": chosen_threshold,
            "train_cv": {"folds": options.folds, "all_precision": chosen["precision"], "all_recall": chosen["recall"], "quoted_f1": chosen_quoted_f1},
            "weights": dict(sorted(weights.items())),
        }, indent=0) + "\n",
        encoding="utf-8",
    )
    print(f"wrote {OUTPUT} ({len(weights)} weights)")


if __name__ == "__main__":
    main()
