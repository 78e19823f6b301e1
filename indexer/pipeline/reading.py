"""Reading a stored original: its text (:mod:`indexer.extract`) and what the text says of the document
(:func:`indexer.metadata.read_metadata`), both in the extraction child.

The metadata readers are pure Python and cost as much as indexing the text: run in the child, they
take the other core, and the process that writes the index (one, whose threads share one interpreter
lock) is left to index. The forkserver imports this module and folds the readers' word lists once
(:mod:`indexer.metadata.preload`), so each child starts warm.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jdatetime

from archive import Organization
from indexer.extract import Extraction, extract, extract_in_worker
from indexer.extract.worker import preload_in_children
from indexer.metadata import Metadata, read_metadata


@dataclass(frozen=True)
class Reading:
    extraction: Extraction
    meta: Metadata


@dataclass(frozen=True)
class FileReader:
    """What the extraction child runs on a stored file (picklable: it crosses to the child)."""
    filename: str                               # the name the clerk gave the file
    organizations: tuple[Organization, ...]

    def __call__(self, path: str) -> Reading:
        extraction = extract(path)
        meta = read_metadata(extraction.text, Path(self.filename).stem, self.organizations)
        apply_file_metadata(meta, extraction)
        return Reading(extraction, meta)


def read_stored(path: Path, filename: str, organizations: tuple[Organization, ...], timeout: float) -> Reading:
    """Extract and read one stored file in a child process (see :func:`indexer.extract.extract_in_worker`
    for the time limit and the errors raised)."""
    return extract_in_worker(path, timeout=timeout, reader=FileReader(filename, organizations))


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
