"""The text-layer repairs and the per-page judge, on the faults measured in ../shared/real-docs."""
import unicodedata
from pathlib import Path

import pytest

from indexer.extract import extract
from indexer.extract.textlayer import judge_page, known_share, repair_text_layer

REAL = Path(__file__).resolve().parents[2] / "shared" / "real-docs"
SENTENCE = ("مؤسسه استاندارد و تحقیقات صنعتی ایران به موجب قانون تنها مرجع رسمی کشور است که وظیفه "
            "تعیین و تدوین و نشر استانداردهای ملی را بر عهده دارد و در این راه از همکاری دانشگاه‌ها "
            "و سازمان‌های دولتی بهره می‌گیرد")


def shaped(word: str) -> str:
    """A word as Distiller writes it: one presentation form per letter, in its joining shape."""
    non_joining_next = set("اآدذرزژو")
    out = []
    for i, ch in enumerate(word):
        joins_prev = i > 0 and word[i - 1] not in non_joining_next
        joins_next = i < len(word) - 1 and ch not in non_joining_next
        form = {(False, False): "ISOLATED", (False, True): "INITIAL", (True, True): "MEDIAL",
                (True, False): "FINAL"}[(joins_prev, joins_next)]
        base = unicodedata.name(ch).replace("ARABIC LETTER ", "")
        try:
            out.append(unicodedata.lookup(f"ARABIC LETTER {base} {form} FORM"))
        except KeyError:
            out.append(ch)
    return "".join(out)


def test_presentation_forms_become_letters_and_arabic_yeh_kaf_are_folded():
    text = " ".join(shaped(w) for w in "سازمان ملي استاندارد كشور".split())
    assert repair_text_layer(text).text == "سازمان ملی استاندارد کشور"


def test_pieces_whose_shapes_join_are_one_word():
    # «سع ی شده است ک ه»: Distiller's spurious spaces, the shapes say the pieces join
    broken = shaped("سعی")[:2] + " " + shaped("سعی")[2] + " " + shaped("شده") + " " + \
        shaped("که")[0] + " " + shaped("که")[1]
    repair = repair_text_layer(broken)
    assert repair.text == "سعی شده که"
    assert repair.joined == 2 and repair.lost_glyphs == 0


def test_a_lost_glyph_is_counted_and_sends_the_page_to_ocr():
    # XeLaTeX drops «گ»: «دانش اه», a medial shape followed by a final one that cannot follow it
    lost = shaped("دانشگاه")
    broken = lost[:5] + " " + shaped("اه")
    repair = repair_text_layer((" ".join(shaped(w) for w in SENTENCE.split()) + "\n" + broken + " ") * 3)
    assert repair.lost_glyphs == 3
    assert judge_page(repair).startswith("glyphs missing")


def test_kashida_and_replacement_characters_are_dropped():
    assert repair_text_layer("اس\ufffd\ufffdت و ای\ufffdن کـــه").text == "است و این که"


def test_kashida_read_as_seen_and_the_lost_alef_are_put_back_by_the_word_list():
    assert repair_text_layer("اسسستاندارد صسفحات بعسد اطلعات").text == "استاندارد صفحات بعد اطلاعات"
    # real words that hold «سس» or «ل» stay as they are
    assert repair_text_layer("مؤسسه حسن اسلام دلیل").text == "مؤسسه حسن اسلام دلیل"
    # one unknown word is not a font's fault: the repair needs three on the page
    assert repair_text_layer("نام او مسردم است").text == "نام او مسردم است"


def test_broken_base_letter_words_join_only_when_neither_piece_is_a_word():
    assert repair_text_layer("سع ی شده است").text == "سعی شده است"
    assert repair_text_layer("به نام خدا و در این راه").text == "به نام خدا و در این راه"


def test_a_good_page_is_trusted():
    assert judge_page(repair_text_layer(SENTENCE)) is None
    assert known_share(SENTENCE)[0] > 0.9


def test_latin1_letters_from_a_pre_unicode_font_send_the_page_to_ocr():
    quark = "Bø ,÷nóét@rBÖ ûBôòsùí Asøt .ñAsøArn rAuÍA|ìsí ñBÛoîîÖoùåóP úæ©A " * 3
    assert "pre-Unicode font" in judge_page(repair_text_layer(quark))
    english = "Institute of Standards and Industrial Research of Iran, Karaj, P. O. Box 31585 " * 3
    assert judge_page(repair_text_layer(english)) is None


def test_mojibake_of_legacy_iranian_fonts_sends_the_page_to_ocr():
    # B Nazanin read through a wrong encoding: tanwin before letters, digits glued to letters
    nazanin = "استاًذارد هلی ایزای ضوارٓ 1 (تجذیذ ًظز دٍم) : سال 1395 قّف٥ِٚ اتا٥ غ٘ه ٚ ؽا٥ٔ ٣ب غفت"
    assert "never writes" in judge_page(repair_text_layer(nazanin * 2))


def test_visual_order_still_sends_the_page_to_ocr():
    visual = " ".join(word[::-1] for word in SENTENCE.split())
    assert judge_page(repair_text_layer(visual)) == "visual order"


def _real(name):
    path = REAL / name
    if not path.is_file():
        pytest.skip("../shared/real-docs is not here")
    return path


def test_real_distiller_pdf_is_read_from_its_repaired_text_layer():
    pages = extract(_real("R03_ut_thesis_directive_distiller.pdf")).pages
    assert not any(p.ocr for p in pages)
    assert "دستورالعمل نگارش و تدوین پایان نامه" in pages[0].text + pages[1].text


def test_real_quarkxpress_pdf_is_read_by_ocr_and_says_why():
    pages = extract(_real("R08_shabakeh_quarkxpress.pdf")).pages
    assert all(p.ocr and "pre-Unicode font" in p.ocr_reason for p in pages)
    assert "گفتگو با محمد فرزانه" in pages[0].text
