"""How the ``bayegan`` commands and the extraction children they start log: one format, one level.

Without ``--verbose`` a clerk's ingest report holds the files' results and our own warnings only. The
PDF parser's notes on the damage it repaired by itself (pypdf: «incorrect startxref pointer»,
«Ignoring wrong pointing object»: a file read in full all the same) are for the administrator, shown
with ``--verbose``; a file that cannot be read fails with a reason of its own. The extraction children
are set up like their parent: without it, Python printed their libraries' warnings bare on the
clerk's terminal (its last-resort handler).
"""
from __future__ import annotations

import logging

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# libraries that warn about what they repaired while reading a file
REPAIR_NOTES = ("pypdf",)


def configure_logging(level: int) -> None:
    """Log to stderr at ``level`` (logging.INFO when verbose, else logging.WARNING); the parsers'
    repair notes only when verbose."""
    logging.basicConfig(level=level, format=LOG_FORMAT)
    for name in REPAIR_NOTES:
        logging.getLogger(name).setLevel(logging.NOTSET if level <= logging.INFO else logging.ERROR)


def current_level() -> int:
    """The level this process logs at: what its extraction children are set up with."""
    return logging.getLogger().getEffectiveLevel()


__all__ = ["LOG_FORMAT", "REPAIR_NOTES", "configure_logging", "current_level"]
