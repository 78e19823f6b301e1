"""Clerks' corrections: applied over what the text says, kept through reindexing and re-reading the
text, with their history; through the library and the ``bayegan edit`` command."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive import DocumentNotFound
from indexer.cli import cli
from indexer.errors import CorrectionError
from indexer.pipeline.ingest import ingest_paths
from scripts.docwriters import write_docx, write_text

ROOT = Path(__file__).resolve().parent.parent
LETTER = ("بسمه تعالی\nشماره: ۱۲۳۴/ص/۹۸\nتاریخ: ۱۳۹۸/۰۵/۰۲\nاز: سازمان اموال و املاک\n"
          "موضوع: گزارش واگذاری املاک\nبا سلام\nگزارش واگذاری زمین‌ها به پیوست ارسال میشود.")
MINUTES = ["صورتجلسه هیأت‌مدیره سازمان مدیریت پسماند", "جلسه ۴۵ مورخ ۱۵ اردیبهشت ۱۳۹۷",
           "مصوبه ۱: قرارداد جمع‌آوری پسماند تمدید شد.", "مصوبه ۲: خرید دو دستگاه جاروب تصویب شد."]


@pytest.fixture
def letter_id(library, tmp_path):
    write_text(tmp_path / "letter.txt", LETTER)
    (result,) = ingest_paths(library, [tmp_path / "letter.txt"])
    return result.id


def test_a_correction_outlives_reindexing_and_rereading(library, letter_id):
    change = library.correct_document(letter_id, "date", "۱۳۹۸/۵/۳", "clerk1")
    assert (change.old_value, change.new_value) == ("1398-05-02", "1398-05-03")
    library.correct_document(letter_id, "organization", "سازمان پسماند", "clerk1")
    library.correct_document(letter_id, "title", "واگذاری سه قطعه زمین", "clerk2")
    library.reindex()
    library.refresh_metadata([letter_id])
    doc = library.document(letter_id)
    assert doc.date_jalali == "1398-05-03" and str(doc.date_gregorian) == "2019-07-25"
    assert doc.organization == "سازمان مدیریت پسماند"   # the alias became the configured name
    assert doc.title == "واگذاری سه قطعه زمین"
    assert doc.number == "1234/ص/98"                     # not corrected: still read from the text
    hit = library.search("واگذاری year:1398 org:پسماند").hits[0]
    assert hit.doc_id == letter_id and hit.date == "1398-05-03" and hit.title == "واگذاری سه قطعه زمین"


def test_a_correction_outlives_extracting_the_original_again(library, tmp_path):
    write_docx(tmp_path / "m.docx", MINUTES)
    (result,) = ingest_paths(library, [tmp_path / "m.docx"])
    library.correct_document(result.id, "meeting", "۴۶", "clerk")
    library.correct_document(result.id, "organization", "سازمان املاک", "clerk")
    with library.catalog.session() as session:  # as if an earlier extractor had lost the text
        doc = library.catalog.get(session, result.id)
        doc.pages[0].text = "متن ناقص"
        doc.resolutions = []
    library.refresh_metadata([result.id])
    assert library.document(result.id).resolutions == []
    assert library.reextract([result.id]) == 1
    doc = library.document(result.id)
    assert "جاروب" in doc.text and [r.number for r in doc.resolutions] == ["1", "2"]
    assert (doc.meeting, doc.organization, doc.date_jalali) == ("46", "سازمان اموال و املاک", "1397-02-15")
    assert library.search("جاروب").hits[0].resolutions[0].title.startswith("مصوبه ۲ جلسه ۴۶")


def test_history_keeps_who_when_old_and_new(library, letter_id):
    library.correct_document(letter_id, "number", "۱۲۳۵/ص/۹۸", "clerk1")
    library.correct_document(letter_id, "number", "", "clerk2")
    history = library.correction_history(letter_id)
    assert [(c.user, c.old_value, c.new_value) for c in history] == [
        ("clerk1", "1234/ص/98", "1235/ص/98"), ("clerk2", "1235/ص/98", None)]
    assert history[0].at <= history[1].at
    assert library.document(letter_id).number is None


def test_correcting_the_kind_to_minutes_splits_the_resolutions(library, tmp_path):
    write_docx(tmp_path / "m.docx", ["یادداشت جلسه ۴۵ هیأت‌مدیره", *MINUTES[2:]])
    (result,) = ingest_paths(library, [tmp_path / "m.docx"])
    library.correct_document(result.id, "kind", "letter", "clerk")
    assert library.document(result.id).resolutions == []
    library.correct_document(result.id, "kind", "صورتجلسه", "clerk")
    doc = library.document(result.id)
    assert doc.kind == "minutes" and [r.anchor for r in doc.resolutions] == ["r1", "r2"]
    assert library.search("جاروب").hits[0].resolutions[0].anchor == "r2"


@pytest.mark.parametrize("field, value", [("date", "1398/12/30"), ("date", "فردا"), ("kind", "نامعلوم"),
                                          ("color", "قرمز"), ("title", " ")])
def test_impossible_corrections_are_refused(library, letter_id, field, value):
    with pytest.raises(CorrectionError) as err:
        library.correct_document(letter_id, field, value, "clerk")
    assert err.value.message_fa
    assert library.correction_history(letter_id) == []


def test_unknown_document(library):
    with pytest.raises(DocumentNotFound):
        library.correct_document("aaaaaaaaaaaa", "title", "x", "clerk")


def test_edit_command(config, library, letter_id):
    runner = CliRunner()

    def run(*args):
        return runner.invoke(cli, ["--config", str(ROOT / "config.yaml"), *args], obj={},
                             env={"BAYEGAN_DATA_DIR": str(config.data_dir), "USER": "clerk9"})

    result = run("edit", letter_id, "--kind", "report", "--date", "1398/05/10")
    assert result.exit_code == 0, result.output
    assert "kind: letter -> report" in result.output and "date: 1398-05-02 -> 1398-05-10" in result.output
    shown = json.loads(run("show", "--json", letter_id).output)
    assert shown["kind"] == "report" and shown["date"] == "1398-05-10"
    assert "clerk9  kind: letter -> report" in run("edit", letter_id, "--history").output
    bad = run("edit", letter_id, "--date", "1398/13/01", "--user", "clerk8")
    assert bad.exit_code == 1 and "تاریخ شمسی معتبری نیست" in bad.output
    assert run("edit", letter_id).exit_code == 2
    assert run("edit", "aaaaaaaaaaaa", "--title", "x").exit_code == 1
