from pathlib import Path

from indexer.watch import FileStabilityTracker, InboxWatcher


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
