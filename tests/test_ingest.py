import pytest
import shutil

from indexer.pipeline.ingest import ingest_paths
from indexer.pipeline.watch import InboxWatcher
from scripts.docwriters import write_pdf

pytestmark = pytest.mark.both_engines  # each test on Whoosh and on Tantivy


def ids_for(library, query):
    return [h.doc_id for h in library.search(query).hits if h.hit_type == "document"]


def test_pdf_docx_txt_are_found_by_a_word_of_each(library, sample_dir):
    results = ingest_paths(library, [sample_dir])
    assert [r.status for r in results] == ["indexed"] * 3
    by_name = {r.path.split("/")[-1]: r.id for r in results}
    assert ids_for(library, "اتوبوس") == [by_name["minutes.pdf"]]
    assert ids_for(library, "تفکیک") == [by_name["waste.docx"]]
    assert ids_for(library, "کمیسیون") == [by_name["circular.txt"]]
    # the same words typed with Arabic yeh/kaf, or without their ZWNJ
    assert ids_for(library, "كميسيون") == [by_name["circular.txt"]]
    assert by_name["waste.docx"] in ids_for(library, "جمعآوری")
    assert by_name["minutes.pdf"] in ids_for(library, "هيأتمديره")
    assert ids_for(library, "ميشود") and set(ids_for(library, "ميشود")) <= set(by_name.values())
    # sources are copied, never moved
    assert sorted(p.name for p in sample_dir.iterdir()) == ["circular.txt", "minutes.pdf", "waste.docx"]


def test_same_bytes_twice_is_one_document(library, sample_dir, tmp_path):
    first = ingest_paths(library, [sample_dir / "minutes.pdf"])[0]
    copy = tmp_path / "another-name.pdf"
    shutil.copy(sample_dir / "minutes.pdf", copy)
    again = ingest_paths(library, [copy])[0]
    assert (first.status, again.status) == ("indexed", "duplicate")
    assert again.id == first.id
    assert library.catalog.count() == 1


def test_reindex_after_index_is_deleted_gives_same_ids_and_results(library, sample_dir):
    ingest_paths(library, [sample_dir])
    queries = ["اتوبوس", "پسماند", "صورتجلسات", "هیأت مدیره"]
    before = {q: [(h.key, h.title) for h in library.search(q).hits] for q in queries}
    library.index.close()
    shutil.rmtree(library.index.path)  # the index of the engine in use
    assert library.reindex() == 3
    after = {q: [(h.key, h.title) for h in library.search(q).hits] for q in queries}
    assert after == before
    assert all(before.values())


def test_a_bad_file_fails_and_the_batch_goes_on(library, sample_dir):
    (sample_dir / "empty.txt").write_bytes(b"")
    good = (sample_dir / "minutes.pdf").read_bytes()
    (sample_dir / "corrupt.pdf").write_bytes(good[:300])
    results = {r.path.split("/")[-1]: r for r in ingest_paths(library, [sample_dir])}
    assert results["empty.txt"].status == "failed" and "empty" in results["empty.txt"].error
    assert results["corrupt.pdf"].status == "failed" and "damaged" in results["corrupt.pdf"].error
    assert sum(r.status == "indexed" for r in results.values()) == 3
    assert (sample_dir / "empty.txt").exists() and (sample_dir / "corrupt.pdf").exists()
    assert library.catalog.count() == 3


def test_inbox_files_are_archived_or_moved_to_failed_with_a_reason(library, sample_dir):
    inbox = library.config.inbox_dir
    inbox.mkdir(parents=True)
    for p in sample_dir.iterdir():
        shutil.copy(p, inbox / p.name)
    (inbox / "empty.pdf").write_bytes(b"")
    (inbox / "corrupt.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog")
    (inbox / "sub").mkdir()
    write_pdf(inbox / "sub" / "report.pdf", "گزارش عملکرد سازمان آتش‌نشانی")
    results = InboxWatcher(library).scan_once(wait_for_stable=False)
    assert sorted(r.status for r in results) == ["failed", "failed", "indexed", "indexed", "indexed", "indexed"]
    assert [p for p in inbox.rglob("*") if p.is_file()] == []
    failed = library.config.failed_dir
    assert sorted(p.name for p in failed.iterdir()) == [
        "corrupt.pdf", "corrupt.pdf.reason.txt", "empty.pdf", "empty.pdf.reason.txt"]
    reason = (failed / "empty.pdf.reason.txt").read_text(encoding="utf-8")
    assert "خالی" in reason and "empty" in reason
    assert "خراب" in (failed / "corrupt.pdf.reason.txt").read_text(encoding="utf-8")
    assert ids_for(library, "آتش‌نشانی")
    status = library.status()
    assert (status.documents, status.indexed, status.inbox, status.failed) == (4, 4, 0, 2)


def test_resolutions_are_found_inside_their_document(library, sample_dir):
    ingest_paths(library, [sample_dir / "minutes.pdf"])
    [hit] = library.search("خرید اتوبوس").hits  # the minutes once, not once more per resolution
    resolution = hit.resolutions[0]
    assert resolution.anchor == "r1" and resolution.number == "1"
    assert ">خرید</mark>" in resolution.snippet and ">اتوبوس</mark>" in resolution.snippet
