"""Plain words for people reading the output: counts with their plural, actor types and
countries as words, dates without clock times that were never reported.

The CLI, the Markdown report and the web pages use these, so each says a thing one way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from functools import cache

from .lexicons import table


def count(number: int, word: str, plural: str | None = None) -> str:
    """'1 article', '2 articles', '1 syndicated copy', '3 syndicated copies'."""
    if number == 1:
        return f"{number} {word}"
    if plural is None:
        plural = word[:-1] + "ies" if word.endswith("y") and word[-2:-1] not in "aeiou" else word + "s"
    return f"{number} {plural}"


@cache
def _actor_types() -> dict[str, str]:
    return {label: word for label, word in table("actor_types.tsv")}


def actor_type(label: str | None) -> str:
    """'GPE' -> 'country, city or state'; an unknown label as given."""
    return _actor_types().get(label or "", label or "")


@cache
def _country_names() -> dict[str, str]:
    return {row[0]: row[1].split("|")[0] for row in table("countries.tsv") if len(row) > 1}


def country(code: str | None) -> str:
    """'GBR' -> 'United Kingdom'; an unknown code as given."""
    return _country_names().get(code or "", code or "")


def day(value: date | datetime | str | None) -> str:
    """'2021-08-19' for a date, a datetime or an ISO string; '–' for none."""
    if value is None:
        return "–"
    if isinstance(value, (date, datetime)):
        return value.strftime("%Y-%m-%d")
    return str(value)[:10]


def when(moment: str | None, dated_by: str) -> str:
    """A timeline entry's time: the event's own date, or 'reported 2021-08-19' when only the
    article's publication dates it (its clock time says when it was published, not when it happened)."""
    if not moment:
        return "undated"
    if dated_by == "article":
        return f"reported {day(moment)}"
    return moment[:16].replace("T", " ")


def articles_and_outlets(outlets: Iterable[str | None]) -> str:
    """'3 articles from 2 outlets', '2 articles, outlets unknown', '4 articles from 2 outlets
    (1 of unknown outlet)': one item per article, None where its outlet is unknown."""
    outlets = list(outlets)
    known = {outlet for outlet in outlets if outlet}
    unknown = sum(1 for outlet in outlets if not outlet)
    articles = count(len(outlets), "article")
    if not known:
        return f"{articles}, outlet unknown" if len(outlets) == 1 else f"{articles}, outlets unknown"
    unknown_part = f" ({unknown} of unknown outlet)" if unknown else ""
    return f"{articles} from {count(len(known), 'outlet')}{unknown_part}"


# ---- events in plain words ------------------------------------------------------------
# "Valdoria expelled two Tessalian diplomats (12 May 2026)": the acting party, then the report's
# own words from the trigger to the end of its clause (or to the party acted on), with the
# auxiliaries, negation and intention just before the trigger ("did not", "will", "plans to").

# closed-class English words that belong to the verb group before a trigger
VERB_GROUP = frozenset(
    "not n't never no did does do will would could can may might must shall should has have had was were is are be "
    "been being to also still reportedly allegedly plan plans planned intend intends intended want wants wanted "
    "threaten threatens threatened vow vows vowed promise promises promised pledge pledges pledged refuse refuses "
    "refused decline declines declined agree agrees agreed set going".split()
)  # fmt: skip
NEGATIONS = frozenset({"not", "n't", "never", "no", "refuse", "refuses", "refused", "decline", "declines", "declined"})
# where a clause ends after its trigger
CLAUSE_END = re.compile(r",(?!\d)|(?<!\d)\.|[;:!?()\"“”—–]|\s--?\s| (?:and|but|as|after|before|while|because|which|who|when|where|although|since|if|saying|said|says)\b")
VERB_GROUP_WORDS = 4  # at most this many words before the trigger
SUBJECT_GAP_WORDS = 3  # the acting party's own words are kept when this close to the verb group ("Vestria on Tuesday expelled")
CLAUSE_WORDS = 9  # at most this many words from the trigger on
MONTH_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
WORD = re.compile(r"\d+(?:[.,]\d+)+|[\w'’-]+")  # "1,500" is one word


def event_code(event) -> str:
    """Its PLOVER coding, shown beside the plain words: 'SANCTION', 'REJECT · intend · negated'."""
    return " · ".join([event.type, *([event.mode] if event.mode else []), *(["negated"] if event.negated else [])])


def event_date(value: str | None) -> str:
    """'12 May 2026' for 2026-05-12, 'May 2026' for 2026-05, a year as it is."""
    if not value:
        return ""
    try:
        if MONTH_DAY.fullmatch(value[:10]):
            moment = date.fromisoformat(value[:10])
            return f"{moment.day} {moment:%B %Y}"
        if len(value) == 7:
            return f"{date.fromisoformat(value + '-01'):%B %Y}"
    except ValueError:
        pass
    return value


def event_sentence(event, text: str | None = None) -> str:
    """What happened, in the report's own words: 'Halvaria expelled Vestria's trade attaché
    (13 March 2026)'. `event` is an article's `Event` (give its article's `text` for the report's
    words) or a story's `AccountEvent` (its first report's sentence is in its mentions)."""
    if hasattr(event, "mentions"):  # a story event: its first report
        first = event.mentions[0]
        sentence, at = first.sentence.text, first.trigger.start - first.sentence.start
        trigger = first.trigger.text
        claimants = {mention.claimed_by for mention in event.mentions}
        claimed = None if None in claimants else ", ".join(sorted(claimants))
    else:
        trigger = event.trigger.text
        sentence = text[event.sentence.start : event.sentence.end] if text else None
        at = event.trigger.start - event.sentence.start
        claimed = event.claimed_by.name if event.claimed_by else None
    source = event.source.name if event.source else None
    target = event.target.name if event.target else None
    words = _clause(sentence, at, len(trigger), source, target) if sentence and sentence[at : at + len(trigger)] == trigger else None
    if words is None:
        words = " ".join(part for part in (trigger, target) if part)
    said = words if not source or source.lower() in words.lower() else f"{source} {words}"
    negated = event.negated and not NEGATIONS & {word.lower() for word in WORD.findall(said)}
    when = event_date(event.date)
    return (
        said[:1].upper() + said[1:]
        + (" (reported as not happening)" if negated else "")
        + (f" ({when})" if when else "")
        + (f", according to {_within_sentence(claimed)}" if claimed else "")
    )


def _within_sentence(name: str) -> str:
    """'The interior ministry' as it reads inside a sentence: 'the interior ministry'."""
    first, _, rest = name.partition(" ")
    return f"{first.lower()} {rest}" if rest and first in ("The", "A", "An") else name


def _clause(sentence: str, at: int, length: int, source: str | None, target: str | None) -> str:
    """The acting party when it is named just before (with its article: "the government"), the
    verb group before the trigger at `at`, the trigger, and what follows it up to the end of its
    clause, to the party acted on when it comes first, or to CLAUSE_WORDS words."""
    before = [m for m in WORD.finditer(sentence[:at])]
    start = at
    for match in reversed(before[-VERB_GROUP_WORDS:]):
        if match.group().lower() not in VERB_GROUP or sentence[match.end() : start].strip():
            break
        start = match.start()
    # as written, or with its first letter's case changed at the start of a sentence ("the government")
    named = max((sentence.rfind(form, 0, start) for form in {source, source[:1].swapcase() + source[1:]}), default=-1) if source else -1
    if named >= 0:
        gap = sentence[named + len(source) : start]
        if len(WORD.findall(gap)) <= SUBJECT_GAP_WORDS and not CLAUSE_END.search(gap):
            start = named - 4 if sentence[max(0, named - 4) : named].lower() == "the " else named
    end = at + length
    rest = sentence[end:]
    stop = CLAUSE_END.search(rest)
    limit = len(rest) if stop is None else stop.start()
    found = rest.lower().find(target.lower()) if target else -1
    if 0 <= found < limit:
        limit = found + len(target)
    words = list(WORD.finditer(rest[:limit]))
    if len(words) > CLAUSE_WORDS:
        limit = words[CLAUSE_WORDS - 1].end()
    return " ".join((sentence[start:end] + rest[:limit]).split())
