"""Annotate: parse an article once with spaCy and run storyline's components over it.

Public entry points: `annotate(article)` and `annotate_many(articles)`, which return
`Annotation` records; the spaCy Doc never leaves this package.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator, Sequence

from spacy.tokens import Doc

from ..errors import IngestError
from ..records import Annotation, Article
from .actors import build_actors
from .pipeline import load_nlp, parse_titles

TERM_POS = {"NOUN", "PROPN", "VERB", "ADJ", "NUM"}


def content_terms(doc: Doc | Iterable) -> tuple[str, ...]:
    """Lower-cased lemmas of content words: what story grouping compares."""
    return tuple(
        token.lemma_.lower()
        for token in doc
        if token.is_alpha and not token.is_stop and len(token) > 1 and token.pos_ in TERM_POS
    )


def annotate_doc(doc: Doc, article: Article, title_doc: Doc | None = None) -> Annotation:
    # imported here so that each component module can itself import from this package
    from .events import find_events
    from .quotes import find_quotes

    actors = build_actors(doc, article)
    quotes = find_quotes(doc, actors)
    events = find_events(doc, actors, article.published, quotes)
    return Annotation(
        article_id=article.id,
        actors=tuple(actors),
        quotes=tuple(quotes),
        events=tuple(events),
        terms=content_terms(doc),
        title_terms=content_terms(title_doc) if title_doc is not None else (),
        sentences=tuple((s.start_char, s.end_char) for s in doc.sents),
    )


def annotate(article: Article) -> Annotation:
    """Actors, quotes, events and content terms of one article."""
    return annotate_batch([article])[0]


def annotate_batch(articles: Sequence[Article]) -> list[Annotation]:
    """Annotations of several articles, in order; spaCy parses them as one batch, which its
    networks run through faster than one article at a time."""
    docs = load_nlp().pipe([article.text for article in articles], batch_size=max(1, len(articles)))
    title_docs = iter(parse_titles([article.title for article in articles if article.title]))
    return [
        annotate_doc(doc, article, next(title_docs) if article.title else None)
        for doc, article in zip(docs, articles)
    ]


def _annotate_pairs(articles: list[Article]) -> list[tuple[Article, Annotation] | IngestError]:
    """The batch's (article, annotation) pairs; when the batch fails, each article alone, so
    only the article that fails is lost, as an IngestError naming it and the cause."""
    try:
        return list(zip(articles, annotate_batch(articles)))
    except Exception as error:  # noqa: BLE001 - one article's failure must not end the batch
        if len(articles) == 1:
            message = " ".join(str(error).split())[:200]
            return [IngestError(articles[0].origin or articles[0].id, f"annotation failed ({type(error).__name__}: {message})")]
    return [pair for article in articles for pair in _annotate_pairs([article])]


def annotate_stream(
    articles: Iterable[Article], processes: int = 1, batch_size: int = 8
) -> Iterator[tuple[Article, Annotation] | IngestError]:
    """(article, annotation) pairs in input order, streaming, parsed `batch_size` articles at a
    time; with processes > 1 one pool of worker processes (forked, so they share the loaded
    model) annotates batches in parallel. An article that cannot be annotated comes out as an
    IngestError in its place; the others are annotated as usual."""
    if processes <= 1:
        for batch in _batches(articles, batch_size):
            yield from _annotate_pairs(batch)
        return
    load_nlp()  # loaded before forking, so workers inherit it instead of each loading it
    context = multiprocessing.get_context("fork")
    with context.Pool(processes) as pool:
        for pairs in pool.imap(_annotate_pairs, _batches(articles, batch_size)):
            yield from pairs


def annotate_many(articles: Iterable[Article], processes: int = 1) -> Iterator[Annotation]:
    """Annotations in input order; raises the IngestError of an article that cannot be annotated."""
    for pair in annotate_stream(articles, processes):
        if isinstance(pair, IngestError):
            raise pair
        yield pair[1]


def _batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for article in articles:
        batch.append(article)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


__all__ = ["annotate", "annotate_batch", "annotate_many", "annotate_stream", "content_terms", "load_nlp"]
