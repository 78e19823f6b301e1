"""Backup while documents keep arriving, restore into an empty data folder, ``check [--repair]`` on an
archive damaged on purpose, and ``retry`` of failed files: real files, SQLite, Whoosh and the CLI."""
from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive import load_config
from indexer import Library
from indexer.cli import cli
from indexer.pipeline.ingest import archive_file, ingest_paths
from indexer.pipeline.maintenance import backup, check, restore
from scripts.docwriters import write_text

pytestmark = pytest.mark.both_engines  # each test on Whoosh and on Tantivy

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def run(config):
    runner = CliRunner()

    def invoke(*args, data_dir=None):
        return runner.invoke(cli, ["--config", str(ROOT / "config.yaml"), *args], obj={},
                             env={"BAYEGAN_DATA_DIR": str(data_dir or config.data_dir)})
    return invoke


def test_backup_while_documents_arrive_then_restore_elsewhere(config, library, sample_dir, tmp_path):
    ingest_paths(library, [sample_dir])
    arriving = Library(config)  # the running service: its own connections to the same archive
    started, stop = threading.Event(), threading.Event()

    def keep_ingesting() -> None:
        for i in range(40):
            if stop.is_set():
                break
            path = write_text(tmp_path / f"arriving {i}.txt", f"نامه شماره {i} درباره بودجه کد bk{i:02d}z")
            ingest_paths(arriving, [path])
            started.set()

    writer = threading.Thread(target=keep_ingesting)
    writer.start()
    try:
        assert started.wait(60)
        first = backup(library, tmp_path / "backup")
    finally:
        stop.set()
        writer.join()
        arriving.close()
    assert first.documents >= 4 and first.copied == first.documents
    assert json.loads((tmp_path / "backup" / "manifest.json").read_text())["documents"] == first.documents

    again = backup(library, tmp_path / "backup")  # into the same folder: only the new originals
    assert again.documents == library.catalog.count()
    assert again.copied == again.documents - first.documents

    elsewhere = Library(load_config(ROOT / "config.yaml", env={"BAYEGAN_DATA_DIR": str(tmp_path / "restored")}))
    try:
        restored = restore(elsewhere, tmp_path / "backup")
        assert restored.documents == again.documents == elsewhere.catalog.count()
        report = check(elsewhere)
        assert report.ok and not report.orphan_originals, report
        assert elsewhere.search("اتوبوس").total >= 1 and elsewhere.search("bk00z").total == 1
        with pytest.raises(Exception, match="already holds documents"):
            restore(elsewhere, tmp_path / "backup")
    finally:
        elsewhere.close()


def test_check_reports_and_repairs_what_differs(library, sample_dir, tmp_path, run):
    ids = sorted(r.id for r in ingest_paths(library, [sample_dir]))
    assert check(library).ok
    lost, doubled, damaged = ids
    with library.index.writer() as w:
        w.delete_by_term("doc_id", lost)
    from indexer.pipeline.records import document_records

    with library.index.writer() as w:  # records added again without the delete: the document twice
        for record in document_records(library.document(doubled)):
            w.add_document(**record)
        w.add_document(key="d:zzzzzzzzzzzz", doc_id="zzzzzzzzzzzz", hit_type="document", title="ghost")
    stored = library.store.path_for(library.document(damaged).sha256)
    os.chmod(stored, 0o644)
    stored.write_bytes(stored.read_bytes() + b"tampered")
    orphan_source = write_text(tmp_path / "orphan.txt", "بایگانی شده و ثبت نشده")
    orphan = library.store.put(orphan_source)  # a crash between the store and the catalog
    old = time.time() - 7200
    os.utime(library.store.path_for(orphan), (old, old))

    result = run("check")
    assert result.exit_code == 4, result.output
    report = check(library)
    assert (report.index_missing, report.index_duplicated, report.index_extra) == ([lost], [doubled], ["zzzzzzzzzzzz"])
    assert report.originals_damaged == [damaged] and report.orphan_originals == [orphan]

    repaired = run("check", "--repair", "--json")
    assert repaired.exit_code == 4  # the damaged original cannot be repaired here: restore it from a backup
    assert len(json.loads(repaired.output)["repaired"]) == 4
    after = check(library)
    assert not (after.index_missing or after.index_duplicated or after.index_extra or after.orphan_originals)
    assert after.originals_damaged == [damaged]
    for query in ("اتوبوس", "پسماند", "ghost"):
        keys = [h.key for h in library.search(query).hits]
        assert len(keys) == len(set(keys)) and "d:zzzzzzzzzzzz" not in keys


def test_retry_puts_failed_files_back_without_their_reasons(library, run):
    from indexer.pipeline.watch import InboxWatcher

    inbox = library.config.inbox_dir
    inbox.mkdir(parents=True)
    (inbox / "empty.pdf").write_bytes(b"")
    (inbox / "نامه خالی.docx").write_bytes(b"")
    InboxWatcher(library).scan_once(wait_for_stable=False)
    failed = library.config.failed_dir
    assert sorted(p.name for p in failed.iterdir()) == [
        "empty.pdf", "empty.pdf.reason.txt", "نامه خالی.docx", "نامه خالی.docx.reason.txt"]
    status = run("status", "--json")
    assert [f["name"] for f in json.loads(status.output)["failed_files"]] != []
    one = run("retry", "empty.pdf", "../../etc/passwd")
    assert one.exit_code == 0 and "1 files" in one.output
    assert sorted(p.name for p in inbox.iterdir()) == ["empty.pdf"]
    assert run("retry").exit_code == 0
    assert sorted(p.name for p in inbox.iterdir()) == ["empty.pdf", "نامه خالی.docx"]
    assert list(failed.iterdir()) == []


def test_archive_file_is_unchanged_for_plain_callers(library, sample_dir):
    result = archive_file(library, sample_dir / "circular.txt")
    assert result.status == "indexed" and not result.transient
