"""An article's layout, computed once from its plain text: paragraphs, headline, dateline and
quotations. No parser is needed, so every component (actors, quotes, events) and the story
synthesis read the same answer to "which paragraph is this in", "is this the headline", "is
this inside quote marks".

- **Paragraphs** are the non-blank lines (feeds, trafilatura and plain-text files all put a
  paragraph on a line of its own). A sentence never runs across two paragraphs:
  `pipeline.load_nlp` marks each paragraph's first token as a sentence start before the parser
  runs (`paragraph_sentence_starts`).
- **Headline**: the first paragraph when it is the article's title, or looks like one (short,
  more text follows, no final full stop). It is a sentence of its own and is not part of the
  lead.
- **Dateline**: "LONDON, Aug 16 (Reuters) -" at the start of the body (`dateline.dateline_end`).
- **Quotations**: quote marks told from apostrophes by their neighbours, paired paragraph by
  paragraph; a quote still open at the end of its paragraph goes on into the next one when
  that one opens with a mark of the same family (the convention for a quote over several
  paragraphs), otherwise it ends with its paragraph.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from ..records import Offsets
from .dateline import dateline_end

HEADLINE_MAX_CHARS = 200
HEADLINE_MAX_WORDS = 25
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*$")

# ---- quote marks ----------------------------------------------------------------------

DOUBLE, SINGLE = "double", "single"
OPEN, CLOSE, EITHER = "open", "close", "either"
DOUBLE_OPENERS = "“„«"
DOUBLE_CLOSERS = "”»"
SINGLE_OPENERS = "‘‚"
SINGLE_CLOSER_OR_APOSTROPHE = "’'"
OPEN_CONTEXT = "([{—–-/"  # characters after which a mark opens
CLOSE_CONTEXT = ".,;:!?)]}—–-…/"  # characters before which a mark closes
INNER_END_PUNCTUATION = ".,!?;:…—–-"
SENTENCE_END = ".!?"


@dataclass(frozen=True)
class QuotedStretch:
    """Text between quote marks: `start`/`end` bound the content, marks and outer spaces excluded."""

    open_at: int  # offset of the opening mark
    start: int
    end: int
    close_end: int | None  # offset just past the closing mark; None when the paragraph ended the quote
    family: str  # DOUBLE or SINGLE
    paragraphs: int  # how many paragraphs the quote spans


@dataclass(frozen=True)
class _Mark:
    at: int
    length: int
    family: str
    role: str


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of each non-blank line, without its outer white space."""
    spans = []
    for match in re.finditer(r"[^\n]+", text):
        line = match.group()
        if line.strip():
            start = match.start() + len(line) - len(line.lstrip())
            spans.append((start, match.start() + len(line.rstrip())))
    return spans


def _char(text: str, index: int) -> str:
    return text[index] if 0 <= index < len(text) else ""


def _opens_here(before: str) -> bool:
    return before == "" or before.isspace() or before in OPEN_CONTEXT or before in DOUBLE_OPENERS + SINGLE_OPENERS + '"'


def _closes_here(after: str) -> bool:
    return after == "" or after.isspace() or after in CLOSE_CONTEXT or after in DOUBLE_CLOSERS + "’'\""


# what can be a quote mark: only these characters are looked at, not every character
_MARK_CANDIDATE = re.compile("``|''|[" + re.escape(DOUBLE_OPENERS + DOUBLE_CLOSERS + '"' + SINGLE_OPENERS + SINGLE_CLOSER_OR_APOSTROPHE) + "]")


def _marks(text: str, start: int, end: int) -> list[_Mark]:
    """Candidate quote marks of one paragraph, apostrophes left out."""
    marks: list[_Mark] = []
    for found in _MARK_CANDIDATE.finditer(text, start, end):
        i, c = found.start(), found.group()
        before, after = _char(text, i - 1) if i > start else "", _char(text, i + 1) if i + 1 < end else ""
        if c == "``":
            marks.append(_Mark(i, 2, DOUBLE, OPEN))
        elif c == "''":
            marks.append(_Mark(i, 2, DOUBLE, EITHER))
        elif c in DOUBLE_OPENERS:
            # some feeds use the opening mark for both ends
            misused = c == "“" and not _opens_here(before) and _closes_here(after)
            marks.append(_Mark(i, 1, DOUBLE, CLOSE if misused else OPEN))
        elif c in DOUBLE_CLOSERS:
            misused = c == "”" and _opens_here(before) and after.isalnum()
            marks.append(_Mark(i, 1, DOUBLE, OPEN if misused else CLOSE))
        elif c == '"':
            marks.append(_Mark(i, 1, DOUBLE, EITHER))
        elif c in SINGLE_OPENERS:
            if not (before.isalnum() and after.isalnum()) and not after.isdigit():
                marks.append(_Mark(i, 1, SINGLE, OPEN))
        elif before.isalnum() and after.isalnum():
            pass  # it's, Afghanistan’s
        elif _opens_here(before) and after.isalpha():
            marks.append(_Mark(i, 1, SINGLE, OPEN))
        elif before and not before.isspace() and _closes_here(after):
            marks.append(_Mark(i, 1, SINGLE, CLOSE))
    return _drop_plural_possessives(text, marks)


def _drop_plural_possessives(text: str, marks: list[_Mark]) -> list[_Mark]:
    """`the ministers’ meeting`: a closing single mark after -s, before a word, is an apostrophe
    when another closing single mark follows later in the paragraph."""
    kept = []
    for index, mark in enumerate(marks):
        if mark.family == SINGLE and mark.role == CLOSE and _char(text, mark.at - 1) in "sS":
            following = _char(text, mark.at + 1)
            word_follows = following == " " and _char(text, mark.at + 2).isalnum()
            later_close = any(m.family == SINGLE and m.role == CLOSE for m in marks[index + 1 :])
            if word_follows and later_close:
                continue
        kept.append(mark)
    return kept


def _resolve_role(mark: _Mark, text: str, pending: list[_Mark]) -> str:
    if mark.role != EITHER:
        return mark.role
    before, after = _char(text, mark.at - 1), _char(text, mark.at + mark.length)
    can_open, can_close = _opens_here(before), _closes_here(after)
    if can_open and not can_close:
        return OPEN
    if can_close and not can_open:
        return CLOSE
    return CLOSE if any(m.family == mark.family for m in pending) else OPEN


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def find_quoted_stretches(text: str) -> tuple[QuotedStretch, ...]:
    """Outermost quoted stretches of a text, in order; nested quotes stay inside their quote.

    Marks pair within a paragraph. A quote still open at the end of its paragraph goes
    on into the next paragraph when that one opens with a mark of the same family (the
    convention for a quote over several paragraphs); otherwise it ends with its paragraph.
    """
    paragraphs = paragraph_spans(text)
    marks_of = [_marks(text, p_start, p_end) for p_start, p_end in paragraphs]
    stretches: list[QuotedStretch] = []
    carried: _Mark | None = None  # an open quote continuing from the previous paragraph
    carried_paragraphs = 0
    for number, (p_start, p_end) in enumerate(paragraphs):
        marks = marks_of[number]
        pending: list[_Mark] = []
        if carried is not None:
            pending.append(carried)
            if marks and marks[0].at == p_start:
                marks = marks[1:]  # the continuation mark itself
        for mark in marks:
            role = _resolve_role(mark, text, pending)
            if role == OPEN:
                pending.append(mark)
                continue
            match = next((k for k in range(len(pending) - 1, -1, -1) if pending[k].family == mark.family), None)
            if match is None:
                continue  # a stray closing mark
            opener = pending[match]
            del pending[match:]
            if match == 0:
                start, end = _trimmed(text, opener.at + opener.length, mark.at)
                spanned = carried_paragraphs + 1 if opener is carried else 1
                if start < end:
                    stretches.append(QuotedStretch(opener.at, start, end, mark.at + mark.length, opener.family, spanned))
                carried, carried_paragraphs = None, 0
        if not pending:
            carried, carried_paragraphs = None, 0
            continue
        outer = pending[0]
        if outer is carried:
            carried_paragraphs += 1
        else:
            carried_paragraphs = 1
        if _continues(outer, marks_of, paragraphs, number):
            carried = outer
            continue
        carried = None
        if outer.family == SINGLE and not _starts_utterance(text, outer, p_start):
            continue  # a lone single mark mid-sentence is more likely a misplaced apostrophe
        start, end = _trimmed(text, outer.at + outer.length, p_end)
        if start < end:
            stretches.append(QuotedStretch(outer.at, start, end, None, outer.family, carried_paragraphs))
        carried_paragraphs = 0
    return tuple(stretches)


def _continues(opener: _Mark, marks_of: list[list[_Mark]], paragraphs: list[tuple[int, int]], number: int) -> bool:
    if number + 1 >= len(paragraphs):
        return False
    next_start = paragraphs[number + 1][0]
    first = marks_of[number + 1]
    return bool(first) and first[0].at == next_start and first[0].family == opener.family and first[0].role != CLOSE


def _starts_utterance(text: str, mark: _Mark, paragraph_start: int) -> bool:
    before = text[paragraph_start : mark.at].rstrip()
    return before == "" or before.endswith(":")




# ---- the layout -------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """Where an article's paragraphs, headline, dateline and quotations are (character offsets)."""

    paragraphs: tuple[Offsets, ...]
    headline: Offsets | None
    dateline: Offsets | None
    quotations: tuple[QuotedStretch, ...]
    _paragraph_starts: tuple[int, ...] = field(default=(), repr=False, compare=False)
    _quotation_starts: tuple[int, ...] = field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        # looked up once per event or quote: sorted starts make each look-up a bisection
        object.__setattr__(self, "_paragraph_starts", tuple(p.start for p in self.paragraphs))
        object.__setattr__(self, "_quotation_starts", tuple(q.start for q in self.quotations))

    def paragraph_index(self, offset: int) -> int:
        """Number of the paragraph holding (or last starting before) `offset`; -1 before the first."""
        return bisect_right(self._paragraph_starts, offset) - 1

    def quotation_at(self, start: int, end: int | None = None) -> QuotedStretch | None:
        """The quotation whose content holds [start, end), or None."""
        end = start + 1 if end is None else end
        index = bisect_right(self._quotation_starts, start) - 1
        if index < 0:
            return None
        stretch = self.quotations[index]
        return stretch if stretch.start <= start and end <= stretch.end else None

    def in_headline(self, offset: int) -> bool:
        return self.headline is not None and self.headline.start <= offset < self.headline.end


def looks_like_headline(line: str) -> bool:
    """Short, no final full stop: a title rather than a sentence of the body."""
    line = line.strip()
    return (
        bool(line)
        and len(line) <= HEADLINE_MAX_CHARS
        and len(line.split()) <= HEADLINE_MAX_WORDS
        and not _SENTENCE_END.search(line)
    )


@lru_cache(maxsize=8)  # every component asks for the same article's layout
def layout(text: str, title: str | None = None) -> Layout:
    """The layout of an article body; `title` is its headline where the source gave one."""
    paragraphs = tuple(Offsets(start, end) for start, end in paragraph_spans(text))
    headline = None
    if len(paragraphs) > 1:
        first = text[paragraphs[0].start : paragraphs[0].end]
        same_as_title = title is not None and " ".join(first.split()) == " ".join(title.split())
        if same_as_title or looks_like_headline(first):
            headline = paragraphs[0]
    body = headline.end if headline is not None else 0
    dateline = None
    if end := dateline_end(text[body:]):
        dateline = Offsets(body + len(text[body:]) - len(text[body:].lstrip()), body + end)
    return Layout(paragraphs, headline, dateline, find_quoted_stretches(text))


def sentence_start_offsets(text: str) -> list[int]:
    """Offsets where a sentence must begin: the start of every paragraph (so also just after
    the headline)."""
    return [start for start, _ in paragraph_spans(text)]
