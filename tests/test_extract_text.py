"""Plain text: the encoding is detected, never guessed wrong silently."""
import pytest

from indexer.errors import UnsupportedFormat
from indexer.extract import extract
from indexer.extract.detect import TEXT
from scripts.docwriters import write_text

LETTER = "نامه به سازمان پسماند\nموضوع: جمع‌آوری زباله در ۱۲ محله\nبا سلام، احتراماً"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_unicode_encodings_with_and_without_a_byte_order_mark(tmp_path, encoding):
    path = tmp_path / "a.txt"
    path.write_bytes(LETTER.encode(encoding))
    result = extract(path)
    assert result.mime == TEXT
    assert result.pages[0].text == LETTER


def test_windows_1256_reads_as_persian(tmp_path):
    page = extract(write_text(tmp_path / "a.txt", LETTER, "cp1256")).pages[0].text
    assert "نامه به سازمان پسماند" in page
    assert "جمع‌آوري زباله در 12 محله" in page  # cp1256 has ZWNJ, but Arabic yeh and ASCII digits


def test_a_code_page_that_is_not_persian_is_refused_not_guessed(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Société générale, réunion à Genève: procès-verbal".encode("latin-1"))
    with pytest.raises(UnsupportedFormat) as info:
        extract(path)
    assert "Windows-1256" in str(info.value) and "کدگذاری" in info.value.message_fa
