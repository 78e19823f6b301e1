"""Why a page was read by OCR, in Persian for the document page."""
import pytest

from indexer.extract import reasons
from indexer.extract.reasons import describe_ocr_reason
from indexer.extract.textlayer import Repair, judge_page

NAMES = [getattr(reasons, name) for name in reasons.__all__ if name.isupper()]


def test_every_reason_has_its_own_persian_wording():
    wordings = [describe_ocr_reason(name) for name in NAMES]
    assert all(wordings) and len(set(wordings)) == len(NAMES)
    assert describe_ocr_reason("something new") not in wordings  # a general wording, not a wrong one


@pytest.mark.parametrize("reason", ["few words in the word list (41% of 120)",
                                    "Latin-1 letters where Persian should be (38% of letters): a pre-Unicode font"])
def test_a_reason_with_its_figures_is_worded_by_its_name(reason):
    name = next(n for n in NAMES if reason.startswith(n))
    assert describe_ocr_reason(reason) == describe_ocr_reason(name)


def test_no_reason_is_no_wording():
    assert describe_ocr_reason(None) is None and describe_ocr_reason("") is None


def test_a_page_without_letters_has_no_text_layer_and_a_short_one_too_little_text():
    assert judge_page(Repair("  ۱۲  \n")) == reasons.NO_TEXT_LAYER
    assert judge_page(Repair("صفحه دوم")) == reasons.TOO_LITTLE_TEXT
