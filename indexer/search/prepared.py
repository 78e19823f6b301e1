"""Texts analyzed ahead: what an extraction child made of a document's texts for the index, waiting
in the process that writes the index until its records are written.

A bulk import's critical path is the one process that writes the index (its threads share one
interpreter lock); the extraction child already holds the text, so on an engine fed pre-analyzed terms
(Tantivy: its ``prepare_text``, :func:`indexer.search.tantivy_schema.text_values`) it also analyzes the
texts the document's records will hold (:func:`indexer.pipeline.records.record_texts`) and sends the
result with the file's. The engine takes it from here instead of analyzing again. Keyed by a digest
of the text, so a text that changed in between (a folder rule's kind, a clerk's correction) is simply
analyzed again; kept pickled (a fraction of the memory of the lists), and bounded: what is never taken
(a duplicate file) is dropped oldest first.
"""
from __future__ import annotations

import hashlib
import pickle
import threading
from collections.abc import Callable, Iterable
from typing import Any

LIMIT_BYTES = 128 * 2**20  # kept at most (a 9,000-character text packs to ~60 KB: a thousand documents in 60 MB)


def text_key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def pack(terms: dict) -> bytes:
    return pickle.dumps(terms, protocol=pickle.HIGHEST_PROTOCOL)


def ahead(prepare: Callable[[Any, str], Any], analyses, texts: Iterable[str]) -> dict[bytes, bytes]:
    """``prepare(analyses, text)`` of each text, packed for :meth:`PreparedTexts.put` (what an
    extraction child sends)."""
    return {text_key(text): pack(prepare(analyses, text)) for text in dict.fromkeys(texts) if text}


class PreparedTexts:
    """What was made of texts in another process, by :func:`text_key`; each taken once."""

    def __init__(self, limit_bytes: int = LIMIT_BYTES) -> None:
        self.limit_bytes = limit_bytes
        self._packed: dict[bytes, bytes] = {}  # insertion order: the oldest first
        self._bytes = 0
        self._lock = threading.Lock()

    def put(self, packed: dict[bytes, bytes]) -> None:
        with self._lock:
            for key, value in packed.items():
                old = self._packed.pop(key, None)
                self._bytes += len(value) - (len(old) if old is not None else 0)
                self._packed[key] = value
            while self._bytes > self.limit_bytes and self._packed:
                self._bytes -= len(self._packed.pop(next(iter(self._packed))))

    def take(self, text: str) -> Any:
        """What was made of ``text`` elsewhere, once; None when nobody made it."""
        if not self._packed:
            return None
        with self._lock:
            value = self._packed.pop(text_key(text), None)
            if value is None:
                return None
            self._bytes -= len(value)
        return pickle.loads(value)

    def __len__(self) -> int:
        return len(self._packed)


PREPARED = PreparedTexts()

__all__ = ["PREPARED", "PreparedTexts", "ahead", "pack", "text_key"]
