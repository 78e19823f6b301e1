"""The type of a file, detected from its bytes, never from its name."""
from __future__ import annotations

import zipfile
from pathlib import Path

import filetype

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT = "text/plain"


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return True
    if b"\x00" in head:
        return False
    control = sum(1 for b in head if b < 9 or 13 < b < 32)
    return control <= len(head) // 100


def detect_type(path: str | Path) -> str | None:
    """The MIME type from the file's content, or None when it is not a format Bayegan reads."""
    with open(path, "rb") as fh:
        head = fh.read(8192)
    if not head:
        return None
    if head.lstrip(b"\x00\t\n\r ").startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return PDF
    kind = filetype.guess(head)
    if kind is not None:
        if kind.mime in ("application/zip", DOCX):
            try:
                with zipfile.ZipFile(path) as zf:
                    names = set(zf.namelist())
            except (zipfile.BadZipFile, OSError):
                return DOCX if kind.mime == DOCX else None
            return DOCX if "word/document.xml" in names else None
        return kind.mime
    return TEXT if _looks_like_text(head) else None
