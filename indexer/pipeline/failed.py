"""The failed folder: files that could not be archived, each beside ``<name>.reason.txt`` holding the
reason a clerk reads (Persian on the first line, English on the second).

This module is the one owner of that format: the names (shortened to fit the file system with their
reason file, numbered when taken), the reason files, the listing the status pages show, and the
retry that puts files back into the inbox.
"""
from __future__ import annotations

import logging
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)
REASON_SUFFIX = ".reason.txt"
NAME_MAX_BYTES = 255 - len(REASON_SUFFIX) - len(" (999)")


@dataclass(frozen=True)
class FailedFile:
    """A file in the failed folder with its reason (Persian, English)."""

    name: str
    reason_fa: str
    reason: str
    size: int = 0
    mtime: float = 0.0


def _shorten(name: str) -> str:
    """The name cut (keeping its extension) so that it and its reason file fit a file system's limit."""
    stem, suffix = os.path.splitext(name)
    if len(suffix.encode("utf-8", "surrogateescape")) > 16:
        stem, suffix = name, ""
    while len((stem + suffix).encode("utf-8", "surrogateescape")) > NAME_MAX_BYTES:
        stem = stem[:-1]
    return stem + suffix


def free_name(folder: Path, name: str) -> Path:
    """``folder/name``, or ``folder/stem (n).suffix`` for the first n not taken."""
    target = folder / name
    stem, suffix, n = target.stem, target.suffix, 1
    while target.exists():
        target = folder / f"{stem} ({n}){suffix}"
        n += 1
    return target


class FailedFolder:
    """One archive's failed folder (``config.failed_dir``)."""

    def __init__(self, path: Path):
        self.path = Path(path)

    @staticmethod
    def _listed(path: Path) -> bool:
        return path.is_file() and not path.name.startswith(".") and not path.name.endswith(REASON_SUFFIX)

    def _reason_file(self, path: Path) -> Path:
        return path.with_name(path.name + REASON_SUFFIX)

    def target_for(self, name: str) -> Path:
        """A free name in the folder for a file called ``name`` (its reason file beside it fits too).
        A reason file left without its file (a crash between the two) is overwritten, not kept."""
        self.path.mkdir(parents=True, exist_ok=True)
        return free_name(self.path, _shorten(name))

    def put(self, path: Path, reason_fa: str, reason: str, target: Path | None = None) -> Path:
        """Move ``path`` into the folder (to ``target`` when one was chosen before), its reason first."""
        target = target or self.target_for(path.name)
        self._reason_file(target).write_text(f"{reason_fa}\n{reason}\n", encoding="utf-8")
        shutil.move(str(path), target)
        log.warning("moved %s to failed: %s", path.name, reason)
        return target

    def holds(self, name: str) -> bool:
        return (self.path / name).exists()

    def reason(self, name: str) -> tuple[str, str] | None:
        """(Persian, English) reason of the file called ``name``, None without a reason file."""
        try:
            lines = self._reason_file(self.path / name).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
        lines = lines.splitlines() + ["", ""]
        return lines[0].strip(), lines[1].strip()

    def files(self, limit: int | None = None) -> list[FailedFile]:
        """The failed files, newest first, with their reasons."""
        if not self.path.is_dir():
            return []
        paths = [p for p in self.path.iterdir() if self._listed(p)]
        paths.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        found = []
        for path in paths[:limit]:
            fa, en = self.reason(path.name) or ("", "")
            st = path.stat()
            name = os.fsencode(path.name).decode("utf-8", "backslashreplace")  # a name that is not UTF-8
            found.append(FailedFile(name, fa, en, st.st_size, st.st_mtime))
        return found

    def count(self) -> int:
        return sum(1 for p in self.path.iterdir() if self._listed(p)) if self.path.is_dir() else 0

    def copies_of(self, name: str) -> list[str]:
        """The names a file called ``name`` may have here: itself, then ``stem (n).suffix``."""
        stem, dot, suffix = name.rpartition(".")
        if not dot:
            stem, suffix = name, ""
        numbered = re.compile(re.escape(stem) + r" \(\d+\)" + re.escape(dot + suffix))
        if not self.path.is_dir():
            return []
        return [name] * self.holds(name) + sorted(p.name for p in self.path.iterdir()
                                                  if numbered.fullmatch(p.name) and self._listed(p))

    def retry(self, inbox: Path, names: list[str] | None = None) -> list[str]:
        """Move failed files (all, or those named, by their name in the folder) back into ``inbox``,
        removing their reason files. Names are matched against the folder's listing, never used as
        paths. Returns the names moved."""
        if not self.path.is_dir():
            return []
        wanted = set(names) if names is not None else None
        inbox.mkdir(parents=True, exist_ok=True)
        moved = []
        for path in sorted(self.path.iterdir()):
            if not self._listed(path) or (wanted is not None and path.name not in wanted):
                continue
            shutil.move(str(path), free_name(inbox, path.name))
            self._reason_file(path).unlink(missing_ok=True)
            moved.append(path.name)
        return moved
