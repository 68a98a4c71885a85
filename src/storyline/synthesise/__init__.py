"""Synthesise: a stored story's articles -> one `Account`, every item traceable to its source.

Merging across articles is deliberately not greedy:

- actors merge on equal canonical names (actor ids are slugs of them); a person known by a
  surname alone joins the one full-name person of the story with that surname whose role,
  country and gender do not contradict it, or the candidate those facts single out, and
  otherwise stays apart; a body joins another whose mentions name it ("UNSC");
- quotes merge when the same speaker says the same words: in order, wholly contained
  (truncation), mostly the same (alteration), or, for reported speech, the same content
  words (paraphrase); how each version departs from the fullest direct one is its drift;
- events merge only when every pair of reports agrees: type, negation, mode (equal, or one
  refining an unmoded report; an intention never matches a deed), parties (one at least
  known and equal, none contradicting; either way round for mutual types such as a call)
  and dates (equal or one more precise);
- a report that fits two quotes or two events equally well joins neither.

Actors, quotes and events never merge within one article unless the annotator already
did: two actors of one article are two actors.
"""

from __future__ import annotations

from ..entities import name_key
from ..records import Account, AccountArticle, StoredArticle, Story
from .actors import StoryActors, merge_actors
from .corpus import Corpus
from .coverage import build_coverage
from .events import merge_events
from .network import build_network
from .quotes import merge_quotes
from .summary import split_sentences, summarise
from .timeline import build_timeline

__all__ = ["account", "name_key", "split_sentences"]


def account(story: Story, articles: list[StoredArticle], summary_sentences: int = 5) -> Account:
    """Everything the story's articles say, merged across outlets, with the source of every item.

    The story gives the account its id (and a headline when the articles offer none); all
    else comes from `articles`, the story's stored articles."""
    corpus = Corpus(articles)
    actors = StoryActors(corpus, merge_actors(corpus))
    quotes = merge_quotes(corpus, actors)
    events = merge_events(corpus, actors)
    actor_records = actors.records(quotes, events)
    summary, headline = summarise(corpus, actor_records, quotes, events, summary_sentences)
    dated = [s.article.published for s in corpus.stored if s.article.published]  # in publication order
    return Account(
        id=story.id,
        headline=headline or story.headline or next((s.article.title for s in corpus.stored if s.article.title), None),
        articles=tuple(
            AccountArticle(a.id, a.title, a.source, a.published, a.url, corpus.by_id[a.id].duplicate_of)
            for a in (s.article for s in corpus.stored)
        ),
        outlets=tuple(sorted({s.article.source for s in corpus.stored if s.article.source})),
        first=dated[0] if dated else None,
        last=dated[-1] if dated else None,
        actors=actor_records,
        quotes=quotes,
        events=events,
        timeline=build_timeline(corpus, events),
        coverage=build_coverage(corpus, actor_records, quotes, events),
        summary=summary,
        network=build_network(actor_records, quotes, events),
    )
