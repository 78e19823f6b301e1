"""The type of a file, detected from its bytes, never from its name."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import filetype

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT = "text/plain"
EMAIL = "message/rfc822"
PNG = "image/png"
JPEG = "image/jpeg"
TIFF = "image/tiff"
IMAGES = (PNG, JPEG, TIFF)

_HEADER_LINE = re.compile(rb"^([A-Za-z][A-Za-z0-9-]*):[ \t]?", re.MULTILINE)
_MAIL_HEADERS = {b"from", b"to", b"subject", b"date", b"message-id", b"mime-version", b"received",
                 b"return-path", b"content-type", b"cc", b"reply-to"}


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or looks_like_utf16(head):
        return True
    if b"\x00" in head:
        return False
    control = sum(1 for b in head if b < 9 or 13 < b < 32)
    return control <= len(head) // 100


def looks_like_utf16(head: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" for text written in UTF-16 without a byte order mark, else None.

    Persian in UTF-16 has 0x06 as the high byte of most characters and 0x00 for spaces and digits,
    so one byte of every pair falls in a tiny set.
    """
    sample = head[: len(head) - len(head) % 2]
    if len(sample) < 8:
        return None
    for name, high in (("utf-16-le", sample[1::2]), ("utf-16-be", sample[0::2])):
        if sum(1 for b in high if b in (0x00, 0x06, 0x20, 0xFB, 0xFE)) >= 0.95 * len(high) \
                and high.count(0) >= 0.1 * len(high):
            return name
    return None


def _looks_like_email(head: bytes) -> bool:
    """An RFC 822 message: it opens with header lines, at least two of them usual mail headers."""
    block = head.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0]
    lines = [line for line in block.split(b"\n") if line and line[:1] not in (b" ", b"\t")]
    if not lines or not all(_HEADER_LINE.match(line) or line.startswith(b"From ") for line in lines):
        return False
    names = {m.group(1).lower() for m in _HEADER_LINE.finditer(block)}
    return len(names & _MAIL_HEADERS) >= 2 and bool(names & {b"from", b"subject"})


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
    if _looks_like_email(head):
        return EMAIL
    return TEXT if _looks_like_text(head) else None
