import os
from pathlib import Path

import pytest

from indexer.pipeline.watch import FileStabilityTracker, InboxWatcher

pytestmark = pytest.mark.both_engines  # each test on Whoosh and on Tantivy


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_file_is_stable_only_after_it_stops_changing():
    clock = Clock()
    tracker = FileStabilityTracker(stable_seconds=2, clock=clock)
    path = Path("inbox/a.pdf")
    assert not tracker.observe(path, 10, 1)
    clock.now += 1
    assert not tracker.observe(path, 20, 2)  # still growing: the wait starts again
    clock.now += 1.5
    assert not tracker.observe(path, 20, 2)
    clock.now += 0.6
    assert tracker.observe(path, 20, 2)


def test_mtime_change_alone_resets_the_wait():
    clock = Clock()
    tracker = FileStabilityTracker(stable_seconds=1, clock=clock)
    path = Path("a")
    tracker.observe(path, 5, 1)
    clock.now += 2
    assert not tracker.observe(path, 5, 9)
    clock.now += 1
    assert tracker.observe(path, 5, 9)


def test_watcher_waits_for_a_file_being_written(library):
    clock = Clock()
    watcher = InboxWatcher(library, clock=clock)
    inbox = library.config.inbox_dir
    inbox.mkdir(parents=True)
    growing = inbox / "letter.txt"
    growing.write_text("نامه به سازمان", encoding="utf-8")
    assert watcher.scan_once() == []
    with open(growing, "a", encoding="utf-8") as fh:
        fh.write(" پسماند درباره قرارداد")
    clock.now += 1
    assert watcher.scan_once() == []
    clock.now += library.config.ingest.stable_seconds
    results = watcher.scan_once()
    assert [r.status for r in results] == ["indexed"]
    assert not growing.exists()
    assert "قرارداد" in library.document(results[0].id).text


def test_a_slow_writer_paced_by_the_test_is_taken_once_whole(library):
    """16 steps, each a little shorter than ``stable_seconds`` on the watcher's clock: the file is
    taken only once the writer stops, however long the whole copy takes."""
    clock = Clock()
    watcher = InboxWatcher(library, clock=clock)
    inbox = library.config.inbox_dir
    inbox.mkdir(parents=True)
    chunks = [f"بند {i}: متن کامل قرارداد نگهداری فضای سبز بخش {i}\n" for i in range(16)]
    with open(inbox / "slow copy.txt", "w", encoding="utf-8") as fh:
        for chunk in chunks:
            fh.write(chunk)
            fh.flush()
            assert watcher.scan_once() == []
            clock.now += 0.9 * library.config.ingest.stable_seconds
    assert watcher.scan_once() == []          # unchanged, but not for long enough yet
    clock.now += library.config.ingest.stable_seconds
    [result] = watcher.scan_once()
    assert result.status == "indexed" and not (inbox / "slow copy.txt").exists()
    assert library.document(result.id).text.strip() == "".join(chunks).strip()
    assert library.catalog.count() == 1


def test_a_file_locked_by_its_writer_is_not_ready(tmp_path):
    import fcntl

    from indexer.pipeline.watch import is_ready

    path = tmp_path / "copying.docx"
    path.write_bytes(b"PK partial")
    assert is_ready(path)
    with open(path, "r+b") as writer:
        fcntl.flock(writer.fileno(), fcntl.LOCK_EX)
        # the lock belongs to this open file description; a second one (as the watcher opens) is refused
        assert not is_ready(path)
    assert is_ready(path)
    assert not is_ready(tmp_path / "gone.pdf")


def test_copies_in_progress_and_hidden_files_are_not_candidates():
    from indexer.pipeline.watch import is_candidate

    assert is_candidate("صورتجلسه ۱۲.pdf")
    assert is_candidate("نامه 'سازمان' \"پسماند\".docx")
    for name in (".hidden.pdf", "~$letter.docx", "scan.pdf.part", "big.PDF.crdownload", "x.tmp"):
        assert not is_candidate(name), name


def test_subfolder_rules_set_organization_and_kind_inner_folder_wins():
    from pathlib import PurePosixPath

    from archive.config import FolderRule
    from indexer.pipeline.inbox import folder_overrides

    rules = (FolderRule("پسماند", organization="سازمان مدیریت پسماند"),
             FolderRule("Minutes", kind="minutes"),
             FolderRule("نامه‌ها", kind="letter"))
    assert folder_overrides(PurePosixPath("پسماند/minutes/a.pdf"), rules) == {
        "organization": "سازمان مدیریت پسماند", "kind": "minutes"}
    assert folder_overrides(PurePosixPath("minutes/نامه‌ها/a.pdf"), rules) == {"kind": "letter"}
    assert folder_overrides(PurePosixPath("other/a.pdf"), rules) == {}
    assert folder_overrides(PurePosixPath("پسماند.pdf"), rules) == {}  # a file's own name is no folder


def test_retry_waits_double_then_give_up():
    from indexer.pipeline.inbox import RetryPolicy

    policy = RetryPolicy(retries=3, backoff_s=5)
    assert [policy.delay(n) for n in (1, 2, 3, 4)] == [5, 10, 20, None]
    assert RetryPolicy(retries=0, backoff_s=5).delay(1) is None


def test_folder_rules_config_is_checked(tmp_path):
    import pytest

    from archive import ConfigError, load_config

    good = tmp_path / "good.yaml"
    good.write_text("ingest:\n  watch_mode: polling\n  folder_rules:\n    پسماند: {organization: سازمان مدیریت پسماند}\n"
                    "    minutes: {kind: minutes}\n", encoding="utf-8")
    config = load_config(good, env={})
    assert config.ingest.watch_mode == "polling"
    assert [(r.folder, r.organization, r.kind) for r in config.ingest.folder_rules] == [
        ("پسماند", "سازمان مدیریت پسماند", None), ("minutes", None, "minutes")]
    for text in ("ingest:\n  watch_mode: smb\n", "ingest:\n  folder_rules: [a]\n",
                 "ingest:\n  folder_rules:\n    x: {kind: poem}\n", "ingest:\n  folder_rules:\n    x: {colour: red}\n"):
        bad = tmp_path / "bad.yaml"
        bad.write_text(text, encoding="utf-8")
        with pytest.raises(ConfigError):
            load_config(bad, env={})


def _library_with(config, **ingest):
    from dataclasses import replace

    from indexer import Library

    return Library(replace(config, ingest=replace(config.ingest, **ingest)))


def test_subfolder_files_are_taken_with_their_folder_rule(config, tmp_path):
    from archive.config import FolderRule
    from scripts.docwriters import write_text

    library = _library_with(config, stable_seconds=0,
                            folder_rules=(FolderRule("پسماند", organization="سازمان مدیریت پسماند",
                                                     kind="minutes"),))
    try:
        inbox = config.inbox_dir
        (inbox / "پسماند" / "۱۴۰۲").mkdir(parents=True)
        (inbox / "other").mkdir()
        write_text(inbox / "پسماند" / "۱۴۰۲" / "a.txt", "گزارش بازدید از ایستگاه انتقال زباله")
        write_text(inbox / "other" / "b.txt", "نامه درباره تعمیر اتوبوس")
        results = InboxWatcher(library).run_once()
        assert sorted(r.status for r in results) == ["indexed", "indexed"]
        by_name = {Path(r.path).name: library.document(r.id) for r in results}
        assert (by_name["a.txt"].organization, by_name["a.txt"].kind) == ("سازمان مدیریت پسماند", "minutes")
        assert by_name["b.txt"].organization != "سازمان مدیریت پسماند"
        assert [p for p in inbox.rglob("*") if p.is_file()] == []
        hits = library.search("org:پسماند زباله").hits
        assert [h.doc_id for h in hits if h.hit_type == "document"] == [by_name["a.txt"].id]
    finally:
        library.close()


def test_a_locked_file_waits_until_its_writer_lets_go(config):
    import fcntl

    from scripts.docwriters import write_text

    library = _library_with(config, stable_seconds=0)
    try:
        config.inbox_dir.mkdir(parents=True)
        path = write_text(config.inbox_dir / "locked.txt", "نامه اداری درباره بودجه")
        watcher = InboxWatcher(library)
        with open(path, "r+b") as writer:
            fcntl.flock(writer.fileno(), fcntl.LOCK_EX)
            assert watcher.scan_once() == []
            assert path.exists()
        assert [r.status for r in watcher.scan_once()] == ["indexed"]
        assert not path.exists()
    finally:
        library.close()


def test_a_transient_failure_is_retried_with_backoff_then_failed_with_its_reason(config):
    from scripts.scanwriters import render_text

    clock = Clock()
    # A full scanned page takes Tesseract seconds of CPU; a time limit of half a second stops every
    # try: the transient failure of a slow OCR. (A limit of 0 s was not enough: on a loaded machine a
    # short text file could be read before the first look at the pipe.)
    library = _library_with(config, stable_seconds=0, retries=2, retry_backoff_s=10, extract_timeout_s=0.5)
    try:
        config.inbox_dir.mkdir(parents=True)
        page = "\n".join(["نامه اداری درباره بودجه سال ۱۳۹۸ سازمان پسماند و پیگیری مصوبات هیأت‌مدیره"] * 30)
        path = config.inbox_dir / "slow scan.png"
        render_text(page, dpi=300).save(path)
        watcher = InboxWatcher(library, clock=clock)
        assert watcher.scan_once() == []          # first try failed: waits 10 s
        clock.now += 9
        assert watcher.scan_once() == [] and path.exists()
        clock.now += 1
        assert watcher.scan_once() == []          # second try failed: waits 20 s
        clock.now += 20
        [failed] = watcher.scan_once()            # third try failed: given up
        assert failed.status == "failed" and "longer than" in failed.error
        assert not path.exists()
        reason = (config.failed_dir / "slow scan.png.reason.txt").read_text(encoding="utf-8").splitlines()
        assert "طول کشید" in reason[0] and "longer than" in reason[1]
        status = library.status()
        assert status.failed == 1 and status.failed_files[0].name == "slow scan.png"
        assert status.last_errors[0].state == "failed" and status.last_errors[0].attempts == 3  # tries
        assert status.inbox == 0 and status.in_progress == 0
    finally:
        library.close()
