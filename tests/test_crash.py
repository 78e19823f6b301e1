"""kill -9 of the watcher six times during a 200-file batch, restarted each time: at the end every
file is archived exactly once and searchable, the inbox is empty and nothing is in failed/.

Real processes and signals: ``bayegan watch`` runs as a subprocess and kills itself with SIGKILL at a
crash point drawn at random among the per-file steps, on a pass drawn at random (``BAYEGAN_CRASH_AT``,
see archive/crash.py). Each run takes at most a dozen files before it dies, so the kills land in the
middle of the batch by construction, whatever the machine's speed.
"""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select
import pytest

from archive import hash_file, load_config
from archive.crash import ENV_VAR
from archive.models import JournalEntry
from indexer import Library
from indexer.pipeline.maintenance import check
from scripts.docwriters import write_docx, write_text
from tests.conftest import engine_env

pytestmark = [pytest.mark.slow, pytest.mark.both_engines]  # real processes killed and restarted

ROOT = Path(__file__).resolve().parent.parent
FILES = 200
KILLS = 6


def watcher_config(tmp_path: Path) -> Path:
    config = tmp_path / "bayegan.yaml"
    config.write_text("data_dir: data\ningest:\n  stable_seconds: 0.3\n  poll_interval_s: 0.2\n",
                      encoding="utf-8")
    return config


PER_FILE_POINTS = ("ingest.stored", "ingest.extracted", "ingest.cataloged", "inbox.removed")
MAX_PASS = 10


def start_watcher(config: Path, log, *args: str, crash: str | None = None) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in ("BAYEGAN_DATA_DIR", "BAYEGAN_CONFIG", ENV_VAR)}
    if crash:
        env[ENV_VAR] = crash
    return subprocess.Popen([sys.executable, "-m", "search_web.cli", "--config", str(config), "watch", *args],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def write_batch(folder: Path, count: int) -> dict[str, str]:
    """Small TXT and DOCX files, each with its own searchable code; returns code -> sha256."""
    folder.mkdir(parents=True, exist_ok=True)
    codes = {}
    for i in range(count):
        code = f"zq{i:04d}x"
        if i % 4 == 0:
            path = write_docx(folder / f"نامه {i}.docx", [f"نامه شماره {i} به سازمان پسماند",
                                                          f"کد پیگیری {code} درباره قرارداد"])
        else:
            path = write_text(folder / f"doc {i}.txt", f"صورتجلسه {i}\nمصوبه ۱: کد {code} تصویب شد.")
        codes[code] = hash_file(path)
    return codes


def test_kill_9_at_random_moments_loses_nothing_and_doubles_nothing(tmp_path, engine):
    config_file = watcher_config(tmp_path)
    staging = tmp_path / "staging"
    codes = write_batch(staging, FILES)
    config = load_config(config_file, env=engine_env())
    config.inbox_dir.mkdir(parents=True)
    for path in staging.iterdir():  # the clerk's copy: renamed in, each whole
        path.rename(config.inbox_dir / path.name)
    rng = random.Random(6)
    with open(tmp_path / "watch.log", "ab") as log:
        for run in range(KILLS):
            # the first run dies once some inbox copies are removed; the others anywhere per file
            point = "inbox.removed" if run == 0 else rng.choice(PER_FILE_POINTS)
            proc = start_watcher(config_file, log, crash=f"{point}:{rng.randint(2, MAX_PASS)}")
            assert proc.wait(timeout=300) == -signal.SIGKILL, (tmp_path / "watch.log").read_text()
        left_before_last_run = sum(1 for _ in config.inbox_dir.iterdir())
        final = start_watcher(config_file, log, "--once")
        assert final.wait(timeout=300) == 0, (tmp_path / "watch.log").read_text()
    # each run took at most MAX_PASS files and the two in flight beside them
    assert FILES - KILLS * (MAX_PASS + 2) <= left_before_last_run < FILES

    library = Library(config)
    try:
        assert list(config.inbox_dir.iterdir()) == []
        assert not config.failed_dir.exists() or list(config.failed_dir.iterdir()) == []
        assert library.catalog.count() == FILES
        report = check(library)
        assert report.ok, report
        assert not report.orphan_originals
        for code, sha in codes.items():
            hits = [h for h in library.search(code).hits if h.hit_type == "document"]
            assert len(hits) == 1, code
            assert library.document(hits[0].doc_id).sha256 == sha
        with library.catalog.session() as session:
            states = dict(session.execute(select(JournalEntry.state, func.count())
                                          .group_by(JournalEntry.state)).all())
        # every file was finished as itself: a file resumed after a kill is not reported as a duplicate
        assert states == {"indexed": FILES}
        status = library.status()
        assert (status.inbox, status.in_progress, status.failed) == (0, 0, 0)
    finally:
        library.close()
