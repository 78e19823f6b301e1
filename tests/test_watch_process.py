"""The watcher as a real process (``bayegan watch``, inotify through watchdog): a file written by a
client that holds a lock while it writes (as Windows clients over SMB do) is taken once, whole, after
the lock is let go, however slowly the writer goes; 20 hostile files among 100 good ones go to failed/ with their reasons while the
good ones are indexed and the watcher goes on; searches served meanwhile never fail nor repeat a hit."""
from __future__ import annotations

import fcntl
import io
import os
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

from pypdf import PdfWriter
import pytest

from archive import load_config
from conftest import engine_env, poll_until
from indexer import Library
from scripts.docwriters import write_docx, write_text

pytestmark = [pytest.mark.slow, pytest.mark.both_engines]  # real processes killed and restarted

ROOT = Path(__file__).resolve().parent.parent
GOOD = 100


def long_name(limit: int) -> str:
    """A Persian name of nearly ``limit`` bytes, the most a file system allows (255)."""
    stem = "گزارش بسیار طولانی " * 20
    while len((stem + ".pdf").encode()) > limit:
        stem = stem[:-1]
    return stem + ".pdf"


def hostile_files(folder: Path) -> list[Path]:
    """20 files no one can archive, with names meant to break paths, shells and terminals."""
    folder.mkdir(parents=True, exist_ok=True)
    corrupt_pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage without xref\n%%EOF"
    encrypted = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    writer.write(encrypted)
    not_docx = io.BytesIO()
    with zipfile.ZipFile(not_docx, "w") as z:
        z.writestr("hello.txt", "a zip, not a document")
    empty_docx = folder / "خالی.docx"
    write_docx(empty_docx, [])
    files = {
        "empty.pdf": b"",
        "corrupt.pdf": corrupt_pdf,
        "truncated.docx": b"PK\x03\x04\x14\x00\x00\x00\x08\x00",
        "random.bin": os.urandom(3000),
        "photo.jpg": b"\xff\xd8\xff\xe0" + os.urandom(500),
        "نامهٔ خراب ۱۴۰۲ شماره ۱۲.pdf": corrupt_pdf,
        "bad \"quoted\" 'name'.pdf": corrupt_pdf,
        long_name(250): corrupt_pdf,
        "line\nbreak.txt": b"\x00\x01\x02" * 100,
        "%2e%2e%2f..\\..\\etc\\passwd.txt": corrupt_pdf,
        "$(rm -rf ~); `x`.pdf": corrupt_pdf,
        "\u202efdp.exe": os.urandom(200),
        "whitespace.txt": b"   \n\n\t  \n",
        "password.pdf": encrypted.getvalue(),
        "zip-not-docx.docx": not_docx.getvalue(),
        "CON.pdf": b"%PDF-",
        "nul.txt": b"\x00",
    }
    paths = [empty_docx]
    for name, data in files.items():
        (folder / name).write_bytes(data)
        paths.append(folder / name)
    bad_bytes = os.fsencode(folder) + b"/\xff\xfe-not-utf8.txt"
    with open(bad_bytes, "wb") as fh:
        fh.write(b"\x00\x00\x00")
    paths.append(Path(os.fsdecode(bad_bytes)))
    link = folder / "link-to-passwd.txt"
    link.symlink_to("/etc/passwd")
    paths.append(link)
    assert len(paths) == 20
    return paths


def start(config: Path, log) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in ("BAYEGAN_DATA_DIR", "BAYEGAN_CONFIG")}
    return subprocess.Popen([sys.executable, "-m", "search_web.cli", "--config", str(config), "watch"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_until(condition, timeout: float, proc: subprocess.Popen, every=None, every_s: float = 1.0) -> None:
    """``condition`` within ``timeout`` (conftest.poll_until), failing at once if the watcher stops;
    ``every`` is called between looks, ``every_s`` apart."""
    def look():
        if condition():
            return True
        assert proc.poll() is None, "the watcher stopped"
        if every:
            every()
        return False
    if not poll_until(look, deadline_s=timeout, every_s=every_s if every else 0.1):
        raise AssertionError("timed out")


def test_watcher_process_slow_copy_hostile_files_and_searches(tmp_path, engine):
    config_file = tmp_path / "bayegan.yaml"
    config_file.write_text("data_dir: data\ningest:\n  stable_seconds: 1\n  poll_interval_s: 0.2\n"
                           "  watch_mode: inotify\n", encoding="utf-8")
    config = load_config(config_file, env=engine_env())
    inbox = config.inbox_dir
    inbox.mkdir(parents=True)
    log_path = tmp_path / "watch.log"
    library = Library(config)
    with open(log_path, "ab") as log:
        proc = start(config_file, log)
        try:
            # 1. a file written in steps under an exclusive lock: never taken while the lock is held
            chunks = [f"بند {i}: متن کامل قرارداد نگهداری فضای سبز بخش {i}\n" for i in range(16)]
            # (locked under a name the inbox skips, then renamed in: the watcher never sees it unlocked)
            with open(inbox / "slow copy.txt.part", "w", encoding="utf-8") as fh:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
                os.rename(inbox / "slow copy.txt.part", inbox / "slow copy.txt")
                for chunk in chunks:
                    fh.write(chunk)
                    fh.flush()
                    os.fsync(fh.fileno())
                    assert (inbox / "slow copy.txt").exists()
            # it leaves the inbox once archived; it is searchable after the index commit that follows
            wait_until(lambda: library.search("قرارداد نگهداری").total > 0, 60, proc)
            assert not (inbox / "slow copy.txt").exists()
            [doc_id] = [h.doc_id for h in library.search("قرارداد نگهداری").hits if h.hit_type == "document"]
            assert library.document(doc_id).text.strip() == "".join(chunks).strip()
            assert library.catalog.count() == 1

            # 2. 100 good files and 20 hostile ones, searched all along
            staging = tmp_path / "staging"
            hostile = hostile_files(staging / "hostile")
            for i in range(GOOD):
                if i % 5 == 0:
                    write_docx(staging / f"good {i}.docx", [f"صورتجلسه سازمان پسماند {i}", f"کد qv{i:03d}k"])
                else:
                    write_text(staging / f"good {i}.txt", f"نامه سازمان پسماند شماره {i}\nکد qv{i:03d}k")
            for path in sorted(staging.iterdir()):
                if path.is_file():
                    path.rename(inbox / path.name)
            for path in hostile:
                os.rename(os.fsencode(path), os.fsencode(inbox) + b"/" + os.fsencode(path.name))
            searches = []

            def search_meanwhile() -> None:
                results = library.search("سازمان پسماند", page_size=10)
                keys = [h.key for h in results.hits]
                assert len(keys) == len(set(keys)), "a hit appeared twice"
                searches.append(results.total)

            wait_until(lambda: not os.listdir(inbox), 240, proc, every=search_meanwhile, every_s=0.25)
            assert len(searches) > 5 and searches[-1] > 0

            # 3. the watcher goes on: one more file is taken
            write_text(inbox / "after.txt", "نامه پایانی کد qvendk")
            wait_until(lambda: library.search("qvendk").total == 1, 60, proc)
        finally:
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=120) == 0
    try:
        assert library.catalog.count() == 1 + GOOD + 1
        for i in range(GOOD):
            assert len([h for h in library.search(f"qv{i:03d}k").hits if h.hit_type == "document"]) == 1
        failed = sorted(os.listdir(os.fsencode(config.failed_dir)))
        reasons = [n for n in failed if n.endswith(b".reason.txt")]
        files = [n for n in failed if not n.endswith(b".reason.txt")]
        assert len(files) == 20 and len(reasons) == 20, failed
        for name in files:
            reason = (os.fsencode(config.failed_dir) + b"/" + name + b".reason.txt")
            with open(reason, encoding="utf-8") as fh:
                persian, english = fh.read().splitlines()[:2]
            assert any("\u0600" <= c <= "\u06ff" for c in persian) and english.isascii(), name
        status = library.status()
        assert status.failed == 20 and len(status.failed_files) == 20 and status.inbox == 0
        assert status.in_progress == 0
        assert {e.state for e in status.last_errors} == {"failed"}
    finally:
        library.close()
