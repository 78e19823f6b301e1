"""Imported by the extraction worker's forkserver: the extractors and the Persian word list, loaded
once there so that each forked child starts warm (see :mod:`indexer.extract.worker`)."""
from __future__ import annotations

import indexer.extract  # noqa: F401
from indexer.extract.lexicon import word_counts

word_counts()
