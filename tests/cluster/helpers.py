"""Hand-made cluster items for the model-free tests: two stories with their own words and actors."""

from datetime import datetime, timedelta

from storyline.cluster import ClusterItem

START = datetime(2024, 3, 1, 9, 0)

# Two stories with their own vocabulary and actors, and words every article shares.
COMMON = ("say", "official", "week", "report", "government", "people")
FLOOD = ("flood", "river", "levee", "evacuate", "rain", "valley", "rescue", "water")
TRIAL = ("trial", "jury", "verdict", "court", "judge", "defendant", "testimony", "fraud")


def item(article_id, words, actors=(), day=0.0, numbers=(), published=True):
    return ClusterItem(
        article_id=article_id,
        published=START + timedelta(days=day) if published else None,
        terms=tuple(words) + COMMON,
        title_terms=tuple(words[:2]),
        actors=tuple(actors),
        numbers=tuple(numbers),
    )


def flood(article_id, day=0.0, extra=(), published=True):
    return item(article_id, FLOOD + extra, ("river-authority", "maria-lopez"), day, ("12", "300"), published)


def trial(article_id, day=0.0, extra=(), published=True):
    return item(article_id, TRIAL + extra, ("john-carver", "crown-court"), day, ("2019",), published)
