"""Template filters: Persian digits and Jalali dates for people to read."""
from __future__ import annotations

from indexer.persian import to_persian_digits

KIND_LABELS = {
    "minutes": "صورتجلسه", "resolution": "مصوبه", "letter": "نامه", "chart": "چارت سازمانی",
    "report": "گزارش", "other": "سایر",
}


def persian_digits(value) -> str:
    return to_persian_digits("" if value is None else str(value))


def jalali(value: str | None) -> str:
    """'1398-03-11' → '۱۳۹۸/۰۳/۱۱'."""
    return to_persian_digits(value.replace("-", "/")) if value else "—"


def register(app) -> None:
    app.jinja_env.filters["fa"] = persian_digits
    app.jinja_env.filters["jalali"] = jalali
    app.jinja_env.filters["kind_fa"] = lambda kind: KIND_LABELS.get(kind, kind)
