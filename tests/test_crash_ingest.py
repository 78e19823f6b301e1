"""``bayegan ingest`` of a folder in parallel: the progress bar goes to stderr and --json stays clean;
killed (SIGKILL at its tenth catalog commit, ``BAYEGAN_CRASH_AT``) and run again, it finishes the
import: every file archived once and searchable, the index caught up with the catalog."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
import pytest

from archive import load_config
from archive.crash import ENV_VAR
from indexer import Library
from indexer.pipeline.maintenance import check
from scripts.docwriters import write_docx, write_text
from tests.conftest import engine_env

pytestmark = [pytest.mark.slow, pytest.mark.both_engines]  # real processes killed and restarted

ROOT = Path(__file__).resolve().parent.parent


def make_folder(folder: Path, count: int) -> None:
    for i in range(count):
        sub = folder / f"سال {1398 + i % 3}"
        sub.mkdir(parents=True, exist_ok=True)
        if i % 6 == 0:
            write_docx(sub / f"صورتجلسه {i}.docx", [f"صورتجلسه هیأت مدیره {i}", f"مصوبه ۱: کد bq{i:03d}w تصویب شد."])
        else:
            write_text(sub / f"نامه {i}.txt", f"نامه اداری شماره {i}\nکد bq{i:03d}w درباره بودجه")


def bayegan(config: Path, *args: str, crash: str | None = None, **kwargs) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in ("BAYEGAN_DATA_DIR", "BAYEGAN_CONFIG", ENV_VAR)}
    if crash:
        env[ENV_VAR] = crash
    return subprocess.Popen([sys.executable, "-m", "search_web.cli", "--config", str(config), *args],
                            cwd=ROOT, env=env, **kwargs)


def test_parallel_ingest_killed_then_resumed(tmp_path, engine):
    config_file = tmp_path / "bayegan.yaml"
    config_file.write_text("data_dir: data\n", encoding="utf-8")
    config = load_config(config_file, env=engine_env())
    folder = tmp_path / "five years"
    make_folder(folder, 60)

    # killed at its tenth catalog commit: the other thread may have committed one more
    with open(tmp_path / "first.log", "wb") as log:
        proc = bayegan(config_file, "ingest", "--jobs", "2", str(folder), stdout=log, stderr=subprocess.STDOUT,
                       crash="ingest.cataloged:10")
        assert proc.wait(timeout=300) == -signal.SIGKILL, (tmp_path / "first.log").read_text()
    library = Library(config)
    try:
        archived = library.catalog.count()
        assert 10 <= archived <= 11
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
