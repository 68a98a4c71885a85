import re
from datetime import datetime, timedelta

from storyline.cluster import ClusterItem, cluster_corpus
from storyline.dedupe import DedupeSettings, Deduper, independent_sources, shingles

# A fictional wire report and the ways other sites republish it.
REPORT = """Flood barriers along the River Alder held overnight as water levels peaked at 4.2 metres,
the regional water authority said on Tuesday, sparing the market town of Wendlebury from the
worst flooding in two decades. Engineers worked through the night to reinforce a weakened
section of the levee near the old mill, and about 300 residents who had been moved to a school
hall were allowed home by mid-morning. "The defences did exactly what they were built to do,"
said Maria Lopez, the authority's chief engineer, adding that crews would stay on site until the
river fell below its warning level. Rail services between Wendlebury and Carrow remained
suspended because of water on the line, and the county council asked drivers to avoid the valley
road. Forecasters expect drier weather for the rest of the week, though another band of rain is
possible on Sunday. The authority said it would review the levee repairs once the water had gone
down and publish its findings within a month."""

LIGHTLY_EDITED = (
    REPORT.replace("on Tuesday", "on Tuesday morning")
    .replace("about 300 residents", "around 300 residents")
    .replace("Forecasters expect", "Weather forecasters expect")
    .replace("within a month", "within four weeks")
)
TRUNCATED = " ".join(REPORT.split()[:70])

OTHER_REPORT = """Councillors in Carrow voted on Wednesday to close two branch libraries and move their
collections to a new central hub, after a consultation in which most respondents opposed the plan.
The council said the change would save money on buildings that need costly repairs, while campaigners
promised to keep fighting and said they would ask for a judicial review of the decision. Opening hours
at the central library will be extended to evenings and Sundays from the spring."""


def test_shingles_are_word_windows():
    assert shingles("One two, THREE four five six", 5) == {"one two three four five", "two three four five six"}
    assert shingles("Too short", 5) == {"too short"}
    assert shingles("", 5) == set()


def test_exact_edited_and_truncated_copies_link_to_the_original():
    deduper = Deduper()
    assert deduper.add("wire", REPORT) is None
    assert deduper.add("exact", REPORT) == "wire"
    assert deduper.add("edited", LIGHTLY_EDITED) == "wire"
    assert deduper.add("truncated", TRUNCATED) == "wire"
    assert deduper.add("other", OTHER_REPORT) is None
    assert deduper.add("wire", REPORT) is None  # asked again: still the original


def test_copy_of_a_copy_links_to_the_first():
    deduper = Deduper()
    deduper.add("wire", REPORT)
    deduper.add("edited", LIGHTLY_EDITED)
    assert deduper.add("edited-again", LIGHTLY_EDITED.replace("Rail services", "Train services")) == "wire"


def test_short_texts_are_copies_only_when_identical():
    deduper = Deduper(DedupeSettings())
    deduper.add("brief", "Rail services remain suspended in the valley tonight.")
    assert deduper.add("longer", "Rail services remain suspended in the valley tonight, officials said.") is None
    assert deduper.add("same", "Rail services remain suspended in the valley tonight.") == "brief"


def test_state_round_trip():
    deduper = Deduper()
    deduper.add("wire", REPORT)
    deduper.add("other", OTHER_REPORT)
    restored = Deduper.loads(deduper.dumps())
    assert restored.add("truncated", TRUNCATED) == "wire"
    assert restored.original_of("other") is None


def _item(article_id: str, text: str, day: int) -> ClusterItem:
    words = tuple(w.lower() for w in re.findall(r"[A-Za-z]+", text) if len(w) > 3)
    return ClusterItem(article_id, datetime(2024, 2, 6) + timedelta(hours=day), words[:60], (), (), None)


def test_syndicated_copies_stay_in_one_story_and_count_one_source():
    corpus = {
        "wire": ("Wire Service", REPORT),
        "exact": ("Daily Courier", REPORT),
        "edited": ("Valley Gazette", LIGHTLY_EDITED),
        "truncated": ("Morning Post", TRUNCATED),
    }
    items = [_item(key, text, n) for n, (key, (_, text)) in enumerate(corpus.items())]
    stories = cluster_corpus(items, texts={key: text for key, (_, text) in corpus.items()})
    assert set(stories.values()) == {"wire"}

    deduper = Deduper()
    originals = {key: deduper.add(key, text) for key, (_, text) in corpus.items()}
    members = [(source, originals[key]) for key, (source, _) in corpus.items()]
    assert independent_sources(members) == 1
    assert independent_sources(members + [("Evening Star", None)]) == 2  # its own reporting
    assert independent_sources(members + [("Wire Service", None)]) == 1  # same outlet again
