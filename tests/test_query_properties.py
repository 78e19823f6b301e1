"""Property-based: whatever is typed (random Unicode, the syntax's own characters, very long input),
the query parser and /api/search answer it, never with a 500. Bounded by example counts to well under a
minute."""
import urllib.parse

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.errors import QueryError
from indexer.pipeline.ingest import ingest_paths
from indexer.search.query import build, parse

SYNTAX = '"-*:() \u200c\t\n'
PERSIAN = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیيكأئؤۀ۱۲۳۰"
PIECES = ["kind:", "org:", "year:", "type:", "kind:minutes", "year:۱۳۹۸", '"', "-", "*", "a*", "اتوبوس",
          "هیأت‌مدیره", "؟", "?", "1398/03/11", "۱۲۳۴/ص/۹۸", "\x00", "\ufeff", "\U0001F600"]

typed = st.one_of(
    st.text(max_size=300),                                             # any Unicode at all
    st.text(alphabet=st.sampled_from(SYNTAX + PERSIAN), max_size=400),  # the syntax among letters
    st.lists(st.sampled_from(PIECES), max_size=120).map(" ".join),     # up to beyond the word limit
    st.lists(st.sampled_from(PIECES), max_size=40).map("".join),
    st.integers(900, 1500).map(lambda n: "ب" * n),                     # around the length limit
)


@settings(max_examples=300, deadline=None)
@given(typed)
def test_the_parser_and_the_builder_never_fail_otherwise(text):
    parse(text)
    try:
        built = build(text)
    except QueryError as exc:
        assert str(exc) and exc.message_fa
    else:
        assert built.ranked is not None


@pytest.fixture(scope="module")
def app_client(tmp_path_factory):
    """A module's app with a few real documents, logged in as a viewer."""
    from archive import load_config
    from archive.users import Accounts
    from indexer import Library
    from scripts.docwriters import write_text
    from search_web import create_app
    from tests.conftest import ROOT, TXT_TEXT, log_in

    folder = tmp_path_factory.mktemp("props")
    config = load_config(ROOT / "config.yaml", env={"BAYEGAN_DATA_DIR": str(folder / "data")})
    library = Library(config)
    docs = folder / "docs"
    docs.mkdir()
    write_text(docs / "circular.txt", TXT_TEXT)
    write_text(docs / "minutes.txt", "صورتجلسه هیأت‌مدیره جلسه ۲۷ مصوبه ۱: خرید اتوبوس برقی تصویب شد.")
    ingest_paths(library, sorted(docs.iterdir()))
    Accounts(library.catalog).add("viewer", "viewer", "viewer-pass-1")
    app = create_app(config, library=library)
    client = app.test_client()
    assert log_in(client, "viewer", "viewer-pass-1").status_code == 302
    yield client
    library.close()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=typed, extra=st.fixed_dictionaries({}, optional={
    "limit": st.text(max_size=6), "page": st.text(max_size=6), "kind": st.text(max_size=12),
    "sort": st.sampled_from(["newest", "oldest", "relevance", "x"]), "facets": st.sampled_from(["1", "0"]),
    "from": st.text(max_size=12), "to": st.text(max_size=12), "org": st.text(max_size=20)}))
def test_api_search_answers_everything_without_a_500(app_client, q, extra):
    query = urllib.parse.urlencode({"q": q, **extra})
    response = app_client.get("/api/search?" + query)
    assert response.status_code in (200, 400), (q, extra, response.get_data(as_text=True)[:300])
    body = response.get_json()
    assert ("hits" in body) if response.status_code == 200 else (body["error"] and body["message"])
