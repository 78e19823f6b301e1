import zipfile

import pytest

from indexer.errors import CorruptFile, EmptyFile, UnsupportedFormat
from indexer.extract import extract
from indexer.extract.detect import DOCX, PDF, TEXT, detect_type
from indexer.extract.pdf import repair_ltr_runs
from scripts.docwriters import write_docx, write_pdf, write_text

TEXT_FA = "صورتجلسه هیأت‌مدیره سازمان پسماند\nمصوبه ۱: جمع‌آوری پسماند تاریخ ۱۳۹۸/۰۳/۱۱"


def test_pdf_text_keeps_words_zwnj_and_numbers(tmp_path):
    path = write_pdf(tmp_path / "a.pdf", [TEXT_FA, "صفحه دوم گزارش"])
    result = extract(path)
    pages = [p.text for p in result.pages]
    assert result.mime == PDF
    assert len(pages) == 2
    assert not any(p.ocr for p in result.pages)
    assert "هیأت\u200cمدیره" in pages[0]
    assert "جمع\u200cآوری" in pages[0]
    assert "مصوبه ۱: جمع" in pages[0]
    assert "۱۳۹۸/۰۳/۱۱" in pages[0]
    assert "صفحه دوم گزارش" in pages[1]


def test_ltr_run_repair():
    raw = "تاریخ\u202a ۱۳۹۸/۰۳/۱۱ :\u202cشماره\u202a/۱۲۳۴ :\u202cص\u202a۹۸/\u202c"
    assert repair_ltr_runs(raw) == "تاریخ: ۱۳۹۸/۰۳/۱۱ شماره: ۱۲۳۴/ص/۹۸"


def test_docx_paragraphs_and_table(tmp_path):
    path = write_docx(tmp_path / "a.docx", ["چارت سازمانی", "پست‌ها:"],
                      [["عنوان", "تعداد"], ["مدیرعامل", "۱"], ["معاون", "۲"]])
    result = extract(path)
    assert result.mime == DOCX
    assert [p.text for p in result.pages] == ["چارت سازمانی\nپست‌ها:\nعنوان | تعداد\nمدیرعامل | ۱\nمعاون | ۲"]


def test_docx_merged_cell_once(tmp_path):
    import docx

    d = docx.Document()
    table = d.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "سرستون ادغام‌شده"
    table.cell(1, 0).text = "الف"
    d.save(tmp_path / "m.docx")
    pages = [p.text for p in extract(tmp_path / "m.docx").pages]
    assert pages[0].count("سرستون ادغام‌شده") == 1


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1256"])
def test_text_encodings(tmp_path, encoding):
    path = write_text(tmp_path / "a.txt", "نامه به سازمان پسماند درباره جمع آوری زباله", encoding)
    result = extract(path)
    assert result.mime == TEXT
    assert "سازمان پسماند" in result.pages[0].text
    assert "نامه به" in result.pages[0].text


def test_type_comes_from_bytes_not_name(tmp_path):
    pdf = write_pdf(tmp_path / "looks-like.txt", "متن پی دی اف")
    assert detect_type(pdf) == PDF
    docx_file = write_docx(tmp_path / "report.pdf", ["متن ورد"])
    assert extract(docx_file).mime == DOCX


def test_empty_corrupt_and_unknown_files_fail_with_reasons(tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(EmptyFile) as info:
        extract(empty)
    assert "خالی" in info.value.message_fa and "empty" in str(info.value)

    good = write_pdf(tmp_path / "good.pdf", TEXT_FA).read_bytes()
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(good[: len(good) // 3])
    with pytest.raises(CorruptFile) as info:
        extract(broken)
    assert "خراب" in info.value.message_fa

    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(UnsupportedFormat):
        extract(junk)

    zip_no_docx = tmp_path / "x.docx"
    with zipfile.ZipFile(zip_no_docx, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(UnsupportedFormat):
        extract(zip_no_docx)


def test_the_extraction_forkserver_preloads_what_the_main_module_imports(tmp_path):
    """Each extraction child runs the program's main module again (multiprocessing's fixup): the
    forkserver must hold what that imports, or every file pays for Flask's import (a second)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": f"{root}{os.pathsep}{tmp_path}"}
    show = "from indexer.extract.worker import main_imports\nprint(main_imports())\n"

    def run(*args: str) -> str:
        return subprocess.run([sys.executable, *args], cwd=tmp_path, env=env, capture_output=True, text=True,
                              check=True).stdout.strip()

    script = tmp_path / "entry.py"  # what pip writes for `bayegan`
    script.write_text("import sys\nfrom search_web.cli import main\n" + show)
    printed = run(str(script))
    assert "'search_web.cli'" in printed and "'sys'" in printed and "builtins" not in printed
    package = tmp_path / "pkgx"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "entry.py").write_text(show)
    (package / "__main__.py").write_text(show)
    assert run("-m", "pkgx.entry") == "['pkgx.entry']"  # python -m search_web.cli
    assert run("-m", "pkgx") == "[]"  # python -m indexer.cli: multiprocessing leaves __main__ alone
