"""Suggestions (indexer/suggest.py and Library.suggest) on a real archive: organizations and their
aliases, titles, resolution titles and indexed words, folded as search folds."""
from pathlib import Path

import pytest

from indexer.pipeline.ingest import ingest_paths
from indexer.search.suggest import Suggestion, TitleEntry, TitleList, fold_glued, merge
from scripts.docwriters import write_pdf, write_text

pytestmark = pytest.mark.both_engines  # each test on Whoosh and on Tantivy

ARABIC = str.maketrans({"ی": "ي", "ک": "ك"})


@pytest.fixture
def archive(library, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    write_pdf(folder / "bus.pdf", ["صورتجلسه هیأت‌مدیره سازمان حمل و نقل همگانی\nجلسه ۲۷ تاریخ: ۱۳۹۸/۰۳/۱۱\n"
                                   "مصوبه ۱: خرید بیست دستگاه اتوبوس برقی تصویب شد.",
                                   "پیوست: فهرست خطوط اتوبوس شبانه"])
    write_text(folder / "letter.txt", "نامه سازمان حمل و نقل همگانی\nتاریخ: ۱۴۰۰/۰۵/۲۰\n"
                                      "موضوع: خرید اتوبوس برقی و ایستگاه شارژ")
    write_text(folder / "waste.txt", "صورتجلسه سازمان مدیریت پسماند\nجلسه ۱۲ تاریخ: ۱۴۰۱/۰۱/۱۵\n"
                                     "مصوبه ۱: اجاره یک دستگاه لودر تصویب شد.")
    return {Path(r.path).name: r.id for r in ingest_paths(library, [folder])}


def test_fold_glues_words_and_unifies_letters():
    assert fold_glued("سازمان حمل")[0] == fold_glued("سازمانحمل")[0] == fold_glued("سازمان حمل".translate(ARABIC))[0]
    assert fold_glued("هیأت‌مدیره")[0] == fold_glued("هيئت مديره")[0] == fold_glued("هیات مدیره")[0]
    assert fold_glued("جلسه ۲۷")[0] == fold_glued("جلسه 27")[0]
    assert fold_glued("سازمان حمل")[1] == (0, 6)


def test_title_list_matches_word_beginnings_first_at_the_start():
    titles = TitleList([TitleEntry("نامه سازمان حمل و نقل", "a"), TitleEntry("سازمان حمل و نقل", "b"),
                        TitleEntry("مصوبه ۲ جلسه ۲۷ سازمان حمل", "c", anchor="r2"),
                        TitleEntry("برنامه‌ریزی", "d")])
    found = titles.find(fold_glued("سازمان حمل")[0], 8)
    assert [e.doc_id for e in found] == ["b", "a"]      # a resolution title only from its start
    assert titles.find(fold_glued("نامه")[0], 8)[0].doc_id == "a"   # not inside برنامه
    assert [e.doc_id for e in titles.find(fold_glued("مصوبه ۲")[0], 8)] == ["c"]


def test_merge_gives_each_kind_a_share_and_drops_repeats():
    groups = {"organization": [Suggestion(f"o{i}", "organization") for i in range(5)],
              "title": [Suggestion(f"t{i}", "title") for i in range(5)],
              "word": [Suggestion("o0", "word"), Suggestion("w1", "word")]}
    merged = merge(groups, 8)
    assert len(merged) <= 8 and [s.kind for s in merged][:2] == ["organization", "organization"]
    assert {"t0", "t1", "w1"} <= {s.text for s in merged}
    assert [s.text for s in merged].count("o0") == 1


@pytest.mark.parametrize("typed", ["سازمان حمل", "سازمان حمل".translate(ARABIC), "سازمانحمل"])
def test_organization_and_titles_whatever_the_spelling(library, archive, typed):
    found = library.suggest(typed)
    assert found[0] == Suggestion("سازمان حمل و نقل همگانی", "organization",
                                  organization="سازمان حمل و نقل همگانی")
    titles = {s.text: s.doc_id for s in found if s.kind == "title"}
    assert titles["نامه سازمان حمل و نقل همگانی"] == archive["letter.txt"]
    assert titles["صورتجلسه هیأت‌مدیره سازمان حمل و نقل همگانی"] == archive["bus.pdf"]
    assert len(found) <= 8


def test_words_complete_the_last_word_typed(library, archive):
    found = library.suggest("خرید اتو")
    words = [s.text for s in found if s.kind == "word"]
    assert words[0] == "خرید اتوبوس"


def test_resolution_titles_lead_to_their_anchor(library, archive):
    found = [s for s in library.suggest("مصوبه ۱ جلسه ۲۷") if s.kind == "title"]
    assert (found[0].doc_id, found[0].anchor) == (archive["bus.pdf"], "r1")


def test_short_or_unknown_prefixes_suggest_nothing(library, archive):
    assert library.suggest("س") == []
    assert library.suggest("   ") == []
    assert library.suggest("ژژژژ") == []


def test_titles_follow_the_index(library, archive, tmp_path):
    assert not [s for s in library.suggest("گلخانه") if s.kind == "title"]
    write_text(tmp_path / "green.txt", "گلخانه بوستان مادر\nتاریخ: ۱۴۰۲/۰۱/۱۰\nاحداث گلخانه")
    ingest_paths(library, [tmp_path / "green.txt"])
    assert [s.text for s in library.suggest("گلخانه") if s.kind == "title"] == ["گلخانه بوستان مادر"]
