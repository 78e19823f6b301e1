"""The ingest journal and the decisions taken from it after a crash, each crash point set up for real:
the steps before it done through the real store, catalog and index, the ones after it not."""
from __future__ import annotations

import pytest

from archive import document_id_for, hash_file
from indexer.pipeline.inbox import InboxProcessor
from indexer.pipeline.ingest import archive_file
from indexer.pipeline.journal import ARCHIVED, EXTRACTED, FAILING, IngestJournal
from indexer.pipeline.maintenance import catch_up_index, index_lexicon_ids
from indexer.pipeline.watch import InboxWatcher
from scripts.docwriters import write_text

pytestmark = pytest.mark.both_engines  # each test on Whoosh and on Tantivy


def inbox_file(library, name="letter.txt", text="نامه سازمان پسماند درباره قرارداد جمع‌آوری"):
    library.config.inbox_dir.mkdir(parents=True, exist_ok=True)
    return write_text(library.config.inbox_dir / name, text)


def test_a_new_file_goes_received_archived_extracted_indexed(library):
    path = inbox_file(library)
    processor = InboxProcessor(library)
    assert processor.take(path) is None           # archived; its report waits for the index commit
    journal = IngestJournal(library.catalog)
    [entry] = journal.entries((EXTRACTED,))
    assert entry.path == "letter.txt" and entry.sha256 == hash_file(library.store.path_for(entry.sha256))
    assert not path.exists()                      # removed once recorded, before the index commit
    assert library.status().in_progress == 1
    [result] = processor.flush()
    assert result.status == "indexed" and result.id == entry.document_id
    assert journal.counts() == {"indexed": 1}
    assert library.status().in_progress == 0


def test_killed_after_the_catalog_commit_the_file_is_finished_as_itself_not_a_duplicate(library):
    path = inbox_file(library)
    journal = IngestJournal(library.catalog)
    entry = journal.begin("letter.txt", path.stat().st_size, path.stat().st_mtime_ns)
    # the first run got as far as the catalog commit, then died: the inbox copy is still there
    first = archive_file(library, path, on_stored=lambda sha: journal.advance(entry.id, ARCHIVED, sha256=sha))
    assert first.status == "indexed" and path.exists()
    assert library.index.exists() is False or first.id not in index_lexicon_ids(library)

    results = InboxWatcher(library).scan_once(wait_for_stable=False)
    assert [(r.status, r.id) for r in results] == [("indexed", first.id)]
    assert not path.exists()
    assert [h.doc_id for h in library.search("قرارداد").hits] == [first.id]
    assert journal.counts() == {"indexed": 1}


def test_the_same_bytes_dropped_again_later_are_a_duplicate_naming_the_original(library):
    watcher = InboxWatcher(library)
    inbox_file(library, "first.txt")
    [first] = watcher.scan_once(wait_for_stable=False)
    inbox_file(library, "copy of first.txt")
    [again] = watcher.scan_once(wait_for_stable=False)
    assert (first.status, again.status, again.id) == ("indexed", "duplicate", first.id)
    assert not (library.config.inbox_dir / "copy of first.txt").exists()
    recent = library.status().recent
    assert (recent[0].path, recent[0].state, recent[0].document_id) == ("copy of first.txt", "duplicate", first.id)


def test_killed_before_the_index_commit_the_next_start_indexes_what_left_the_inbox(library):
    path = inbox_file(library)
    processor = InboxProcessor(library)
    processor.take(path)                          # archived and removed from the inbox; then killed
    doc_id = document_id_for(hash_file(library.store.path_for(
        IngestJournal(library.catalog).entries((EXTRACTED,))[0].sha256)))
    assert library.search("قرارداد").total == 0

    results = InboxProcessor(library).recover()   # the next start
    assert [(r.status, r.id) for r in results] == [("indexed", doc_id)]
    assert [h.doc_id for h in library.search("قرارداد").hits] == [doc_id]


def test_killed_while_moving_to_failed_and_files_that_left_the_inbox(library):
    journal = IngestJournal(library.catalog)
    library.config.failed_dir.mkdir(parents=True)
    (library.config.failed_dir / "bad.pdf").write_bytes(b"%PDF-")
    moving = journal.begin("bad.pdf", 5, 1)
    journal.advance(moving.id, FAILING, failed_name="bad.pdf", error="damaged", error_fa="خراب")
    taken_back = journal.begin("sub/taken back.txt", 10, 1)
    InboxProcessor(library).recover()
    states = {e.path: e.state for e in journal.recent()}
    assert states == {"bad.pdf": "failed", "sub/taken back.txt": "gone"}
    assert taken_back.id != moving.id


def test_catch_up_indexes_catalog_documents_the_index_lacks(library, sample_dir):
    ids = [archive_file(library, p).id for p in sorted(sample_dir.iterdir())]  # catalog only
    assert index_lexicon_ids(library) == set()
    assert catch_up_index(library) == 3
    assert index_lexicon_ids(library) == set(ids)
    assert catch_up_index(library) == 0
