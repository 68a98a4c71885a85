"""Canonical actors of one article: people and bodies with their roles and every mention.

No offline coreference model exists for spaCy 3.8, so mentions are grouped by rules
over the parse, in the order a careful reader links them:

1. named mentions: full names seed people; a surname, first name or "Mr X" joins the
   person it names (honorific gender, then recency, decide between namesakes);
   organisations and places join through an alias table and "(ACRONYM)" definitions;
2. roles: titles before a name ("Foreign Secretary Dominic Raab") and appositions
   ("Wang Yi, China's foreign minister");
3. role nouns: "the foreign secretary" refers to the person holding that role here, or,
   when nobody does yet, to the nearest preceding person without a role, who takes it;
4. pronouns: he/she to the nearest salient person of matching gender (a subject in the
   same or a preceding sentence first); they/them to an organisation subject of the
   same sentence.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span as SpacySpan, Token

from ..lexicons import country_code, table, word_set
from ..records import Actor, Article, Span
from .dateline import dateline_end
from .knowledge import code_actor, lookup
from .layout import layout

ACTOR_LABELS = {"PERSON", "ORG", "GPE", "NORP"}
# premodifiers that can belong to a name's noun phrase ("Foreign Secretary Dominic Raab")
NAME_PREMODIFIER_DEPS = {"compound", "amod", "nmod", "npadvmod", "punct", "nummod"}
SUBJECT_DEPS = {"nsubj", "nsubjpass"}
MALE_PRONOUNS = {"he", "him", "his", "himself"}
FEMALE_PRONOUNS = {"she", "her", "hers", "herself"}
GROUP_PRONOUNS = {"they", "them", "their", "theirs", "themselves"}
PRONOUN_LOOKBACK_SENTENCES = 3
ROLE_BRIDGE_LOOKBACK_SENTENCES = 4
MAX_ROLE_TOKENS = 10
NAME_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
# single role heads distinctive enough to refer to a named person in the article
DISTINCT_ROLE_HEADS = {"president", "chancellor", "premier", "governor", "mayor", "king", "queen", "pope", "prime minister"}


def slug(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-") or "actor"


def surname(name: str) -> str:
    """The family name of a full name, lower-cased: 'Luther Stan Pate IV' -> 'pate'."""
    words = name.split()
    while len(words) > 1 and words[-1].lower().rstrip(".,") in NAME_SUFFIXES:
        words.pop()
    return words[-1].lower()


def _honorifics() -> dict[str, str]:
    return {row[0].lower(): row[1] for row in table("honorifics.tsv")}


def _aliases() -> dict[str, tuple[str, str]]:
    return {row[0].lower(): (row[1], row[2]) for row in table("actor_aliases.tsv")}


def normalise_case(name: str) -> str:
    """'BORIS Johnson' -> 'Boris Johnson': a shouted word in an otherwise normal name."""
    words = name.split()
    if len(words) > 1 and not all(w.isupper() for w in words):
        words = [w.capitalize() if w.isupper() and len(w) > 2 else w for w in words]
    return " ".join(words)


def strip_article(text: str) -> str:
    return re.sub(r"^(the|The|THE)\s+", "", text).strip()


def _title_case_role(role: str) -> str:
    """Short offices read as titles ('foreign minister' -> 'Foreign Minister'); longer phrases stay as written."""
    words = role.split()
    if len(words) <= 3 and all(w.isalpha() and w.islower() for w in words):
        return " ".join(w.capitalize() for w in words)
    return role


def _roles_compatible(held: str, mentioned: str) -> bool:
    """'transport minister' may refer to the holder of 'minister' and vice versa; not 'foreign minister'."""
    held_words, mentioned_words = held.split(), mentioned.split()
    if held_words[-1] != mentioned_words[-1]:
        return False
    return set(held_words) <= set(mentioned_words) or set(mentioned_words) <= set(held_words)


@dataclass
class _Cluster:
    name: str
    type: str
    first: int  # char offset of the first mention, for ordering
    gender: str | None = None
    role: str | None = None
    role_phrase: str | None = None  # the role as written, country words included
    role_country: str | None = None
    mentions: dict[tuple[int, int], str] = field(default_factory=dict)
    last_token_positions: list[int] = field(default_factory=list)

    @property
    def surname(self) -> str:
        return surname(self.name)

    @property
    def first_name(self) -> str:
        return self.name.split()[0].lower()

    def add(self, doc: Doc, start_token: int, end_token: int) -> None:
        span = doc[start_token:end_token]
        self.mentions[(span.start_char, span.end_char)] = span.text
        self.last_token_positions.append(start_token)

    def role_key(self) -> str | None:
        return self.role.lower() if self.role else None


class ActorIndex:
    """Finds the actor a stretch of text refers to."""

    def __init__(self, actors: Iterable[Actor]):
        self._mentions = sorted(
            ((m.start, m.end, actor) for actor in actors for m in actor.mentions), key=lambda item: item[0]
        )
        self._starts = [m_start for m_start, _, _ in self._mentions]
        self._longest = max((m_end - m_start for m_start, m_end, _ in self._mentions), default=0)

    def at(self, start: int, end: int) -> Actor | None:
        """The actor whose mention overlaps [start, end) most (the shorter mention on a tie)."""
        best: tuple[int, int, Actor] | None = None
        # only mentions starting less than the longest mention's length before `start` can reach it
        first = bisect_left(self._starts, start - self._longest)
        for m_start, m_end, actor in itertools.islice(self._mentions, first, None):
            if m_start >= end:
                break
            overlap = min(end, m_end) - max(start, m_start)
            if overlap <= 0:
                continue
            candidate = (overlap, -(m_end - m_start), actor)
            if best is None or candidate[:2] > best[:2]:
                best = candidate
        return best[2] if best else None


class _PersonMentions:
    """Where each person was mentioned (token index), in order, read by range: the ranking of
    `sorted(..., key=position)` over the clusters in order, kept as pronouns join them."""

    def __init__(self, clusters: Iterable[_Cluster]):
        self._rank: dict[int, int] = {}
        self._keys: list[tuple[int, int, int]] = []
        self._clusters: list[_Cluster] = []
        entries = []
        for rank, cluster in enumerate(clusters):
            if cluster.type != "PERSON":
                continue
            self._rank[id(cluster)] = rank
            entries += [((position, rank, seq), cluster) for seq, position in enumerate(cluster.last_token_positions)]
        entries.sort(key=lambda item: item[0])
        self._keys = [key for key, _ in entries]
        self._clusters = [cluster for _, cluster in entries]

    def add(self, position: int, cluster: _Cluster) -> None:
        if id(cluster) not in self._rank:
            return
        key = (position, self._rank[id(cluster)], len(cluster.last_token_positions))
        k = bisect_right(self._keys, key)
        self._keys.insert(k, key)
        self._clusters.insert(k, cluster)

    def between(self, start: int, end: int) -> list[tuple[int, _Cluster]]:
        low, high = bisect_left(self._keys, (start, -1, -1)), bisect_left(self._keys, (end, -1, -1))
        return [(self._keys[k][0], self._clusters[k]) for k in range(low, high)]


class _Builder:
    def __init__(self, doc: Doc):
        self.doc = doc
        self.honorifics = _honorifics()
        self.aliases = _aliases()
        self.role_nouns = word_set("role_nouns.txt")
        self.first_name_genders = {row[0]: row[1] for row in table("first_names.tsv")}
        self.org_words = word_set("org_words.txt")
        self.place_feature_words = word_set("place_feature_words.txt")
        self.place_words = {ent.text.lower() for ent in doc.ents if ent.label_ in {"GPE", "LOC"}}
        self.dateline_end = dateline_end(doc.text)
        self.clusters: dict[str, _Cluster] = {}
        self.token_cluster: dict[int, _Cluster] = {}  # head token index -> cluster
        self.sentence_of = {}
        self.sentence_starts = []  # token index where each sentence starts
        for number, sentence in enumerate(doc.sents):
            self.sentence_starts.append(sentence.start)
            for token in sentence:
                self.sentence_of[token.i] = number

    # ---- named mentions -------------------------------------------------------------

    def entity_spans(self) -> list[tuple[SpacySpan, str]]:
        """Entities that can be actors, cleaned of leading 'the' and relabelled where the model errs."""
        spans = []
        labels = self._article_labels()
        for ent in self.doc.ents:
            if ent.label_ not in ACTOR_LABELS and not self._is_person_surname_candidate(ent):
                continue
            if ent.start_char < self.dateline_end:
                continue  # where the report was filed and by whom, not who acts in it
            if self._is_place_feature(ent):
                continue  # "River Wend", "Harbour Street": a place, not an actor
            if self._is_portfolio(ent):
                continue  # "Transport" in "Transport Secretary": the portfolio of a title
            start = ent.start
            while start < ent.end and self.doc[start].lower_ in {"the", "'s", "’s"}:
                start += 1
            end = ent.end
            while end > start and self.doc[end - 1].lower_ in {"'s", "’s", "'", "’"}:
                end -= 1
            if start >= end:
                continue
            span = self.doc[start:end]
            if ent.label_ == "NORP" and span.root.dep_ in {"amod", "compound", "poss"}:
                continue  # "Chinese officials": an adjective, not an actor
            spans.append((span, labels.get(span.text.lower(), ent.label_)))
        return spans

    def _is_portfolio(self, ent: SpacySpan) -> bool:
        """A word naming the brief of a title ("Transport Secretary", "Health Minister"), not the
        body a spokeswoman speaks for ("a Downing Street spokeswoman") nor a country."""
        head = ent.root.head
        return (
            ent.label_ in {"ORG", "PERSON"}
            and ent.root.dep_ == "compound"
            and head.i == ent.end
            and head.is_title
            and self._is_role_head(head)
            and lookup(ent.text) is None
        )

    def _is_place_feature(self, ent: SpacySpan) -> bool:
        """A river, street or bridge by its first or last word, unless it is a known body ("Downing Street")."""
        words = [t.lower_ for t in ent if t.lower_ != "the"]
        if ent.label_ == "PERSON" or len(words) < 2 or not {words[0], words[-1]} & self.place_feature_words:
            return False
        known = lookup(ent.text)
        return known is None or known.kind != "actor"

    def _article_labels(self) -> dict[str, str]:
        """One label per name in an article: a place the gazetteer knows is GPE (a capital the model
        calls PERSON once), otherwise the label most of its mentions have."""
        votes: dict[str, Counter] = defaultdict(Counter)
        for ent in self.doc.ents:
            if ent.label_ in ACTOR_LABELS:
                votes[strip_article(ent.text).lower()][ent.label_] += 1
        labels = {}
        for name, counts in votes.items():
            known = lookup(name)
            if known is not None and known.kind in {"country", "capital", "place"} and "GPE" in counts:
                labels[name] = "GPE"
            elif len(counts) > 1:
                (first, most), (_, second) = counts.most_common(2)
                if most > second:
                    labels[name] = first
        return labels

    def _is_person_surname_candidate(self, ent: SpacySpan) -> bool:
        return len(ent) == 1 and ent.label_ in {"PRODUCT", "FAC", "LOC", "WORK_OF_ART"}

    def build_named(self) -> None:
        spans = self.entity_spans()
        full_names = {
            surname(normalise_case(self._strip_honorific(span)[0].text))
            for span, label in spans
            if label == "PERSON" and len(self._strip_honorific(span)[0]) > 1
        }
        # the small model tags some surnames as ORG ("Mr Wang", "Stone said"): a single
        # token equal to the surname of a named person, or after an honorific, is a person
        other_names = {
            token.lower_ for ent in self.doc.ents if ent.label_ not in {"PERSON", "DATE", "TIME", "CARDINAL"}
            for token in ent if len(ent) > 1 or ent.label_ in {"GPE", "LOC", "FAC", "ORG"}
        } - full_names
        org_first_words = {
            strip_article(span.text).split()[0].lower() for span, label in spans if label == "ORG" and len(span) > 1
        }
        relabelled = []
        for span, label in spans:
            name_span, honorific = self._strip_honorific(span)
            if label != "PERSON" and len(name_span) == 1 and (name_span.text.lower() in full_names or honorific):
                label = "PERSON"
            if label == "PERSON" and (
                span[-1].lower_ in self.org_words or (len(span) == 1 and span.text.lower() in org_first_words)
            ):
                label = "ORG"  # "Northline Terminals", and "Northline" for short
            if label == "PERSON" and len(span) == 1 and not honorific and (
                self._inside_longer_name(span) or span.text.lower() in other_names
            ):
                continue  # "Bill" in "the Ports (Minimum Service) Bill"; "Dunmore" the town
            relabelled.append((span, label))
        relabelled += self._honorific_names(spans)
        for span, label in sorted(relabelled, key=lambda item: (-len(self._strip_honorific(item[0])[0]), item[0].start)):
            if label == "PERSON":
                self._add_person(span)
            else:
                self._add_body(span, label)
        self._merge_acronyms()

    def _inside_longer_name(self, span: SpacySpan) -> bool:
        if span.start == 0:
            return False
        before = self.doc[span.start - 1]
        return before.text == ")" or (
            before.pos_ == "PROPN" and before.lower_ not in self.honorifics and not self._is_role_head(before)
            and before.ent_type_ not in {"GPE", "NORP", "ORG"}
        )

    def _honorific_names(self, spans: list[tuple[SpacySpan, str]]) -> list[tuple[SpacySpan, str]]:
        """'Mr Kovac said' where the model found no entity: an honorific before a capitalised name."""
        covered = {i for span, _ in spans for i in range(span.start, span.end)}
        found = []
        for token in self.doc[:-1]:
            following = self.doc[token.i + 1]
            if token.text.lower() in self.honorifics and following.is_title and following.i not in covered:
                end = following.i + 1
                while end < len(self.doc) and self.doc[end].is_title and self.doc[end].pos_ == "PROPN" and end not in covered:
                    end += 1
                found.append((self.doc[following.i : end], "PERSON"))
        return found

    def _honorific_before(self, span: SpacySpan) -> str | None:
        if span.start > 0:
            word = self.doc[span.start - 1].text.lower()
            if word in self.honorifics:
                return word
        return None

    def _strip_honorific(self, span: SpacySpan) -> tuple[SpacySpan, str | None]:
        if len(span) > 1 and span[0].text.lower() in self.honorifics:
            return span[1:], span[0].text.lower()
        return span, self._honorific_before(span)

    def _add_person(self, span: SpacySpan) -> None:
        name_span, honorific = self._strip_honorific(span)
        name = normalise_case(name_span.text)
        gender = self.honorifics.get(honorific) if honorific else None
        if len(name.split()) > 1 and gender not in {"m", "f"}:
            gender = self.first_name_genders.get(name.split()[0].lower())
        gender = gender if gender in {"m", "f"} else None
        cluster = self._person_for(name, gender, span.start) if len(name.split()) == 1 else None
        if cluster is None:
            key = f"PERSON:{name.lower()}"
            cluster = self.clusters.get(key) or self.clusters.setdefault(key, _Cluster(name, "PERSON", span.start_char))
        if gender and not cluster.gender:
            cluster.gender = gender
        start = span.start - (1 if honorific and span[0].text.lower() != honorific else 0)
        start = self._extend_left(start, span)
        cluster.add(self.doc, start, span.end)
        cluster.first = min(cluster.first, span.start_char)
        self.token_cluster[span.root.i] = cluster
        self._role_from_premodifiers(cluster, start, name_span.start)

    def _person_for(self, single: str, gender: str | None, position: int) -> _Cluster | None:
        """The person a lone surname or first name refers to; namesakes decided by gender, then recency."""
        word = single.lower()
        people = [c for c in self.clusters.values() if c.type == "PERSON" and len(c.name.split()) > 1]
        matches = [c for c in people if c.surname == word] or [c for c in people if c.first_name == word]
        if gender:
            matches = [c for c in matches if c.gender in (None, gender)] or matches
        if len(matches) <= 1:
            return matches[0] if matches else None

        def last_before(cluster: _Cluster) -> int:
            earlier = [p for p in cluster.last_token_positions if p < position]
            return max(earlier) if earlier else -1

        return max(matches, key=last_before)

    def _extend_left(self, start: int, span: SpacySpan) -> int:
        """Include titles and modifiers that belong to the name's noun phrase."""
        sentence_start = span.sent.start
        left = start
        while left - 1 >= sentence_start:
            token = self.doc[left - 1]
            if token.dep_ not in NAME_PREMODIFIER_DEPS or not (left - 1 < token.head.i < span.end):
                break
            if token.dep_ == "punct" and token.text not in {"-", "–"}:
                break
            left -= 1
        while left < start and self.doc[left].dep_ == "punct":
            left += 1
        return left

    def _role_from_premodifiers(self, cluster: _Cluster, start: int, name_start: int) -> None:
        if name_start <= start:
            return
        words = self.doc[start:name_start]
        if not any(t.lower_ in self.role_nouns for t in words):
            return
        self._set_role(cluster, words)

    def _set_role(self, cluster: _Cluster, words: SpacySpan | Sequence[Token]) -> None:
        tokens = [t for t in words if t.lower_ not in self.honorifics]
        while tokens and (tokens[0].dep_ == "det" or (tokens[0].dep_ == "poss" and tokens[0].pos_ == "PRON")):
            tokens = tokens[1:]
        if not tokens or len(tokens) > MAX_ROLE_TOKENS or cluster.role:
            return
        phrase = self._text_of(tokens)
        # a leading country ("China's", "German") is the role's country, not the role
        role_tokens = list(tokens)
        country = None
        while role_tokens and role_tokens[0].ent_type_ in {"GPE", "NORP"}:
            country = country or country_code(role_tokens[0].text)
            role_tokens = role_tokens[1:]
            while role_tokens and role_tokens[0].text in {"'s", "’s"}:
                role_tokens = role_tokens[1:]
        role = self._text_of(role_tokens)
        if not role:
            return
        cluster.role = _title_case_role(role)
        cluster.role_phrase = phrase
        cluster.role_country = country

    def _text_of(self, tokens: Sequence[Token]) -> str:
        """The text from the first to the last token, as written."""
        if not tokens:
            return ""
        return self.doc[tokens[0].i : tokens[-1].i + 1].text

    def _add_body(self, span: SpacySpan, label: str) -> None:
        text = strip_article(span.text)
        canonical, kind = self.aliases.get(text.lower(), (text, label))
        if " " not in canonical and canonical.lower() not in self.place_words:
            # "Northline" after "Northline Terminals": a short form drops only a generic final word
            canonical = next(
                (
                    c.name for c in self.clusters.values()
                    if c.type == "ORG" and c.name.lower().split() in ([canonical.lower(), w] for w in self.org_words)
                ),
                canonical,
            )
            kind = "ORG" if canonical != text else kind
        key = f"BODY:{canonical.lower()}"
        cluster = self.clusters.get(key) or self.clusters.setdefault(key, _Cluster(canonical, kind, span.start_char))
        cluster.add(self.doc, span.start, span.end)
        cluster.first = min(cluster.first, span.start_char)
        self.token_cluster[span.root.i] = cluster

    def _merge_acronyms(self) -> None:
        """'the United Nations Security Council (UNSC)' and a later 'UNSC' are one body."""
        bodies = {c.name: c for c in self.clusters.values() if c.type != "PERSON"}
        for short, cluster in list(bodies.items()):
            if not short.isupper() or len(short) < 2:
                continue
            for long_name, long_cluster in bodies.items():
                initials = "".join(w[0] for w in long_name.split() if w[0].isupper())
                if long_cluster is not cluster and initials == short:
                    long_cluster.mentions.update(cluster.mentions)
                    long_cluster.last_token_positions += cluster.last_token_positions
                    long_cluster.first = min(long_cluster.first, cluster.first)
                    for token, owner in self.token_cluster.items():
                        if owner is cluster:
                            self.token_cluster[token] = long_cluster
                    self.clusters = {k: v for k, v in self.clusters.items() if v is not cluster}
                    break

    # ---- roles ------------------------------------------------------------------

    def build_appositions(self) -> None:
        for root, cluster in list(self.token_cluster.items()):
            if cluster.type != "PERSON":
                continue
            token = self.doc[root]
            for child in token.children:
                if child.dep_ == "appos" and self._is_role_head(child):
                    self._set_role(cluster, self._role_tokens(child))
            # "the foreign minister, Wang Yi": the name is in apposition to the role
            if token.dep_ == "appos" and self._is_role_head(token.head):
                self._set_role(cluster, self._role_tokens(token.head, stop=token))

    def _is_role_head(self, token: Token) -> bool:
        return token.lower_ in self.role_nouns or token.lemma_.lower() in self.role_nouns

    def _role_tokens(self, head: Token, stop: Token | None = None) -> list[Token]:
        """The role phrase headed by `head`, without clauses ("who ...") or lists hanging off it."""
        excluded = {
            token.i
            for child in head.subtree
            if child is not head and child.dep_ in {"relcl", "acl", "appos", "cc", "conj", "punct"}
            for token in child.subtree
        }
        tokens = []
        for token in head.subtree:
            if (stop is not None and token.i >= stop.i) or token.i in excluded:
                break
            tokens.append(token)
        return tokens

    def build_role_mentions(self) -> None:
        """Link 'the foreign secretary' to the person holding (or, by bridging, taking) that role."""
        for chunk in self.doc.noun_chunks:
            head = chunk.root
            if head.tag_ in {"NNS", "NNPS"} or not self._is_role_head(head):
                continue
            if any(t.ent_type_ == "PERSON" for t in chunk) or head.i in self.token_cluster:
                continue
            if head.dep_ in {"appos", "compound"} or any(c.dep_ == "appos" for c in head.children):
                continue
            determiner = chunk[0].lower_
            possessive_country = any(t.dep_ == "poss" and t.ent_type_ == "GPE" for t in chunk)
            if determiner != "the" and not possessive_country:
                continue
            words = [t for t in chunk if t.dep_ not in {"det", "case"} and not (t.dep_ == "poss")]
            country = next((country_code(t.text) for t in chunk if t.ent_type_ in {"GPE", "NORP"}), None)
            role_words = [t for t in words if t.ent_type_ not in {"GPE", "NORP"}]
            if not role_words:
                continue
            role_key = " ".join(t.lower_ for t in role_words)
            cluster = self._role_holder(role_key, country, chunk)
            if cluster is None:
                continue
            cluster.add(self.doc, chunk.start, chunk.end)
            self.token_cluster[head.i] = cluster

    def _role_holder(self, role_key: str, country: str | None, chunk: SpacySpan) -> _Cluster | None:
        people = [c for c in self.clusters.values() if c.type == "PERSON"]
        holders = [
            c for c in people
            if c.role_key() and _roles_compatible(c.role_key(), role_key)
            and (country is None or c.role_country == country)
        ]
        if holders:
            return max(holders, key=lambda c: max([p for p in c.last_token_positions if p < chunk.start], default=-1))
        if country is not None:
            return None  # "the Afghan foreign minister" is nobody named here
        if len(role_key.split()) < 2 and role_key not in DISTINCT_ROLE_HEADS:
            return None  # "the spokesman" is too vague to bridge to a named person
        sentence = self.sentence_of[chunk.start]
        candidates = [
            (position, c) for c in people if not c.role
            for position in c.last_token_positions
            if position < chunk.start and sentence - self.sentence_of[position] <= ROLE_BRIDGE_LOOKBACK_SENTENCES
        ]
        if not candidates:
            return None
        _, cluster = max(candidates, key=lambda item: item[0])
        cluster.role = _title_case_role(" ".join(role_key.split()))
        cluster.role_phrase = chunk.text
        return cluster

    # ---- pronouns ---------------------------------------------------------------

    def build_pronouns(self) -> None:
        # inside a quotation "she" is the speaker's reference, not the narrator's: left unresolved
        quoted = sorted((q.start, q.end) for q in layout(self.doc.text).quotations)
        quoted_starts = [start for start, _ in quoted]
        quoted_reach = list(itertools.accumulate((end for _, end in quoted), max))
        people = _PersonMentions(self.clusters.values())
        for token in self.doc:
            word = token.lower_
            k = bisect_right(quoted_starts, token.idx) - 1
            if k >= 0 and token.idx < quoted_reach[k]:
                continue
            if word in MALE_PRONOUNS or word in FEMALE_PRONOUNS:
                cluster = self._person_antecedent(token, "m" if word in MALE_PRONOUNS else "f", people)
            elif word in GROUP_PRONOUNS and token.pos_ == "PRON":
                cluster = self._group_antecedent(token)
            else:
                continue
            if cluster is not None:
                cluster.add(self.doc, token.i, token.i + 1)
                people.add(token.i, cluster)
                if cluster.type == "PERSON" and not cluster.gender:
                    cluster.gender = "m" if word in MALE_PRONOUNS else "f"

    def _person_antecedent(self, pronoun: Token, gender: str, people: _PersonMentions) -> _Cluster | None:
        sentence = self.sentence_of[pronoun.i]
        floor = self.sentence_starts[max(sentence - PRONOUN_LOOKBACK_SENTENCES, 0)]
        mentions = [(position, cluster) for position, cluster in people.between(floor, pronoun.i) if cluster.gender in (None, gender)]
        if not mentions:
            return None
        by_sentence: dict[int, list[tuple[int, _Cluster]]] = {}
        for position, cluster in mentions:
            by_sentence.setdefault(self.sentence_of[position], []).append((position, cluster))
        # a subject is the likeliest antecedent: this sentence first, then back sentence by sentence
        for number in sorted(by_sentence, reverse=True):
            subjects = [(p, c) for p, c in by_sentence[number] if self._is_subject_mention(p)]
            if subjects:
                return subjects[-1][1]
        return mentions[-1][1]

    def _is_subject_mention(self, position: int) -> bool:
        token = self.doc[position]
        # a mention's first token may be a title; its head word carries the dependency
        while token.dep_ in {"compound", "amod", "nmod", "punct"} and token.head.i > token.i:
            token = token.head
        return token.dep_ in SUBJECT_DEPS

    def _group_antecedent(self, pronoun: Token) -> _Cluster | None:
        sentence = pronoun.sent
        for token in reversed(list(self.doc[sentence.start : pronoun.i])):
            cluster = self.token_cluster.get(token.i)
            if cluster is not None and cluster.type == "ORG" and token.dep_ in SUBJECT_DEPS:
                return cluster
        return None

    # ---- records ----------------------------------------------------------------

    def actors(self) -> list[Actor]:
        used: set[str] = set()
        result = []
        for cluster in sorted(self.clusters.values(), key=lambda c: c.first):
            base = slug(cluster.name)
            actor_id, counter = base, 2
            while actor_id in used:
                actor_id, counter = f"{base}-{counter}", counter + 1
            used.add(actor_id)
            known_country, sector = code_actor(cluster.name, cluster.type, cluster.role_phrase or cluster.role)
            result.append(
                Actor(
                    id=actor_id,
                    name=cluster.name,
                    type=cluster.type,
                    role=cluster.role,
                    country=cluster.role_country or known_country,
                    sector=sector,
                    mentions=tuple(Span(s, e, text) for (s, e), text in sorted(cluster.mentions.items())),
                    gender=cluster.gender if cluster.type == "PERSON" else None,
                )
            )
        return result


def build_actors(doc: Doc, article: Article | None = None) -> list[Actor]:
    """The canonical actors of one parsed article, ordered by first mention."""
    builder = _Builder(doc)
    builder.build_named()
    builder.build_appositions()
    builder.build_role_mentions()
    builder.build_pronouns()
    return builder.actors()
