"""Tables derived from hazm's word list, kept on disk so that each process does not derive them again.

hazm's list has 194,000 words; parsing it and folding every word costs a process about 1.5 s for each
table (the extraction forkserver folds one, the index writer and each server process another), while
reading the folded table back costs 0.15 s. A table is kept in the user's cache folder
(``$BAYEGAN_CACHE_DIR``, else ``$XDG_CACHE_HOME/bayegan``, else ``~/.cache/bayegan``) under its name and
the version of what made it (the source of the module that folds it and hazm's release): a new version
is a new file. It is a cache: a missing, unreadable or damaged file is derived again, and a folder that
cannot be written only costs the time.
"""
from __future__ import annotations

import hashlib
import logging
import marshal
import os
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")


def cache_dir() -> Path:
    if os.environ.get("BAYEGAN_CACHE_DIR"):
        return Path(os.environ["BAYEGAN_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "bayegan"


def version_of(source_file: str | Path) -> str:
    """A table's version: the source of the module that derives it, and hazm's release."""
    digest = hashlib.sha256(Path(source_file).read_bytes()).hexdigest()[:16]
    return f"{digest}-hazm-{metadata.version('hazm')}"


def cached_table(name: str, version: str, build: Callable[[], T]) -> T:
    """The table ``name`` at ``version``: read from the cache folder, else built and written there.
    ``build`` must return what :mod:`marshal` keeps (dicts, tuples, strings, numbers)."""
    try:
        path = cache_dir() / f"{name}-{version}.marshal"
    except RuntimeError as exc:  # no home folder to put it in
        log.info("the table %s is not kept on disk (%s)", name, exc)
        return build()
    try:
        return marshal.loads(path.read_bytes())
    except FileNotFoundError:
        pass
    except (OSError, ValueError, EOFError, TypeError) as exc:
        log.warning("the cached table %s could not be read (%s); deriving it again", path, exc)
    table = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{name}-", delete=False) as out:
            out.write(marshal.dumps(table))
        os.replace(out.name, path)  # whole or absent: a reader never sees half a table
    except OSError as exc:
        log.info("the table %s is not kept on disk (%s)", name, exc)
        return table
    for older in path.parent.glob(f"{name}-*.marshal"):  # the versions this one replaces
        if older != path:
            older.unlink(missing_ok=True)
    return table


__all__ = ["cache_dir", "cached_table", "version_of"]
