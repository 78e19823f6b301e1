"""A clerk sees which pages were read by OCR, with Tesseract's confidence and why (kept in the
catalog), on the document page and in the API; /d/<id>?page=N opens the document at page N."""
import pytest
from indexer.pipeline.ingest import ingest_paths
from scripts.docwriters import write_pdf
from scripts.scanwriters import render_text, write_mixed_pdf

pytestmark = pytest.mark.slow  # OCR with real Tesseract


def test_ocr_flag_and_confidence_shown_per_page(library, client_as, tmp_path):
    scan = render_text("نامه سازمان مدیریت پسماند\nموضوع: قرارداد جمع‌آوری زباله", dpi=100)
    scan.crop((0, 0, scan.width, scan.height // 4)).save(tmp_path / "scan.png")
    (result,) = ingest_paths(library, [tmp_path / "scan.png"])
    client = client_as("viewer")
    with client.get(f"/api/documents/{result.id}") as response:
        (page,) = response.get_json()["page_texts"]
    assert page["ocr"] is True and 50 < page["ocr_confidence"] <= 100
    with client.get(f"/d/{result.id}") as response:
        html = response.get_data(as_text=True)
    assert "خواندن نوری (OCR)" in html
    assert f'data-ocr-confidence="{page["ocr_confidence"]}"' in html
    assert page["ocr_reason"] == "image file"
    assert "چرا خواندن نوری: پرونده تصویر است و لایهٔ متن ندارد." in html


def test_why_each_page_was_read_by_ocr_is_kept_and_shown(library, client_as, tmp_path):
    scan = render_text("گزارش بازدید از ایستگاه‌های آتش‌نشانی منطقه سه شهر کرمان", dpi=150)
    pdf = write_mixed_pdf(tmp_path / "mixed.pdf", "صفحه نخست گزارش سالانه سازمان آتش‌نشانی و خدمات ایمنی"
                          " شهر کرمان درباره عملیات امداد و نجات", scan.crop((0, 0, scan.width, scan.height // 4)),
                          dpi=150)
    (result,) = ingest_paths(library, [pdf])
    client = client_as("viewer")
    with client.get(f"/api/documents/{result.id}") as response:
        first, second = response.get_json()["page_texts"]
    assert (first["ocr"], first["ocr_reason"]) == (False, None)
    assert (second["ocr"], second["ocr_reason"]) == (True, "no text layer")
    assert "ایستگاه" in second["text"]
    with library.catalog.session() as session:  # the catalog holds it, not only the extraction
        doc = library.catalog.get(session, result.id)
        assert [p.ocr_reason for p in doc.pages] == [None, "no text layer"]
    with client.get(f"/d/{result.id}") as response:
        html = response.get_data(as_text=True)
    assert html.count("چرا خواندن نوری:") == 1
    assert 'data-ocr-reason="no text layer">چرا خواندن نوری: صفحه لایهٔ متن ندارد (تصویر اسکن‌شده است).' in html


def test_page_parameter_opens_that_page(library, client_as, tmp_path):
    pdf = write_pdf(tmp_path / "three.pdf", ["صفحه نخست گزارش سالانه سازمان آتش‌نشانی و خدمات ایمنی شهر",
                                              "صفحه دوم گزارش سالانه درباره عملیات امداد و نجات در سطح شهر",
                                              "صفحه سوم گزارش سالانه درباره آموزش همگانی شهروندان کرمان"])
    (result,) = ingest_paths(library, [pdf])
    client = client_as("viewer")
    with client.get(f"/d/{result.id}?page=2") as response:
        html = response.get_data(as_text=True)
    assert '<section class="page" id="page-2" tabindex="-1" autofocus>' in html
    assert html.count("autofocus") == 1 and "OCR" not in html
    with client.get(f"/d/{result.id}?page=9") as response:  # no such page: opens at the top
        assert "autofocus" not in response.get_data(as_text=True)
