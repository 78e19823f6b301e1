"""The second look at the lines of a scan that give its date or number: the plausible, most agreed
reading is kept; the page's own reading wins ties; nothing else is touched."""
import pytest
from PIL import ImageOps

from indexer.extract.ocr import ocr_images, prepare_image, run_tesseract
from indexer.extract.second_look import (OcrLine, choose_reading, look_again, mend_slashes, read_lines,
                                         settled, worth_a_second_look)
from scripts.scanwriters import render_text


def _line(text: str) -> OcrLine:
    return OcrLine(0, text, len(text.split()), (0, 0, 10, 10))


def test_the_lines_that_give_a_date_or_number_are_looked_at_again():
    for text in ("شماره: ۲۳۰/ف", "تاریخ: ۱۳۹۷/۰۴/۱۰", "جلسه ۴۰ تاریخ: ۱۳۹۷/۱۰/۱۸", "ش.۸۹۰/ت",
                 "نامه شماره ۴۸۸/س مورخ ۱۵ اردیبهشت ۹۷", "تاریذ: ۱۳۹۹/۱۰/۰۵"):  # خ read as ذ
        assert worth_a_second_look(_line(text)), text
    for text in ("صورتجلسه هیأت‌مدیره سازمان آتش‌نشانی و خدمات ایمنی",   # «جلسه» inside a word
                 "مصوبه ۲: ایستگاه شماره ۱۴ در بلوار جمهوری ساخته شود و به بهره‌برداری برسد.",  # a sentence
                 "با سلام؛ گزارش پیوست است."):
        assert not worth_a_second_look(_line(text)), text


def test_a_digit_misread_once_is_outvoted_when_both_models_read_it_right():
    readings = ["شماره: ۲۲۰/ف", "شماره: ۲۳۰/ف", "شماره: ۲۲۰ /ف", "شماره: ۲۳۰/ف", "شماره: ۲۳۰/ف"]
    assert readings[choose_reading(readings, models=[0, 0, 0, 1, 1])] == "شماره: ۲۳۰/ف"
    # readings of one model that agree against a plausible page reading may share its mistake
    assert choose_reading(readings, models=[0, 0, 0, 0, 0]) == 0


def test_a_date_that_cannot_be_is_never_kept():
    # the page read 1297 (no year of the archive's parser) and month 13; the line alone reads better
    for page in ("جلسه ۴۰ تاریخ: ۱۲۹۷/۱۰/۱۸", "تاریخ: ۱۳۹۶/۱۳/۱۴", "جلسه ۱۱ - تاریخ: ۱۳۷"):
        readings = [page, page, page, "تاریخ: ۱۳۹۷/۱۰/۱۸ جلسه ۴۰"]
        assert choose_reading(readings) == 3, page


def test_readings_with_fewer_digits_never_replace_a_plausible_one():
    # a two-line page measured wrong: each line alone reads worse than the page did
    assert choose_reading(["شماره: ۶۷۴ اس", "0 ۴ س", "ِ ۴س", "0 ۴ سس", "شماره ۴س"]) == 0


def test_the_page_reading_wins_ties_and_then_the_one_with_more_digits():
    assert choose_reading(["شماره: ۹۹۸/س", "شماره: ۸س", "شماره: ۹۹۸/س", "شماره: ۸س"]) == 0
    # the page lost its date: of the two plausible readings that agree as much, the one that kept «۱۹»
    readings = ["جلسه ۱۹ - تاریخ: ۱۰", "جلسه ۹ - تاریخ: ۱۳۹۸/۰۸/۲۰", "جلسه ۱۹ - تاریخ: ۱۳۹۸/۰۸/۲۰"]
    assert choose_reading(readings) == 2
    assert choose_reading(["شماره: ۱۴۴۵/ح", "شماره: ۱۴۴۵/ح", "شماره: 0۱۴۴۵", "شماره: ۱۴۴۵/"]) == 0


def test_only_the_lines_read_again_change_and_only_when_the_text_matches_the_tsv():
    tsv = ("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
           "5\t1\t1\t1\t1\t1\t10\t10\t50\t20\t90\tبسمه\n"
           "5\t1\t1\t1\t1\t2\t70\t10\t50\t20\t90\tتعالی\n"
           "5\t1\t2\t1\t1\t1\t10\t50\t50\t20\t90\tشماره:\n"
           "5\t1\t2\t1\t1\t2\t70\t52\t50\t22\t90\t۲۲۰/ف\n")
    assert [(l.text, l.box) for l in read_lines(tsv)] == [("بسمه تعالی", (10, 10, 120, 30)),
                                                           ("شماره: ۲۲۰/ف", (10, 50, 120, 74))]
    seen = []

    def read_again(line):
        seen.append(line.text)
        yield ["شماره: ۲۳۰/ف", "شماره: ۲۲۰/ف", "شماره: ۲۳۰/ف"]
        yield ["شماره: ۲۳۰/ف"] * 2

    assert look_again("بسمه تعالی\n\nشماره: ۲۲۰/ف", tsv, read_again) == "بسمه تعالی\n\nشماره: ۲۳۰/ف"
    assert seen == ["شماره: ۲۲۰/ف"]
    assert look_again("بسمه تعالی", tsv, read_again) == "بسمه تعالی"  # lines and TSV differ: kept


def test_the_second_model_is_asked_only_when_the_first_leaves_a_doubt():
    tsv = ("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
           "5\t1\t1\t1\t1\t1\t10\t10\t50\t20\t90\tجلسه\n"
           "5\t1\t1\t1\t1\t2\t70\t10\t50\t20\t90\t۳۰\n")
    asked = []

    def models(first, second):
        def read_again(line):
            asked.append("fas")
            yield first
            asked.append("Arabic")
            yield second
        return read_again

    assert look_again("جلسه ۳۰", tsv, models(["جلسه ۳۰"] * 4, ["جلسه ۴۰"] * 4)) == "جلسه ۳۰"
    assert asked == ["fas"]  # all agreed: settled
    asked.clear()
    # fas reads ۴ as ۳ in some fonts; the Arabic-script model does not, and outvotes it
    assert look_again("جلسه ۳۰", tsv, models(["جلسه ۳۰", "جلسه ۴۰", "جلسه ۳۰", "جلسه ۴"],
                                              ["جلسه ۴۰"] * 4)) == "جلسه ۴۰"
    assert asked == ["fas", "Arabic"]
    assert settled(["تاریخ: ۱۳۹۷/۰۴/۱۰", "تاریخ: ۱۳۹۷/۰۴/۱۰"])
    assert not settled(["تاریخ: ۱۳۹۷/۰۴/۱۰", "تاریخ: ۱۳۹۷/۰۳/۱۰"])
    assert not settled(["تاریخ: ۱۳۹۷/۱۳/۱۰", "تاریخ: ۱۳۹۷/۱۳/۱۰"])  # agreed, but no date


def test_a_line_set_left_to_right_gives_way_to_one_read_in_order():
    # Tesseract put the label after the number; the Arabic-script model read the line in order
    readings = ["٩۹۸/۶۷۱ \u200fشماره:\u200e", "٩۹۸/۶۷۱ \u200fشماره:\u200e", "شماره: ۶۷۱/س/۹۸",
                "شماره: ۶۷۱/س/۹۸", "شماره: ۶۷۱/س/۹۸"]
    assert choose_reading(readings) == 2


def test_a_letter_numbers_slash_read_as_alef_is_put_back():
    # where a font draws «/» upright, fas reads it as alef
    for read, mended in (("شماره: ۲۳۰ اف", "شماره: ۲۳۰/ف"), ("شماره: ۶۱۰۲اپ", "شماره: ۶۱۰۲/پ"),
                         ("شماره: ۶۷۱اس/۹۸", "شماره: ۶۷۱/س/۹۸"), ("شماره: ۶۷۱اس ۹۸", "شماره: ۶۷۱/س ۹۸")):
        assert mend_slashes(read) == mended
    for kept in ("شماره ۲۳۰ از سازمان اموال", "شماره: ۱۲ الف", "تاریخ: ۱۳۹۷/۰۴/۱۰"):
        assert mend_slashes(kept) == kept


def test_a_date_after_this_year_cannot_be_the_documents():
    readings = ["جلسه ۱۱ - تاریخ: ۱۳/۰۳/۷", "جلسه ۱۱ - تاریخ: ۱۳۰۷", "جلسه ۱۱ - تاریذ: ۱۳۹۷/۰۳/۲۷"]
    assert choose_reading(readings, this_year=1405) == 2   # «۱۳/۰۳/۷» would be 1413-03-07
    assert choose_reading(readings, this_year=1415) == 0


@pytest.mark.slow  # real Tesseract
def test_line_images_are_read_in_one_run_one_text_each(tmp_path):
    from indexer.extract.ocr import installed_models, read_line_images

    assert "fas" in installed_models()
    paths = []
    for n, text in enumerate(["شماره: ۹۹۸/س", "تاریخ: ۱۳۹۷/۰۴/۱۰"]):
        page = prepare_image(render_text(text, dpi=300))
        left, top, right, bottom = ImageOps.invert(page).getbbox()
        paths.append(tmp_path / f"line-{n}.pgm")
        page.crop((left - 20, top - 10, right + 20, bottom + 10)).save(paths[-1])
    read = read_line_images(paths, "fas")
    assert len(read) == 2 and "۹۹۸" in read[0] and "۱۳۹۷/۰۴/۱۰" in read[1]


@pytest.mark.slow  # OCR with real Tesseract
def test_a_scanned_minutes_file_gets_its_date_back(tmp_path):
    # a scan of the metadata bench: reading the whole page, `fas` takes this ۱۳۹۷ for ۱۲۹۷ (no date)
    text = ("صورتجلسه هیأت‌مدیره سازمان آتش‌نشانی و خدمات ایمنی\nجلسه ۴۰ تاریخ: ۱۳۹۷/۱۰/۱۸\n"
            "مصوبه ۱: خرید دو دستگاه نردبان هیدرولیک تصویب شد.\n"
            "مصوبه ۲: ایستگاه شماره ۱۴ در بلوار جمهوری ساخته شود.\n"
            "مصوبه ۳: آموزش ایمنی در مدارس ادامه یابد.")
    image = render_text(text, dpi=300, noise=10, skew=0.6, seed=9)
    prepare_image(image).save(tmp_path / "page.pgm")
    page = run_tesseract(tmp_path / "page.pgm").text.split("\n")
    assert not any("۱۳۹۷/۱۰/۱۸" in line for line in page)
    (read,) = ocr_images([image])
    lines = read.text.split("\n")
    assert lines[1] == "جلسه ۴۰ تاریخ: ۱۳۹۷/۱۰/۱۸"
    assert lines[:1] + lines[2:] == page[:1] + page[2:]  # the other lines as the page read them
