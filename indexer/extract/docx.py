"""Word documents (DOCX): everything a reader sees, each once, by a walk of the XML.

python-docx misses text boxes, footnotes and endnotes, tracked insertions, content controls, simple
fields and list labels, and returns a merged cell once per spanned column; this walk visits the
package's parts itself: headers, the body, footnotes, endnotes, footers. It keeps tracked insertions
and drops deletions (Word shows the document as if the changes were accepted), takes a drawing's
modern text box and not its legacy fallback copy, and skips field codes but keeps their results.
The package is opened with a cap on what it may unpack (zip bombs) and its XML without entities.
"""
from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

from lxml import etree

from indexer.errors import CorruptFile, DecompressionBomb
from indexer.extract.docx_numbering import Numbering, w

MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_PART = 64 * 1024 * 1024
MAX_ENTRIES = 10_000
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
_SKIP = {w(t) for t in ("pPr", "rPr", "sdtPr", "del", "moveFrom", "delText", "instrText", "delInstrText",
                        "fldData", "tblPr", "tblGrid", "trPr", "tcPr", "sectPr", "commentReference")}
_CHARS = {w("tab"): "\t", w("br"): "\n", w("cr"): "\n", w("noBreakHyphen"): "-", w("softHyphen"): ""}


def _bomb() -> DecompressionBomb:
    return DecompressionBomb("DOCX unpacks to more than 200 MB (a zip bomb?)",
                             "پرونده DOCX پس از بازشدن بیش از حد بزرگ می‌شود (احتمال بمب زیپ).")


def _damaged(detail: object) -> CorruptFile:
    return CorruptFile(f"damaged DOCX: {detail}", "پرونده DOCX خراب است.")


class _Package:
    """The zip's parts, each read with a cap, whatever sizes its directory claims."""

    def __init__(self, zf: zipfile.ZipFile):
        infos = zf.infolist()
        if len(infos) > MAX_ENTRIES or sum(i.file_size for i in infos) > MAX_UNCOMPRESSED:
            raise _bomb()
        self.zf = zf
        self.names = {i.filename for i in infos}

    def xml(self, name: str):
        if name not in self.names:
            return None
        with self.zf.open(name) as fh:
            data = fh.read(MAX_PART + 1)
        if len(data) > MAX_PART:
            raise _bomb()
        try:
            return etree.fromstring(data, _PARSER)
        except etree.XMLSyntaxError as exc:
            raise _damaged(f"{name}: {exc}") from exc


class _Walker:
    def __init__(self, numbering: Numbering):
        self.numbering = numbering

    def blocks(self, container) -> list[str]:
        """The lines of a block container: body, cell, text box, header, note, content control."""
        lines: list[str] = []
        for child in container:
            tag = child.tag
            if tag == w("p"):
                lines.extend(self.paragraph(child))
            elif tag == w("tbl"):
                lines.extend(self.table(child))
            elif tag == f"{{{MC}}}AlternateContent":
                choice = child.find(f"{{{MC}}}Choice")
                if choice is not None:
                    lines.extend(self.blocks(choice))
            elif tag not in _SKIP and isinstance(tag, str):
                lines.extend(self.blocks(child))  # sdt, sdtContent, ins, moveTo, customXml
        return lines

    def paragraph(self, p) -> list[str]:
        texts: list[str] = []
        boxes: list[str] = []
        self._inline(p, texts, boxes)
        line = re.sub(r"[ \t]*\n[ \t]*", "\n", "".join(texts)).strip()
        ppr = p.find(w("pPr"))
        rtl = ppr is not None and ppr.find(w("bidi")) is not None
        label = self.numbering.label(p, rtl)
        if label and line:
            line = f"{label} {line}"
        return ([line] if line else []) + boxes

    def _inline(self, element, texts: list[str], boxes: list[str]) -> None:
        for child in element:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == w("t"):
                texts.append(child.text or "")
            elif tag in _CHARS:
                texts.append(_CHARS[tag])
            elif tag == w("txbxContent"):
                boxes.extend(self.blocks(child))
            elif tag == f"{{{MC}}}AlternateContent":
                choice = child.find(f"{{{MC}}}Choice")
                if choice is not None:
                    self._inline(choice, texts, boxes)
            else:
                self._inline(child, texts, boxes)  # r, hyperlink, ins, moveTo, sdt, fldSimple, drawing

    def _children(self, element, tag: str):
        """Rows of a table or cells of a row, also when wrapped in a content control or custom XML."""
        for child in element:
            if child.tag == w(tag):
                yield child
            elif child.tag in (w("sdt"), w("sdtContent"), w("customXml")):
                yield from self._children(child, tag)

    def table(self, tbl) -> list[str]:
        lines = []
        for row in self._children(tbl, "tr"):
            trpr = row.find(w("trPr"))
            if trpr is not None and trpr.find(w("del")) is not None:
                continue  # a deleted row
            cells = []
            for cell in self._children(row, "tc"):
                tcpr = cell.find(w("tcPr"))
                merge = [tcpr.find(w(t)) for t in ("vMerge", "hMerge")] if tcpr is not None else []
                if any(m is not None and m.get(w("val")) in (None, "continue") for m in merge):
                    continue  # the rest of a merged cell: its text is in the cell that starts it
                text = "\n".join(self.blocks(cell)).strip()
                if text:
                    cells.append(text)
            if cells:
                lines.append(" | ".join(cells))
        return lines


def _part_names(names: set[str], kind: str) -> list[str]:
    found = [n for n in names if re.fullmatch(rf"word/{kind}\d*\.xml", n)]
    return sorted(found, key=lambda n: int(re.sub(r"\D", "", n) or 0))


def _notes(walker: _Walker, root) -> list[str]:
    lines = []
    if root is not None:
        for note in root:
            if note.get(w("type")) in (None, "normal"):
                lines.extend(walker.blocks(note))
    return lines


def extract_docx(path: Path) -> list[str]:
    """The document's text as one page (DOCX has no fixed pages).

    :raises DecompressionBomb: when the package would unpack to an absurd size.
    :raises CorruptFile: when the file is not a readable DOCX.
    """
    try:
        with zipfile.ZipFile(path) as zf:
            package = _Package(zf)
            document = package.xml("word/document.xml")
            if document is None:
                raise _damaged("no word/document.xml")
            walker = _Walker(Numbering(package.xml("word/numbering.xml"), package.xml("word/styles.xml")))
            body = document.find(w("body"))
            heads, feet = [], []
            for kind, out in (("header", heads), ("footer", feet)):
                for name in _part_names(package.names, kind):
                    text = "\n".join(walker.blocks(package.xml(name)))
                    if text and text not in out:  # first-page and even-page copies say the same
                        out.append(text)
            lines = heads + (walker.blocks(body) if body is not None else [])
            lines += _notes(walker, package.xml("word/footnotes.xml"))
            lines += _notes(walker, package.xml("word/endnotes.xml"))
            lines += feet
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, ValueError, EOFError, OSError,
            RuntimeError, NotImplementedError, zlib.error) as exc:
        raise _damaged(exc) from exc
    return ["\n".join(lines).strip()]


__all__ = ["extract_docx"]
