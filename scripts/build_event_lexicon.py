"""Build storyline's event trigger lexicon from the PETRARCH2 CAMEO verb dictionary.

Run from the repository root:

    python scripts/build_event_lexicon.py ../shared/data/petrarch2/CAMEO.2.0.txt \
        ../shared/data/plover/CAMEO2PLOVER-2021.txt > src/storyline/data/cameo_triggers.jsonl

Each verb of a CAMEO synonym block becomes an entry with its PLOVER type (and mode), from the
verb's own code or its block's, through the CAMEO to PLOVER table; each pattern of the block
("- * (FOR TALKS) [036]") becomes an entry of every verb in the block, with the preposition and
object words the pattern asks for. The format of the dictionary is in `dictionaries.rst`.

What is left out, and why:
- patterns with words before the verb ("- SHIP * [---]"), with actor markers ($ + % ^) or with
  more than one noun phrase after it: storyline's matcher tests one object or one preposition;
- a code of CAMEO's first two roots, 01 (public statements: not events in PLOVER) and 02
  (appeals), which the conversion table does not list: 02 is filed as REQUEST, as PLOVER's
  manual files appeals, and 01 as no event;
- the irregular forms in {...}: storyline looks words up by lemma.

A pattern applies to the verb its comment names (the verb it was written for: "# DEAL"), or to
every verb of its block when the comment names none.

A null code ("[---]") is kept as type "-": the words do not make an event even where the verb
alone would ("deal with it").
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

NO_EVENT = "-"
# CAMEO roots the conversion table leaves out (see the module docstring)
UNLISTED_ROOTS = {"01": None, "02": ("REQUEST", None)}
CONJUNCTIONS = {"and", "or", "but"}
# a plain verb of a [---] block takes its patterns' type when at least this many agree by this share
MIN_PATTERNS_TO_SETTLE = 3
SETTLED_SHARE = 0.6
# a plain verb's type is dropped when its patterns (at least this many) have it at most this share
MIN_PATTERNS_TO_UNSETTLE = 5
UNSETTLED_SHARE = 0.2
_CODE = re.compile(r"\[([^\]]*)\]")


def read_plover_table(path: Path) -> dict[str, tuple[str, str | None]]:
    """CAMEO code -> (PLOVER type, mode or None)."""
    table = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        match = re.match(r"^(\d+):\s*([A-Z]+)\s*(?:,\s*([^,]*))?", line)
        if match:
            mode = (match.group(3) or "").strip() or None
            table[match.group(1)] = (match.group(2), mode)
    return table


def plover_of(code: str, table: dict[str, tuple[str, str | None]]) -> tuple[str, str | None] | None:
    """The PLOVER type and mode of a CAMEO code ("0356", "037:037"), its nearest listed
    ancestor's when the code itself is not listed; None for no event."""
    code = code.split(":")[0].strip()
    if not code or code.startswith("-") or not code.isdigit():
        return None
    for length in range(len(code), 1, -1):
        if code[:length] in table:
            return table[code[:length]]
    root = code[:2]
    return UNLISTED_ROOTS.get(root)


def _words(phrase: str) -> list[str]:
    return [w for w in phrase.replace("_", " ").lower().split() if w]


def read_synsets(lines: list[str]) -> dict[str, list[str]]:
    """&LABEL -> the head words (last word) of its phrases."""
    synsets: dict[str, list[str]] = {}
    label = None
    for line in lines:
        text = line.split("#", 1)[0].strip()
        if text.startswith("&"):
            label = text.rstrip("_").upper()
            synsets[label] = []
        elif label and text.startswith("+"):
            words = _words(text[1:])
            if words:
                synsets[label].append(words[-1])
        elif not text:
            label = None
        elif text.startswith("---"):
            label = None
    return {label: sorted(set(heads)) for label, heads in synsets.items()}


def _noun_heads(token: str, synsets: dict[str, list[str]]) -> list[str] | None:
    """Head words of one noun element: WORD, {A B}, &SYNSET."""
    token = token.strip()
    if token.startswith("{") and token.endswith("}"):
        inner = token[1:-1].split()
        return _noun_heads(inner[-1], synsets) if inner else None
    if token.startswith("&"):
        return synsets.get(token.rstrip("_").upper())
    if re.fullmatch(r"[A-Z][A-Z\-']*", token):
        return [token.lower()]
    return None


def read_pattern(text: str, synsets: dict[str, list[str]]) -> dict | None:
    """The preposition and object of a pattern's part after the verb, or None when the pattern
    is outside what storyline matches."""
    before, star, after = text.partition("*")
    if not star or before.strip() or re.search(r"[$%^+]", after):
        return None
    # elements: (PREP ...), {A B}, WORD, &SET
    elements = re.findall(r"\([^)]*\)|\{[^}]*\}|\S+", after.strip())
    if len(elements) > 1:
        return None
    if not elements:
        return {}
    element = elements[0]
    if element.startswith("("):
        parts = re.findall(r"\{[^}]*\}|\S+", element[1:-1])
        if not parts or len(parts) > 2 or not re.fullmatch(r"[A-Z]+", parts[0]):
            return None
        entry = {"prep": parts[0].lower()}
        if len(parts) == 2:
            heads = _noun_heads(parts[1], synsets)
            if not heads:
                return None
            entry["object"] = heads
        return entry
    heads = _noun_heads(element, synsets)
    return {"object": heads} if heads else None


def read_verb(text: str) -> dict | None:
    """A verb line: "DEAL {...} [045]", "+SIDE_WITH", "WIRE_+TAP"."""
    code_match = _CODE.search(text)
    head = re.sub(r"\{[^}]*\}|\[[^\]]*\]", " ", text).split()
    if not head:
        return None
    words = head[0].split("_")
    marked = [i for i, w in enumerate(words) if w.startswith("+")]
    verb_at = marked[0] if marked else 0
    if verb_at != 0 or len(words) > 2:
        return None  # words before the verb, or a long phrase: out of the matcher's reach
    lemma = words[0].lstrip("+").lower()
    if not re.fullmatch(r"[a-z][a-z\-]*", lemma):
        return None
    verb = {"lemma": lemma}
    if len(words) == 2:
        if words[1].lower() in CONJUNCTIONS:
            return None  # "ARREST_AND": a fragment of a coordination, not a phrasal verb
        verb["particle"] = words[1].lower()
    if code_match:
        verb["code"] = code_match.group(1).strip()
    return verb


def _verbs_of_pattern(line: str, verbs: list[dict]) -> list[dict]:
    """The verbs a pattern applies to: the one its comment names ("# CALLED_OFF"), which is the
    verb it was written for, else every verb of the block."""
    comment = line.partition("#")[2].split()
    named = comment[0].lower().replace("+", "") if comment else ""
    for verb in verbs:
        form = verb["lemma"] + ("_" + verb["particle"] if "particle" in verb else "")
        if named in (form, verb["lemma"]):
            return [verb]
    return verbs


def build(cameo: Path, plover: Path) -> list[dict]:
    table = read_plover_table(plover)
    lines = cameo.read_text(encoding="utf-8", errors="replace").splitlines()
    synsets = read_synsets(lines)
    entries: dict[tuple, dict] = {}
    block_code = None
    verbs: list[dict] = []
    in_block = False

    def add(verb: dict, code: str, pattern: dict) -> None:
        plover_code = plover_of(code, table)
        entry = {"lemma": verb["lemma"], "type": plover_code[0] if plover_code else NO_EVENT}
        if plover_code and plover_code[1]:
            entry["mode"] = plover_code[1]
        if "particle" in verb:
            entry["particle"] = verb["particle"]
        entry.update(pattern)
        entry["cameo"] = code.split(":")[0].strip() or "---"
        key = (entry["lemma"], entry.get("particle"), entry.get("prep"), tuple(entry.get("object", ())))
        entries.setdefault(key, entry)  # the dictionary's first pattern for these words wins

    for line in lines:
        text = line.split("#", 1)[0].rstrip()
        if line.startswith("---"):
            match = _CODE.search(line)
            block_code = match.group(1).strip() if match else "---"
            verbs, in_block = [], True
            continue
        if not in_block or not text.strip():
            continue
        if text.startswith("&") or text.startswith("~"):
            in_block = False  # synsets and transformations end the verbs
            continue
        if text.startswith("-"):
            code = _CODE.search(text)
            pattern = read_pattern(_CODE.sub(" ", text[1:]), synsets)
            if pattern is None or code is None or not pattern:
                continue
            for verb in _verbs_of_pattern(line, verbs):
                add(verb, code.group(1), pattern)
            continue
        verb = read_verb(text.strip())
        if verb is None:
            continue
        verbs.append(verb)
        add(verb, verb.get("code", block_code), {})
    settle_plain_verbs(list(entries.values()))
    return sorted(entries.values(), key=lambda e: (e["lemma"], e.get("particle") or "", e.get("prep") or "", e.get("object", [])))


def settle_plain_verbs(entries: list[dict]) -> None:
    """A verb's entry without object or preposition takes the type most of its patterns agree
    on when its block gives it none ("reject", "sign", "deny" sit in blocks coded [---]); it
    makes no event alone when its patterns almost never have its type ("issue", "decide":
    their meaning lies in the object)."""
    patterns: dict[tuple, Counter] = {}
    plain: dict[tuple, dict] = {}
    for entry in entries:
        key = (entry["lemma"], entry.get("particle"))
        if "object" in entry or "prep" in entry:
            if entry["type"] != NO_EVENT:
                patterns.setdefault(key, Counter())[entry["type"]] += 1
        else:
            plain[key] = entry
    for key, entry in plain.items():
        counts = patterns.get(key, Counter())
        total = sum(counts.values())
        if not total:
            continue
        kind, top = counts.most_common(1)[0]
        if entry["type"] == NO_EVENT and total >= MIN_PATTERNS_TO_SETTLE and top / total >= SETTLED_SHARE:
            entry["type"] = kind
            entry.pop("mode", None)
            entry["cameo"] += f" (patterns: {kind} {top}/{total})"
        elif entry["type"] != NO_EVENT and total >= MIN_PATTERNS_TO_UNSETTLE and counts[entry["type"]] / total <= UNSETTLED_SHARE:
            entry["cameo"] += f" (patterns: {entry['type']} {counts[entry['type']]}/{total})"
            entry["type"] = NO_EVENT
            entry.pop("mode", None)


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit("usage: build_event_lexicon.py CAMEO.2.0.txt CAMEO2PLOVER-2021.txt > cameo_triggers.jsonl")
    print("# Event triggers derived from the PETRARCH2 CAMEO verb dictionary (CAMEO.2.0.txt, MIT licence:")
    print("# LICENSE-petrarch2.txt) through the CAMEO to PLOVER table (CAMEO2PLOVER-2021.txt).")
    print("# Generated by scripts/build_event_lexicon.py; do not edit by hand. type \"-\": the words make no event.")
    for entry in build(Path(sys.argv[1]), Path(sys.argv[2])):
        print(json.dumps(entry, ensure_ascii=False))


if __name__ == "__main__":
    main()
