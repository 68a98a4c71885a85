"""Story clustering scored against gold story labels, and the training of its link model.

`evaluate(path)` reads a JSONL corpus whose rows carry a gold story label (ECB+:
`../shared/data/ecbplus/articles.jsonl`, field `story`), annotates it, groups it the way
`storyline cluster` does (syndicated copies first, then incremental clustering in
publication order) and reports:

- B-cubed precision/recall/F1: per article, the share of its predicted story that is in
  its gold story and the share of its gold story that is in its predicted story, averaged;
- pairwise precision/recall/F1 over all pairs of articles put in one story;
- with `shuffles=N`, the F1 scores over N arrival orders shuffled within each publication
  day (an undated corpus is one day): `shuffled_b3_f1_mean`, `_min`, `_max`, `_sd`, and
  the same for `shuffled_pairwise_f1` and for `shuffled_agreement_b3_f1`, the B-cubed F1 of
  each shuffled grouping against the publication-order grouping (1.0: the order changed nothing).

- with `time_folds=K`, time-blocked cross-validation (`time_blocked`); with `baseline="tfidf"`,
  the single-pass TF-IDF baseline (`tfidf_baseline`) scored the same way in the same run.

Training (`python -m storyline.eval.cluster train DATED.jsonl UNDATED.jsonl --out FILE`) replays
each corpus with the gold stories imposed, so that every candidate story the index offers an
article becomes one example (is it the article's story or not), fits a logistic regression over
the pair features, and picks the join threshold that maximises B-cubed F1 over several arrival
orders. The dated model (neus-dev) also records its time-blocked cross-validation.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import statistics
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from math import comb
from pathlib import Path

from ..cluster import ClusterItem, ClusterSettings, LinkModel, StoryClusterer, StoryModel, assign_stories, publication_order
from ..cluster.features import day_of
from ..cluster.model import FEATURES

THRESHOLDS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7)
# undated links: words alone; joined freely, and young stories split what falls apart
UNDATED_THRESHOLDS = (0.02, 0.04, 0.08, 0.12, 0.18, 0.25, 0.35)
DATED_FEATURES = FEATURES
UNDATED_FEATURES = ("cos_terms", "cos_actors", "cos_names", "cos_numbers", "cos_lead", "cos_semantic")
TRAINING_ORDERS = 3
REGULARIZATION = 1.0  # inverse L2 strength of the link regression
BASELINE_DAYS = 3.0  # the TF-IDF baseline: an article joins the best story seen within this many days
BASELINE_COSINE = 0.2  # at this cosine or more


@dataclass(frozen=True)
class Corpus:
    items: tuple[ClusterItem, ...]  # in file order
    texts: Mapping[str, str]
    gold: Mapping[str, str]  # article id -> gold story
    groups: Mapping[str, str]  # article id -> group for cross-validation (topic)


def load_corpus(
    path: Path, gold_field: str = "story", group_field: str = "topic", processes: int = 2, on_article=None
) -> Corpus:
    """Annotate a labelled JSONL corpus (rows without the gold field are skipped); `on_article`
    is called after each article is annotated."""
    from ..cluster import cluster_items
    from ..errors import IngestError
    from ..library import extract

    pairs, texts, gold, groups = [], {}, {}, {}
    for result in extract([path], processes=processes):
        if isinstance(result, IngestError):
            raise result
        article, annotation = result
        if on_article:
            on_article(article)
        label = article.extra.get(gold_field)
        if label is None:
            continue
        pairs.append((article, annotation))
        texts[article.id] = article.text
        gold[article.id] = str(label)
        groups[article.id] = str(article.extra.get(group_field, label))
    return Corpus(tuple(cluster_items(pairs)), texts, gold, groups)


# ---- metrics ---------------------------------------------------------------------


def article_b3(predicted: Mapping[str, str], gold: Mapping[str, str]) -> dict[str, tuple[float, float]]:
    """Each article's B-cubed (precision, recall): the share of its predicted story in its gold
    story, and of its gold story in its predicted story, over the articles in `gold`."""
    predicted_members: dict[str, set[str]] = defaultdict(set)
    gold_members: dict[str, set[str]] = defaultdict(set)
    for article_id, label in gold.items():
        predicted_members[predicted[article_id]].add(article_id)
        gold_members[label].add(article_id)
    found = {}
    for article_id, label in gold.items():
        cluster, truth = predicted_members[predicted[article_id]], gold_members[label]
        overlap = len(cluster & truth)
        found[article_id] = (overlap / len(cluster), overlap / len(truth))
    return found


def scores(predicted: Mapping[str, str], gold: Mapping[str, str]) -> dict[str, float]:
    """B-cubed and pairwise precision/recall/F1 of `predicted` over the articles in `gold`."""
    per_article = article_b3(predicted, gold)
    precision = sum(p for p, _ in per_article.values()) / len(gold)
    recall = sum(r for _, r in per_article.values()) / len(gold)
    predicted_members: dict[str, set[str]] = defaultdict(set)
    gold_members: dict[str, set[str]] = defaultdict(set)
    for article_id, label in gold.items():
        predicted_members[predicted[article_id]].add(article_id)
        gold_members[label].add(article_id)
    joint = Counter((predicted[a], label) for a, label in gold.items())
    true_pairs = sum(comb(n, 2) for n in joint.values())
    predicted_pairs = sum(comb(len(m), 2) for m in predicted_members.values())
    gold_pairs = sum(comb(len(m), 2) for m in gold_members.values())
    pair_precision = true_pairs / predicted_pairs if predicted_pairs else 1.0
    pair_recall = true_pairs / gold_pairs if gold_pairs else 1.0
    return {
        "b3_precision": precision,
        "b3_recall": recall,
        "b3_f1": _f1(precision, recall),
        "pairwise_precision": pair_precision,
        "pairwise_recall": pair_recall,
        "pairwise_f1": _f1(pair_precision, pair_recall),
        "stories": len(predicted_members),
        "gold_stories": len(gold_members),
        "articles": len(gold),
    }


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


# ---- grouping ----------------------------------------------------------------------


def shuffled_within_day(items: Sequence[ClusterItem], rng: random.Random) -> list[ClusterItem]:
    """Publication order with the articles of each day in random order (undated: all one day)."""
    ordered = publication_order(items)
    days: dict[object, list[ClusterItem]] = defaultdict(list)
    for item in ordered:
        days[item.published.date() if item.published else None].append(item)
    result = []
    for day_items in days.values():
        rng.shuffle(day_items)
        result.extend(day_items)
    return result


def group(
    items: Iterable[ClusterItem], texts: Mapping[str, str], model: StoryModel | LinkModel | None = None, settings: ClusterSettings | None = None
) -> dict[str, str]:
    """Story of every item, fed in the given order: copies take their original's story."""
    return assign_stories(items, texts, model, settings)


def score_orders(
    corpus: Corpus, model: StoryModel | LinkModel | None = None, shuffles: int = 0, seed: int = 0, settings: ClusterSettings | None = None
) -> dict:
    """Scores in publication order, plus their spread over `shuffles` shuffled orders."""
    in_order = group(publication_order(corpus.items), corpus.texts, model, settings)
    result: dict = scores(in_order, corpus.gold)
    if shuffles:
        rng = random.Random(seed)
        runs = []
        for _ in range(shuffles):
            shuffled = group(shuffled_within_day(corpus.items, rng), corpus.texts, model, settings)
            # agreement: the shuffled grouping scored against the publication-order one, as if it were gold
            runs.append({**scores(shuffled, corpus.gold), "agreement_b3_f1": scores(shuffled, in_order)["b3_f1"]})
        result.update(spread(runs))
    return result


def spread(runs: Sequence[Mapping[str, float]]) -> dict[str, float]:
    """Mean, min, max and standard deviation of the F1 scores of several runs (and of their
    agreement with the publication-order grouping, when measured)."""
    result = {}
    for key in ("b3_f1", "pairwise_f1", "agreement_b3_f1"):
        if key not in runs[0]:
            continue
        values = [run[key] for run in runs]
        result[f"shuffled_{key}_mean"] = statistics.fmean(values)
        result[f"shuffled_{key}_min"] = min(values)
        result[f"shuffled_{key}_max"] = max(values)
        result[f"shuffled_{key}_sd"] = statistics.pstdev(values)
    return result


def evaluate(
    path: Path,
    gold_field: str = "story",
    shuffles: int = 0,
    time_folds: int = 0,
    baseline: str | None = None,
    progress=None,
    headlines: bool = False,
    on_article=None,
) -> dict:
    """Clustering scores of a labelled JSONL corpus with the shipped model.

    With `time_folds=K`, time-blocked cross-validation instead (`time_blocked`): a model fitted
    on the earlier blocks scores each later one. With `baseline="tfidf"`, the single-pass
    TF-IDF baseline (`tfidf_baseline`) is scored the same way in the same run, its figures
    prefixed `baseline_`. With `headlines`, every text is replaced by its headline first (what an
    RSS feed without bodies gives).
    """
    if headlines:
        with tempfile.TemporaryDirectory() as folder:
            return evaluate(
                headlines_only(Path(path), Path(folder)), gold_field, shuffles, time_folds, baseline, progress,
                on_article=on_article,
            )
    corpus = load_corpus(Path(path), gold_field, on_article=on_article)
    if time_folds:
        result = time_blocked(corpus, time_folds, baseline=baseline is not None, progress=progress)
    else:
        result = score_orders(corpus, shuffles=shuffles)
        if baseline:
            result.update({f"baseline_{k}": v for k, v in scores(tfidf_baseline(corpus), corpus.gold).items()})
    if shuffles and time_folds:
        result.update(score_orders(corpus, shuffles=shuffles))
    return result


def headlines_only(path: Path, folder: Path) -> Path:
    """A copy of a JSONL corpus in `folder` whose texts are their headlines."""
    out = folder / path.name
    with path.open(encoding="utf-8") as rows, out.open("w", encoding="utf-8") as copy:
        for line in rows:
            if line.strip():
                row = json.loads(line)
                copy.write(json.dumps({**row, "text": row.get("title") or row.get("text", "")}) + "\n")
    return out


# ---- baseline ----------------------------------------------------------------------


def tfidf_baseline(corpus: Corpus, order: Sequence[ClusterItem] | None = None) -> dict[str, str]:
    """The plain single pass: TF-IDF of headline and text; join the best story seen within 3 days at cosine >= 0.2.

    Plain TF-IDF (scikit-learn's defaults, fitted on the corpus), as the issue that set the target
    measured it (neus-dev B3 F1 0.818). Stories are compared by the sum of their articles' vectors;
    an undated article sees every story.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    order = list(order or publication_order(corpus.items))
    matrix = TfidfVectorizer().fit_transform(
        [f"{item.title} {corpus.texts[item.article_id]}" for item in order]
    )
    stories: dict[str, str] = {}
    sums, last_day = {}, {}
    for row, item in enumerate(order):
        vector, day = matrix[row], day_of(item.published)
        best, best_cosine = None, BASELINE_COSINE
        for story, total in sums.items():
            if day is not None and last_day[story] is not None and day - last_day[story] > BASELINE_DAYS:
                continue
            norm = math.sqrt(total.multiply(total).sum())
            cosine = float(vector.multiply(total).sum()) / norm if norm else 0.0
            if cosine >= best_cosine:
                best, best_cosine = story, cosine
        story = best or item.article_id
        sums[story] = sums[story] + vector if story in sums else vector
        last_day[story] = day if last_day.get(story) is None or (day is not None and day > last_day[story]) else last_day[story]
        stories[item.article_id] = story
    return stories


# ---- training ----------------------------------------------------------------------


def link_examples(corpus: Corpus, orders: int = TRAINING_ORDERS, seed: int = 0, settings: ClusterSettings | None = None) -> tuple[list[dict], list[int]]:
    """(pair features, is-its-story) for every candidate the index offers, gold stories imposed."""
    examples, labels = [], []
    rng = random.Random(seed)
    for _ in range(orders):
        clusterer = StoryClusterer(LinkModel({}, 0.0, 1.0), settings or ClusterSettings())
        story_of_label: dict[str, str] = {}
        for item in shuffled_within_day(corpus.items, rng):
            label = corpus.gold[item.article_id]
            target = story_of_label.get(label, item.article_id)
            story_of_label[label] = clusterer.add(item, story=target)
            clusterer.last_moves = {}
            for link in clusterer.last_links:
                examples.append(link.features)
                labels.append(int(link.story_id == target))
    return examples, labels


def fit(
    corpus: Corpus, features: Sequence[str] = FEATURES, thresholds: Sequence[float] = THRESHOLDS, seed: int = 0,
    settings: ClusterSettings | None = None,
) -> tuple[LinkModel, dict]:
    """A link model for `corpus`: regression weights over `features`, then the B-cubed-best threshold."""
    from sklearn.linear_model import LogisticRegression

    examples, labels = link_examples(corpus, seed=seed, settings=settings)
    matrix = [[example[name] for name in features] for example in examples]
    regression = LogisticRegression(C=REGULARIZATION, max_iter=5000).fit(matrix, labels)
    weights = {name: round(float(w), 4) for name, w in zip(features, regression.coef_[0])}
    bias = round(float(regression.intercept_[0]), 4)
    by_threshold = {}
    for threshold in thresholds:
        model = LinkModel(weights, bias, threshold)
        run = score_orders(corpus, model, shuffles=TRAINING_ORDERS - 1, seed=seed + 1, settings=settings)
        by_threshold[threshold] = (run["b3_f1"] + (TRAINING_ORDERS - 1) * run["shuffled_b3_f1_mean"]) / TRAINING_ORDERS
    best = max(thresholds, key=lambda t: (by_threshold[t], -abs(t - 0.5)))
    return LinkModel(weights, bias, best), {"examples": len(labels), "b3_f1_by_threshold": by_threshold}


def subset(corpus: Corpus, keep: set[str]) -> Corpus:
    return Corpus(
        tuple(i for i in corpus.items if i.article_id in keep),
        corpus.texts,
        {a: g for a, g in corpus.gold.items() if a in keep},
        {a: g for a, g in corpus.groups.items() if a in keep},
    )


# ---- time-blocked cross-validation -------------------------------------------------------


def time_blocks(corpus: Corpus, blocks: int) -> dict[str, int]:
    """Article id -> block: gold stories sorted by their first article's date, dealt into consecutive blocks."""
    first: dict[str, tuple] = {}
    for item in corpus.items:
        label = corpus.gold[item.article_id]
        key = (day_of(item.published) or 0.0, label)
        first[label] = min(first.get(label, key), key)
    ordered = sorted(first, key=first.__getitem__)
    block_of = {label: n * blocks // len(ordered) for n, label in enumerate(ordered)}
    return {item.article_id: block_of[corpus.gold[item.article_id]] for item in corpus.items}


def time_blocked(
    corpus: Corpus,
    blocks: int,
    fitter: Callable[[Corpus], LinkModel] | None = None,
    settings: ClusterSettings | None = None,
    baseline: bool = False,
    progress: Callable[[str], None] | None = None,
) -> dict:
    """Time-blocked cross-validation: for each block after the first, fit on the earlier blocks,
    cluster the stream up to the block's end and score the block's own articles.

    Returns the means over the scored blocks (`b3_f1`, `pairwise_f1`, ...) and each block's
    F1 (`fold1_b3_f1`, ...); with
    `baseline`, the TF-IDF baseline's scores on the same blocks (`baseline_...`).
    """
    fitter = fitter or (lambda training: fit(training, DATED_FEATURES, settings=settings)[0])
    block_of = time_blocks(corpus, blocks)
    folds = []
    for block in range(1, blocks):
        if progress:
            progress(f"fold {block}/{blocks - 1}: fitting on blocks 0-{block - 1}")
        model = fitter(subset(corpus, {a for a, b in block_of.items() if b < block}))
        stream = subset(corpus, {a for a, b in block_of.items() if b <= block})
        scored = {a: g for a, g in corpus.gold.items() if block_of[a] == block}
        fold = {"block": block, "model": model.to_json()}
        fold.update(scores(group(publication_order(stream.items), corpus.texts, model, settings), scored))
        if baseline:
            fold.update({f"baseline_{k}": v for k, v in scores(tfidf_baseline(stream), scored).items()})
        if progress:
            progress(f"fold {block}/{blocks - 1}: B3 F1 {fold['b3_f1']:.3f}" + (f", baseline {fold['baseline_b3_f1']:.3f}" if baseline else ""))
        folds.append(fold)
    result: dict = {"time_folds": blocks, "scored_folds": len(folds)}
    for key in ("b3_precision", "b3_recall", "b3_f1", "pairwise_precision", "pairwise_recall", "pairwise_f1"):
        for prefix in ("", "baseline_") if baseline else ("",):
            result[prefix + key] = statistics.fmean(fold[prefix + key] for fold in folds)
    for fold in folds:
        for key in ("b3_f1", "pairwise_f1", *(("baseline_b3_f1", "baseline_pairwise_f1") if baseline else ())):
            result[f"fold{fold['block']}_{key}"] = fold[key]
    return result


def main(argv: Sequence[str] | None = None) -> None:
    import sys

    parser = argparse.ArgumentParser(prog="python -m storyline.eval.cluster", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["train"])
    parser.add_argument("dated", type=Path, help="a dated labelled stream (neus-dev): the model of dated links")
    parser.add_argument("undated", type=Path, help="undated labelled reports (ECB+): the model of undated links")
    parser.add_argument("--out", type=Path, help="where to write the model (default: print it)")
    parser.add_argument("--time-folds", type=int, default=5, help="blocks of the cross-validation recorded with the model")
    args = parser.parse_args(argv)
    say = lambda line: print(line, file=sys.stderr)  # noqa: E731
    document = {"description": "Link models of storyline.cluster: P(article belongs to story) from pair features."}
    for kind, path, features, thresholds in (
        ("dated", args.dated, DATED_FEATURES, THRESHOLDS),
        ("undated", args.undated, UNDATED_FEATURES, UNDATED_THRESHOLDS),
    ):
        say(f"{kind}: reading {path}")
        corpus = load_corpus(path)
        model, details = fit(corpus, features, thresholds)
        document[kind] = {
            "trained_on": f"{path.name}: {len(corpus.items)} articles, {len(set(corpus.gold.values()))} stories, "
            f"gold stories imposed over {TRAINING_ORDERS} arrival orders",
            **model.to_json(),
            "training": {"examples": details["examples"], "b3_f1_by_threshold": details["b3_f1_by_threshold"]},
        }
        if kind == "dated":
            fitter = lambda training: fit(training, features, thresholds)[0]  # noqa: E731
            held_out = time_blocked(corpus, args.time_folds, fitter, baseline=True, progress=say)
            document[kind]["cross_validation"] = {
                "folds": f"{args.time_folds} time blocks; each later block scored with a model fitted on the earlier ones",
                **{k: round(v, 4) for k, v in held_out.items() if isinstance(v, float)},
            }
    text = json.dumps(document, indent=1) + "\n"
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        print(text, end="")


if __name__ == "__main__":
    main()
