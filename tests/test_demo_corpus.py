"""The built-in demo corpus is well-formed and holds every special case its README documents.

The demo corpus (`storyline/data/demo/articles.jsonl`) feeds `make demo` and the tests of
clustering, quotes, events, dedupe and synthesis, so its gold fields must say what the
text really contains. These checks read only the text: no spaCy.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from difflib import SequenceMatcher
from importlib.resources import files

import pytest

DEMO_DIR = files("storyline") / "data" / "demo"

REQUIRED_FIELDS = ("id", "title", "text", "source", "url", "published", "author", "story")
PLOVER_TYPES = {
    "AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT", "ACCUSE",
    "REQUEST", "REJECT", "THREATEN", "PROTEST", "MOBILIZE", "SANCTION", "COERCE", "ASSAULT",
}
# The event types the corpus promises to exercise (see README.md, "Political events").
PROMISED_EVENT_TYPES = {
    "CONSULT", "AGREE", "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST",
    "SANCTION", "AID", "MOBILIZE", "COERCE", "ASSAULT",
}
QUOTE_FORMS = {
    "curly", "straight", "split", "multi-paragraph", "mixed", "indirect", "colon",
    "apostrophe", "organisation",
}
OPENING = {"“": "”", '"': '"'}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"]

# Quote forms that a plain-text pattern can confirm. Multi-paragraph quotes are found by
# `quoted_spans`, which follows marks across paragraphs.
FORM_PATTERNS = {
    "curly": re.compile(r"“"),
    "straight": re.compile(r'"'),
    # “We will…,” she said, “and we…”: the quote resumes in lower case after the attribution.
    "split": re.compile(r',[”"] [^“”"\n]{1,90}?, [“"][a-z]'),
    # A quoted fragment inside reported speech: a mark right after a lower-case word.
    "mixed": re.compile(r'\b[a-z]+ [“"][a-z]'),
    # Reported speech: "according to", or a speech verb followed by a clause rather than a
    # closing quote mark ("…,” said the minister" is attribution of a direct quote, not this).
    "indirect": re.compile(
        r"\baccording to\b"
        r"|(?<![”\"] )(?<![”\"], )\b(said|says|told [A-Z][\w ]{1,40}?|added|warned|insisted)"
        r" (that|the|it|he|she|they|its|his|her|there|a|an|on)\b"
    ),
    "colon": re.compile(r':\s+[“"]'),
    "apostrophe": re.compile(r"\w[’']\w"),
    # A body as speaker: "a spokeswoman for …", or "the ministry (in Tarsk | , which …,) said".
    "organisation": re.compile(
        r"\b(spokeswoman|spokesman|spokesperson)\b"
        r"|\b(ministry|authority|company|union|agency|bank|police|council|office|department|federation"
        r"|regulator|service|chamber|front|cross|terminals|textiles|coatings|executive|government"
        r"|association|operator|party|committee|embassy|group)"
        r"( in [A-Z]\w+|, [^,.]{1,80},)? (has |had )?(said|says|added|warned|confirmed|told|announced)\b",
        re.IGNORECASE,
    ),
}


def load_articles() -> list[dict]:
    lines = (DEMO_DIR / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(scope="module")
def articles() -> list[dict]:
    return load_articles()


@pytest.fixture(scope="module")
def by_id(articles) -> dict[str, dict]:
    return {article["id"]: article for article in articles}


def published(article: dict) -> datetime:
    return datetime.fromisoformat(article["published"])


def paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of each quotation's content, following a quote across paragraphs.

    A quote left open at the end of a paragraph must be continued by the next paragraph
    opening with the same mark (the multi-paragraph convention); anything else is an error.
    """
    spans: list[tuple[int, int]] = []
    open_mark: str | None = None
    start = 0
    index = 0
    while index < len(text):
        char = text[index]
        if text.startswith("\n\n", index):
            if open_mark is not None and text[index + 2 : index + 3] != open_mark:
                raise ValueError(f"quote opened at {start} is left open at paragraph end {index}")
            index += 3 if open_mark is not None else 2
            continue
        if open_mark is None and char in OPENING:
            open_mark, start = char, index + 1
        elif open_mark is not None and char == OPENING[open_mark]:
            spans.append((start, index))
            open_mark = None
        elif char in "“”" or (char == '"' and open_mark == "“"):
            raise ValueError(f"unexpected {char!r} at {index}")
        index += 1
    if open_mark is not None:
        raise ValueError(f"quote opened at {start} never closes")
    return spans


def has_multi_paragraph_quote(text: str) -> bool:
    return any("\n\n" in text[start:end] for start, end in quoted_spans(text))


def quote_forms_found(text: str) -> set[str]:
    found = {form for form, pattern in FORM_PATTERNS.items() if pattern.search(text)}
    if has_multi_paragraph_quote(text):
        found.add("multi-paragraph")
    return found


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+(?:[’'][a-z]+)?", text.lower().replace("’", "'"))


def resolve_date_text(date_text: str, moment: datetime) -> str:
    """The ISO date (or month) a relative date expression names, seen from `moment`."""
    day = moment.date()
    phrase = date_text.lower().strip()
    for prefix in ("late ", "early ", "on "):
        phrase = phrase.removeprefix(prefix)
    if phrase in {"today", "this morning", "this afternoon", "tonight"}:
        return day.isoformat()
    if phrase in {"yesterday", "last night"}:
        return (day - timedelta(days=1)).isoformat()
    if phrase in WEEKDAYS:
        back = (day.weekday() - WEEKDAYS.index(phrase)) % 7
        return (day - timedelta(days=back)).isoformat()
    if phrase == "last month":
        previous = day.replace(day=1) - timedelta(days=1)
        return previous.strftime("%Y-%m")
    explicit = re.fullmatch(r"(\d{1,2}) (\w+)|(\w+) (\d{1,2})", phrase)
    if explicit:
        number, month = (explicit[1], explicit[2]) if explicit[1] else (explicit[4], explicit[3])
        return date(day.year, MONTHS.index(month) + 1, int(number)).isoformat()
    raise ValueError(f"unsupported date expression {date_text!r}")


def test_rows_have_the_required_fields(articles):
    for article in articles:
        for field in REQUIRED_FIELDS:
            assert isinstance(article.get(field), str) and article[field].strip(), (article.get("id"), field)
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", article["id"]), article["id"]
        assert article["url"].startswith("https://"), article["id"]
        assert published(article).tzinfo is not None, article["id"]
    ids = Counter(article["id"] for article in articles)
    assert [i for i, n in ids.items() if n > 1] == []
    urls = Counter(article["url"] for article in articles)
    assert [u for u, n in urls.items() if n > 1] == []


def test_corpus_spans_outlets_stories_and_weeks(articles):
    assert len(articles) >= 32
    assert len({article["source"] for article in articles}) >= 6
    stories = defaultdict(list)
    for article in articles:
        stories[article["story"]].append(article)
    assert len(stories) >= 6
    for label, members in stories.items():
        assert 3 <= len(members) <= 7, label
        assert len({article["source"] for article in members}) >= 2, label
    moments = sorted(published(article) for article in articles)
    assert {moment.year for moment in moments} == {2026}
    assert timedelta(days=14) <= moments[-1] - moments[0] <= timedelta(days=31)


def test_articles_are_news_length_paragraphed_and_do_not_repeat_the_headline(articles):
    for article in articles:
        text = article["text"]
        assert 250 <= len(text.split()) <= 600, (article["id"], len(text.split()))
        assert "\n\n\n" not in text and text == text.strip(), article["id"]
        assert all(paragraph.strip() == paragraph and paragraph for paragraph in paragraphs(text)), article["id"]
        assert article["title"] not in text, article["id"]


def test_quote_marks_pair_up_in_one_style_per_article(articles):
    for article in articles:
        text = article["text"]
        quoted_spans(text)  # raises on a stray or unclosed mark
        assert "‘" not in text, f"{article['id']}: single quote marks are reserved for apostrophes"
        curly = "“" in text or "’" in text
        straight = '"' in text or "'" in text
        assert not (curly and straight), f"{article['id']} mixes curly and straight marks"


def test_declared_quote_forms_are_in_the_text(articles):
    coverage = Counter()
    for article in articles:
        declared = set(article["quote_forms"])
        assert declared <= QUOTE_FORMS, article["id"]
        missing = declared - quote_forms_found(article["text"])
        assert not missing, f"{article['id']} declares {sorted(missing)} but the text has none"
        coverage.update(declared)
    assert {form for form in QUOTE_FORMS if coverage[form] < 3} == set(), coverage


def test_syndicated_copies_match_their_wire_original(by_id):
    copies = [article for article in by_id.values() if "syndicated_from" in article]
    assert {copy["syndication"] for copy in copies} == {"exact", "edited", "truncated"}
    for copy in copies:
        original = by_id[copy["syndicated_from"]]
        assert original["source"] == "Meridian Wire" and "syndicated_from" not in original
        assert copy["source"] != original["source"] and copy["url"] != original["url"]
        assert copy["story"] == original["story"]
        assert published(original) < published(copy) <= published(original) + timedelta(hours=12)
        if copy["syndication"] == "exact":
            assert copy["text"] == original["text"]
        elif copy["syndication"] == "truncated":
            assert original["text"].startswith(copy["text"] + "\n\n")
            assert 0.35 <= len(copy["text"]) / len(original["text"]) <= 0.65
        else:
            similarity = SequenceMatcher(None, words(copy["text"]), words(original["text"])).ratio()
            assert 0.85 <= similarity < 1.0, similarity
            assert copy["title"] != original["title"]
            dropped = [s for s in re.split(r"(?<=[.!?])\s+", original["text"]) if s not in copy["text"]]
            assert dropped, "an edited copy drops or rewords at least one sentence"


def test_quote_drift_gives_one_statement_in_full_truncated_and_paraphrased(articles):
    groups = defaultdict(dict)
    for article in articles:
        if "drift_group" in article:
            groups[article["drift_group"]][article["drift_form"]] = article
    assert groups
    for label, forms in groups.items():
        assert set(forms) == {"full", "truncated", "paraphrase"}, label
        members = list(forms.values())
        assert len({article["source"] for article in members}) == 3, label
        assert len({article["story"] for article in members}) == 1, label
        assert len({article["drift_speaker"] for article in members}) == 1, label
        surname = members[0]["drift_speaker"].split()[-1]
        assert all(surname in article["text"] for article in members), label
        full, truncated, paraphrase = forms["full"], forms["truncated"], forms["paraphrase"]
        for quoted in (full, truncated):
            assert any(
                quoted["text"][start:end].startswith(quoted["drift_text"]) for start, end in quoted_spans(quoted["text"])
            ), f"{quoted['id']}: drift_text is not the start of a quotation"
        full_words, short_words = words(full["drift_text"]), words(truncated["drift_text"])
        assert len(short_words) < len(full_words)
        assert any(full_words[i : i + len(short_words)] == short_words for i in range(len(full_words))), label
        text = paraphrase["text"]
        position = text.find(paraphrase["drift_text"])
        assert position >= 0, paraphrase["id"]
        assert not any(start <= position < end for start, end in quoted_spans(text)), "paraphrase must be unquoted"
        assert full["drift_text"] not in text


def test_surname_clash_rows_name_both_people(articles):
    rows = [article for article in articles if "surname_clash" in article]
    assert len(rows) >= 3
    assert len({article["story"] for article in rows}) == 1
    for article in rows:
        first, second = article["surname_clash"]
        assert first != second and first.split()[-1] == second.split()[-1], article["id"]
        assert first in article["text"] and second in article["text"], article["id"]


def test_shared_actors_link_distinct_stories_in_the_same_week(articles):
    stories_by_actor = defaultdict(lambda: defaultdict(list))
    for article in articles:
        for name in article.get("shared_actors", []):
            assert name in article["text"], (article["id"], name)
            stories_by_actor[name][article["story"]].append(published(article))
    assert stories_by_actor
    for name, stories in stories_by_actor.items():
        assert len(stories) >= 2, name
        first_story, second_story = list(stories.values())[:2]
        gap = min(abs(a - b) for a in first_story for b in second_story)
        assert gap <= timedelta(days=7), name


def test_similar_stories_are_distinct_and_point_at_each_other(articles):
    labels = {article["story"] for article in articles}
    pointers = {(article["story"], article["similar_story"]) for article in articles if "similar_story" in article}
    assert pointers
    for story, similar in pointers:
        assert similar in labels and similar != story
        assert (similar, story) in pointers


def test_gold_events_are_grounded_in_the_text(articles):
    types = Counter()
    negated = 0
    for article in articles:
        text = article["text"]
        for event in article.get("gold_events", []):
            assert event["type"] in PLOVER_TYPES, (article["id"], event)
            for field in ("trigger", "source", "target", "date_text"):
                if event.get(field):
                    assert event[field] in text, (article["id"], field, event[field])
            if event.get("date_text"):
                assert resolve_date_text(event["date_text"], published(article)) == event["date"], (article["id"], event)
            types[event["type"]] += 1
            negated += bool(event.get("negated"))
    assert PROMISED_EVENT_TYPES - set(types) == set(), types
    assert negated >= 3


def test_readme_documents_every_story_and_special_case(articles):
    readme = (DEMO_DIR / "README.md").read_text(encoding="utf-8")
    for article in articles:
        assert f"`{article['story']}`" in readme, article["story"]
        special = {"syndicated_from", "drift_group", "surname_clash", "shared_actors"} & set(article)
        if special:
            assert f"`{article['id']}`" in readme, (article["id"], special)
