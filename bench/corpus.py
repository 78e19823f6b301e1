"""A deterministic generator of realistic archive documents at any scale.

Persian minutes with numbered resolutions, letters, circulars and reports of 300–3000 words, with the
orthographic variety of real files: ZWNJ present, missing or typed as a space; Arabic ي/ك; هیأت/هیئت;
ۀ; Persian, Arabic-Indic and Latin digits. The same seed always gives the same documents.

    python -m bench.corpus --count 1000 --out /tmp/corpus [--format txt|mixed]
"""
from __future__ import annotations

import argparse
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

ORGS = ["سازمان حمل و نقل همگانی", "سازمان مدیریت پسماند", "سازمان سیما، منظر و فضای سبز شهری",
        "سازمان اموال و املاک", "سازمان عمران و بازآفرینی فضای شهری", "سازمان آتش‌نشانی و خدمات ایمنی",
        "سازمان فرهنگی، اجتماعی و ورزشی", "سازمان مدیریت آرامستان‌ها", "سازمان فناوری اطلاعات و ارتباطات",
        "سازمان مدیریت میادین میوه و تره‌بار", "سازمان سرمایه‌گذاری و مشارکت‌های مردمی"]
MONTHS = ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"]
SUBJECTS = ["خرید اتوبوس برقی", "جمع‌آوری پسماند", "ساخت پارک محله‌ای", "نگهداری فضای سبز",
            "واگذاری املاک تجاری", "تمدید قرارداد", "بودجه سال آینده", "آموزش ایمنی", "نوسازی ناوگان",
            "تفکیک زباله از مبدأ", "توسعه شهر هوشمند", "ساماندهی میدان تره‌بار", "بهسازی معابر",
            "ایستگاه آتش‌نشانی", "مشارکت‌های مردمی", "انتصاب مدیرعامل", "چارت سازمانی", "شرایط احراز"]
PHRASES = [
    "مقرر شد {org} گزارش {subj} را تا پایان ماه به هیأت‌مدیره ارائه کند",
    "با {subj} از محل اعتبارات عمرانی موافقت شد",
    "کمیسیون معاملات موظف است درباره {subj} استعلام بها انجام دهد",
    "گزارش مدیرعامل درباره {subj} شنیده شد و اعضا نظرات خود را بیان کردند",
    "مسئول پیگیری {subj} معاون فنی سازمان تعیین شد",
    "هزینه‌های {subj} در بودجه سال {year} پیش‌بینی می‌شود",
    "سازمانها باید در اجرای {subj} با یکدیگر هماهنگ باشند",
    "نتیجه بررسی {subj} به شورای اسلامی شهر اعلام می‌شود",
    "رعایت آیین‌نامه مالی و معاملات در {subj} الزامی است",
    "پیشنهاد {org} برای {subj} پس از اصلاح تصویب شد",
]
FILLER = ("همچنین در این جلسه درباره وضعیت پروژه‌های در دست اجرا، گزارش‌های مالی، نحوه همکاری با "
          "مشاوران، برنامه‌های آموزشی کارکنان، رضایتمندی شهروندان و ارتقای کیفیت خدمات شهری گفت‌وگو شد و "
          "مقرر گردید گزارش پیشرفت کار هر ماه به دبیرخانه امور هماهنگی سازمانها ارسال شود").split()

_ARABIC = str.maketrans({"ی": "ي", "ک": "ك"})
_FA_DIGITS = str.maketrans({str(i): chr(0x06F0 + i) for i in range(10)})
_AR_DIGITS = str.maketrans({str(i): chr(0x0660 + i) for i in range(10)})


@dataclass(frozen=True)
class GeneratedDocument:
    name: str
    kind: str
    title: str
    text: str
    year: int
    organization: str
    date: str = ""  # Jalali YYYY-MM-DD, as the catalog keeps it


def _orthography(rng: random.Random, text: str) -> str:
    """Spell the text as a real file might: each habit with its own probability."""
    roll = rng.random()
    if roll < 0.3:
        text = text.replace("\u200c", "")           # ZWNJ missing
    elif roll < 0.45:
        text = text.replace("\u200c", " ")          # ZWNJ typed as a space
    if rng.random() < 0.2:
        text = text.translate(_ARABIC)              # Arabic yeh and kaf
    if rng.random() < 0.3:
        text = text.replace("هیأت", "هیئت")
    if rng.random() < 0.2:
        text = text.replace("ه ", "ۀ ", 3)
    digits = rng.random()
    if digits < 0.5:
        text = text.translate(_FA_DIGITS)
    elif digits < 0.6:
        text = text.translate(_AR_DIGITS)
    return text


def _sentence(rng: random.Random, org: str, year: int) -> str:
    return rng.choice(PHRASES).format(org=org, subj=rng.choice(SUBJECTS), year=year)


def _body(rng: random.Random, org: str, year: int, words: int) -> list[str]:
    sentences, count = [], 0
    while count < words:
        s = _sentence(rng, org, year) + "؛ " + " ".join(rng.sample(FILLER, rng.randint(6, 16))) + "."
        sentences.append(s)
        count += len(s.split())
    return sentences


def generate(count: int, seed: int = 1398) -> Iterator[GeneratedDocument]:
    """``count`` documents, always the same for the same seed."""
    rng = random.Random(seed)
    for i in range(count):
        org = rng.choice(ORGS)
        year = rng.randint(1394, 1399)
        month, day = rng.randint(1, 12), rng.randint(1, 29)
        kind = rng.choices(["minutes", "letter", "report", "resolution"], [5, 3, 1, 1])[0]
        words = int(rng.triangular(300, 3000, 700))
        date = f"{year}/{month:02d}/{day:02d}" if rng.random() < 0.7 else f"{day} {MONTHS[month - 1]} {year}"
        if kind == "minutes":
            meeting = rng.randint(1, 150)
            title = f"صورتجلسه هیأت‌مدیره {org}"
            head = [title, f"جلسه {meeting} — تاریخ: {date}"]
            body = _body(rng, org, year, words)
            per = max(1, len(body) // rng.randint(3, 12))
            lines = head + [f"مصوبه {n + 1}: " + " ".join(body[k:k + per])
                            for n, k in enumerate(range(0, len(body), per))]
        elif kind == "letter":
            number = f"{rng.randint(100, 9999)}/{rng.choice('صهبح')}/{year % 100}"
            title = f"نامه {org} درباره {rng.choice(SUBJECTS)}"
            lines = [f"شماره: {number}", f"تاریخ: {date}", f"از: {org}", "به: امور هماهنگی سازمانها",
                     f"موضوع: {title}", "با سلام و احترام"] + _body(rng, org, year, words)
        elif kind == "report":
            title = f"گزارش عملکرد {org} در سال {year}"
            lines = [title, f"تاریخ: {date}"] + _body(rng, org, year, words)
        else:
            title = "مصوبه شورای اسلامی شهر کرمان"
            lines = [title, f"تاریخ: {date}"] + _body(rng, org, year, words)
        text = _orthography(rng, "\n".join(lines))
        yield GeneratedDocument(name=f"{i:07d}-{kind}", kind=kind, title=title, text=text, year=year,
                                organization=org, date=f"{year}-{month:02d}-{day:02d}")


def write_corpus(out: Path, count: int, seed: int = 1398, fmt: str = "txt") -> list[Path]:
    """Write the documents as files: all TXT, or a mix of TXT, DOCX and PDF (``fmt="mixed"``)."""
    from scripts.docwriters import write_docx, write_pdf, write_text

    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, doc in enumerate(generate(count, seed)):
        choice = i % 3 if fmt == "mixed" else 0
        if choice == 0:
            paths.append(write_text(out / f"{doc.name}.txt", doc.text))
        elif choice == 1:
            paths.append(write_docx(out / f"{doc.name}.docx", doc.text.splitlines()))
        else:
            paths.append(write_pdf(out / f"{doc.name}.pdf", doc.text))
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1398)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--format", choices=["txt", "mixed"], default="txt")
    args = parser.parse_args()
    paths = write_corpus(args.out, args.count, args.seed, args.format)
    print(f"wrote {len(paths)} documents to {args.out}")


if __name__ == "__main__":
    main()
