"""Imported by the extraction worker's forkserver: the extractors, the Persian word list and the list
of Tesseract's models, loaded once there so that each forked child starts warm, and the recording of
word analyses for the parent (see
:mod:`indexer.extract.worker`)."""
from __future__ import annotations

import indexer.extract  # noqa: F401
from indexer.extract.lexicon import word_counts
from indexer.extract.ocr import installed_models
from indexer.search import persian

# what the forkserver and its children analyze goes to the parent with each file's result
# (indexer.search.persian.SharedWords): the words folded here first, with a child's first file
persian.SHARED.record()
word_counts()
persian.preload()  # hazm's normalizer, stemmer and its word table: the children stem what they analyze ahead
installed_models()
