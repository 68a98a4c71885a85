from datetime import datetime

import pytest

from storyline.cluster import CHANNELS, ClusterItem, cluster_item, numbers_in
from storyline.cluster.features import LEAD_CHARACTERS, TermWeights, channel_tokens, day_of, dot
from storyline.records import Actor, Annotation, Article


def test_numbers_in_text():
    assert numbers_in("23 pirates, 2,000 tonnes and a 5.6 quake in 2013.") == ("23", "2,000", "5.6", "2013")


def test_channels_of_an_item():
    item = ClusterItem("a", None, ("vote", "bill"), ("senate",), ("w-mark-felt", "senate"), numbers=("52",))
    terms, actors, names, numbers, lead = map(list, channel_tokens(item))
    assert len(CHANNELS) == 5
    assert terms == ["vote", "bill", "senate"] and actors == ["w-mark-felt", "senate"]
    assert names == ["w", "mark", "felt", "senate"] and numbers == ["52"] and lead == ["senate", "vote", "bill"]


def test_term_weights_are_unit_vectors_and_rare_terms_weigh_more():
    weights = TermWeights(prior_documents=10.0)
    weights.vectors(ClusterItem("a", None, ("vote", "senate")))
    vectors = weights.vectors(ClusterItem("b", None, ("vote", "filibuster")))
    assert sum(w * w for w in vectors[0].values()) == pytest.approx(1.0)
    assert vectors[0]["filibuster"] > vectors[0]["vote"]
    assert weights.documents == 2 and weights.frequency[0]["vote"] == 2


def test_day_and_dot():
    assert day_of(None) is None
    assert day_of(datetime(1970, 1, 2, 12)) == pytest.approx(1.5)
    assert dot({"a": 0.5, "b": 1.0}, {"b": 2.0, "c": 3.0}) == 2.0


def test_cluster_item_of_an_annotated_article():
    article = Article(id="a1", text="Senators voted 52 to 48. " + "More. " * 400, title="Senate votes", source="Wire")
    annotation = Annotation("a1", actors=(Actor(id="senate", name="Senate", type="ORG"),), terms=("senator", "vote"), title_terms=("senate", "vote"))
    item = cluster_item(article, annotation)
    assert item.actors == ("senate",) and item.numbers[:2] == ("52", "48") and item.title == "Senate votes"
    assert item.lead.startswith("Senators voted") and len(item.lead) == LEAD_CHARACTERS
