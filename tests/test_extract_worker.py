"""The extraction children: one child reads file after file, and a file that hangs, kills its reader
or trips a reader's bug costs only itself; a child's temporary files go with it."""
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from indexer.errors import CorruptFile, ExtractionError, ExtractionTimeout
from indexer.extract import extract_in_worker
from indexer.extract.worker import close_readers, readers_at_most
from scripts.docwriters import write_docx
from tests.conftest import poll_until


def child_pid(path: str) -> int:
    return os.getpid()


def child_pid_when_released(path: str) -> int:
    """Say this child holds a file, then keep it until the test writes ``release``."""
    Path(path, f"holding-{os.getpid()}").touch()
    assert poll_until(lambda: Path(path, "release").exists(), every_s=0.05)
    return os.getpid()


def hang_in_a_temp_folder(path: str) -> None:
    """Make a temporary folder with a file in it (as OCR does for page images), say where, then hang
    for good (an event nobody sets)."""
    folder = tempfile.mkdtemp(prefix="bayegan-pages-")
    Path(folder, "page-00000.pgm").write_bytes(b"P5 1 1 255 \0")
    Path(path).write_text(folder)
    threading.Event().wait()


def frozen_objects(path: str) -> int:
    import gc

    return gc.get_freeze_count()


def die(path: str) -> None:
    os._exit(3)


def trip(path: str) -> None:
    raise ValueError("a reader's bug")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "zombie" not in status.read_text()


def _wait_gone(pid: int) -> bool:
    return bool(poll_until(lambda: not _alive(pid), deadline_s=60, every_s=0.05))


def test_one_child_reads_file_after_file(tmp_path):
    docx = write_docx(tmp_path / "letter.docx", ["نامهٔ شمارهٔ ۱۲۳ دربارهٔ مصوبهٔ هیئت‌مدیره"])
    first = extract_in_worker(tmp_path / "letter.docx", timeout=60, reader=child_pid)
    assert first != os.getpid()
    extraction = extract_in_worker(docx, timeout=60)
    assert "هیئت" in extraction.text or "هیأت" in extraction.text
    assert extract_in_worker(docx, timeout=60, reader=child_pid) == first
    # what the child inherited from the forkserver (the extractors, hazm's tables) is left out of its
    # garbage collections
    assert extract_in_worker(docx, timeout=60, reader=frozen_objects) > 50_000
    close_readers()
    assert _wait_gone(first)


def test_a_hanging_file_is_stopped_its_temporary_files_removed_and_the_next_file_read(tmp_path):
    before = extract_in_worker(tmp_path, timeout=60, reader=child_pid)
    said = tmp_path / "folder.txt"
    with pytest.raises(ExtractionTimeout) as info:  # the reader never returns: only the limit ends the call
        extract_in_worker(said, timeout=2, reader=hang_in_a_temp_folder)
    assert "طول کشید" in info.value.message_fa
    folder = Path(said.read_text())
    assert folder.name.startswith("bayegan-pages-") and folder.parent.name.startswith("bayegan-extract-")
    assert not folder.parent.exists()  # the child's own temporary folder went with it
    assert _wait_gone(before)
    after = extract_in_worker(tmp_path, timeout=60, reader=child_pid)
    assert after != before


@pytest.mark.parametrize("reader, error, english, persian", [
    (die, CorruptFile, "exit code 3", "خراب"),                      # the reader's process ends
    (trip, ExtractionError, "ValueError: a reader's bug", "با خطا"),  # a reader's bug
])
def test_a_file_that_kills_or_trips_its_reader_costs_only_itself_and_the_child_is_replaced(
        tmp_path, reader, error, english, persian):
    before = extract_in_worker(tmp_path, timeout=60, reader=child_pid)
    with pytest.raises(error) as info:
        extract_in_worker(tmp_path, timeout=60, reader=reader)
    assert english in str(info.value) and persian in info.value.message_fa
    assert _wait_gone(before)
    assert extract_in_worker(tmp_path, timeout=60, reader=child_pid) != before


def test_a_child_makes_its_own_temporary_folder_and_leaves_none_however_soon_it_ends(tmp_path):
    """The child makes its folder itself (a parent that ends before the child starts leaves nothing),
    under the name its parent chose; ended at once, or after a file, no folder is left."""
    from indexer.extract import worker

    ended_at_once = worker._Reader(worker._ctx())
    ended_at_once.end()
    assert not Path(ended_at_once.tmp).exists()
    reader = worker._Reader(worker._ctx())
    status, folder = reader.read(str(tmp_path), tempfile_folder, timeout=60)
    assert status == "ok" and folder == reader.tmp and Path(folder).is_dir()
    assert oct(Path(folder).stat().st_mode & 0o777) == "0o700"
    reader.end()
    assert not Path(folder).exists()
    assert Path(ended_at_once.tmp).name.startswith("bayegan-extract-") and ended_at_once.tmp != reader.tmp


def tempfile_folder(path: str) -> str:
    return tempfile.gettempdir()


COUNT_CHILDREN = r"""
import multiprocessing, sys, threading
from indexer.extract import extract_in_worker
from indexer.extract.worker import warm_up

if __name__ == "__main__":
    warm_up(2)  # the forkserver starts (seconds of imports) while the two callers ask for children at once
    callers = [threading.Thread(target=extract_in_worker, args=(sys.argv[1],), kwargs={"timeout": 120})
               for _ in range(2)]
    for caller in callers:
        caller.start()
    for caller in callers:
        caller.join()
    for thread in threading.enumerate():
        if thread.name == "extract-warm-up":
            thread.join()  # the second child started ahead may still be on its way
    print(sum(1 for p in multiprocessing.active_children() if p.name == "bayegan-extract"))
"""


def test_callers_wait_for_the_children_started_ahead_instead_of_starting_more(tmp_path):
    note = tmp_path / "note.txt"
    note.write_text("یادداشت دربارهٔ مصوبهٔ شمارهٔ ۳", encoding="utf-8")
    script = tmp_path / "count_children.py"
    script.write_text(COUNT_CHILDREN)
    out = subprocess.run([sys.executable, str(script), str(note)], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1],
                         env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    assert out.stdout.strip() == "2"


def test_under_a_limit_callers_wait_for_a_busy_child_instead_of_starting_more(tmp_path):
    """A bulk import runs a thread more than it has children: the thread that finds them all reading
    waits for one, and every file is still read."""
    from indexer.extract.worker import _pool

    close_readers()
    pids: list[int] = []
    pool = _pool()

    def call() -> None:
        pids.append(extract_in_worker(str(tmp_path), timeout=120, reader=child_pid_when_released))

    def holding() -> int:
        return sum(1 for _ in tmp_path.glob("holding-*"))

    callers = [threading.Thread(target=call) for _ in range(5)]
    with readers_at_most(2):
        try:
            for started, caller in enumerate(callers, 1):
                caller.start()  # each caller holds a child or waits for one before the next comes
                assert poll_until(lambda n=started: holding() + pool.waiting == n, every_s=0.05)
            assert holding() == 2 and pool.waiting == 3
        finally:
            (tmp_path / "release").touch()
            for caller in callers:
                if caller.is_alive():
                    caller.join()
    assert len(pids) == 5
    assert len(set(pids)) == 2
    close_readers()
