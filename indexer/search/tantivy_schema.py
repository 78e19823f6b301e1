"""The Tantivy schema of Bayegan, and index records turned into Tantivy documents.

The fields mirror :mod:`indexer.schema` (the Whoosh schema): a record is a document or one of its
resolutions, with the document's metadata. The text fields are analyzed by Bayegan's own Persian
analyzers (the same ones Whoosh runs, in :mod:`indexer.analysis`) and handed to Tantivy already
tokenized, with their positions, so both engines index the same words at the same places. Metadata
fields are single raw terms; ``kind``, ``organization`` and ``year`` are also fast fields (facets),
``date_number`` (the Jalali date as YYYYMMDD) a fast integer (date ranges and the date sort).
"""
from __future__ import annotations

import tantivy

from indexer.analysis import exact_analyzer, shingle_analyzer, stemming_analyzer
from indexer.search.tantivy_query import date_number

STORED = ("key", "doc_id", "hit_type", "anchor", "resolution_number", "title", "kind", "organization",
          "number", "date", "year", "filename")
FACETS = ("kind", "organization", "year")
ANALYZED = {  # field: (analyzer, index option)
    "title": (stemming_analyzer, "position"),
    "content": (stemming_analyzer, "position"),
    "exact": (exact_analyzer, "position"),
    "shingles": (shingle_analyzer, "freq"),
    "org_terms": (exact_analyzer, "basic"),
    "number_terms": (exact_analyzer, "basic"),
}


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    for name in STORED:
        if name == "title":
            continue
        builder.add_text_field(name, stored=True, fast=name in FACETS or name == "doc_id",
                               tokenizer_name="raw", index_option="basic")
    for name, (_, option) in ANALYZED.items():
        builder.add_text_field(name, stored=name == "title", tokenizer_name="raw", index_option=option)
    builder.add_unsigned_field("date_number", indexed=True, fast=True)
    return builder.build()


class RecordConverter:
    """Turns the records of :func:`indexer.index.document_records` into Tantivy documents, each
    text analyzed once by our analyzers (their word cache serves the fields that share a text)."""

    def __init__(self) -> None:
        self._analyzers = {name: make() for name, (make, _) in ANALYZED.items()}

    def tokens(self, fieldname: str, text: str) -> list[tantivy.Token]:
        """The field's tokens, each (word, position) once: a word's two hamza spellings share a position."""
        analyzed = dict.fromkeys((t.text, t.pos) for t in self._analyzers[fieldname](text, positions=True, mode="index"))
        return [tantivy.Token(word, pos, 0, 0) for word, pos in analyzed if word]

    def document(self, record: dict) -> tantivy.Document:
        doc = tantivy.Document()
        for name in STORED:
            value = record.get(name)
            if value and name != "title":
                doc.add_text(name, value)
        for name in ANALYZED:
            text = record.get(name)
            if text:
                doc.add_pre_tokenized_text(name, tantivy.PreTokenizedString(
                    text if name == "title" else "", self.tokens(name, text)))
        number = date_number(record.get("date") or "")
        if number is not None:
            doc.add_unsigned("date_number", number)
        return doc
