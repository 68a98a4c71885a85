"""The coverage heat-map says how many rows it leaves out and links to all of them; event words keep their spaces."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

from storyline.web.views.story import HEATMAP_ROWS_PER_KIND, StoryPage, coverage_picture

NS = {"svg": "http://www.w3.org/2000/svg"}


def test_rows_past_the_cap_are_counted_and_linked(client):
    page = StoryPage.model_validate(client.get("/stories/harbour-vote.json").json())
    extra = [
        row.model_copy(update={"id": f"q{n}", "label": f"Quote number {n}"})
        for n in range(HEATMAP_ROWS_PER_KIND + 3)
        for row in page.coverage.rows[:1]
    ]
    crowded = page.model_copy(update={"coverage": page.coverage.model_copy(update={"rows": extra})})
    root = ElementTree.fromstring(str(coverage_picture(crowded)))
    captions = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    kind = extra[0].kind
    assert f"and 3 more {kind}s" in captions
    assert f"#all-{kind}s" in {a.get("href") for a in root.findall(".//svg:a", NS)}


def test_labels_have_room_on_the_left(client):
    root = ElementTree.fromstring(str(coverage_picture(StoryPage.model_validate(client.get("/stories/harbour-vote.json").json()))))
    for caption in root.iter("{http://www.w3.org/2000/svg}text"):
        if caption.get("text-anchor") == "end":
            # right-aligned at x: about 7 px a character must fit before it
            assert float(caption.get("x")) >= 7 * len(caption.text), caption.text


def test_event_sentence_keeps_the_space_after_the_marked_word(client):
    assert "<mark>met</mark> the Port Board" in client.get("/stories/harbour-vote").text
