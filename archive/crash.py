"""Named crash points: the places where a writer may die, made reproducible for the recovery tests.

Every step of the ingest journal and of the other writers (reindex, backup, restore, corrections)
calls :func:`crash_point` with its name. In production this is a dictionary look-up and nothing else.
A test sets ``BAYEGAN_CRASH_AT=<point>:<n>`` in a child process's environment; that process then
kills itself with SIGKILL the n-th time it passes the point, as a power cut or ``kill -9`` would,
and the test checks what the next run makes of what was left (the way SQLite's crash tests and
FoundationDB's simulation make failures reproducible instead of hoping a timer lands well).

:data:`CRASH_POINTS` is the one list of points; ``tests/test_crash_points.py`` walks every one of them
and fails when a point has no recovery scenario.
"""
from __future__ import annotations

import os
import signal
import threading

ENV_VAR = "BAYEGAN_CRASH_AT"

CRASH_POINTS: dict[str, str] = {
    "ingest.stored": "the original is fsynced in the store; nothing else knows it yet",
    "ingest.extracted": "the text is extracted; the catalog does not hold the document yet",
    "ingest.cataloged": "the document is committed to the catalog; the journal still says archived",
    "inbox.removed": "the inbox copy is removed; the document is not in the index yet",
    "inbox.failing": "the journal says failing; the file is still in the inbox",
    "inbox.failed_moved": "the file and its reason are in failed/; the journal still says failing",
    "index.before_commit": "the index writer holds a batch; nothing is committed",
    "index.after_commit": "the index is committed; the journal does not say indexed yet",
    "bulk.batch": "a bulk import committed one batch to the index; more files are waiting",
    "reindex.batch": "a reindex added a batch to its new index; nothing is committed",
    "backup.catalog": "a backup copied the catalog; no original is copied yet",
    "backup.original": "a backup copied one original; its manifest is not written",
    "restore.originals": "a restore copied the originals; the catalog is not replaced yet",
    "restore.catalog": "a restore replaced the catalog; the index is not rebuilt yet",
    "correction.committed": "a metadata correction is committed to the catalog; the index is not rewritten",
    "register.committed": "a resolution's follow-up state is committed to the catalog; the index is not rewritten",
}


class _Trigger:
    """The point and count read once from the environment, and how often the point was passed."""

    def __init__(self, spec: str | None):
        self.point: str | None = None
        self.at = 0
        self.passed = 0
        self.lock = threading.Lock()
        if spec:
            point, _, count = spec.partition(":")
            if point not in CRASH_POINTS:
                raise ValueError(f"{ENV_VAR}: unknown crash point {point!r}")
            self.point, self.at = point, int(count or 1)


_trigger: _Trigger | None = None


def crash_point(name: str) -> None:
    """Pass the crash point ``name``: die here with SIGKILL if a test asked for it.

    :raises ValueError: when ``name`` is not in :data:`CRASH_POINTS` (a programming error).
    """
    global _trigger
    if name not in CRASH_POINTS:
        raise ValueError(f"unknown crash point {name!r}")
    if _trigger is None:
        _trigger = _Trigger(os.environ.get(ENV_VAR))
    if _trigger.point != name:
        return
    with _trigger.lock:
        _trigger.passed += 1
        if _trigger.passed >= _trigger.at:
            os.kill(os.getpid(), signal.SIGKILL)


__all__ = ["CRASH_POINTS", "ENV_VAR", "crash_point"]
