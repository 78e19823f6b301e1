"""Word documents (DOCX): body paragraphs and tables, in reading order, each cell once."""
from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from docx.oxml.ns import qn

from indexer.errors import CorruptFile

MAX_UNCOMPRESSED = 200 * 1024 * 1024


def _cell_texts(table) -> list[str]:
    lines, seen = [], []
    for row in table.rows:
        cells = []
        for cell in row.cells:
            if any(cell._tc is tc for tc in seen):  # a merged cell comes back once per spanned column
                continue
            seen.append(cell._tc)
            text = "\n".join(p.text for p in cell.paragraphs).strip()
            nested = [t for inner in cell.tables for t in _cell_texts(inner)]
            cells.append("\n".join([text] + nested).strip())
        line = " | ".join(c for c in cells if c)
        if line:
            lines.append(line)
    return lines


def extract_docx(path: Path) -> list[str]:
    """The document's text as one page (DOCX has no fixed pages).

    :raises CorruptFile: when the file is not a readable DOCX or would unpack to an absurd size.
    """
    try:
        with zipfile.ZipFile(path) as zf:
            if sum(info.file_size for info in zf.infolist()) > MAX_UNCOMPRESSED:
                raise CorruptFile("DOCX unpacks to more than 200 MB (a zip bomb?)",
                                  "پرونده DOCX پس از بازشدن بیش از حد بزرگ است (احتمال بمب زیپ).")
        document = docx.Document(str(path))
    except CorruptFile:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise CorruptFile(f"damaged DOCX: {exc}", "پرونده DOCX خراب است.") from exc
    parts: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            text = "".join(t.text or "" for t in child.iter(qn("w:t")))
            parts.append(text)
        elif child.tag == qn("w:tbl"):
            from docx.table import Table

            parts.extend(_cell_texts(Table(child, document)))
    return ["\n".join(parts).strip()]
