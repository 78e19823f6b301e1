"""Pages set in columns, read column by column.

pdftotext (in its default mode) joins the lines of side-by-side columns when they share a baseline,
so a three-column magazine page comes out line by line across the columns. pypdfium2's text
rectangles show where the columns are: a gutter is a vertical band, inside the text's width, that
no line of text crosses. Each column is then read by pdftotext cropped to it (``-x -y -W -H``),
so the reading keeps pdftotext's ZWNJ and repairs; columns go right to left on a Persian page
(left to right on a page mostly in Latin letters).
A headline over the columns (type much larger than the body's) is read first.

Measured on R07 (InDesign, three columns, ../shared/real-docs) with the probe phrases of
bench/real_docs.py: see docs/extraction.md.

Only pages whose lines are short (a column's width) are looked at, because the rectangles cost
about 17 ms a page.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from statistics import median

MIN_LINES = 12
MAX_MEDIAN_LINE_CHARS = 55     # longer lines: one column across the page
MIN_GUTTER_PT = 8
FULL_LINE = 0.6                # most of a column's text is in lines this much of its width (else: a table)
MIN_COLUMN_WIDTH = 0.2         # of the text's width: narrower strips are page numbers, not columns
MIN_COLUMN_SHARE = 0.12        # of the text rectangles, for a column to count as one
WORD_SPACE = 1.0               # of the usual line height: a gap this wide or less joins two runs
HEADLINE_SIZE = 1.6            # a rectangle this many times the usual height is a headline


def looks_like_columns(text: str) -> bool:
    """Cheap test on pdftotext's reading: many short lines."""
    lines = [ln.strip() for ln in text.split("\n") if len(ln.strip()) > 3]
    return len(lines) >= MIN_LINES and median(len(ln) for ln in lines) <= MAX_MEDIAN_LINE_CHARS


def _segments(rects: list, usual: float) -> list[tuple[float, float, float, float]]:
    """The rectangles of each line merged where they are a word space apart: a line's runs of text."""
    rows: list[list] = []
    for r in sorted(rects, key=lambda r: -(r[1] + r[3])):
        middle = (r[1] + r[3]) / 2
        if rows and rows[-1][0][1] <= middle <= rows[-1][0][3]:  # within the row's first rectangle
            rows[-1].append(r)
        else:
            rows.append([r])
    merged = []
    for row in rows:
        row.sort(key=lambda r: r[0])
        current = list(row[0])
        for r in row[1:]:
            if r[0] - current[2] <= WORD_SPACE * usual:
                current = [current[0], min(current[1], r[1]), max(current[2], r[2]), max(current[3], r[3])]
            else:
                merged.append(tuple(current))
                current = list(r)
        merged.append(tuple(current))
    return merged


def _gutters(segments: list, width: float) -> list[tuple[int, int]]:
    """Vertical bands (x0, x1) inside the text's width that no line crosses."""
    cover = [0] * (int(width) + 2)
    for left, _bottom, right, _top in segments:
        for x in range(max(0, int(left)), min(len(cover), int(right) + 1)):
            cover[x] += 1
    lo = int(min(r[0] for r in segments))
    hi = int(max(r[2] for r in segments))
    gutters, start = [], None
    for x in range(lo, hi + 1):
        if cover[x] == 0:
            start = x if start is None else start
        else:
            if start is not None and x - start >= MIN_GUTTER_PT:
                gutters.append((start, x))
            start = None
    return gutters


def column_regions(page) -> list[tuple[float, float, float, float]] | None:
    """The regions (x0, top, x1, bottom in points from the top left) to read in order, or None when
    the page is one column. ``page`` is a pypdfium2 page."""
    textpage = page.get_textpage()
    rects = [textpage.get_rect(i) for i in range(textpage.count_rects())]
    if len(rects) < 2 * MIN_LINES:
        return None
    width, height = page.get_size()
    # a headline over the columns: type much larger than the body's, above all of the body
    usual = median(r[3] - r[1] for r in rects)
    big = [r for r in rects if r[3] - r[1] >= HEADLINE_SIZE * usual]
    band: list = []
    if big:
        top = max(big, key=lambda r: r[3])
        band = [r for r in rects if top[1] - 2 <= (r[1] + r[3]) / 2 <= top[3] + 2]
        body = [r for r in rects if r not in band]
        if not body or max(r[3] for r in body) > top[1] + 2:
            band = []  # the large type is not above all of the body
    top_of_body = min(r[1] for r in band) if band else height
    rects = _segments([r for r in rects if r not in band], usual)
    gutters = _gutters(rects, width)
    while gutters:
        edges = [min(r[0] for r in rects)] + [sum(g) / 2 for g in gutters] + [max(r[2] for r in rects)]
        counts = [sum(1 for r in rects if a <= (r[0] + r[2]) / 2 < b) for a, b in zip(edges, edges[1:])]
        spans = [b - a for a, b in zip(edges, edges[1:])]
        narrow = [i for i, span in enumerate(spans) if span < MIN_COLUMN_WIDTH * (edges[-1] - edges[0])]
        smallest = narrow[0] if narrow else min(range(len(counts)), key=counts.__getitem__)
        if not narrow and counts[smallest] >= MIN_COLUMN_SHARE * len(rects):
            break
        # a narrow or nearly empty strip (page numbers, a running title): merge it into its neighbour
        gutters.pop(min(smallest, len(gutters) - 1))
    if not gutters:
        return None
    edges = [min(r[0] for r in rects)] + [sum(g) / 2 for g in gutters] + [max(r[2] for r in rects)]
    for a, b in zip(edges, edges[1:]):
        widths = [r[2] - r[0] for r in rects if a <= (r[0] + r[2]) / 2 < b]
        full = sum(w for w in widths if w >= FULL_LINE * (b - a))
        if full < 0.5 * sum(widths):
            return None  # short pieces side by side: a table, read best row by row
    regions = []
    cut = 0.0
    if band:
        cut = height - top_of_body - 1  # from the top
        regions.append((0.0, 0.0, width, cut))
    bounds = [0.0] + [sum(g) / 2 for g in gutters] + [width]
    columns = [(a, cut, b, height) for a, b in zip(bounds, bounds[1:])]
    text = textpage.get_text_range()
    arabic = sum(1 for c in text if "\u0600" <= c <= "\u06ff" or "\ufb50" <= c <= "\ufeff")
    latin = sum(1 for c in text if c.isascii() and c.isalpha())
    return regions + (columns[::-1] if arabic >= latin else columns)  # Persian right to left


def read_region(path: Path, number: int, region: tuple[float, float, float, float],
                timeout: float) -> str:
    """pdftotext's reading of one region of page ``number`` (0-based)."""
    x0, top, x1, bottom = region
    proc = subprocess.run([shutil.which("pdftotext") or "pdftotext", "-enc", "UTF-8", "-q",
                           "-f", str(number + 1), "-l", str(number + 1),
                           "-x", str(int(x0)), "-y", str(int(top)), "-W", str(int(x1 - x0) + 1),
                           "-H", str(int(bottom - top) + 1), str(path), "-"],
                          capture_output=True, timeout=timeout, check=False)
    return proc.stdout.decode("utf-8", errors="replace").replace("\f", "").strip()


__all__ = ["looks_like_columns", "column_regions", "read_region"]
