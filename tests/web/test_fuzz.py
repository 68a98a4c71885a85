"""Issue 15: property-based tests of the search parameters. Whatever a query string holds, the
answer is a page, or a JSON error of status 400 or 422 with the security headers; never a 500.
The Python API's search gives stories or a StoreError."""

from __future__ import annotations

import os
from urllib.parse import urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.errors import StoreError

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PARAMETERS = ("q", "since", "until", "outlet", "actor", "order", "limit", "offset")
FTS_WORDS = st.sampled_from(['"', "AND", "OR", "NOT", "NEAR(", "*", "^", "(", ")", ":", "-", "title:", "\\", "'", "\x00"])
values = st.one_of(
    st.text(max_size=40),
    st.text(st.characters(max_codepoint=0x9F), max_size=10),  # control characters often
    st.lists(FTS_WORDS | st.text("harbourHARBOUR mayor", max_size=8), max_size=6).map(" ".join),
    st.integers(-10**12, 10**12).map(str),
    st.dates().map(str),
)


@FUZZ
@given(st.dictionaries(st.sampled_from(PARAMETERS), values, max_size=5), st.booleans())
def test_any_search_parameters_give_a_page_or_a_json_error(client, parameters, as_json):
    query = urlencode(parameters, encoding="utf-8", errors="surrogatepass")
    response = client.get(f"/stories{'.json' if as_json else ''}?{query}", headers={"accept": "text/html"})
    assert response.status_code in (200, 400, 422), (query, response.status_code, response.text[:200])
    assert response.headers["x-content-type-options"] == "nosniff"
    if response.status_code != 200 and as_json:
        assert response.json()["error"]["status"] == response.status_code


@FUZZ
@given(st.sampled_from(("q", "outlet", "actor")), values, st.booleans())
def test_any_text_filter_alone_gives_a_page_or_a_400(client, name, value, as_json):
    # alone, so that no other invalid parameter stops the request before the store is asked
    query = urlencode({name: value}, encoding="utf-8", errors="surrogatepass")
    response = client.get(f"/stories{'.json' if as_json else ''}?{query}")
    assert response.status_code in (200, 400, 422), (query, response.status_code, response.text[:200])
    assert response.headers["content-security-policy"].startswith("default-src 'none'")


@FUZZ
@given(st.one_of(st.text(max_size=40), st.lists(FTS_WORDS | st.text(max_size=5), max_size=6).map(" ".join)))
def test_library_search_gives_stories_or_a_store_error(storyline, query):
    try:
        found = storyline.search(query)
    except StoreError as error:
        assert str(error).startswith("cannot search for") and "\n" not in str(error)
    else:
        assert isinstance(found, list)
