"""Resolutions as their own records: splitting minutes, anchors, search hits, references from letters
and the letters that followed a resolution up, through real files, the catalog, the index and the API."""
from __future__ import annotations

import pytest

from indexer.metadata.decisions import anchors_for
from indexer.pipeline.ingest import ingest_paths
from indexer.metadata.resolutions import read_references, read_resolutions
from indexer.metadata.text import display, prepare
from scripts.docwriters import write_docx, write_pdf, write_text

pytestmark = pytest.mark.both_engines  # each test on Whoosh and on Tantivy

MINUTES_27 = ("صورتجلسه هیأت‌مدیره سازمان حمل و نقل همگانی\n"
              "جلسه ۲۷ — تاریخ: ۱۳۹۸/۰۳/۱۱\n"
              "حاضران:\n۱- آقای احمدی\n۲- خانم کریمی\n"
              "مصوبه ۱: گزارش مدیرعامل درباره ناوگان شنیده شد.\n"
              "مصوبه ۲: خرید بیست دستگاه اتوبوس برقی از محل اعتبارات عمرانی تصویب شد.\n"
              "مصوبه ۳: ساعات کار خطوط شبانه تمدید می‌شود.\n"
              "امضای اعضای هیأت‌مدیره")
MINUTES_22 = ("صورتجلسه هیأت‌مدیره سازمان اموال و املاک\nبیست و دومین جلسه مورخ ۱۳۹۸/۰۲/۰۴\n"
              "مصوبات:\n۱- اجاره غرفه‌های بازار تمدید شد.\n۲- ارزیابی سه قطعه زمین به کارشناس رسمی سپرده شد.\n"
              "۳- واگذاری سه قطعه زمین تجاری با مزایده تصویب شد.")
LETTER = ("بسمه تعالی\nشماره: ۱۲۳۴/ص/۹۸\nتاریخ: ۱۳۹۸/۰۵/۰۲\nاز: سازمان اموال و املاک\n"
          "موضوع: گزارش واگذاری املاک\nبا سلام\nبازگشت به مصوبه شماره ۳ جلسه ۲۲ هیأت‌مدیره، گزارش "
          "واگذاری زمین‌ها به پیوست ارسال میشود.\nمدیرعامل سازمان اموال و املاک")


def split(text: str) -> list[tuple[str, str]]:
    return [(r.number, r.text) for r in read_resolutions(display(text))]


def test_explicit_resolutions_skip_those_present_and_stop_at_the_signatures():
    found = split(MINUTES_27)
    assert [n for n, _ in found] == ["1", "2", "3"]
    assert found[1][1].startswith("خرید بیست دستگاه اتوبوس")
    assert "امضای" not in found[2][1]


@pytest.mark.parametrize("text, numbers", [
    ("صورتجلسه\nمصوبه یک: الف\nمصوبه دو: ب\nمصوبه سوم: ج", ["1", "2", "3"]),
    ("صورتجلسه\nمصوبه‌ی ۱ - یک کار\nمصوبه‌ی ۲ - کار دیگر", ["1", "2"]),
    ("صورتجلسه\nدستور جلسه:\n۱- بودجه\n۲- خرید\nمصوبات:\n۱- بودجه تصویب شد.\n۲- خرید رد شد.\n"
     "۳. تمدید قرارداد تصویب شد.", ["1", "2", "3"]),
    ("صورتجلسه\nبند الف: بودجه تصویب شد.\nبند ب: خرید رد شد.", ["الف", "ب"]),
    ("صورتجلسه\nحاضرین:\n۱- آقای الف\n۲- آقای ب\nپس از بحث:\n۱) بودجه تصویب شد.\n۲) خرید رد شد.",
     ["1", "2"]),
    ("گزارش\nمتن بدون شماره", []),
    # a scan read by OCR: in many fonts ۱ is a bare stroke, and Tesseract takes it for alef
    ("صورتجلسه\nمصوبه ا: خرید تصویب شد.\nمصوبه ۲: قرارداد تمدید شد.", ["1", "2"]),
])
def test_resolution_markers(text, numbers):
    assert [n for n, _ in split(text)] == numbers


def test_resolution_text_keeps_its_spelling():
    (_, text), = split("صورتجلسه\nمصوبه ۱: خرید ۲۰ دستگاه اتوبوس‌های برقی")
    assert text == "خرید ۲۰ دستگاه اتوبوس‌های برقی"


def test_anchors_are_the_numbers_when_they_are_plain_and_distinct():
    assert anchors_for(["1", "2", "5"]) == ["r1", "r2", "r5"]
    assert anchors_for(["الف", "ب"]) == ["r1", "r2"]
    assert anchors_for(["1", "1"]) == ["r1", "r2"]


def test_references_to_a_resolution_of_a_meeting():
    refs = read_references(prepare("پیرو مصوبه ۴ جلسه بیست و دوم هیأت‌مدیره سازمان اموال و املاک و "
                                   "بازگشت به مصوبه شماره ۳ صورتجلسه شماره ۱۸"))
    assert [(r.resolution_number, r.meeting) for r in refs] == [("4", "22"), ("3", "18")]
    assert "سازمان اموال و املاک" in refs[0].organization_text


def test_minutes_may_follow_up_a_resolution_of_an_earlier_meeting(config):
    from indexer.metadata import read_metadata

    m = read_metadata("صورتجلسه هیأت‌مدیره سازمان حمل و نقل همگانی\nجلسه ۲۸ تاریخ: ۱۳۹۸/۰۴/۰۱\n"
                      "مصوبه ۱: در اجرای مصوبه ۲ جلسه ۲۷ قرارداد خرید اتوبوس امضا شد.", "m", config.organizations)
    assert (m.kind, m.meeting, len(m.resolutions)) == ("minutes", "28", 1)
    assert [(r.resolution_number, r.meeting) for r in m.references] == [("2", "27")]


@pytest.fixture
def archived(library, tmp_path):
    """Minutes 27 (PDF), minutes 22 (DOCX) and a letter that follows up resolution 3 of meeting 22."""
    folder = tmp_path / "in"
    folder.mkdir()
    write_pdf(folder / "minutes-27.pdf", MINUTES_27)
    write_docx(folder / "minutes-22.docx", MINUTES_22.splitlines())
    write_text(folder / "letter.txt", LETTER, encoding="cp1256")
    results = {r.path.rsplit("/", 1)[1]: r for r in ingest_paths(library, [folder])}
    assert all(r.status == "indexed" for r in results.values())
    return {name: r.id for name, r in results.items()}


def test_a_search_finds_the_resolution_inside_its_document(library, archived):
    results = library.search("خرید اتوبوس")
    hit = results.hits[0]
    assert hit.hit_type == "document" and hit.doc_id == archived["minutes-27.pdf"] and hit.anchor is None
    assert [h.doc_id for h in results.hits].count(hit.doc_id) == 1
    resolution = hit.resolutions[0]  # the best of its matching resolutions first
    assert (resolution.anchor, resolution.number) == ("r2", "2") and hit.resolution_count >= 1
    assert resolution.title.startswith("مصوبه ۲ جلسه ۲۷ هیأت‌مدیره سازمان حمل و نقل همگانی")
    assert "<mark>اتوبوس</mark>" in resolution.snippet
    # the document ranks by its best record: the resolution's own score
    assert hit.score == max(r.score for r in hit.resolutions)


def test_resolution_records_in_the_catalog(library, archived):
    doc = library.document(archived["minutes-22.docx"])
    assert (doc.kind, doc.meeting, doc.date_jalali) == ("minutes", "22", "1398-02-04")
    assert [(r.number, r.anchor) for r in doc.resolutions] == [("1", "r1"), ("2", "r2"), ("3", "r3")]


def test_a_letter_links_to_the_resolution_it_follows_up(library, archived):
    references, followups = library.decisions(archived["letter.txt"])
    (ref,) = references
    assert ref.target.id == archived["minutes-22.docx"] and ref.anchor == "r3"
    assert followups == {}
    _, followups = library.decisions(archived["minutes-22.docx"])
    assert [d.id for d in followups["r3"]] == [archived["letter.txt"]]
    _, other = library.decisions(archived["minutes-27.pdf"])
    assert other == {}


def test_a_letter_filed_before_its_minutes_is_linked_when_they_arrive(library, tmp_path):
    write_text(tmp_path / "letter.txt", LETTER)
    (letter,) = ingest_paths(library, [tmp_path / "letter.txt"])
    assert library.decisions(letter.id)[0][0].target is None
    write_docx(tmp_path / "minutes-22.docx", MINUTES_22.splitlines())
    (minutes,) = ingest_paths(library, [tmp_path / "minutes-22.docx"])
    assert library.decisions(letter.id)[0][0].target.id == minutes.id


def test_facets_count_every_document_the_query_finds(library, archived):
    results = library.search("سازمان", page_size=1, facets=True)
    assert len(results.hits) == 1 and results.total == 3  # two minutes and the letter, each once
    kinds = dict(results.facets["kind"])
    assert kinds == {"letter": 1, "minutes": 2}
    assert dict(results.facets["year"]) == {"1398": 3}
    orgs = dict(results.facets["organization"])
    assert orgs["سازمان اموال و املاک"] == 2  # minutes 22 and the letter, not their resolutions
    assert library.search("سازمان").facets == {}  # counted only when asked (the API asks)
    filtered = library.search("سازمان kind:letter", facets=True)
    assert dict(filtered.facets["kind"]) == {"letter": 1}


def test_the_migration_gives_existing_resolutions_their_anchors(tmp_path):
    import sqlite3

    from alembic import command
    from alembic.config import Config as AlembicConfig
    from sqlalchemy import create_engine

    from archive.catalog import MIGRATIONS

    engine = create_engine(f"sqlite:///{tmp_path / 'c.sqlite3'}")
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "0004-1")  # just before the metadata migration
        connection.exec_driver_sql(
            "insert into documents (id, sha256, filename, mime, size, title, kind, kind_reasons, added_at,"
            " updated_at) values ('aaaaaaaaaaaa', 'a', 'm.pdf', 'application/pdf', 1, 't', 'minutes', '[]',"
            " '2026-01-01', '2026-01-01')")
        connection.exec_driver_sql("insert into resolutions (document_id, ordinal, number, text)"
                                   " values ('aaaaaaaaaaaa', 2, '5', 'x')")
        command.upgrade(cfg, "head")
    engine.dispose()
    with sqlite3.connect(tmp_path / "c.sqlite3") as db:
        assert db.execute("select anchor from resolutions").fetchall() == [("r2",)]
        assert db.execute("select organizations, meeting from documents").fetchall() == [("[]", None)]
    db.close()
