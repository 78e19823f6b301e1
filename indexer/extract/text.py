"""Plain text files: UTF-8 (with or without BOM), UTF-16 (with or without BOM), Windows-1256.

The encoding is decided by rules that cannot silently go wrong on Persian: a BOM decides; otherwise
UTF-16 when every other byte is a Persian or Latin high byte; otherwise strict UTF-8; otherwise
Windows-1256 (the Persian Windows code page), accepted only when the result reads as Persian.
Anything else is refused rather than guessed.
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path

from indexer.errors import UnsupportedFormat
from indexer.extract.detect import looks_like_utf16

_PERSIAN = re.compile(r"[\u0600-\u06ff]")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


def decode_text(data: bytes) -> str:
    """Decode the bytes of a text file.

    :raises UnsupportedFormat: when no supported encoding reads the bytes cleanly.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise UnsupportedFormat(f"text file with a {encoding} mark is not valid {encoding}",
                                        "پرونده متنی با کدگذاری اعلام‌شده‌اش خوانا نیست.") from exc
    utf16 = looks_like_utf16(data[:8192])
    if utf16:
        try:
            return data.decode(utf16)
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError:
        text = ""
    letters = [c for c in text if c.isalpha()]
    if letters and sum(1 for c in letters if _PERSIAN.match(c)) / len(letters) >= 0.5:
        return text
    raise UnsupportedFormat("text encoding not recognised (expected UTF-8, UTF-16 or Windows-1256)",
                            "کدگذاری پرونده متنی شناخته نشد (UTF-8، UTF-16 یا Windows-1256 پذیرفته است).")


def extract_text(path: Path) -> list[str]:
    """One page holding the whole file."""
    return [decode_text(Path(path).read_bytes())]
