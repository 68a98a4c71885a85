"""The article layout: paragraphs, headline, dateline and quotations from plain text."""

import pytest

from storyline.annotate.layout import layout, looks_like_headline, sentence_start_offsets

TEXT = (
    "Valdoria expels two Tessalian diplomats\n"
    "ARDEN, March 4 (Wire) - Valdoria expelled two diplomats on Monday, the ministry said.\n"
    "\n"
    "\u201cThey abused their status,\u201d the minister said. \u201cWe will not accept it.\n"
    "\u201cNor will our allies,\u201d she added.\n"
    "It's the country's first expulsion since 2019."
)


def test_paragraphs_are_the_non_blank_lines():
    found = layout(TEXT)
    assert len(found.paragraphs) == 5
    assert TEXT[found.paragraphs[0].start : found.paragraphs[0].end] == "Valdoria expels two Tessalian diplomats"
    assert found.paragraph_index(TEXT.index("Nor will")) == 3
    assert sentence_start_offsets(TEXT) == [p.start for p in found.paragraphs]


def test_headline_and_dateline():
    found = layout(TEXT)
    assert found.headline is not None and found.in_headline(0)
    assert not found.in_headline(TEXT.index("Valdoria expelled"))
    assert TEXT[found.dateline.start : found.dateline.end] == "ARDEN, March 4 (Wire) - "
    # a title given by the source makes its line the headline even when it ends in a full stop
    assert layout("Ministers meet.\nThey met.", title="Ministers meet.").headline is not None
    assert layout("Ministers met on Monday.\nThey talked.").headline is None


def test_quotations_pair_marks_and_go_on_into_a_paragraph_that_opens_with_one():
    found = layout(TEXT)
    texts = [TEXT[q.start : q.end] for q in found.quotations]
    assert texts == ["They abused their status,", "We will not accept it.\n\u201cNor will our allies,"]
    assert found.quotation_at(TEXT.index("not accept")) is not None
    assert found.quotation_at(TEXT.index("the minister")) is None
    assert found.quotation_at(TEXT.index("first expulsion")) is None  # apostrophes are no quote marks


def test_looks_like_headline():
    assert looks_like_headline("Train derails, spilling chemicals into river")
    assert not looks_like_headline("The train derailed on Monday.")
    assert not looks_like_headline(" ".join(["word"] * 30))


@pytest.mark.slow
def test_parsed_sentences_never_cross_paragraphs(nlp):
    doc = nlp(TEXT)
    starts = set(sentence_start_offsets(TEXT))
    for sentence in doc.sents:
        inside = [t.idx for t in sentence[1:] if not t.is_space]
        assert not starts & set(inside), sentence.text
