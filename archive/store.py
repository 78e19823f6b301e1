"""The content-addressed store of originals: ``originals/ab/cd/<sha256>``.

Writes are atomic (a temporary file in the same folder, fsynced, then renamed, then the folder fsynced),
so a crash leaves either the whole original or nothing under its final name.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import BinaryIO, Iterator

from archive.errors import DamagedOriginal, StoreError

CHUNK = 1 << 20


def hash_file(path: str | os.PathLike) -> str:
    """The SHA-256 of a file's bytes, hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class DocumentStore:
    """Originals kept by the hash of their bytes; the same bytes are stored once."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def path_for(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise StoreError(f"not a sha256: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def contains(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def put(self, source: str | os.PathLike, expected: str | None = None) -> str:
        """Copy ``source`` into the store and return its SHA-256.

        The bytes are hashed while they are copied, so what is stored is what was hashed; with
        ``expected`` (a copy between stores) nothing is stored unless they hash to it.

        :raises DamagedOriginal: when the bytes do not hash to ``expected``.
        :raises StoreError: when the copy cannot be written.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        try:
            fd, tmp_name = tempfile.mkstemp(prefix=".incoming-", dir=self.root)
            with os.fdopen(fd, "wb") as out, open(source, "rb") as src:
                for chunk in iter(lambda: src.read(CHUNK), b""):
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            if expected is not None and sha != expected:
                os.unlink(tmp_name)
                raise DamagedOriginal(expected)
            final = self.path_for(sha)
            if final.is_file() and final.stat().st_size == os.path.getsize(tmp_name):
                os.unlink(tmp_name)
                return sha
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp_name, final)
            os.chmod(final, 0o444)
            _fsync_dir(final.parent)
            return sha
        except OSError as exc:  # DamagedOriginal is not an OSError: it passes through
            if "tmp_name" in locals() and os.path.exists(tmp_name):
                os.unlink(tmp_name)
            raise StoreError(f"cannot store {source}: {exc.strerror or exc}") from exc

    def open(self, sha256: str) -> BinaryIO:
        """Open a stored original for reading.

        :raises StoreError: when it is missing.
        """
        try:
            return open(self.path_for(sha256), "rb")
        except OSError as exc:
            raise StoreError(f"original {sha256} is missing from the store") from exc

    def verify(self, sha256: str) -> bool:
        """True when the stored bytes still hash to their name."""
        path = self.path_for(sha256)
        return path.is_file() and hash_file(path) == sha256

    def stored(self) -> Iterator[Path]:
        """Every original in the store (its name is its SHA-256)."""
        if self.root.is_dir():
            for path in self.root.glob("??/??/*"):
                if path.is_file() and not path.name.startswith("."):
                    yield path
