"""Generate the demo documents in documents/demo/: minutes with numbered resolutions, letters, a
circular, a chart and a report, as PDF, DOCX and TXT, from the Persian text written below.

Usage: python -m scripts.make_demo [FOLDER]
"""
from __future__ import annotations

import sys
from pathlib import Path

from scripts.docwriters import write_docx, write_pdf, write_text

MINUTES_TRANSPORT = """صورتجلسه هیأت‌مدیره سازمان حمل و نقل همگانی شهرداری کرمان
جلسه ۲۷ — تاریخ: ۱۳۹۸/۰۳/۱۱ — شماره: ۴۵۱/ص/۹۸
حاضران: اعضای هیأت‌مدیره، مدیرعامل سازمان و نماینده شهرداری.
دستور جلسه: نوسازی ناوگان، ساعات کار خطوط شبانه و بودجه نگهداری ایستگاه‌ها.
مصوبه ۱: گزارش مدیرعامل درباره وضعیت ناوگان اتوبوسرانی شنیده شد و مقرر شد فهرست اتوبوس‌های فرسوده تا پایان خرداد تهیه شود.
مصوبه ۲: خرید بیست دستگاه اتوبوس برقی از محل اعتبارات عمرانی سال ۱۳۹۸ با رعایت آیین‌نامه معاملات تصویب شد.
مصوبه ۳: ساعات کار خطوط شبانه از ابتدای تیرماه تا ساعت ۲۴ تمدید می‌شود.
مصوبه ۴: بودجه نگهداری ایستگاه‌های اتوبوس به مبلغ ۵ میلیارد ریال تصویب شد."""

MINUTES_WASTE = """صورتجلسه هیأت‌مدیره سازمان مدیریت پسماند
جلسه ۴۵ مورخ ۱۵ اردیبهشت ۱۳۹۷
مصوبه ۱: قرارداد جمع‌آوری پسماند مناطق یک و دو برای یک سال دیگر تمدید شد.
مصوبه ۲: مقرر شد سازمان طرح تفکیک زباله از مبدأ را در ده محله اجرا کند و گزارش آن را هر سه ماه به هیأت‌مدیره بدهد.
مصوبه ۳: خرید دو دستگاه ماشین جاروب مکانیزه تصویب شد."""

MINUTES_GREEN = """صورتجلسه هیأت‌مدیره سازمان سیما، منظر و فضای سبز شهری
جلسه ۱۲ — تاریخ: ۱۳۹۶/۰۸/۲۰
مصوبه ۱: ساخت پارک محله‌ای در منطقه سه شهرداری با همکاری سازمان عمران و بازآفرینی فضای شهری تصویب شد.
مصوبه ۲: آبیاری فضای سبز بلوارها با پساب تصفیه‌شده از ابتدای سال آینده آغاز می‌شود.
مصوبه ۳: مسئول اجرای مصوبات این جلسه معاون فنی سازمان است."""

LETTER_PROPERTY = """بسمه تعالی
شماره: ۱۲۳۴/ص/۹۸
تاریخ: ۱۳۹۸/۰۵/۰۲
از: سازمان اموال و املاک شهرداری کرمان
به: امور هماهنگی سازمانها و مؤسسات وابسته شهرداری
موضوع: گزارش واگذاری املاک
با سلام و احترام
بازگشت به مصوبه ۳ جلسه ۲۲ هیأت‌مدیره، گزارش واگذاری سه قطعه زمین تجاری به پیوست ارسال میشود. خواهشمند است دستور فرمایید نتیجه بررسی به این سازمان اعلام شود.
مدیرعامل سازمان اموال و املاک"""

CIRCULAR = """بخشنامه
شماره: ۸۸۷/ب/۹۷
تاریخ: ۱۳۹۷/۱۱/۱۰
به کلیه سازمانهای وابسته شهرداری
موضوع: ارسال صورتجلسات هیأتمدیره به دبیرخانه
با سلام، مقتضی است صورتجلسات هیأتمدیرۀ سازمانها حداکثر یک هفته پس از برگزاری جلسه به دبیرخانه امور هماهنگی ارسال شود تا در بایگانی اسناد ثبت گردد."""

APPOINTMENT = """حکم انتصاب
شماره: ۲۲۱۰/ح/۹۸
تاریخ: ۱۳۹۸/۰۷/۰۱
جناب آقای محمد رضایی
به استناد مصوبه هیأت‌مدیره سازمان فناوری اطلاعات و ارتباطات، به عنوان مدیرعامل این سازمان منصوب می‌شوید. امید است با تکیه بر تجربه خود در پیشبرد برنامه شهر هوشمند موفق باشید."""

CHART_PARAGRAPHS = ["چارت سازمانی سازمان مدیریت میادین میوه و تره‌بار",
                    "تاریخ تصویب: ۱۳۹۶/۰۲/۱۸",
                    "پست‌های سازمانی و شرایط احراز:"]
CHART_TABLE = [["عنوان پست", "تعداد", "شرایط احراز"],
               ["مدیرعامل", "۱", "کارشناسی ارشد مدیریت با ده سال سابقه"],
               ["معاون بازرگانی", "۱", "کارشناسی بازرگانی با هفت سال سابقه"],
               ["رئیس میدان تره‌بار", "۳", "کارشناسی با پنج سال سابقه"]]

REPORT = """گزارش عملکرد سازمان آتش‌نشانی و خدمات ایمنی در سال ۱۳۹۷
تاریخ: ۱۳۹۸/۰۱/۲۰
در سال گذشته ۴۲۱۰ مأموریت اطفای حریق و امداد انجام شد. میانگین زمان رسیدن به محل حادثه به هفت دقیقه کاهش یافت.
ایستگاه شماره ۱۲ در شمال شهر ساخته و به بهره‌برداری رسید و آموزش ایمنی به سه هزار دانش‌آموز داده شد."""

COUNCIL = """مصوبه شورای اسلامی شهر کرمان
شماره: ۳۳۰۲/ش/۹۶
تاریخ: ۱۳۹۶/۱۰/۰۵
شورای اسلامی شهر در جلسه علنی خود با اجرای طرح توسعه حمل و نقل عمومی و اختصاص اعتبار آن در بودجه سال آینده شهرداری موافقت کرد."""


# The decision register (/register): minutes of the property board whose second resolution is overdue,
# and the letters and later minutes that follow resolutions up, so that every follow-up state is
# proposed. `make demo` applies the proposals of documents dated up to 1398/12/29 as the secretariat
# would; the green organization's letter of 1399 is left for a clerk to apply with one click.
MINUTES_PROPERTY = """صورتجلسه هیأت‌مدیره سازمان اموال و املاک
بیست و دومین جلسه مورخ ۱۳۹۸/۰۲/۰۴
مصوبات:
۱- اجاره غرفه‌های بازار برای یک سال دیگر تمدید شد.
۲- ارزیابی سه قطعه زمین حداکثر تا تاریخ ۱۳۹۸/۰۶/۳۱ به کارشناس رسمی دادگستری سپرده شود.
۳- واگذاری سه قطعه زمین تجاری با مزایده عمومی تصویب شد."""

LETTER_TRANSPORT_DONE = """بسمه تعالی
شماره: ۲۰۲/ح/۹۸
تاریخ: ۱۳۹۸/۰۴/۳۰
از: سازمان حمل و نقل همگانی
موضوع: فهرست اتوبوس‌های فرسوده
احتراماً، پیرو مصوبه ۱ جلسه ۲۷ هیأت‌مدیره به استحضار می‌رساند فهرست اتوبوس‌های فرسوده تهیه شد و به پیوست تقدیم می‌گردد.
مدیرعامل سازمان حمل و نقل همگانی"""

LETTER_TRANSPORT_PROGRESS = """بسمه تعالی
شماره: ۷۷۱/ح/۹۸
تاریخ: ۱۳۹۸/۰۶/۱۰
از: سازمان حمل و نقل همگانی
موضوع: خرید اتوبوس برقی
با سلام، بازگشت به مصوبه ۲ جلسه ۲۷ هیأت‌مدیره، مناقصه خرید اتوبوس‌ها برگزار شده و عقد قرارداد با برنده در دست اقدام می‌باشد.
مدیرعامل سازمان حمل و نقل همگانی"""

LETTER_TRANSPORT_STOPPED = """شماره: ۸۰۲/ح/۹۸
تاریخ: ۱۳۹۸/۰۷/۰۱
از: سازمان حمل و نقل همگانی
موضوع: ساعات کار خطوط شبانه
عطف به مصوبه ۳ جلسه ۲۷، به اطلاع می‌رساند تمدید ساعات کار خطوط شبانه به دلیل کمبود اعتبار متوقف گردید."""

LETTER_SENT = """امور هماهنگی سازمانها و مؤسسات وابسته شهرداری کرمان
شماره: ۱۱۲/د/۹۷
تاریخ: ۱۳۹۷/۰۲/۲۰
به: سازمان مدیریت پسماند
موضوع: ابلاغ مصوبه
به پیوست تصویر مصوبه ۲ جلسه ۴۵ هیأت‌مدیره سازمان مدیریت پسماند جهت اجرا ابلاغ می‌گردد."""

MINUTES_WASTE_50 = """صورتجلسه هیأت‌مدیره سازمان مدیریت پسماند
جلسه ۵۰ مورخ ۲۰ فروردین ۱۳۹۸
مصوبه ۱: متن زیر جایگزین مصوبه ۳ جلسه ۴۵ می‌شود: خرید سه دستگاه ماشین جاروب مکانیزه تصویب شد.
مصوبه ۲: بودجه سال ۱۳۹۸ سازمان با اصلاحات پیشنهادی تصویب شد و سازمان ظرف یک ماه گزارش آن را ارائه کند."""

LETTER_GREEN_DONE = """بسمه تعالی
شماره: ۴۴۰/س/۹۹
تاریخ: ۱۳۹۹/۰۲/۱۰
از: سازمان سیما، منظر و فضای سبز شهری
موضوع: پارک محله‌ای منطقه سه
عطف به مصوبه ۱ جلسه ۱۲ هیأت‌مدیره، ساخت پارک محله‌ای منطقه سه به اتمام رسید و پارک افتتاح شد.
مدیرعامل سازمان سیما، منظر و فضای سبز شهری"""

# What each follow-up document of the demo says, for bench/register.py: (resolution, meeting, state).
FOLLOWUP_LABELS = {
    "letter-property-1234.txt": (("3", "22", None),),
    "letter-transport-done.docx": (("1", "27", "done"),),
    "letter-transport-progress.pdf": (("2", "27", "in_progress"),),
    "letter-transport-stopped.txt": (("3", "27", "stopped"),),
    "letter-secretariat-sent.txt": (("2", "45", "sent"),),
    "minutes-waste-50.docx": (("3", "45", "superseded"),),
    "letter-green-done.pdf": (("1", "12", "done"),),
}
APPLIED_UNTIL = "1398/12/29"  # `make demo` applies the proposals of documents dated up to this day


def make_demo(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    made = [
        write_pdf(folder / "minutes-transport-27.pdf", MINUTES_TRANSPORT),
        write_docx(folder / "minutes-waste-45.docx", MINUTES_WASTE.splitlines()),
        write_pdf(folder / "minutes-green-12.pdf", MINUTES_GREEN),
        write_text(folder / "letter-property-1234.txt", LETTER_PROPERTY, "utf-8"),
        write_text(folder / "circular-887.txt", CIRCULAR, "cp1256"),
        write_docx(folder / "appointment-ict.docx", APPOINTMENT.splitlines()),
        write_docx(folder / "chart-markets.docx", CHART_PARAGRAPHS, CHART_TABLE),
        write_pdf(folder / "report-fire-1397.pdf", REPORT),
        write_text(folder / "council-transport.txt", COUNCIL, "utf-16"),
        write_docx(folder / "minutes-property-22.docx", MINUTES_PROPERTY.splitlines()),
        write_docx(folder / "letter-transport-done.docx", LETTER_TRANSPORT_DONE.splitlines()),
        write_pdf(folder / "letter-transport-progress.pdf", LETTER_TRANSPORT_PROGRESS),
        write_text(folder / "letter-transport-stopped.txt", LETTER_TRANSPORT_STOPPED),
        write_text(folder / "letter-secretariat-sent.txt", LETTER_SENT),
        write_docx(folder / "minutes-waste-50.docx", MINUTES_WASTE_50.splitlines()),
        write_pdf(folder / "letter-green-done.pdf", LETTER_GREEN_DONE),
    ]
    return made


def main(argv: list[str]) -> None:
    folder = Path(argv[1]) if len(argv) > 1 else Path("documents/demo")
    for path in make_demo(folder):
        print(path)


if __name__ == "__main__":
    main(sys.argv)
