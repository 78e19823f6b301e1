"""Imported by the extraction worker's forkserver: the extractors, the Persian word list and the list
of Tesseract's models, loaded once there so that each forked child starts warm (see
:mod:`indexer.extract.worker`)."""
from __future__ import annotations

import indexer.extract  # noqa: F401
from indexer.extract.lexicon import word_counts
from indexer.extract.ocr import installed_models

word_counts()
installed_models()
