"""BM25F with each segment's field lengths read once into memory.

Whoosh's BM25F asks the segment for a record's field length at every posting it scores, and each ask
is a seek and a one-byte read on the length column (the index is read as files, not memory-mapped:
see ``SearchIndex.ix``). Profiled at 10,000 documents that was 45% of ranking a common word. The
lengths of a segment never change (a deletion leaves them), so each (segment, field) column is read
once, as one byte string of one byte a record, and shared by every searcher and thread of the process.
The scores are Whoosh's own, the same byte-coded lengths through the same ``byte_to_length``, but for
the inverse document frequency: BM25's own, ``log(1 + (N - n + 0.5) / (n + 0.5))`` (Robertson and
Spärck Jones's, as Lucene and Tantivy compute it), not Whoosh's ``log(N / (n + 1)) + 1``, whose "+ 1"
gives a word found in every record a weight of 1 where BM25's gives it almost 0. Both engines then
weigh a word alike; measured in docs/ranking.md (thirteenth session).
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from math import log

from whoosh import scoring
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.util.numeric import byte_to_length

# The length a byte stands for; 0 is "no length recorded", which Whoosh's scorers read as 1.
_LENGTHS = tuple(byte_to_length(b) if b else 1 for b in range(256))
MAX_CACHED_COLUMNS = 256  # (segment, field) pairs; 1 byte a record each


class _LengthCache:
    """The length columns of recent segments, newest use last."""

    def __init__(self) -> None:
        self._columns: OrderedDict[tuple[str, str], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def column(self, reader, fieldname: str) -> bytes | None:
        """The byte-coded lengths of ``fieldname`` in a segment reader, or None when the reader is
        not a single segment (the caller falls back to Whoosh's own lookups)."""
        segment = getattr(reader, "segment", lambda: None)()
        if segment is None:
            return None
        key = (segment.segment_id(), fieldname)
        with self._lock:
            data = self._columns.get(key)
            if data is not None:
                self._columns.move_to_end(key)
                return data
        data = _read_column(reader, fieldname)
        if data is None:
            return None
        with self._lock:
            self._columns[key] = data
            while len(self._columns) > MAX_CACHED_COLUMNS:
                self._columns.popitem(last=False)
        return data


def _read_column(reader, fieldname: str) -> bytes | None:
    perdoc = getattr(reader, "_perdoc", None)
    if perdoc is None or not hasattr(perdoc, "_cached_reader"):
        return None
    column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is None:
        return b""
    raw = getattr(column, "_dbfile", None)
    if raw is not None and getattr(column, "_fixedlen", 0) == 1:
        return bytes(raw.get(column._basepos, column._count))  # the whole column in one read
    return bytes(column.load())  # record by record


_CACHE = _LengthCache()


class BM25F(scoring.BM25F):
    """Whoosh's BM25F with BM25's inverse document frequency, reading field lengths from the
    process-wide cache."""

    def idf(self, searcher, fieldname, text):
        parent = searcher.get_parent()  # the statistics of the whole index, not of one segment
        n = parent.doc_frequency(fieldname, text)
        return log(1 + (parent.doc_count_all() - n + 0.5) / (n + 0.5))

    def scorer(self, searcher, fieldname, text, qf=1):
        scorer = super().scorer(searcher, fieldname, text, qf=qf)
        if isinstance(scorer, scoring.BM25FScorer):
            lengths = _CACHE.column(searcher.reader(), fieldname)
            if lengths is not None:
                count = len(lengths)
                scorer.dfl = lambda docid: _LENGTHS[lengths[docid]] if docid < count else 1
        return scorer
