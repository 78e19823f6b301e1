"""The memo of word analyses: what :mod:`indexer.search.persian` made of each word it has seen, on disk.

Every word of the index was folded and stemmed when it was indexed. The indexer keeps those results
in a small SQLite file beside the index (``<data_dir>/words.sqlite3``), so that a process that only
searches (``bayegan search``, a freshly started server) analyzes the words of a query by looking
them up, without loading hazm (about two seconds of imports and word lists). A word the memo does
not know is analyzed by hazm as always.

The memo is a cache: it is stamped with the version of the analysis (the source of
:mod:`indexer.search.persian` and hazm's version) and emptied when that changes; deleting it loses nothing.
"""
from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

SEPARATOR = "\x1f"


class WordMemo:
    """One memo file. Safe to share between threads; one process writes (the index writer's)."""

    def __init__(self, path: Path, version: str):
        self.path = Path(path)
        self.version = version
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, check_same_thread=False, timeout=30, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            db.execute("CREATE TABLE IF NOT EXISTS forms (token TEXT PRIMARY KEY, forms TEXT NOT NULL)")
            db.execute("CREATE TABLE IF NOT EXISTS stems (form TEXT PRIMARY KEY, stem TEXT NOT NULL)")
            found = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
            if found is None or found[0] != self.version:
                with db:
                    db.execute("BEGIN IMMEDIATE")
                    db.execute("DELETE FROM forms")
                    db.execute("DELETE FROM stems")
                    db.execute("DELETE FROM meta")
                    db.execute("INSERT INTO meta VALUES ('version', ?)", (self.version,))
            self._db = db
        return self._db

    def forms(self, token: str) -> tuple[str, ...] | None:
        """The search forms of a raw word, or None when the memo has not seen it."""
        with self._lock:
            row = self._connection().execute("SELECT forms FROM forms WHERE token = ?", (token,)).fetchone()
        if row is None:
            return None
        return tuple(row[0].split(SEPARATOR)) if row[0] else ()

    def stem(self, form: str) -> str | None:
        with self._lock:
            row = self._connection().execute("SELECT stem FROM stems WHERE form = ?", (form,)).fetchone()
        return row[0] if row else None

    def stopwords(self) -> frozenset[str] | None:
        with self._lock:
            row = self._connection().execute("SELECT value FROM meta WHERE key = 'stopwords'").fetchone()
        return frozenset(row[0].split(SEPARATOR)) if row else None

    def save(self, forms: dict[str, tuple[str, ...]], stems: dict[str, str],
             stopwords: frozenset[str] | None) -> None:
        """Add what was learned since the last save (words already known are left as they are)."""
        with self._lock:
            db = self._connection()
            with db:
                db.execute("BEGIN IMMEDIATE")
                db.executemany("INSERT OR IGNORE INTO forms VALUES (?, ?)",
                               ((token, SEPARATOR.join(f)) for token, f in forms.items()))
                db.executemany("INSERT OR IGNORE INTO stems VALUES (?, ?)", stems.items())
                if stopwords is not None:
                    db.execute("INSERT OR REPLACE INTO meta VALUES ('stopwords', ?)",
                               (SEPARATOR.join(sorted(stopwords)),))

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None


__all__ = ["WordMemo"]
