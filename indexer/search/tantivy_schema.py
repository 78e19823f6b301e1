"""The Tantivy schema of Bayegan, and index records turned into Tantivy documents.

The fields mirror :mod:`indexer.search.schema` (the Whoosh schema): a record is a document or one of
its resolutions, with the document's metadata. The text fields are analyzed by Bayegan's own Persian
analyzers (the ones Whoosh runs, :mod:`indexer.search.analysis`) and handed to Tantivy already
tokenized (``exact``, with its positions: ``tantivy.PreTokenizedString``; the fields without positions
as their terms joined by spaces), so both engines index the same words at the same places and phrases
and word pairs behave alike. Metadata fields are single raw terms;
those that are counted or grouped (``doc_id``, ``hit_type``, ``kind``, ``organization``, ``year``,
``state``) are also fast fields, read by ``aggregate``. Dates are fast integers (YYYYMMDD): ranges and
the date sort.
"""
from __future__ import annotations

from dataclasses import dataclass

import tantivy

from indexer.search import persian
from indexer.search.analysis import exact_analyzer, root_analyzer, shingle_analyzer, stemming_analyzer, text_terms
from indexer.search.prepared import PREPARED

# Raw single-term fields, stored (what a hit shows), and those of them that are fast.
STORED = ("key", "doc_id", "hit_type", "anchor", "resolution_number", "kind", "organization", "number",
          "date", "year", "state", "due", "filename", "version")
FAST = ("doc_id", "hit_type", "kind", "organization", "year", "state")
SHOWN_TITLE = "shown_title"  # the title as shown (stored); ``title`` is the ranked one (indexed)
# Analyzed fields: (analyzer factory, what is indexed of each term).
ANALYZED = {
    "title": (stemming_analyzer, "freq"),
    "content": (stemming_analyzer, "freq"),
    "exact": (exact_analyzer, "position"),
    "shingles": (shingle_analyzer, "freq"),
    "roots": (root_analyzer, "freq"),
    "org_terms": (exact_analyzer, "basic"),
    "number_terms": (exact_analyzer, "basic"),
}
# Phrases are looked for in ``exact`` alone (indexer.search.query): its terms are handed over
# pre-tokenized, positions kept (two spellings of a word share one). The other fields need no
# positions: their terms are joined by spaces and split again by Tantivy's whitespace tokenizer, which
# costs a tenth of building a Token object a term in Python.
POSITIONED = frozenset({"exact"})
TERMS_TOKENIZER = "bayegan_terms"
MAX_TERM_CHARS = 4096  # longer "words" (a pasted blob) are left out: Tantivy refuses terms past 64 KB
DATES = ("date", "due")  # Jalali YYYY-MM-DD, also indexed as the integers <name>_number


def number_field(name: str) -> str:
    return f"{name}_number"


def date_number(value: str) -> int | None:
    """A Jalali ``YYYY-MM-DD`` as the integer YYYYMMDD that ranges and the date sort use."""
    digits = (value or "").replace("-", "")
    return int(digits) if len(digits) == 8 and digits.isdigit() else None


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    for name in STORED:
        builder.add_text_field(name, stored=True, fast=name in FAST, tokenizer_name="raw", index_option="basic")
    builder.add_text_field(SHOWN_TITLE, stored=True, tokenizer_name="raw", index_option="basic")
    for name, (_, option) in ANALYZED.items():
        builder.add_text_field(name, stored=False, index_option=option,
                               tokenizer_name="raw" if name in POSITIONED else TERMS_TOKENIZER)
    for name in DATES:
        builder.add_unsigned_field(number_field(name), indexed=True, fast=True)
    return builder.build()


def register_tokenizers(index: tantivy.Index) -> None:
    """What every opened index needs to read records as :class:`RecordConverter` writes them."""
    index.register_tokenizer(TERMS_TOKENIZER, tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build())


def _field_value(name: str, pairs: list[tuple[str, int]]) -> list[tuple[str, int]] | str:
    """What a field is given of its (term, position) pairs: each pair once, over-long terms left out;
    the pairs themselves for a positioned field, else the terms joined by spaces."""
    unique = dict.fromkeys(pairs)
    if name in POSITIONED:
        return [(w, p) for w, p in unique if w and len(w) <= MAX_TERM_CHARS]
    return " ".join(w for w, _ in unique if w and len(w) <= MAX_TERM_CHARS)


def text_values(analyses: persian.WordAnalyses, text: str) -> dict[str, list[tuple[str, int]] | str]:
    """The values of the four text fields (``content``, ``exact``, ``shingles``, ``roots``) for one text, from
    one analysis of it (:func:`indexer.search.analysis.text_terms`). Made ahead in an extraction child
    when the text came through an import (:mod:`indexer.search.prepared`): then taken, not made."""
    ready = PREPARED.take(text)
    if ready is not None:
        return ready
    return {name: _field_value(name, pairs) for name, pairs in text_terms(analyses, text).items()}


class RecordConverter:
    """Turns the records of :func:`indexer.pipeline.records.document_records` into Tantivy documents,
    through the analyzers of one :class:`~indexer.search.persian.WordAnalyses` (the index's).

    A record's text feeds four fields (``content``, ``exact``, ``shingles``, ``roots``): it is analyzed
    once and the four read off it (:func:`indexer.search.analysis.text_terms`). A title whose weight is 0
    (``_title_boost``: a phrase of the file name, see :data:`indexer.search.schema.TITLE_WEIGHTS`) is
    shown but not indexed as a title, as Whoosh gives it no weight; its words are in the text fields anyway. A record's own boost (``_boost``, a resolution's)
    is applied to its score by the engine after ranking (:mod:`indexer.search.tantivy_index`)."""

    def __init__(self, analyses: persian.WordAnalyses | None = None) -> None:
        self.analyses = analyses or persian.PLAIN
        self._analyzers = {name: make(self.analyses) for name, (make, _) in ANALYZED.items()}

    def terms(self, fieldname: str, text: str) -> list[tuple[str, int]]:
        """The field's (term, position) pairs through its analyzer."""
        return [(t.text, t.pos) for t in self._analyzers[fieldname](text, positions=True, mode="index")]

    def analyzed(self, record: dict) -> "Analyzed":
        """What Tantivy is given of a record, as plain values (the part of the conversion that costs:
        our analysis; picklable, so it can run in another process, see
        :mod:`indexer.search.tantivy_batches`)."""
        stored = [(name, str(record[name])) for name in STORED if record.get(name)]
        if record.get("title"):
            stored.append((SHOWN_TITLE, record["title"]))
        shared = record.get("content")
        if shared and all(record.get(name) is shared for name in ("exact", "shingles", "roots")):
            values = text_values(self.analyses, shared)  # one text, four fields (schema.text_fields)
        else:
            values = {}
        positioned, joined = [], []
        for name in ANALYZED:
            text = record.get(name)
            if not text or (name == "title" and not record.get("_title_boost", 1.0)):
                continue
            value = values[name] if name in values else _field_value(name, self.terms(name, text))
            if value:
                (positioned if name in POSITIONED else joined).append((name, value))
        numbers = [(number_field(name), date_number(record.get(name) or "")) for name in DATES]
        return Analyzed(stored, positioned, joined, [(name, n) for name, n in numbers if n is not None])

    def document(self, record: dict) -> tantivy.Document:
        return self.analyzed(record).document()


@dataclass(frozen=True)
class Analyzed:
    """One record's values for Tantivy: stored raw terms, pre-tokenized fields ((term, position)
    pairs), fields of terms joined by spaces, and the dates' integers."""

    stored: list[tuple[str, str]]
    positioned: list[tuple[str, list[tuple[str, int]]]]
    joined: list[tuple[str, str]]
    numbers: list[tuple[str, int]]

    def document(self) -> tantivy.Document:
        doc = tantivy.Document()
        for name, value in self.stored:
            doc.add_text(name, value)
        for name, pairs in self.positioned:
            doc.add_pre_tokenized_text(name, tantivy.PreTokenizedString("", [tantivy.Token(w, p, 0, 0) for w, p in pairs]))
        for name, text in self.joined:
            doc.add_text(name, text)
        for name, number in self.numbers:
            doc.add_unsigned(name, number)
        return doc


__all__ = ["Analyzed", "RecordConverter", "build_schema", "date_number", "number_field", "register_tokenizers",
           "text_values"]
