"""Real files for the decision register's tests: two boards' minutes, follow-up letters in DOCX, PDF and
text written the way people write them, and later minutes that replace an earlier resolution."""
from __future__ import annotations

from pathlib import Path

from indexer.pipeline.ingest import ingest_paths
from scripts.docwriters import write_docx, write_pdf, write_text

MINUTES_22 = ("صورتجلسه هیأت‌مدیره سازمان اموال و املاک\nبیست و دومین جلسه مورخ ۱۳۹۸/۰۲/۰۴\n"
              "مصوبات:\n۱- اجاره غرفه‌های بازار تمدید شد.\n"
              "۲- ارزیابی سه قطعه زمین حداکثر تا تاریخ ۱۳۹۸/۰۶/۳۱ به کارشناس رسمی سپرده شود.\n"
              "۳- واگذاری سه قطعه زمین تجاری با مزایده تصویب شد.")
MINUTES_27 = ("صورتجلسه هیأت‌مدیره سازمان حمل و نقل همگانی\nجلسه ۲۷ — تاریخ: ۱۳۹۸/۰۳/۱۱\n"
              "مصوبه ۱: نرخ بلیت اتوبوس از ابتدای تیرماه ده درصد افزایش می‌یابد.\n"
              "مصوبه ۲: خرید بیست دستگاه اتوبوس برقی از محل اعتبارات عمرانی تصویب شد.\n"
              "مصوبه ۳: ساعات کار خطوط شبانه تمدید می‌شود.\n"
              "مصوبه ۴: سازمان ظرف یک ماه گزارش ایمنی ایستگاه‌ها را ارائه کند.")
LETTER_DONE = ["بسمه تعالی", "شماره: ۱۲۳۴/ص/۹۸", "تاریخ: ۱۳۹۸/۰۵/۰۲", "از: سازمان اموال و املاک",
               "موضوع: واگذاری املاک",
               "بازگشت به مصوبه شماره ۳ جلسه ۲۲ هیأت‌مدیره، به استحضار می‌رساند واگذاری سه قطعه زمین "
               "تجاری از طریق مزایده انجام شد.", "مدیرعامل سازمان اموال و املاک"]
LETTER_PROGRESS = ("بسمه تعالی\nشماره: ۷۷۱/ح/۹۸\nتاریخ: ۱۳۹۸/۰۶/۱۰\nاز: سازمان حمل و نقل همگانی\n"
                   "موضوع: خرید اتوبوس برقی\nبا سلام\nپیرو مصوبه ۲ جلسه ۲۷ هیأت‌مدیره، مناقصه خرید اتوبوس‌ها "
                   "برگزار شده و عقد قرارداد با برنده در دست اقدام می‌باشد.\nمدیرعامل")
LETTER_STOPPED = ("شماره: ۸۰۲/ح/۹۸\nتاریخ: ۱۳۹۸/۰۷/۰۱\nاز: سازمان حمل و نقل همگانی\n"
                  "موضوع: خطوط شبانه\nعطف به مصوبه ۳ جلسه ۲۷، به اطلاع می‌رساند تمدید ساعات کار خطوط شبانه به "
                  "دلیل کمبود اعتبار متوقف گردید.\nمدیرعامل سازمان حمل و نقل همگانی")
LETTER_NOTHING = ("شماره: ۹۰۱/ح/۹۸\nتاریخ: ۱۳۹۸/۰۷/۱۵\nاز: سازمان حمل و نقل همگانی\n"
                  "موضوع: گزارش ایمنی\nبازگشت به مصوبه ۴ جلسه ۲۷، گزارش ایمنی ایستگاه‌ها هنوز تهیه نشده است. "
                  "خواهشمند است مهلت بیشتری داده شود.")
MINUTES_30 = ("صورتجلسه هیأت‌مدیره سازمان حمل و نقل همگانی\nجلسه ۳۰ — تاریخ: ۱۳۹۸/۰۹/۰۱\n"
              "مصوبه ۱: مصوبه ۱ جلسه ۲۷ لغو و افزایش نرخ بلیت به سال آینده موکول می‌شود.\n"
              "مصوبه ۲: گزارش عملکرد شش ماهه سازمان شنیده شد.")


def write_register_files(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    write_pdf(folder / "minutes-27.pdf", MINUTES_27)
    write_docx(folder / "minutes-22.docx", MINUTES_22.splitlines())
    write_docx(folder / "letter-done.docx", LETTER_DONE)
    write_pdf(folder / "letter-progress.pdf", LETTER_PROGRESS)
    write_text(folder / "letter-stopped.txt", LETTER_STOPPED)
    write_text(folder / "letter-nothing.txt", LETTER_NOTHING)
    write_text(folder / "minutes-30.txt", MINUTES_30)
    return folder


def ingest_register_files(library, folder: Path) -> dict[str, str]:
    """Writes and ingests the files; their ids by file name."""
    write_register_files(folder)
    results = ingest_paths(library, [folder])
    assert all(r.status == "indexed" for r in results), results
    return {Path(r.path).name: r.id for r in results}
