"""Reading a stored original: its text (:mod:`indexer.extract`) and what the text says of the document
(:func:`indexer.metadata.read_metadata`), both in the extraction child.

The metadata readers are pure Python and cost as much as indexing the text: run in the child, they
take the other core, and the process that writes the index (one, whose threads share one interpreter
lock) is left to index. The forkserver imports this module and folds the readers' word lists once
(:mod:`indexer.metadata.preload`), so each child starts warm.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import jdatetime

from archive import Organization
from indexer.extract import Extraction, extract, extract_in_worker
from indexer.extract.worker import preload_in_children
from indexer.metadata import Metadata, read_metadata
from indexer.pipeline.records import record_texts
from indexer.search import analysis, persian
from indexer.search.prepared import PREPARED, ahead


@dataclass(frozen=True)
class Reading:
    extraction: Extraction
    meta: Metadata
    words: tuple = ({}, {}, None)               # the child's word analyses (persian.SharedWords.take)
    prepared: dict[bytes, bytes] = field(default_factory=dict)  # its records' texts analyzed ahead


@dataclass(frozen=True)
class FileReader:
    """What the extraction child runs on a stored file (picklable: it crosses to the child).
    ``prepare_text``: the index engine's analysis of a record's text, run here on the texts of the
    document's records (:mod:`indexer.search.prepared`); None for an engine that analyzes itself."""
    filename: str                               # the name the clerk gave the file
    organizations: tuple[Organization, ...]
    prepare_text: Callable[[persian.WordAnalyses, str], Any] | None = None

    def __call__(self, path: str) -> Reading:
        extraction = extract(path)
        text = extraction.text
        meta = read_metadata(text, Path(self.filename).stem, self.organizations)
        apply_file_metadata(meta, extraction)
        meta.read_dues()
        prepared = {}
        if self.prepare_text is not None:
            texts, short = record_texts(meta, text)
            prepared = ahead(self.prepare_text, persian.PLAIN, texts)
            analysis.text_terms(persian.PLAIN, "\n".join(short))  # their words, for the parent
        return Reading(extraction, meta, persian.SHARED.take(), prepared)


def read_stored(path: Path, filename: str, organizations: tuple[Organization, ...], timeout: float,
                analyses: persian.WordAnalyses = persian.PLAIN,
                prepare_text: Callable[[persian.WordAnalyses, str], Any] | None = None) -> Reading:
    """Extract and read one stored file in a child process (see :func:`indexer.extract.extract_in_worker`
    for the time limit and the errors raised). What the child analyzed is kept here for the index
    writer: its words, learned by ``analyses`` (the index's, whose memo keeps them for processes that
    only search: :meth:`indexer.search.persian.WordAnalyses.learn`) and, with ``prepare_text``, its
    records' texts analyzed ahead (:mod:`indexer.search.prepared`)."""
    reading = extract_in_worker(path, timeout=timeout, reader=FileReader(filename, organizations, prepare_text))
    analyses.learn(*reading.words)
    if reading.prepared:
        PREPARED.put(reading.prepared)
    return reading


def apply_file_metadata(meta: Metadata, extraction: Extraction) -> None:
    """What the file says of itself (an e-mail's Subject, Date and kind) wins over the text's guesses."""
    if extraction.title:
        meta.title, meta.title_source = extraction.title[:200], "file"
    if extraction.kind:
        meta.kind = extraction.kind
        meta.kind_reasons = [*meta.kind_reasons, f"file type: {extraction.mime}"]
    if extraction.date:
        meta.date_gregorian = extraction.date
        meta.date_jalali = jdatetime.date.fromgregorian(date=extraction.date).strftime("%Y-%m-%d")


preload_in_children(__name__, "indexer.metadata.preload")

__all__ = ["FileReader", "Reading", "apply_file_metadata", "read_stored"]
