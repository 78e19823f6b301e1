"""Analysis ahead: on Tantivy the extraction children analyze the texts of a document's index records
and tell the index writer every word they analyzed (:mod:`indexer.search.prepared`,
:class:`indexer.search.persian.SharedWords`), so the writer indexes without loading hazm and the index
holds exactly what it would hold had the writer analyzed itself."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from archive import load_config
from indexer import Library
from indexer.pipeline.ingest import archive_file
from indexer.pipeline.reading import FileReader
from indexer.pipeline.records import document_records, record_texts
from indexer.search import persian
from indexer.search.prepared import PreparedTexts, ahead, pack, text_key
from indexer.search.tantivy_schema import text_values
from tests.conftest import DOCX_LINES, PDF_TEXT, ROOT, TXT_TEXT, write_files

LETTER = ("شهرداری کرمان\nشماره: ۵۷۹۱/ب/۹۶\nتاریخ: ۱۳۹۶/۰۵/۰۲\n"
          "به: سازمان آتش‌نشانی و خدمات ایمنی\nموضوع: گزارش عملکرد سه‌ماهه\n"
          "با سلام، گزارش عملکرد سه‌ماهه آن سازمان تا پایان ماه ارسال شود.")
NO_HEADING = "در این یادداشت نتیجهٔ بازدید از پارک‌های منطقه سه و هزینه‌های نگهداری آن‌ها آمده است که باید بررسی شود."
QUERIES = ["اتوبوس برقی", "هیئت مدیره", "پسماند", "\"خطوط شبانه\"", "۵۷۹۱/ب/۹۶", "گزارش عملکرد",
           "پارکها", "صورتجلسات", "آتش نشانی"]


def _files(folder: Path) -> Path:
    return write_files(folder, {"minutes.pdf": PDF_TEXT, "waste.docx": DOCX_LINES, "circular.txt": TXT_TEXT,
                                "letter.txt": LETTER, "note.txt": NO_HEADING})


SCRIPT = r"""
import json, sys
from archive import load_config
from indexer import Library
from indexer.pipeline.bulk import bulk_ingest
from indexer.search.prepared import PREPARED

config = load_config(sys.argv[1], env={"BAYEGAN_DATA_DIR": sys.argv[2], "BAYEGAN_SEARCH_ENGINE": "tantivy"})
queries = json.loads(sys.argv[4])
library = Library(config)

def hits():
    found = {}
    for q in queries:
        result = library.search(q, page_size=50)
        found[q] = sorted((h.doc_id, h.anchor or "", round(h.score, 4)) for h in result.hits)
    return found

results = bulk_ingest(library, [sys.argv[3]], workers=2)
report = {"statuses": sorted(r.status for r in results), "hazm_loaded": "hazm" in sys.modules,
          "left": len(PREPARED), "ahead": hits()}
memo = library.analyses.memo  # what the writer learned from the children, for processes that only search
report["memo"] = [memo.forms("هیأت‌مدیره"), memo.stem("صورتجلسات"), memo.forms("۱۲۳۴/ص/۹۸")]
report["memo_stopwords"] = sorted(memo.stopwords() or ())
library.reindex()  # the writer analyzes every record itself
report["reindexed"] = hits()
library.close()
print(json.dumps(report, ensure_ascii=False))
"""


def test_bulk_ingest_on_tantivy_indexes_terms_made_ahead_and_never_loads_hazm(tmp_path):
    folder = _files(tmp_path / "in")
    run = subprocess.run([sys.executable, "-c", SCRIPT, str(ROOT / "config.yaml"), str(tmp_path / "data"),
                          str(folder), json.dumps(QUERIES, ensure_ascii=False)],
                         check=False, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["statuses"] == ["indexed"] * 5
    assert report["hazm_loaded"] is False  # every word came analyzed from the children
    assert report["left"] == 0  # every text analyzed ahead was indexed
    assert all(report["ahead"][q] for q in QUERIES), report["ahead"]
    assert report["ahead"] == report["reindexed"]  # the same hits, anchors and scores
    assert report["memo"] == [list(persian.search_forms("هیأت‌مدیره")), persian.stem("صورتجلسات"),
                              list(persian.search_forms("۱۲۳۴/ص/۹۸"))]
    # the function words too: a process that only searches needs no hazm to build a query
    assert report["memo_stopwords"] == sorted(persian.PLAIN.stopwords()) and "از" in report["memo_stopwords"]


def test_the_texts_a_child_analyzes_are_the_texts_the_records_hold(tmp_path):
    """What the child predicts (record_texts, from what it read) is what document_records makes of the
    catalog row, for a minutes file with resolutions, a letter with a subject line, a note without a
    heading."""
    folder = _files(tmp_path / "in")
    config = load_config(ROOT / "config.yaml", env={"BAYEGAN_DATA_DIR": str(tmp_path / "data"),
                                                    "BAYEGAN_SEARCH_ENGINE": "tantivy"})
    library = Library(config)
    try:
        for name in ("minutes.pdf", "waste.docx", "letter.txt", "note.txt"):
            path = folder / name
            reading = FileReader(name, config.organizations, text_values)(str(path))
            texts, short = record_texts(reading.meta, reading.extraction.text)
            assert set(reading.prepared) == {text_key(t) for t in texts}
            result = archive_file(library, path)
            assert result.status == "indexed"
            with library.catalog.session() as session:
                records = document_records(library.catalog.get(session, result.id))
            assert [r["content"] for r in records] == texts
            assert {r["title"] for r in records if r.get("title")} <= set(short)
            if name in ("minutes.pdf", "waste.docx"):
                assert len(records) == 3  # the document and its two resolutions
    finally:
        library.close()


def test_values_made_ahead_are_the_values_and_are_taken_once():
    text = "مصوبات هیأت‌مدیره سازمان پسماند در جلسه ۲۷ تصویب شد و مصوبات قبلی لغو شد"
    made = text_values(persian.WordAnalyses(), text)
    assert made["exact"][:2] == [("مصوبات", 0), ("هیاتمدیره", 1)] and "مصوبه" in made["content"].split()
    prepared = PreparedTexts()
    prepared.put(ahead(text_values, persian.WordAnalyses(), [text, text]))
    assert len(prepared) == 1
    assert prepared.take(text) == made
    assert prepared.take(text) is None
    assert prepared.take("متنی دیگر") is None


def test_prepared_texts_drop_the_oldest_past_their_limit():
    packed = {text_key(str(n)): pack({"exact": [("x" * 100, n)]}) for n in range(10)}
    size = len(next(iter(packed.values())))
    prepared = PreparedTexts(limit_bytes=size * 4)
    prepared.put(packed)
    assert len(prepared) == 4
    assert prepared.take("0") is None and prepared.take("9") == {"exact": [("x" * 100, 9)]}


def test_words_told_are_kept_up_to_a_limit():
    shared = persian.SharedWords()
    shared.LIMIT = 3
    shared.tell({"الف": ("الف",), "ب": ("ب",)}, {"کتابها": "کتاب"})
    assert shared.known("forms", "الف") == ("الف",) and shared.known("stems", "کتابها") == "کتاب"
    assert shared.known("forms", "کتابها") is None
    shared.tell({"پ": ("پ",), "ت": ("ت",)}, {})  # past the limit: the cache starts again
    assert shared.known("forms", "الف") is None and shared.known("forms", "ت") == ("ت",)


def test_a_recording_process_gives_what_it_analyzed_once():
    shared = persian.SharedWords()
    shared.recorded("forms", "هیئت", ("هیئت", "هیات"))
    shared.recorded("stems", "مصوبات", "مصوبه")
    shared.new_stopwords = frozenset({"از", "در"})
    assert shared.take() == ({"هیئت": ("هیئت", "هیات")}, {"مصوبات": "مصوبه"}, frozenset({"از", "در"}))
    assert shared.take() == ({}, {}, None)
    shared.tell({}, {}, frozenset({"از"}))
    assert shared.told_stopwords == frozenset({"از"})
