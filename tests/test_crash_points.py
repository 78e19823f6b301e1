"""Every named crash point (``archive/crash.py``), each in its own run: a real ``bayegan`` process
kills itself with SIGKILL the n-th time it passes the point (``BAYEGAN_CRASH_AT``), then the
command a clerk or administrator would run next finishes the work. After it: nothing lost, nothing
twice, the index agrees with the catalog (``bayegan check`` clean), the inbox empty, the journal all
``indexed`` (the one hostile file ``failed``, in failed/ beside its reason).

A point added to the product without a scenario here fails ``test_every_crash_point_has_a_scenario``.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from archive import load_config
from archive.crash import CRASH_POINTS, ENV_VAR
from indexer import Library
from indexer.pipeline.ingest import INDEX_BATCH
from indexer.pipeline.maintenance import CheckReport, check
from scripts.docwriters import write_docx, write_text
from tests.conftest import SEARCH_ENGINES, engine_env

pytestmark = [pytest.mark.slow, pytest.mark.both_engines]
ROOT = Path(__file__).resolve().parent.parent
GOOD = 6                  # good files in a watcher scenario
BULK = INDEX_BATCH + 5    # files in the bulk scenario: one index batch and a few more
CORRUPT_PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage without xref\n%%EOF"
CONFIG = "data_dir: data\ningest:\n  stable_seconds: 0\n  poll_interval_s: 0.2\n  workers: 2\n"


def bayegan(config: Path, *args: str, crash: str | None = None, timeout: float = 300, engine: str | None = None):
    """The command, on the test's search engine (or ``engine``)."""
    env = {k: v for k, v in os.environ.items() if k not in ("BAYEGAN_DATA_DIR", "BAYEGAN_CONFIG", ENV_VAR)}
    if crash:
        env[ENV_VAR] = crash
    if engine:
        env["BAYEGAN_SEARCH_ENGINE"] = engine
    return subprocess.run([sys.executable, "-m", "search_web.cli", "--config", str(config), *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=timeout)


def assert_killed(proc: subprocess.CompletedProcess) -> None:
    assert proc.returncode == -signal.SIGKILL, f"not killed at the point ({proc.returncode}):\n{proc.stderr}"


def assert_ok(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def make_config(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bayegan.yaml").write_text(CONFIG, encoding="utf-8")
    return folder / "bayegan.yaml"


def write_documents(folder: Path, count: int, tag: str) -> list[str]:
    """Small TXT and DOCX files, each with its own searchable code; returns the codes."""
    folder.mkdir(parents=True, exist_ok=True)
    codes = []
    for i in range(count):
        code = f"{tag}{i:03d}x"
        if i % 3 == 0:
            write_docx(folder / f"صورتجلسه {i}.docx", [f"صورتجلسه هیأت مدیره {i}", f"مصوبه ۱: کد {code} تصویب شد."])
        else:
            write_text(folder / f"نامه {i}.txt", f"نامه اداری شماره {i}\nکد پیگیری {code} درباره قرارداد")
        codes.append(code)
    return codes


def search_ids(config: Path, query: str, hit_type: str = "document") -> list[str]:
    """The documents found; with ``hit_type="resolution"``, those found by matching resolutions."""
    library = Library(load_config(config, env=engine_env()))
    try:
        hits = library.search(query, page_size=50).hits
        return [h.doc_id for h in hits if hit_type == "document" or h.resolutions]
    finally:
        library.close()


def check_report(config: Path) -> CheckReport:
    library = Library(load_config(config, env=engine_env()))
    try:
        return check(library)
    finally:
        library.close()


def journal_states(data: Path) -> dict[str, int]:
    with sqlite3.connect(data / "catalog.sqlite3") as conn:
        return dict(conn.execute("SELECT state, count(*) FROM ingest_journal GROUP BY state").fetchall())


def catalog_count(data: Path) -> int:
    with sqlite3.connect(data / "catalog.sqlite3") as conn:
        return conn.execute("SELECT count(*) FROM documents").fetchone()[0]


def assert_whole(config: Path, codes: list[str]) -> None:
    """Every code's document archived once and found once; the check clean (in-process: the same
    catalog and index files the commands wrote, read by the same code)."""
    data = config.parent / "data"
    assert catalog_count(data) == len(codes)
    for code in codes:
        assert len(search_ids(config, code)) == 1, code
    report = check_report(config)
    assert report.ok and not report.orphan_originals, report


# --- the scenarios: each sets up, crashes at the point, recovers and checks ------------------------------

def watcher_scenario(tmp_path: Path, point: str, n: int) -> None:
    """An inbox of good files and one damaged PDF; ``bayegan watch --once`` killed at the point, then run
    again as the service would be restarted."""
    config = make_config(tmp_path)
    inbox = tmp_path / "data" / "inbox"
    codes = write_documents(inbox, GOOD, "wq")
    (inbox / "damaged.pdf").write_bytes(CORRUPT_PDF)
    assert_killed(bayegan(config, "watch", "--once", crash=f"{point}:{n}"))
    assert_ok(bayegan(config, "watch", "--once"))
    data = tmp_path / "data"
    assert os.listdir(data / "inbox") == []
    assert sorted(os.listdir(data / "failed")) == ["damaged.pdf", "damaged.pdf.reason.txt"]
    assert journal_states(data) == {"indexed": GOOD, "failed": 1}
    assert_whole(config, codes)


def bulk_scenario(tmp_path: Path, point: str, n: int) -> None:
    """``bayegan ingest`` of a folder killed after its first index batch, then run again."""
    config = make_config(tmp_path)
    codes = write_documents(tmp_path / "folder", BULK, "bq")
    assert_killed(bayegan(config, "ingest", "--jobs", "1", str(tmp_path / "folder"), crash=f"{point}:{n}"))
    # the batch, and what was archived while a thread of its own wrote it: the catalog ahead of the index
    assert INDEX_BATCH <= catalog_count(tmp_path / "data") <= BULK
    items = json.loads(assert_ok(bayegan(config, "ingest", "--jobs", "2", "--json", str(tmp_path / "folder"))))
    statuses = {i["status"] for i in items}
    assert len(items) == BULK and "duplicate" in statuses and statuses <= {"indexed", "duplicate"}
    assert_whole(config, codes)


@pytest.fixture(scope="module")
def archive_copy(tmp_path_factory):
    """A small archive made through ``bayegan ingest``, and a finished backup of it; each scenario
    gets its own copy."""
    base = tmp_path_factory.mktemp("prepared")
    config = make_config(base / "live")
    codes = write_documents(base / "folder", GOOD, "aq")
    assert_ok(bayegan(config, "ingest", str(base / "folder")))
    for engine in SEARCH_ENGINES:  # each engine's index, whichever the scenario runs on
        assert_ok(bayegan(config, "reindex", engine=engine))
    assert_ok(bayegan(config, "backup", str(base / "backup")))

    def copy(target: Path) -> tuple[Path, list[str]]:
        shutil.copytree(base / "live", target / "live")
        shutil.copytree(base / "backup", target / "backup")
        return target / "live" / "bayegan.yaml", codes

    return copy


def reindex_scenario(tmp_path: Path, point: str, n: int, archive_copy) -> None:
    """A reindex killed before its commit leaves the old index whole; run again, it finishes."""
    config, codes = archive_copy(tmp_path)
    assert_killed(bayegan(config, "reindex", crash=f"{point}:{n}"))
    assert_whole(config, codes)  # the searches during a rebuild see the old index
    assert_ok(bayegan(config, "reindex"))
    assert_whole(config, codes)


def backup_scenario(tmp_path: Path, point: str, n: int, archive_copy) -> None:
    """A backup killed midway is not taken for a backup; run again into the same folder, it finishes
    and restores into an empty data folder."""
    config, codes = archive_copy(tmp_path)
    dest = tmp_path / "new backup"
    assert_killed(bayegan(config, "backup", str(dest), crash=f"{point}:{n}"))
    fresh = make_config(tmp_path / "fresh")
    refused = bayegan(fresh, "restore", str(dest))
    assert refused.returncode != 0 and "not a finished Bayegan backup" in refused.stderr
    assert_ok(bayegan(config, "backup", str(dest)))
    assert_ok(bayegan(fresh, "restore", str(dest)))
    assert_whole(fresh, codes)


def restore_scenario(tmp_path: Path, point: str, n: int, archive_copy) -> None:
    """A restore into an empty data folder killed midway; run again (with --force once the catalog
    holds documents), it finishes."""
    _, codes = archive_copy(tmp_path)
    fresh = make_config(tmp_path / "fresh")
    assert_killed(bayegan(fresh, "restore", str(tmp_path / "backup"), crash=f"{point}:{n}"))
    assert_ok(bayegan(fresh, "restore", "--force", str(tmp_path / "backup")))
    assert_whole(fresh, codes)


def correction_scenario(tmp_path: Path, point: str, n: int, archive_copy) -> None:
    """A correction killed after its catalog commit: kept with its history; ``bayegan check`` names
    the stale index records and ``--repair`` rewrites them."""
    config, codes = archive_copy(tmp_path)
    [doc_id] = search_ids(config, codes[1])
    assert_killed(bayegan(config, "edit", doc_id, "--title", "قرارداد نگهداری فضای سبز", crash=f"{point}:{n}"))
    stale = bayegan(config, "check", "--json")  # the command an administrator runs
    assert stale.returncode == 4 and json.loads(stale.stdout)["index_stale"] == [doc_id]
    assert_ok(bayegan(config, "check", "--repair"))
    assert_whole(config, codes)
    assert search_ids(config, "فضای سبز") == [doc_id]
    assert "title: " in assert_ok(bayegan(config, "edit", doc_id, "--history"))


def register_scenario(tmp_path: Path, point: str, n: int, archive_copy) -> None:
    """A resolution's state set and killed after its catalog commit: the state and its history kept;
    ``bayegan check`` names the stale index records and ``--repair`` rewrites them, so that the
    ``state:`` filter finds the resolution."""
    config, codes = archive_copy(tmp_path)
    [doc_id] = search_ids(config, codes[0])  # minutes with one resolution (r1)
    assert_killed(bayegan(config, "register", "set", f"{doc_id}-r1", "done", "--note", "انجام شد",
                          crash=f"{point}:{n}"))
    stale = bayegan(config, "check", "--json")
    assert stale.returncode == 4 and json.loads(stale.stdout)["index_stale"] == [doc_id]
    assert_ok(bayegan(config, "check", "--repair"))
    assert_whole(config, codes)
    assert search_ids(config, "state:done", hit_type="resolution") == [doc_id]
    listed = json.loads(assert_ok(bayegan(config, "register", "list", "--json", "--state", "done")))
    assert [item["id"] for item in listed["items"]] == [f"{doc_id}-r1"]


WATCHER = {"ingest.stored": 3, "ingest.extracted": 3, "ingest.cataloged": 3, "inbox.removed": 3,
           "inbox.failing": 1, "inbox.failed_moved": 1, "index.before_commit": 1, "index.after_commit": 1}
ARCHIVE = {"reindex.batch": (reindex_scenario, 1), "backup.catalog": (backup_scenario, 1),
           "backup.original": (backup_scenario, 2), "restore.originals": (restore_scenario, 1),
           "restore.catalog": (restore_scenario, 1), "correction.committed": (correction_scenario, 1),
           "register.committed": (register_scenario, 1)}
SCENARIOS = {**{p: "watcher" for p in WATCHER}, "bulk.batch": "bulk", **{p: "archive" for p in ARCHIVE}}


def test_every_crash_point_has_a_scenario():
    assert set(SCENARIOS) == set(CRASH_POINTS)


def test_every_crash_point_is_placed_in_the_product_once_by_name():
    calls = []
    for package in ("archive", "indexer", "search_web"):
        for path in (ROOT / package).rglob("*.py"):
            calls += re.findall(r'crash_point\("([^"]+)"\)', path.read_text(encoding="utf-8"))
    assert sorted(calls) == sorted(CRASH_POINTS)


def test_a_crash_point_kills_on_its_nth_pass_only():
    code = ("from archive.crash import crash_point as c\n"
            "c('ingest.stored'); c('bulk.batch'); print('first', flush=True); c('ingest.stored'); print('second')")
    env = {**os.environ, ENV_VAR: "ingest.stored:2"}
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert proc.returncode == -signal.SIGKILL and proc.stdout == "first\n"
    env[ENV_VAR] = "no.such.point:1"
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert proc.returncode == 1 and "unknown crash point 'no.such.point'" in proc.stderr


@pytest.mark.parametrize("point", sorted(CRASH_POINTS))
def test_recovery_after_a_crash_at(point, tmp_path, request, engine):
    if engine != "whoosh" and point.startswith("backup."):
        pytest.skip("a backup copies the catalog and the originals, never the index: once is enough")
    kind = SCENARIOS.get(point)
    assert kind is not None, f"crash point {point} has no recovery scenario"
    if kind == "watcher":
        watcher_scenario(tmp_path, point, WATCHER[point])
    elif kind == "bulk":
        bulk_scenario(tmp_path, point, 1)
    else:
        scenario, n = ARCHIVE[point]
        scenario(tmp_path, point, n, request.getfixturevalue("archive_copy"))
