"""The register as a spreadsheet: XLSX (a right-to-left sheet of resolutions and one of the organization ×
year summary, Persian headers, Jalali dates as text) or CSV (UTF-8 with a BOM, so that Excel reads the
Persian; one table: the resolutions, or the summary)."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from indexer.errors import RegisterError
from indexer.register.model import Register, RegisterEntry

FORMATS = ("xlsx", "csv")
ENTRY_HEADERS = ("شناسه", "شماره مصوبه", "جلسه", "تاریخ جلسه", "سازمان مسئول", "متن مصوبه", "وضعیت",
                 "سررسید", "سررسیدگذشته", "آخرین پیگیری", "تاریخ آخرین پیگیری", "پیوند")
SUMMARY_HEADERS = ("سازمان", "سال", "مصوب", "انجام‌شده", "در دست اقدام", "متوقف", "سررسیدگذشته")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv; charset=utf-8"


def _jalali(value: str | None) -> str:
    return value.replace("-", "/") if value else ""


def entry_row(entry: RegisterEntry, base_url: str = "") -> list[str]:
    last = entry.last_followup
    return [entry.id, entry.number, entry.meeting or "", _jalali(entry.date), entry.organization or "",
            entry.text, entry.state_label, _jalali(entry.due), "بله" if entry.overdue else "",
            last.title if last else "", _jalali(last.date) if last else "",
            f"{base_url}/d/{entry.document_id}#{entry.anchor}"]


def summary_rows(register: Register) -> list[list]:
    return [[row.organization, row.year, row.passed, row.done, row.in_progress, row.stopped, row.overdue]
            for row in register.summary]


def to_csv(register: Register, summary: bool = False, base_url: str = "") -> bytes:
    """The resolutions (or the summary) as CSV, UTF-8 with a byte-order mark."""
    out = io.StringIO()
    writer = csv.writer(out)
    if summary:
        writer.writerow(SUMMARY_HEADERS)
        writer.writerows(summary_rows(register))
    else:
        writer.writerow(ENTRY_HEADERS)
        writer.writerows(entry_row(e, base_url) for e in register.entries)
    return "\ufeff".encode("utf-8") + out.getvalue().encode("utf-8")


def to_xlsx(register: Register, base_url: str = "") -> bytes:
    """Two right-to-left sheets, «مصوبات» and «خلاصه»; every cell of a date or number is text."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheets = [(book.active, "مصوبات", ENTRY_HEADERS, [entry_row(e, base_url) for e in register.entries]),
              (book.create_sheet(), "خلاصه", SUMMARY_HEADERS, summary_rows(register))]
    for sheet, title, headers, rows in sheets:
        sheet.title = title
        sheet.sheet_view.rightToLeft = True
        sheet.append(list(headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(row)
        sheet.freeze_panes = "A2"
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(60, max(10, width + 2))
    for cells in book["مصوبات"].iter_rows(min_row=2):
        cells[5].alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_register(register: Register, path: Path, fmt: str | None = None, summary: bool = False) -> str:
    """Write the register to ``path`` as ``fmt`` (else by the file's suffix); returns the format.

    :raises RegisterError: for an unknown format.
    """
    fmt = (fmt or path.suffix.lstrip(".") or "xlsx").lower()
    if fmt not in FORMATS:
        raise RegisterError(f"unknown format {fmt!r}; formats: {', '.join(FORMATS)}",
                            f"قالب «{fmt}» پشتیبانی نمی‌شود.")
    path.write_bytes(to_xlsx(register) if fmt == "xlsx" else to_csv(register, summary=summary))
    return fmt
