"""Why a page was read by OCR: the reasons the readers give, kept with the page in the catalog (in
English, as they are logged, with their figures), and their Persian wording for the document page.

A PDF page's reason comes from :func:`indexer.extract.textlayer.judge_page` (or is ``NO_TEXT_LAYER``
for a page without a letter of text: a scan); every page of an image file has ``IMAGE_FILE``.
"""
from __future__ import annotations

NO_TEXT_LAYER = "no text layer"
IMAGE_FILE = "image file"
TOO_LITTLE_TEXT = "too little text"
LATIN1_FONT = "Latin-1 letters where Persian should be"
FOREIGN_CHARACTERS = "characters outside the page's scripts"
LOST_GLYPHS = "glyphs missing from the text layer"
IMPOSSIBLE_SEQUENCES = "letter sequences Persian never writes"
VISUAL_ORDER = "visual order"
FEW_KNOWN_WORDS = "few words in the word list"

# Each reason begins with its name; what follows in parentheses are the page's figures.
_PERSIAN = {
    NO_TEXT_LAYER: "صفحه لایهٔ متن ندارد (تصویر اسکن‌شده است)",
    IMAGE_FILE: "پرونده تصویر است و لایهٔ متن ندارد",
    TOO_LITTLE_TEXT: "لایهٔ متن صفحه تقریباً خالی است",
    LATIN1_FONT: "لایهٔ متن با قلم قدیمی غیریونیکد نوشته شده و به جای حروف فارسی حروف لاتین دارد",
    FOREIGN_CHARACTERS: "لایهٔ متن نویسه‌هایی بیرون از خط صفحه دارد",
    LOST_GLYPHS: "حروفی از لایهٔ متن افتاده است",
    IMPOSSIBLE_SEQUENCES: "لایهٔ متن دنباله‌هایی از حروف دارد که در فارسی نوشته نمی‌شود",
    VISUAL_ORDER: "لایهٔ متن به ترتیب دیداری (وارونه) نوشته شده است",
    FEW_KNOWN_WORDS: "بیشتر واژه‌های لایهٔ متن در واژه‌نامه نیستند (متن خراب است)",
}
_UNKNOWN = "لایهٔ متن صفحه قابل اعتماد نبود"


def describe_ocr_reason(reason: str | None) -> str | None:
    """The Persian wording of why a page was read by OCR, or None when no reason was recorded
    (pages read before reasons were kept)."""
    if not reason:
        return None
    for name, persian in _PERSIAN.items():
        if reason == name or reason.startswith(name + " "):
            return persian
    return _UNKNOWN


__all__ = ["describe_ocr_reason", "NO_TEXT_LAYER", "IMAGE_FILE", "TOO_LITTLE_TEXT", "LATIN1_FONT",
           "FOREIGN_CHARACTERS", "LOST_GLYPHS", "IMPOSSIBLE_SEQUENCES", "VISUAL_ORDER", "FEW_KNOWN_WORDS"]
