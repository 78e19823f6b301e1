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

from indexer import persian
from indexer.analysis import ShingleFilter, exact_analyzer, shingle_analyzer, stemming_analyzer
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


def word_pairs(words: list[tuple[str, int]], max_forms: int = ShingleFilter().max_forms) -> list[tuple[str, int]]:
    """What :class:`indexer.analysis.ShingleFilter` makes of a stream of (word, position): the forms
    of each run of one position (at most ``max_forms``), glued to those of the next run."""
    runs: list[tuple[int, list[str]]] = []
    for word, pos in words:
        if runs and runs[-1][0] == pos:
            if len(runs[-1][1]) < max_forms and word not in runs[-1][1]:
                runs[-1][1].append(word)
        else:
            runs.append((pos, [word]))
    return [(a + b, first[0]) for first, second in zip(runs, runs[1:]) for a in first[1] for b in second[1]]


class RecordConverter:
    """Turns the records of :func:`indexer.index.document_records` into Tantivy documents.

    A record's text feeds three fields (``content`` stemmed, ``exact``, ``shingles``): it is analyzed
    once, by the exact analyzer, and the stems and word pairs are derived from its words as the
    stemming and shingle analyzers derive them (a test holds the two ways equal). Other fields go
    through their analyzer."""

    def __init__(self) -> None:
        self._analyzers = {name: make() for name, (make, _) in ANALYZED.items()}
        self._exact = exact_analyzer()

    def tokens(self, fieldname: str, text: str) -> list[tantivy.Token]:
        """The field's tokens through its analyzer, each (word, position) once."""
        return _tokens((t.text, t.pos) for t in self._analyzers[fieldname](text, positions=True, mode="index"))

    def text_tokens(self, text: str) -> dict[str, list[tantivy.Token]]:
        """The tokens of ``content``, ``exact`` and ``shingles`` for one text, analyzed once."""
        words = [(t.text, t.pos) for t in self._exact(text, positions=True, mode="index")]
        return {"exact": _tokens(words), "content": _tokens((persian.stem(w), p) for w, p in words),
                "shingles": _tokens(word_pairs(words))}

    def document(self, record: dict) -> tantivy.Document:
        doc = tantivy.Document()
        for name in STORED:
            value = record.get(name)
            if value and name != "title":
                doc.add_text(name, value)
        shared = record.get("content")
        if shared and record.get("exact") is shared and record.get("shingles") is shared:
            analyzed = self.text_tokens(shared)  # one text, three fields (indexer.schema.text_fields)
        else:
            analyzed = {}
        for name in ANALYZED:
            text = record.get(name)
            if text:
                tokens = analyzed[name] if name in analyzed else self.tokens(name, text)
                doc.add_pre_tokenized_text(name, tantivy.PreTokenizedString(text if name == "title" else "", tokens))
        number = date_number(record.get("date") or "")
        if number is not None:
            doc.add_unsigned("date_number", number)
        return doc


def _tokens(pairs) -> list[tantivy.Token]:
    """Tokens of (word, position) pairs, each pair once (a word's two hamza spellings share a position)."""
    return [tantivy.Token(word, pos, 0, 0) for word, pos in dict.fromkeys(pairs) if word]
