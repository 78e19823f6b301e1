"""The follow-up states of a resolution in the decision register, with their Persian names.

Kept apart from :mod:`indexer.metadata.followups` (which reads them from text) so that the query
language can name them without importing the metadata readers and hazm: a process that only searches
starts without hazm (indexer.search.wordmemo).
"""
from __future__ import annotations

STATES = ("new", "sent", "in_progress", "done", "stopped", "superseded")
STATE_LABELS = {"new": "ابلاغ‌نشده", "sent": "ابلاغ‌شده", "in_progress": "در دست اقدام", "done": "انجام‌شده",
                "stopped": "متوقف", "superseded": "جایگزین‌شده"}
FINISHED = ("done", "stopped", "superseded")
OPEN = ("new", "sent", "in_progress")   # past its due date, an open resolution is overdue
OVERDUE = "overdue"
OVERDUE_LABEL = "سررسیدگذشته"

__all__ = ["FINISHED", "OPEN", "OVERDUE", "OVERDUE_LABEL", "STATES", "STATE_LABELS"]
