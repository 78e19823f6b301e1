"""A query naming a configured organization, by its name or an alias however typed, finds that
organization's documents even where their text names it otherwise («سازمان فاوا» → the letters of
«سازمان فناوری اطلاعات و ارتباطات»). Real files ingested into a real catalog and index."""
from __future__ import annotations

import pytest

from conftest import ingest_texts

pytestmark = pytest.mark.both_engines  # each test on Whoosh and on Tantivy

FILES = {
    # the organization's letter: its letterhead names it in full, never «فاوا»
    "cyber.txt": "سازمان فناوری اطلاعات و ارتباطات شهرداری کرمان\nشماره: ۳۱۰۷/ف/۱۴۰۱\nتاریخ: ۱۴۰۱/۰۹/۰۱\n"
                 "موضوع: هشدار امنیتی حملات باج‌افزار\nبا سلام، همه کاربران گذرواژه خود را تغییر دهند.",
    # other organizations' documents, saying «سازمان» often
    "waste.txt": "سازمان مدیریت پسماند شهرداری کرمان\nموضوع: گزارش سازمان\nسازمان پسماند و سازمان عمران "
                 "در جلسه سازمان‌ها شرکت کردند و سازمان‌ها گزارش دادند.",
    "fire.txt": "سازمان آتش‌نشانی و خدمات ایمنی\nموضوع: آموزش سازمان\nدوره آموزش سازمان برگزار شد.",
}


def _ingest(library, folder):
    return ingest_texts(library, folder, FILES)


def test_an_alias_in_the_query_finds_the_organizations_documents(library, tmp_path):
    ids = _ingest(library, tmp_path / "in")
    for query in ("سازمان فاوا", "سازمان فاوا", "سازمان  فاوا"):
        hits = library.search(query).hits
        assert hits and hits[0].doc_id == ids["cyber.txt"], query
    # a word of the query beside the alias still counts: the organization's documents holding it first
    assert library.search("سازمان فاوا گذرواژه").hits[0].doc_id == ids["cyber.txt"]
    assert library.search("سازمان فاوا پسماند").hits[0].doc_id in (ids["cyber.txt"], ids["waste.txt"])


def test_without_an_organizations_name_nothing_is_added(library, tmp_path):
    ids = _ingest(library, tmp_path / "in")
    assert [h.doc_id for h in library.search("فاوا").hits] == []   # an alias's word alone names nothing
    assert ids["cyber.txt"] not in [h.doc_id for h in library.search("پسماند").hits]


def test_names_are_found_however_typed():
    from indexer.search.organizations import OrganizationNames

    names = OrganizationNames([("سازمان آتش‌نشانی و خدمات ایمنی", ("سازمان آتش‌نشانی",)),
                               ("سازمان سیما، منظر و فضای سبز شهری", ("سازمان سیما و منظر",))])
    fire = "سازمان آتش‌نشانی و خدمات ایمنی"
    for typed in ("سازمان آتشنشانی", "سازمان آتش نشانی", "سازمان آتش‌نشانی"):
        assert names.named(f"گزارش {typed} ۱۴۰۱") == ((fire, typed),)
    assert names.named("هيئت مديره سازمان سيما و منظر")[0][0] == "سازمان سیما، منظر و فضای سبز شهری"
    assert names.named("آتش‌نشانی") == () and names.named("") == ()
