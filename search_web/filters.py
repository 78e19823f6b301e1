"""Template filters: Persian digits and Jalali dates for people to read."""
from __future__ import annotations

from indexer.extract import describe_ocr_reason
from indexer.register import STATE_LABELS
from indexer.search import to_persian_digits

KIND_LABELS = {
    "minutes": "صورتجلسه", "resolution": "مصوبه", "letter": "نامه", "chart": "چارت سازمانی",
    "report": "گزارش", "other": "سایر",
}
UPLOAD_STATUS_LABELS = {
    "uploading": "در حال ارسال", "queued": "در صف", "extracting": "در حال خواندن متن",
    "ocr": "در حال نویسه‌خوانی", "indexed": "نمایه شد", "failed": "ناموفق",
}
JALALI_MONTHS = ("فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر",
                 "دی", "بهمن", "اسفند")


def persian_digits(value) -> str:
    return to_persian_digits("" if value is None else str(value))


def jalali(value: str | None) -> str:
    """'1398-03-11' → '۱۳۹۸/۰۳/۱۱'."""
    return to_persian_digits(value.replace("-", "/")) if value else "—"


def jalali_long(value: str | None) -> str:
    """'1398-03-11' → '۱۱ خرداد ۱۳۹۸'."""
    try:
        year, month, day = (int(part) for part in (value or "").split("-"))
        return to_persian_digits(f"{day} {JALALI_MONTHS[month - 1]} {year}")
    except (ValueError, IndexError):
        return jalali(value)


def file_size(size: int | None) -> str:
    """Bytes for people: '۱٫۲ مگابایت'."""
    if size is None:
        return "—"
    for unit, scale in (("مگابایت", 1024 * 1024), ("کیلوبایت", 1024)):
        if size >= scale:
            return to_persian_digits(f"{size / scale:.1f}".replace(".", "٫")) + " " + unit
    return to_persian_digits(str(size)) + " بایت"


def register(app) -> None:
    app.jinja_env.filters["fa"] = persian_digits
    app.jinja_env.filters["jalali"] = jalali
    app.jinja_env.filters["jalali_long"] = jalali_long
    app.jinja_env.filters["file_size"] = file_size
    app.jinja_env.filters["kind_fa"] = lambda kind: KIND_LABELS.get(kind, kind)
    app.jinja_env.filters["status_fa"] = lambda status: UPLOAD_STATUS_LABELS.get(status, status)
    app.jinja_env.filters["state_fa"] = lambda state: STATE_LABELS.get(state, state)
    app.jinja_env.filters["ocr_reason_fa"] = describe_ocr_reason
    app.jinja_env.globals["KIND_LABELS"] = KIND_LABELS
    app.jinja_env.globals["STATE_LABELS"] = STATE_LABELS
    app.jinja_env.globals["UPLOAD_STATUS_LABELS"] = UPLOAD_STATUS_LABELS
