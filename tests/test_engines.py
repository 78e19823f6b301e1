"""Both search engines behind one interface: the same hits for the same archive (spellings, phrases,
filters, facets, date orders, resolution anchors), switching with ``bayegan reindex --engine`` while the
live index keeps answering, the engine in ``bayegan status``, and the config file edited in place."""
from __future__ import annotations

import json
import shutil
import threading

import pytest
from click.testing import CliRunner

from archive import ConfigError, load_config
from archive.config import set_search_engine
from conftest import ROOT, write_files
from indexer import Library
from indexer.cli import cli
from indexer.pipeline.ingest import ingest_paths
from indexer.search.engines import SWITCH_AT_DOCUMENTS, advice, index_dir, make_index
from indexer.search.index import SearchIndex
from indexer.search.tantivy_index import TantivySearchIndex

FILES = {
    "minutes-27.docx": ["صورتجلسه هیأت‌مدیره سازمان حمل و نقل همگانی", "جلسه ۲۷ — تاریخ: ۱۳۹۸/۰۳/۱۱",
                        "مصوبه ۱: خرید بیست دستگاه اتوبوس برقی تصویب شد.",
                        "مصوبه ۲: تعمیر اتوبوس‌های فرسوده به پیمانکار سپرده شد.",
                        "مصوبه ۳: گزارش مالی سال ۱۳۹۷ تصویب شد."],
    "minutes-28.pdf": ("صورتجلسه هيئت مديره سازمان حمل و نقل همگانی\nجلسه ۲۸ — تاریخ: ۱۳۹۹/۰۴/۰۲\n"
                       "مصوبه ۱: خرید ده دستگاه اتوبوس گازسوز تصویب شد.\n"
                       "مصوبه ۲: ساعات کار کارکنان تغییر نکرد."),
    "minutes-12.txt": ("صورتجلسه سازمان مدیریت پسماند\nجلسه ۱۲ تاریخ: ۱۴۰۰/۰۱/۱۵\n"
                       "مصوبه ۱: قرارداد جمع آوری پسماند منطقه سه تمدید شد.\n"
                       "مصوبه ۲: اجاره یک دستگاه اتوبوس برای کارگران تصویب شد."),
    "circular.txt": ("بخشنامه به کلیه سازمان‌ها\nتاریخ: ۱۳۹۷/۱۱/۰۱\nموضوع: ارسال صورتجلسات\n"
                     "صورتجلسات هیأت‌مدیره باید یک هفته پس از جلسه ارسال شود."),
    **{f"letter-{i}.txt": (f"نامه سازمان حمل و نقل همگانی\nتاریخ: ۱۳۹{i}/۰۲/۰۱\nشماره: {i}۱۲۳/ص/۹{i}\n"
                           f"موضوع: گزارش شماره {i}\nبا سلام، گزارش اتوبوس‌های خط {i} پیوست است.")
       for i in range(5, 9)},
}
QUERIES = ["اتوبوس", "اتوبوسها", "اتوبوس برقی", "هیأت مدیره", "هیئت‌مدیره", "هيأتمديره", "مصوبات",
           '"اتوبوس برقی"', '"هیأت مدیره"', "جمع‌آوری پسماند", "گزارش -اتوبوس", "اتوبو*", "١٣٩٨",
           "۵۱۲۳/ص/۹۵", "kind:minutes اتوبوس", "year:1399", "org:پسماند", "state:new اتوبوس",
           "اتوبوص", "فضانورد", "سازمان"]
SORTS = ("relevance", "newest", "oldest")
# found through a prefix or through words one letter away: the same documents, ranked by BM25 of the
# words matched on Whoosh and alike (a constant) on Tantivy, whose regex and fuzzy queries do not
# score by term
SCORED_ALIKE = {"اتوبو*", "اتوبوص"}


def _write(folder):
    return write_files(folder, FILES)


def _unscored(value):
    """A JSON answer without its scores (each engine scores in its own scale)."""
    if isinstance(value, dict):
        return {k: _unscored(v) for k, v in value.items() if k != "score"}
    return [_unscored(v) for v in value] if isinstance(value, list) else value


def _best(results) -> set[str]:
    """The documents ranked first, ties included."""
    return {h.doc_id for h in results.hits if h.score == results.hits[0].score}


def _seen(results, ordered: bool):
    """What a page shows, engine aside: each hit's document and matching resolutions."""
    hits = [(h.doc_id, h.hit_type, frozenset(r.anchor for r in h.resolutions), h.resolution_count)
            for h in results.hits]
    return (results.total, results.relaxed, results.facets,
            hits if ordered else sorted(hits, key=repr))


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """One archive ingested on Whoosh, then its Tantivy index built beside it: two Libraries."""
    folder = tmp_path_factory.mktemp("engines")
    env = {"BAYEGAN_DATA_DIR": str(folder / "data")}
    whoosh = Library(load_config(ROOT / "config.yaml", env={**env, "BAYEGAN_SEARCH_ENGINE": "whoosh"}))
    results = ingest_paths(whoosh, [_write(folder / "in")])
    assert {r.status for r in results} == {"indexed"}
    assert whoosh.build_index("tantivy") == len(FILES)
    tantivy = Library(load_config(ROOT / "config.yaml", env={**env, "BAYEGAN_SEARCH_ENGINE": "tantivy"}))
    yield whoosh, tantivy
    whoosh.close()
    tantivy.close()


def test_each_engine_is_its_own_class_in_its_own_folder(both):
    whoosh, tantivy = both
    assert isinstance(whoosh.index, SearchIndex) and isinstance(tantivy.index, TantivySearchIndex)
    assert whoosh.index.path == whoosh.config.index_dir
    assert tantivy.index.path == index_dir(tantivy.config, "tantivy") != whoosh.index.path
    assert whoosh.index.indexed_count() == tantivy.index.indexed_count() == len(FILES)
    assert whoosh.index.indexed_ids() == tantivy.index.indexed_ids()
    assert sorted(whoosh.index.records()) == sorted(tantivy.index.records())


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("query", QUERIES)
def test_both_engines_find_the_same_hits(both, query, sort):
    whoosh, tantivy = both
    a = whoosh.search(query, page_size=50, facets=True, sort=sort)
    b = tantivy.search(query, page_size=50, facets=True, sort=sort)
    assert _seen(a, sort != "relevance") == _seen(b, sort != "relevance")
    assert a.total > 0 or query in ("فضانورد",)
    if sort == "relevance" and a.hits and query not in SCORED_ALIKE:  # the best hit too (ties: any of them)
        assert a.hits[0].doc_id in _best(b) and b.hits[0].doc_id in _best(a)
        assert a.suggestion == b.suggestion


def test_both_engines_page_alike(both):
    whoosh, tantivy = both
    for page in (1, 2, 3, 9):
        a = whoosh.search("سازمان", page=page, page_size=3, sort="newest")
        b = tantivy.search("سازمان", page=page, page_size=3, sort="newest")
        assert (a.page, a.total, [h.doc_id for h in a.hits]) == (b.page, b.total, [h.doc_id for h in b.hits])


def test_both_engines_agree_on_the_register_similar_and_word_lists(both):
    whoosh, tantivy = both
    for text in ("اتوبوس", "خرید اتوبوس", "پسماند", "state:new"):
        assert whoosh.index.resolutions_matching(text) == tantivy.index.resolutions_matching(text)
    every = whoosh.index.indexed_ids()
    assert whoosh.index.matching_documents("اتوبوس", None, every) == tantivy.index.matching_documents("اتوبوس", None, every)
    assert set(whoosh.index.suggest_words("اتوب", 5)) == set(tantivy.index.suggest_words("اتوب", 5))
    minutes = next(h.doc_id for h in whoosh.search("گازسوز").hits)
    text = whoosh.document(minutes).text
    like_a = {h.doc_id for h in whoosh.index.more_like(minutes, text, 3)}
    like_b = {h.doc_id for h in tantivy.index.more_like(minutes, text, 3)}
    assert like_a and like_b and minutes not in like_b
    assert like_a & like_b  # key terms are picked alike, not identically (Whoosh's Bo1 against tf·idf)


@pytest.fixture
def switching(tmp_path, monkeypatch, sample_dir):
    """A config file of our own (comments and all) for an archive of the three sample files, on
    Whoosh, and a runner of ``bayegan`` on it."""
    monkeypatch.delenv("BAYEGAN_SEARCH_ENGINE", raising=False)
    file = tmp_path / "bayegan.yaml"
    text = (ROOT / "config.yaml").read_text(encoding="utf-8").replace("data_dir: documents", "data_dir: data")
    file.write_text(text, encoding="utf-8")
    runner = CliRunner()

    def run(*args):
        result = runner.invoke(cli, ["--config", str(file), *args], obj={})
        assert result.exit_code == 0, result.output
        return _unscored(json.loads(result.output)) if "--json" in args else result.output

    run("ingest", str(sample_dir))
    return file, run


def test_reindex_with_an_engine_builds_it_beside_the_live_one_then_names_it(switching):
    file, run = switching
    before = run("search", "--json", "اتوبوس")
    config = load_config(file, env={})
    assert "engine       whoosh" in run("status")
    out = run("reindex", "--engine", "tantivy")
    assert "built the tantivy index of 3 documents" in out and "restart" in out
    text = file.read_text(encoding="utf-8")
    assert "engine: tantivy" in text and "# The search engine: whoosh (the default" in text  # comments kept
    assert "# Where clerks drop files" in text and text.count("سازمان فناوری اطلاعات و ارتباطات") == 1
    after = load_config(file, env={})
    assert after.search.engine == "tantivy" and after.organizations == config.organizations
    assert (index_dir(config, "tantivy") / "meta.json").is_file()
    assert any(index_dir(config, "whoosh").glob("*.toc"))  # the old one is left for the running servers
    assert run("search", "--json", "اتوبوس") == before
    status = run("status")
    assert "engine       tantivy" in status and "advice" not in status
    run("reindex", "--engine", "whoosh")
    assert load_config(file, env={}).search.engine == "whoosh"
    assert run("search", "--json", "اتوبوس") == before


def test_the_live_index_answers_while_the_other_one_is_built(config, sample_dir):
    live = Library(config)
    ingest_paths(live, [sample_dir])
    expected = [h.doc_id for h in live.search("اتوبوس").hits]
    assert expected
    seen: list[list[str]] = []
    builder = threading.Thread(target=live.build_index, args=("tantivy",))
    builder.start()
    while builder.is_alive() or not seen:
        seen.append([h.doc_id for h in live.search("اتوبوس").hits])
    builder.join()
    assert all(ids == expected for ids in seen)
    other = make_index("tantivy", index_dir(config, "tantivy"))
    assert [h.doc_id for h in other.search("اتوبوس").hits] == expected
    other.close()
    live.close()


def test_status_advises_switching_past_the_figures_of_the_scaling_notes():
    english, persian = advice("whoosh", SWITCH_AT_DOCUMENTS + 1)
    assert "bayegan reindex --engine tantivy" in english and "bayegan reindex --engine tantivy" in persian
    assert "۱۰٬۰۰۰" in persian or "۱۰,۰۰۰" in persian
    assert advice("whoosh", SWITCH_AT_DOCUMENTS) == ("", "")
    assert advice("tantivy", 10 * SWITCH_AT_DOCUMENTS) == ("", "")


def test_the_engine_is_checked_and_the_environment_overrides_it(tmp_path):
    file = tmp_path / "c.yaml"
    file.write_text("search:\n  engine: lucene\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="search.engine"):
        load_config(file, env={})
    file.write_text("# mine\nsearch:\n  page_size: 7\n", encoding="utf-8")
    assert load_config(file, env={"BAYEGAN_SEARCH_ENGINE": "tantivy"}).search.engine == "tantivy"
    set_search_engine(file, "tantivy")
    assert file.read_text(encoding="utf-8").startswith("# mine\n")
    assert load_config(file, env={}).search == load_config(file, env={}).search.__class__(page_size=7, engine="tantivy")
    with pytest.raises(ConfigError):
        set_search_engine(file, "lucene")
    missing = tmp_path / "new.yaml"
    set_search_engine(missing, "tantivy")
    assert load_config(missing, env={}).search.engine == "tantivy"




@pytest.mark.parametrize("engine", ["tantivy"], indirect=True)
def test_a_tantivy_index_of_another_schema_is_named_and_rebuilt(library, sample_dir, client_as):
    """An upgrade that changes Tantivy's schema leaves an index nothing can open: searches say so
    (503, in Persian, naming the command), status advises the reindex, and the reindex rebuilds it."""
    import tantivy

    from indexer import IndexUnavailable

    ingest_paths(library, [sample_dir])
    library.index.close()
    shutil.rmtree(library.index.path)
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("body", stored=True)
    library.index.path.mkdir()
    tantivy.Index(builder.build(), path=str(library.index.path))  # another version's index
    with pytest.raises(IndexUnavailable, match="bayegan reindex"):
        library.search("پسماند")
    response = client_as("viewer").get("/api/search?q=پسماند")
    assert response.status_code == 503 and "bayegan reindex" in response.get_json()["message"]
    status = library.status()
    assert status.indexed == 0 and "bayegan reindex" in status.advice_fa
    assert library.reindex() == 3
    assert library.search("پسماند").total == 1 and library.status().indexed == 3


def test_a_large_tantivy_rebuild_analyzes_on_every_core_to_the_same_index(both, tmp_path):
    """Past PARALLEL_FROM documents a rebuild hands its records to worker processes: the index they
    make answers as the one analyzed in this process."""
    from indexer.pipeline.records import document_records
    from indexer.search import tantivy_batches

    whoosh, _ = both
    with whoosh.catalog.session() as session:
        docs = [whoosh.catalog.get(session, doc_id) for doc_id in sorted(whoosh.index.indexed_ids())]
        records = [record for doc in docs for record in document_records(doc)]
    serial = make_index("tantivy", tmp_path / "serial")
    serial.rebuild(records, documents=len(docs))
    assert tantivy_batches.workers_for(tantivy_batches.PARALLEL_FROM) >= 2  # what a large rebuild uses
    parallel = make_index("tantivy", tmp_path / "parallel", analyses=whoosh.analyses)
    with parallel.writer() as w:  # the rebuild's loop, with two worker processes
        for doc in tantivy_batches.documents(records, whoosh.analyses, workers=2):
            w.add(doc)
    assert sorted(parallel.records()) == sorted(serial.records())
    for query in QUERIES:
        a, b = serial.search(query, page_size=50, facets=True), parallel.search(query, page_size=50, facets=True)
        assert _seen(a, True) == _seen(b, True)
    serial.close()
    parallel.close()


def test_tantivy_scores_the_best_records_with_bayegans_bm25(tmp_path):
    """Tantivy's BM25 constants are fixed (k1 1.2, b 0.75): the records a page is chosen from are
    scored again from Tantivy's explanation with the Ranking's k1 and b. With Tantivy's own constants
    the explanation gives back Tantivy's score; with Bayegan's, one word's score is BM25 by hand."""
    import math

    import tantivy

    from indexer.search.engines import make_index
    from indexer.search.query import build
    from indexer.search.schema import text_fields
    from indexer.search.tantivy_bm25 import rescored

    index = make_index("tantivy", tmp_path / "index")
    texts = {"a": "بودجه سازمان پارک‌ها و فضای سبز", "b": "بودجه بودجه بودجه و گزارش بلند " + "کار " * 40,
             "c": "هیأت مدیره سازمان حمل و نقل بودجه را تصویب کرد", "d": "نامه به شهرداری"}
    with index.writer() as writer:
        for key, text in texts.items():
            index.put_records(writer, key, [dict(key=key, doc_id=key, hit_type="document", **text_fields("", text))])
    searcher = index._searcher()
    for text in ["بودجه", "بودجه سازمان", '"هیات مدیره"', "سازمان -پارک", "بود*"]:
        query = index._translate(build(text, analyses=index.analyses, ranking=index.ranking).ranked)
        hits = searcher.search(query, 10).hits
        assert hits
        for score, address in hits:
            assert rescored(query, searcher, address, 1.2, 0.75) == pytest.approx(score, rel=1e-5)
    term = tantivy.Query.term_query(index.schema, "content", "بودجه")
    explained = json.loads(term.explain(searcher, searcher.search(term, 1).hits[0][1]).to_json())
    tf_part = next(d for d in explained["details"] if d["description"].startswith("freq /"))
    known = {d["description"].split(",")[0]: d["value"] for d in tf_part["details"]}
    n, docs = 3, 4  # documents holding the word, documents
    idf = math.log(1 + (docs - n + 0.5) / (n + 0.5))
    by_hand = idf * 3.0 * known["freq"] / (known["freq"] + 2.0 * (0.1 + 0.9 * known["dl"] / known["avgdl"]))
    assert rescored(term, searcher, searcher.search(term, 1).hits[0][1], 2.0, 0.9) == pytest.approx(by_hand, rel=1e-5)
    index.close()
