"""Documents nobody here wrote (../shared/real-docs, see its SOURCE.md), taken through the product.

    python -m bench.real_docs [--keep DIR]       (also run by `make bench-extraction`)

The 17 files are ingested into a fresh data folder with the real ingest (extraction in its worker
processes, OCR, catalog, index). Then:

- **word recall** against each transcription (``NAME.gt.txt``): the share of the transcription's
  words (as a multiset) found in the text Bayegan stored, after the fair normalization of
  bench/extraction.py with ZWNJ removed (a word glued or joined by ZWNJ is one word, as search
  treats it) and punctuation stripped from the words' edges (tokens of punctuation alone, such as
  dot leaders, are not words);
- **probe phrases**, 3–6 words each, read by eye on the pages rendered with ``pdftoppm`` (for the
  DOCX files, on the pages of the PDF exported from them, or from the transcription for R17, which
  has no PDF twin), searched without quotes through :meth:`indexer.Library.search`, the code behind
  ``/api/search``: a phrase counts when its document is among the first three hits;
- **pages read by OCR** per file, with the reason the text layer was not trusted.
"""
from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL_DOCS = ROOT.parent / "shared" / "real-docs"

# file stem prefix -> phrases seen on its rendered pages
PROBES: dict[str, list[str]] = {
    "R01": ["شعب یک رشته تحصیلی", "مجموعه رشته های مختلف تحصیلی در دوره متوسطه",
            "بنیادی ترین واحد سازمانی دانشگاهی"],
    "R02": ["تصویر مدرک مورد نظر", "حداکثر حجم فایل انتخابی", "پیغام اطمینان از حذف"],
    "R03": ["حاشیه‌های بالا و پایین کاغذ", "نباید صفحه‌ای مستقل برای عنوان فصل", "اندازه قلم پاورقی",
            "دستورالعمل نگارش و تدوین پایان نامه"],
    "R04": ["سعی شده است که دستور خط فارسی", "جدولهای متعدد و مفصلی",
            "فرهنگستان در تدوین این مجموعه وامدار"],
    "R05": ["پرچم جمهوری اسلامی ایران ویژگی‌ها و روش‌های آزمون", "پوشاک و فرآورده‌های نساجی و الیاف",
            "آزمایشگاه‌های پژوهشگاه استاندارد"],
    "R06": ["جدول موقعیت و نویسه‌های کلیدهای ناحیه الفباعددی", "طبقه‌بندی رفتار هوشمند",
            "شکل صفحه‌کلید استاندارد"],
    "R07": ["قلم معلی و پدیدآورنده‌اش", "حمید عجمی طراح گرافیک و خوشنویس",
            "تولید نرم‌افزار خوشنویسی معلی", "مشخص شده و قابل آموزش و فراگیری",
            "استاد غلامحسین امیرخانی"],
    "R08": ["تمرکز بر اصلاح و تولید قلم‌های چاپی", "گفتگو با محمد فرزانه", "کدپیج پروین را هم عوض کردیم",
            "برنامه‌های نشر رومیزی تحت ویندوز", "عضو هیأت مدیره شرکت هامون"],
    "R09": ["از کجا شروع کنم", "این همه فایل", "یک نوشته بلند محسوب می‌شود",
            "باعث شلوغی و سردرگمی می‌شود"],
    "R10": ["متن گزارش پروژه", "به معرفی کارهای مشابه مرتبط", "جمع بندی و ارائه پیشنهادات"],
    "R11": ["چکیده شامل هدف پروژه", "فهرست مخفف ها یا کوتاه نوشت ها", "نکات علمی و فنی"],
    "R12": ["کارشناس مسئول آموزش در پرونده دانشجو ثبت گردد", "تعهد دانشجو"],
    "R13": ["تائید استاد راهنمای درس و مدیر گروه", "با رعایت قوانین آموزشی دانشگاه در مهلت مقرر",
            "تائید نهایی انجام پروژه"],
    "R14": ["چرخه حیات معماری", "تکنیک‌ها الگوها و سبک‌های معماری", "بازیابی معماری نرم‌افزار",
            "اهداف درس"],
    "R15": ["تعامل انسان و کامپیوتر", "برنامه درسی مقطع کارشناسی مهندسی کامپیوتر",
            "طراحی چارچوب تعاملی", "راه‌های بهبود جزئیات طراحی"],
    "R16": ["حوادث دردناک و خون آلود", "تمدن نژاد آریایی", "جنبش و کوشش و بردباری"],
    "R17": ["ثبت اطلاعیه", "متن اصلی اطلاعیه", "انتخاب فایل ضمیمه"],
}


_EDGE_PUNCT = ".,،:;؛()[]«»!?؟\"'-–—…*•❖"
# PDFs exported from a DOCX whose XML is their transcription (SOURCE.md)
TWINS = {"R10": "R11", "R13": "R12"}


def word_recall(reference: str, read: str) -> float:
    """The share of the reference's words found in the text read (multisets, fair normalization)."""
    from bench.extraction import normalize

    def words(text: str) -> Counter:
        tokens = (t.strip(_EDGE_PUNCT) for t in normalize(text.replace("\u200c", "")).split())
        return Counter(t for t in tokens if any(c.isalnum() for c in t))

    want, got = words(reference), words(read)
    total = sum(want.values())
    return sum(min(n, got[w]) for w, n in want.items()) / max(1, total)


def transcription(path: Path) -> Path | None:
    """The transcription of a file: its own, or the one SOURCE.md names for its twin."""
    own = path.with_name(path.stem + ".gt.txt")
    if own.is_file():
        return own
    twin = TWINS.get(path.name[:3])
    return next(path.parent.glob(f"{twin}_*.gt.txt"), None) if twin else None


def text_layer_reasons(path: Path) -> dict[int, str]:
    """Why each page's text layer would not be trusted (1-based), read without OCR."""
    from indexer.extract.lexicon import repair_lam_alef
    from indexer.extract.pdf import _pdftotext
    from indexer.extract.textlayer import drop_kashida, judge_page, repair_text_layer

    if path.suffix.lower() != ".pdf":
        return {}
    reasons = {}
    for i, text in enumerate(_pdftotext(path, 120) or []):
        reason = judge_page(repair_text_layer(repair_lam_alef(drop_kashida(text))))
        if reason:
            reasons[i + 1] = reason
    return reasons


def run(folder: Path, source: Path = REAL_DOCS) -> dict:
    from archive import load_config
    from indexer import Library
    from indexer.pipeline.ingest import ingest_paths

    files = sorted(p for p in source.iterdir() if p.name[:1] == "R" and not p.name.endswith(".gt.txt"))
    config = load_config(ROOT / "config.yaml", env={"BAYEGAN_DATA_DIR": str(folder / "data")})
    library = Library(config)
    rows = {}
    try:
        results = ingest_paths(library, files)
        ids = {Path(r.path).name: r.id for r in results if r.status in ("indexed", "duplicate")}
        for path in files:
            key = path.name[:3]
            doc_id = ids.get(path.name)
            row = {"file": path.name, "id": doc_id, "recall": None, "probes": [], "ocr_pages": [],
                   "pages": 0, "title": None}
            if doc_id:
                doc = library.document(doc_id)
                row["title"] = doc.title
                row["pages"] = len(doc.pages)
                row["ocr_pages"] = [p.number for p in doc.pages if p.ocr]
                gt = transcription(path)
                if gt:
                    row["recall"] = word_recall(gt.read_text(encoding="utf-8"), doc.text)
            for phrase in PROBES.get(key, []):
                hits = library.search(phrase, page_size=3).hits
                row["probes"].append((phrase, doc_id is not None and any(h.doc_id == doc_id for h in hits[:3])))
            row["reasons"] = text_layer_reasons(path)
            rows[path.name] = row
    finally:
        library.close()
    return rows


def report(rows: dict) -> int:
    print("\n| file | pages | OCR'd pages (why) | word recall | probes in top 3 | title |")
    print("|---|---|---|---|---|---|")
    found = total = 0
    worst_recall = 1.0
    for name, row in rows.items():
        ok = sum(1 for _p, hit in row["probes"] if hit)
        found += ok
        total += len(row["probes"])
        why = sorted({r.split(" (")[0] for n, r in row["reasons"].items() if n in row["ocr_pages"]})
        ocr = f"{len(row['ocr_pages'])}" + (f" ({'; '.join(why)})" if why else "")
        recall = f"{row['recall']:.3f}" if row["recall"] is not None else "—"
        if row["recall"] is not None:
            worst_recall = min(worst_recall, row["recall"])
        print(f"| {name} | {row['pages']} | {ocr} | {recall} | {ok}/{len(row['probes'])} | {row['title']} |")
    ocr_pages = sum(len(r["ocr_pages"]) for r in rows.values())
    all_pages = sum(r["pages"] for r in rows.values())
    print(f"\nprobe phrases found in the top 3: {found}/{total} ({100 * found / max(1, total):.1f}%); "
          f"lowest word recall {worst_recall:.3f}; pages read by OCR {ocr_pages} of {all_pages}")
    misses = [(name, p) for name, row in rows.items() for p, hit in row["probes"] if not hit]
    if misses:
        print("missed probes:")
        for name, phrase in misses:
            print(f"  {name}: {phrase}")
    print("\nthe three-column page R07, phrases of one column kept whole (of "
          f"{len(COLUMN_PROBES)}):\n")
    print("| reading | phrases whole |")
    print("|---|---|")
    for label, hits in column_readings():
        print(f"| {label} | {hits} |")
    return 0 if found >= 0.95 * total and worst_recall >= 0.98 else 1


def measure(keep: Path | None = None, source: Path = REAL_DOCS) -> int:
    """Ingest, measure and print; the exit status says whether the targets were met."""
    if not source.is_dir():
        print(f"{source} is not here: nothing to measure")
        return 0
    if keep:
        return report(run(keep, source))
    with tempfile.TemporaryDirectory(prefix="bayegan-bench-real-") as tmp:
        return report(run(Path(tmp), source))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="ingest into this folder and keep it")
    parser.add_argument("--source", type=Path, default=REAL_DOCS, help="the folder of real documents")
    args = parser.parse_args()
    sys.exit(measure(args.keep, args.source))


if __name__ == "__main__":
    main()


_PUNCT = re.compile(r"[.,،:;؛()«»!?؟/\-]")
# phrases read on the rendered three-column page R07, each within one column and crossing its lines
COLUMN_PROBES = [
    "قلم معلی که در سال ۱۳۷۸ به قول امروزی‌ها رونمایی شد",
    "گفتنی است حمید عجمی که اینک ۵۰ ساله می‌شود",
    "تا آنجا که از مشاهده کارهای این هنرمند دریافت می‌شود",
    "لوگوی ماهنامه صنعت چاپ را در کارنامه خود دارد",
    "دارای سبک و سیاق خوشنویسی است یعنی مقررات و ترکیبات آن",
    "مذهبی و قرآنی مناسب به نظر می‌رسد",
    "امروزی‌ها رونمایی شد مورد تایید انجمن خوشنویسان قرار گرفت",
    "هنر را به دنبال داشت این قلم به طور کامل",
    "شکل و شمایل حروف در قلم معلی به گونه‌ای است",
    "نشان دهد تا آنجا که از مشاهده",
]


def column_readings(path: Path | None = None) -> list[tuple[str, int]]:
    """How many of ``COLUMN_PROBES`` each way of reading R07 keeps whole (in order, across lines)."""
    import subprocess

    import pypdfium2

    from bench.extraction import normalize
    from indexer.extract.columns import column_regions, read_region
    from indexer.extract.lexicon import repair_lam_alef
    from indexer.extract.pdf import repair_ltr_runs
    from indexer.extract.textlayer import drop_kashida, repair_text_layer

    path = path or next(REAL_DOCS.glob("R07_*.pdf"))

    def pdftotext(*options: str) -> str:
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", *options, str(path), "-"], capture_output=True)
        return repair_ltr_runs(out.stdout.decode("utf-8"))

    pdf = pypdfium2.PdfDocument(str(path))
    try:
        page = pdf[0]
        pdfium = page.get_textpage().get_text_range()
        columns = "\n".join(read_region(path, 0, r, 60) for r in column_regions(page) or [])
    finally:
        pdf.close()
    readings = [("pdftotext (default)", pdftotext()), ("pdftotext -layout", pdftotext("-layout")),
                ("pypdfium2 text (content order)", pdfium),
                ("pypdfium2 boxes → pdftotext per column (Bayegan)", repair_ltr_runs(columns))]
    def plain(text: str) -> str:
        return " ".join(_PUNCT.sub(" ", normalize(text.replace("\u200c", ""))).split())

    found = []
    for label, text in readings:
        flat = plain(repair_text_layer(repair_lam_alef(drop_kashida(text))).text)
        hits = sum(1 for p in COLUMN_PROBES if plain(p) in flat)
        found.append((label, hits))
    return found
