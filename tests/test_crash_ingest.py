"""``bayegan ingest`` of a folder in parallel: the progress bar goes to stderr and --json stays clean;
killed with everything it started (kill -9 of its process group) and run again, it finishes the
import: every file archived once and searchable, the index caught up with the catalog."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from archive import load_config
from indexer import Library
from indexer.maintenance import check
from scripts.docwriters import write_docx, write_text

pytestmark = pytest.mark.both_engines

ROOT = Path(__file__).resolve().parent.parent


def make_folder(folder: Path, count: int) -> None:
    for i in range(count):
        sub = folder / f"سال {1398 + i % 3}"
        sub.mkdir(parents=True, exist_ok=True)
        if i % 6 == 0:
            write_docx(sub / f"صورتجلسه {i}.docx", [f"صورتجلسه هیأت مدیره {i}", f"مصوبه ۱: کد bq{i:03d}w تصویب شد."])
        else:
            write_text(sub / f"نامه {i}.txt", f"نامه اداری شماره {i}\nکد bq{i:03d}w درباره بودجه")


def bayegan(config: Path, *args: str, **kwargs) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in ("BAYEGAN_DATA_DIR", "BAYEGAN_CONFIG")}
    return subprocess.Popen([sys.executable, "-m", "indexer.cli", "--config", str(config), *args],
                            cwd=ROOT, env=env, **kwargs)


def test_parallel_ingest_killed_then_resumed(tmp_path, engine):
    config_file = tmp_path / "bayegan.yaml"
    config_file.write_text(f"data_dir: data\nsearch:\n  engine: {engine}\n", encoding="utf-8")
    config = load_config(config_file, env={})
    folder = tmp_path / "five years"
    make_folder(folder, 60)

    # killed, with its worker processes, once some documents are in the catalog
    with open(tmp_path / "first.log", "wb") as log:
        proc = bayegan(config_file, "ingest", "--jobs", "2", str(folder), stdout=log, stderr=subprocess.STDOUT,
                       start_new_session=True)
        db = config.data_dir / "catalog.sqlite3"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if db.exists():
                with sqlite3.connect(db) as conn:
                    try:
                        if conn.execute("select count(*) from documents").fetchone()[0] >= 10:
                            break
                    except sqlite3.OperationalError:  # tables not created yet
                        pass
            time.sleep(0.1)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    library = Library(config)
    try:
        archived = library.catalog.count()
        assert 10 <= archived < 60
    finally:
        library.close()

    # run again: --json on stdout stays clean, the progress bar (asked for) goes to stderr
    again = bayegan(config_file, "ingest", "--jobs", "2", "--progress", "--json", str(folder),
                    stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err.decode()
    items = json.loads(out)
    assert len(items) == 60
    statuses = [i["status"] for i in items]
    assert statuses.count("duplicate") == archived and statuses.count("indexed") == 60 - archived
    assert "60/60" in err.decode() and "file/s" in err.decode()

    library = Library(config)
    try:
        assert library.catalog.count() == 60
        report = check(library)
        assert report.ok, report
        for i in range(60):
            hits = [h for h in library.search(f"bq{i:03d}w").hits if h.hit_type == "document"]
            assert len(hits) == 1, i
    finally:
        library.close()
