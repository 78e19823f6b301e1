"""E-mail messages (.eml): placeholder until the e-mail reader lands."""
from __future__ import annotations

from pathlib import Path

from indexer.errors import UnsupportedFormat


def extract_email(path: Path):
    raise UnsupportedFormat("e-mail is not supported yet", "نامهٔ الکترونیکی هنوز پشتیبانی نمی‌شود.")
