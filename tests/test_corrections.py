"""Analyst corrections (corrections.py): every kind applies, survives a later ingest of related
articles, a recluster and a re-annotation, and undo restores what was there; on both back-ends.

The demo corpus is annotated once; each test stores it (without the articles of `LATER`, which
arrive afterwards as a later ingest) in a store of its own.
"""

from __future__ import annotations

import json
import threading
from dataclasses import replace

import pytest
from click.testing import CliRunner

from storyline.cli import main
from storyline.errors import CorrectionError, NotFound
from storyline.library import Storyline, demo_corpus, extract

pytestmark = pytest.mark.slow

LATER = ("riverside-0319-dunmore-rally-inspections", "ledger-0320-rivena-flood-insurers", "meridian-0314-truce-prisoner-swap", "northgate-0320-rate-rise-mortgages")
FLOOD_VISIT = "observer-0318-brandt-flood-visit"  # quotes, events and actors to correct
BORDER = "meridian-0316-farmers-block-border"  # mentions Vestria as a body (vestria-2)
REVISED = (FLOOD_VISIT, BORDER)  # re-annotated as new versions of themselves
ADDED = " A later edition added this closing sentence about the regional council."


@pytest.fixture(scope="module")
def annotated():
    """(article, annotation) of every demo article, and of a revised version of those in REVISED."""
    from storyline.annotate import annotate_stream

    pairs = [pair for pair in extract([demo_corpus()]) if isinstance(pair, tuple)]
    originals = {article.id: article for article, _ in pairs}
    revised = list(annotate_stream(iter([replace(originals[a], text=originals[a].text + ADDED) for a in REVISED]), processes=1))
    return pairs, {article.id: (article, annotation) for article, annotation in revised}


@pytest.fixture
def store(db, annotated):
    store = Storyline(db, processes=1)
    store.add_annotated([pair for pair in annotated[0] if pair[0].id not in LATER])
    yield store
    store.repo.engine.dispose()


@pytest.fixture(scope="module")
def uncorrected(annotated, tmp_path_factory):
    """{article: story} of the whole demo stored at once: what a recluster gives without corrections."""
    store = Storyline(tmp_path_factory.mktemp("plain") / "plain.db", processes=1)
    store.add_annotated(annotated[0])
    return grouping(store)


def grouping(store: Storyline) -> dict[str, str]:
    with store.repo.read() as session:
        return {a: s for a, s in store.repo.grouping(session).items()}


def later_ingest(store, annotated) -> None:
    report = store.add_annotated([pair for pair in annotated[0] if pair[0].id in LATER])
    assert report.added == len(LATER)


def reannotate(store, annotated) -> None:
    report = store.add_annotated(list(annotated[1].values()))
    assert report.updated == len(REVISED)


def story_of(store, article_id: str) -> str:
    return store.article(article_id).story_id


def survives(store, annotated, holds) -> None:
    """`holds()` is true now, after a later ingest of related articles, after re-annotation and after recluster."""
    holds()
    later_ingest(store, annotated)
    holds()
    reannotate(store, annotated)
    holds()
    store.recluster()
    holds()


# ---- stories ------------------------------------------------------------------------------

GROUPING_CASES = {
    # kind: (arguments, check that it holds)
    "merge-stories": (
        dict(keep="meridian-0315-dunmore-mill-fire", merge="northgate-0318-dunmore-owner-arrested"),
        lambda s: story_of(s, "meridian-0315-dunmore-mill-fire") == story_of(s, "northgate-0318-dunmore-owner-arrested"),
    ),
    "split-story": (
        dict(story_id="meridian-0317-rivena-floods", article_ids=[FLOOD_VISIT]),
        lambda s: story_of(s, FLOOD_VISIT) != story_of(s, "meridian-0317-rivena-floods"),
    ),
    "move-article": (
        dict(article_id="ledger-0316-hadley-textiles-fire", story_id="riverside-0304-corran-coatings-fire"),
        lambda s: story_of(s, "ledger-0316-hadley-textiles-fire") == story_of(s, "riverside-0304-corran-coatings-fire")
        != story_of(s, "meridian-0315-dunmore-mill-fire"),
    ),
    "same-story": (
        dict(first="observer-0308-varga-korvania-talks-preview", second="northgate-0311-korvania-reservists"),
        lambda s: story_of(s, "observer-0308-varga-korvania-talks-preview") == story_of(s, "northgate-0311-korvania-reservists"),
    ),
    "never-same": (
        dict(first="meridian-0319-bank-of-vestria-raises-rates", second="ledger-0319-oduya-rate-hike"),
        lambda s: story_of(s, "meridian-0319-bank-of-vestria-raises-rates") != story_of(s, "ledger-0319-oduya-rate-hike"),
    ),
}
VERBS = {"merge-stories": "merge_stories", "split-story": "split_story", "move-article": "move_article", "same-story": "same_story", "never-same": "never_same"}


@pytest.mark.parametrize("kind", list(GROUPING_CASES))
def test_a_grouping_correction_applies_sticks_and_undoes(kind, store, annotated, uncorrected):
    arguments, holds = GROUPING_CASES[kind]
    before = grouping(store)
    assert not holds(store), "the demo must need this correction"
    verb = getattr(store, VERBS[kind])
    correction = verb(**arguments, author="Ana")
    assert correction.kind == kind and correction.author == "Ana" and correction.in_force
    assert holds(store)
    store.undo(correction.id, author="Bo")  # at once: the store is as it was
    assert grouping(store) == before
    assert [c.in_force for c in store.corrections()] == [False, True]

    again = verb(**arguments, author="Ana", note="checked with the desk")
    survives(store, annotated, lambda: holds(store))
    assert store.corrections(in_force=True)[-1].note == "checked with the desk"
    store.undo(again.id, author="Bo")
    store.recluster()  # no longer in force: the model groups as it would have
    assert grouping(store) == uncorrected


def test_a_merged_story_takes_the_later_reports_of_either_half(store, annotated, uncorrected):
    # uncorrected, the rally report joins the arrest story, apart from the fire's first reports
    assert uncorrected["riverside-0319-dunmore-rally-inspections"] != uncorrected["meridian-0315-dunmore-mill-fire"]
    store.merge_stories("meridian-0315-dunmore-mill-fire", "northgate-0318-dunmore-owner-arrested", author="Ana")
    later_ingest(store, annotated)
    assert story_of(store, "riverside-0319-dunmore-rally-inspections") == story_of(store, "meridian-0315-dunmore-mill-fire")


def test_where_the_model_disagrees_the_correction_wins_and_the_conflict_is_listed(store):
    correction = store.split_story("meridian-0317-rivena-floods", [FLOOD_VISIT], author="Ana")
    store.recluster()
    assert story_of(store, FLOOD_VISIT) != story_of(store, "meridian-0317-rivena-floods")
    conflicts = store.correction_conflicts()
    assert [(c.correction_id, c.article_id) for c in conflicts] == [(correction.id, FLOOD_VISIT)]
    assert "meridian-0317-rivena-floods" in conflicts[0].detail


def test_a_rename_follows_its_story(store, annotated):
    correction = store.rename_story("meridian-0315-dunmore-mill-fire", "  The Dunmore  mill fire ", author="Ana")
    survives(store, annotated, lambda: store.story(story_of(store, "meridian-0315-dunmore-mill-fire")).headline == "The Dunmore mill fire")
    assert store.account(story_of(store, "meridian-0315-dunmore-mill-fire")).headline == "The Dunmore mill fire"
    store.undo(correction.id, author="Ana")
    assert store.story(story_of(store, "meridian-0315-dunmore-mill-fire")).headline == "Five workers killed in fire at Vestrian textile mill"


# ---- actors, quotes, events ------------------------------------------------------------------


def quote_at(store, article_id: str, start: int):
    return next((q for q in store.article(article_id).annotation.quotes if q.start == start), None)


def event_at(store, article_id: str, start: int):
    return next((e for e in store.article(article_id).annotation.events if e.trigger.start == start), None)


def actor_ids(store, article_id: str) -> set[str]:
    return {actor.id for actor in store.article(article_id).annotation.actors}


ANNOTATION_CASES = {
    "set-speaker": (
        ("set_speaker", dict(quote=f"{FLOOD_VISIT}:275", actor_id="elena-marsh")),
        lambda s: quote_at(s, FLOOD_VISIT, 275).speaker.entity == "elena-marsh" and "elena-marsh" in {
            q.quote.speaker.entity for q in s.actor_quotes("elena-marsh")[0] if q.quote.start == 275
        },
    ),
    "clear-speaker": (
        ("clear_speaker", dict(quote=f"{FLOOD_VISIT}:700")),  # any offset within the quote names it
        lambda s: quote_at(s, FLOOD_VISIT, 605).speaker.entity is None,
    ),
    "reject-quote": (
        ("reject_quote", dict(quote=f"{FLOOD_VISIT}:840")),
        lambda s: quote_at(s, FLOOD_VISIT, 840) is None,
    ),
    "reject-event": (
        ("reject_event", dict(event=f"{FLOOD_VISIT}:1705")),
        lambda s: event_at(s, FLOOD_VISIT, 1705) is None,
    ),
    "merge-actors": (
        ("merge_actors", dict(keep="vestria", merge="vestria-2")),
        lambda s: "vestria-2" not in actor_ids(s, BORDER) and "vestria" in actor_ids(s, BORDER),
    ),
    "split-actor": (
        ("split_actor", dict(actor_id="tomas-brandt", article_ids=[FLOOD_VISIT], into="tomas-brandt-minister")),
        lambda s: "tomas-brandt-minister" in actor_ids(s, FLOOD_VISIT) and "tomas-brandt" not in actor_ids(s, FLOOD_VISIT)
        and quote_at(s, FLOOD_VISIT, 840).speaker.entity == "tomas-brandt-minister"
        and "tomas-brandt" in actor_ids(s, "meridian-0317-rivena-floods") | actor_ids(s, "ledger-0320-rivena-flood-insurers"),
    ),
}


@pytest.mark.parametrize("kind", list(ANNOTATION_CASES))
def test_an_annotation_correction_applies_sticks_and_undoes(kind, store, annotated):
    (verb, arguments), holds = ANNOTATION_CASES[kind]
    if kind == "split-actor":
        later_ingest(store, annotated)  # the other report naming him is among the later ones
    before = store.article(FLOOD_VISIT), store.article(BORDER)
    assert not holds(store)
    correction = getattr(store, verb)(**arguments, author="Ana")
    assert correction.kind == kind and holds(store)
    store.undo(correction.id, author="Bo")
    assert (store.article(FLOOD_VISIT), store.article(BORDER)) == before

    getattr(store, verb)(**arguments, author="Ana")
    if kind != "split-actor":
        later_ingest(store, annotated)
    holds_now = lambda: holds(store)  # noqa: E731
    assert holds_now()
    reannotate(store, annotated)
    assert holds_now()
    store.recluster()
    assert holds_now()


def test_a_rejected_quote_comes_back_on_undo_after_re_annotation(store, annotated):
    correction = store.reject_quote(f"{FLOOD_VISIT}:840", author="Ana")
    reannotate(store, annotated)
    assert quote_at(store, FLOOD_VISIT, 840) is None
    store.undo(correction.id, author="Ana")
    assert quote_at(store, FLOOD_VISIT, 840).speaker.entity == "tomas-brandt"


def test_bad_corrections_are_refused_with_a_reason(store):
    with pytest.raises(NotFound, match="no story with id 'nope'"):
        store.merge_stories("nope", "meridian-0315-dunmore-mill-fire", author="Ana")
    with pytest.raises(CorrectionError, match="not in story"):
        store.split_story("meridian-0317-rivena-floods", ["meridian-0315-dunmore-mill-fire"], author="Ana")
    with pytest.raises(CorrectionError, match="every article"):
        store.split_story("meridian-0315-dunmore-mill-fire", ["meridian-0315-dunmore-mill-fire", "ledger-0316-hadley-textiles-fire"], author="Ana")
    with pytest.raises(CorrectionError, match="ARTICLE:START"):
        store.reject_quote(FLOOD_VISIT, author="Ana")
    with pytest.raises(NotFound, match="no quote"):
        store.reject_quote(f"{FLOOD_VISIT}:1", author="Ana")
    with pytest.raises(CorrectionError, match="author"):
        store.rename_story("meridian-0315-dunmore-mill-fire", "x", author=" ")
    correction = store.rename_story("meridian-0315-dunmore-mill-fire", "x", author="Ana")
    undo = store.undo(correction.id, author="Ana")
    with pytest.raises(CorrectionError, match="already undone"):
        store.undo(correction.id, author="Ana")
    with pytest.raises(CorrectionError, match="is an undo"):
        store.undo(undo.id, author="Ana")
    assert [c.kind for c in store.corrections()] == ["rename-story", "undo"]


# ---- sharing ------------------------------------------------------------------------------------


def test_exported_corrections_re_apply_to_a_store_rebuilt_from_scratch(store, annotated, tmp_path, uncorrected):
    store.merge_stories("meridian-0315-dunmore-mill-fire", "northgate-0318-dunmore-owner-arrested", author="Ana")
    store.set_speaker(f"{FLOOD_VISIT}:275", "elena-marsh", author="Ana", note="she said it at the briefing")
    store.undo(store.reject_event(f"{FLOOD_VISIT}:1705", author="Ana").id, author="Ana")  # undone: not exported
    exported = tmp_path / "corrections.jsonl"
    exported.write_text("\n".join(store.export_corrections()) + "\n{not json\n", encoding="utf-8")

    # rebuilt: corrections first, articles after (they apply as the articles arrive)
    rebuilt = Storyline(tmp_path / "rebuilt.db", processes=1)
    errors = []
    applied, known = rebuilt.import_corrections(exported, on_error=errors.append)
    assert (len(applied), known) == (2, 0)
    assert [e.source for e in errors] == [f"{exported}:3"]
    rebuilt.add_annotated(annotated[0])
    assert story_of(rebuilt, "meridian-0315-dunmore-mill-fire") == story_of(rebuilt, "northgate-0318-dunmore-owner-arrested")
    assert story_of(rebuilt, "riverside-0319-dunmore-rally-inspections") == story_of(rebuilt, "meridian-0315-dunmore-mill-fire")
    assert quote_at(rebuilt, FLOOD_VISIT, 275).speaker.entity == "elena-marsh"
    assert event_at(rebuilt, FLOOD_VISIT, 1705) is not None
    assert rebuilt.corrections()[1].note == "she said it at the briefing"
    assert rebuilt.import_corrections(exported)[1] == 2  # once only

    # rebuilt the other way round: articles first, then the corrections
    again = Storyline(tmp_path / "again.db", processes=1)
    again.add_annotated(annotated[0])
    assert uncorrected["meridian-0315-dunmore-mill-fire"] != uncorrected["northgate-0318-dunmore-owner-arrested"]
    again.import_corrections(exported)
    assert story_of(again, "meridian-0315-dunmore-mill-fire") == story_of(again, "northgate-0318-dunmore-owner-arrested")
    assert quote_at(again, FLOOD_VISIT, 275).speaker.entity == "elena-marsh"


def test_histories_of_a_story_and_an_actor(store):
    merge = store.merge_stories("meridian-0315-dunmore-mill-fire", "northgate-0318-dunmore-owner-arrested", author="Ana")
    store.undo(merge.id, author="Bo")
    speaker = store.set_speaker(f"{FLOOD_VISIT}:275", "elena-marsh", author="Ana")
    story = story_of(store, "meridian-0315-dunmore-mill-fire")
    assert [(c.kind, c.in_force) for c in store.story_history(story)] == [("merge-stories", False), ("undo", True)]
    assert [c.id for c in store.actor_history("elena-marsh")] == [speaker.id]
    assert [c.id for c in store.story_history(story_of(store, FLOOD_VISIT))] == [speaker.id]


def test_concurrent_corrections_and_ingests_lose_nothing(store, annotated, db):
    """A writer ingesting the later articles one at a time while another corrects: every article
    and every correction lands, and the corrections hold."""
    errors = []
    later = [pair for pair in annotated[0] if pair[0].id in LATER]

    def ingesting():
        writer = Storyline(db, processes=1)
        try:
            for pair in later:
                writer.add_annotated([pair])
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    def correcting():
        writer = Storyline(db, processes=1)
        try:
            writer.merge_stories("meridian-0315-dunmore-mill-fire", "northgate-0318-dunmore-owner-arrested", author="Ana")
            writer.set_speaker(f"{FLOOD_VISIT}:275", "elena-marsh", author="Ana")
            writer.never_same("meridian-0319-bank-of-vestria-raises-rates", "ledger-0319-oduya-rate-hike", author="Ana")
            writer.rename_story("meridian-0317-rivena-floods", "Rivena floods", author="Ana")
        except Exception as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=ingesting), threading.Thread(target=correcting)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(grouping(store)) == len(annotated[0])
    assert [c.kind for c in store.corrections(in_force=True)] == ["merge-stories", "set-speaker", "never-same", "rename-story"]
    for kind in ("merge-stories", "never-same"):
        assert GROUPING_CASES[kind][1](store)
    assert quote_at(store, FLOOD_VISIT, 275).speaker.entity == "elena-marsh"


# ---- the command line -------------------------------------------------------------------------


def run(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], env=env, catch_exceptions=False)


def test_the_cli_corrects_lists_undoes_and_shares(store, db, tmp_path):
    result = run("correct", "merge-stories", "meridian-0315-dunmore-mill-fire", "northgate-0318-dunmore-owner-arrested", "--db", db, "--author", "Ana", "--note", "one fire")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Correction 1: merged the story of northgate-0318-dunmore-owner-arrested into the story of meridian-0315-dunmore-mill-fire (by Ana)")
    result = run("correct", "set-speaker", f"{FLOOD_VISIT}:275", "elena-marsh", "--db", db, env={"STORYLINE_AUTHOR": "Bo"})
    assert "(by Bo)" in result.stdout
    assert run("correct", "undo", "1", "--db", db, "--author", "Ana").stdout.startswith("Correction 3: undid correction 1")
    listed = json.loads(run("corrections", "--db", db, "--format", "json").stdout)
    assert [c["kind"] for c in listed] == ["set-speaker", "undo"]
    everything = run("corrections", "--db", db, "--all").stdout
    assert "(undone by 3)" in everything and "one fire" in everything
    missing = run("correct", "rename-story", "nope", "Headline", "--db", db, "--author", "Ana")
    assert missing.exit_code == 1 and "Error: no story with id 'nope'" in missing.output
    no_author = CliRunner().invoke(main, ["correct", "never-same", "a", "b", "--db", str(db)], env={"STORYLINE_AUTHOR": None})
    assert no_author.exit_code == 2 and "--author" in no_author.output

    exported = tmp_path / "c.jsonl"
    assert "1 correction written" in run("corrections", "export", exported, "--db", db).stderr
    assert "0 corrections applied, 1 already in force" in run("corrections", "import", exported, "--db", db).stderr
    assert "0 conflicts" in run("corrections", "--conflicts", "--db", db).stderr
