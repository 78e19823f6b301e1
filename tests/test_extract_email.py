"""E-mail: the message is a letter titled by its Subject and dated (Jalali) by its Date header; each
attachment is archived as its own document linked to the message."""
from email.message import EmailMessage

from indexer.extract import extract
from indexer.extract.detect import EMAIL
from indexer.extract.email import html_to_text
from indexer.pipeline.ingest import ingest_paths
from scripts.docwriters import write_docx, write_pdf

SUBJECT = "ارسال صورتجلسه هیأت‌مدیره سازمان پسماند"
BODY = "با سلام\nصورتجلسه جلسه ۲۷ به پیوست ارسال می‌شود.\nدبیرخانه"


def write_eml(tmp_path, html_only=False):
    message = EmailMessage()
    message["From"] = "دبیرخانه <dabir@example.ir>"
    message["To"] = "modir@example.ir"
    message["Subject"] = SUBJECT
    message["Date"] = "Mon, 10 Jun 2019 22:30:00 +0430"  # 20 خرداد 1398 in Tehran
    html = "<html><head><style>p{}</style></head><body>" + "".join(
        f"<p>{line}</p>" for line in BODY.splitlines()) + "<table><tr><td>الف</td><td>ب</td></tr></table></body></html>"
    if html_only:
        message.set_content(html, subtype="html")
    else:
        message.set_content(BODY)
        message.add_alternative(html, subtype="html")
    pdf = write_pdf(tmp_path / "att.pdf", "صورتجلسه هیأت‌مدیره\nمصوبه ۱: تمدید قرارداد جمع‌آوری زباله")
    docx = write_docx(tmp_path / "att.docx", ["گزارش عملکرد پسماند در سال ۱۳۹۷"])
    message.add_attachment(pdf.read_bytes(), maintype="application", subtype="pdf",
                           filename="../../etc/صورتجلسه ۲۷.pdf")
    message.add_attachment(docx.read_bytes(), maintype="application", subtype="octet-stream",
                           filename="گزارش.docx")
    path = tmp_path / "message.eml"
    path.write_bytes(bytes(message))
    return path


def test_message_is_a_letter_with_subject_date_text_and_attachments(tmp_path):
    result = extract(write_eml(tmp_path))
    assert result.mime == EMAIL
    assert (result.title, result.kind, result.date.isoformat()) == (SUBJECT, "letter", "2019-06-10")
    text = result.pages[0].text
    assert "صورتجلسه جلسه ۲۷ به پیوست ارسال می‌شود." in text and "<p>" not in text
    assert "dabir@example.ir" in text
    assert [a.filename for a in result.attachments] == ["صورتجلسه ۲۷.pdf", "گزارش.docx"]
    assert result.attachments[0].data.startswith(b"%PDF-")


def test_html_only_message_is_made_plain(tmp_path):
    text = extract(write_eml(tmp_path, html_only=True)).pages[0].text
    assert "با سلام\nصورتجلسه جلسه ۲۷" in text and "الف | ب" in text and "p{}" not in text
    assert html_to_text("<div>یک<br>دو</div><script>x()</script>") == "یک\nدو"


def test_attachments_become_documents_linked_to_the_message(library, tmp_path):
    eml = write_eml(tmp_path)
    (result,) = ingest_paths(library, [eml])
    assert result.status == "indexed"
    message = library.document(result.id)
    assert (message.kind, message.title, message.date_jalali) == ("letter", SUBJECT, "1398-03-20")
    children = sorted(library.children(result.id), key=lambda d: d.filename)
    assert [c.filename for c in children] == ["صورتجلسه ۲۷.pdf", "گزارش.docx"]
    assert all(c.parent_id == result.id for c in children)
    found = {h.doc_id for h in library.search("تمدید قرارداد").hits}
    assert children[0].id in found
    assert {h.doc_id for h in library.search("عملکرد").hits} >= {children[1].id}


def test_a_letter_carried_by_an_email_keeps_its_own_date(library, tmp_path):
    message = EmailMessage()
    message["From"] = "dabir@example.ir"
    message["Subject"] = "درخواست پشتیبانی سامانه بلیت"
    message["Date"] = "Sun, 21 Jun 2020 10:00:00 +0430"  # 1399-04-01
    message.set_content("شماره: ۴۲۱۱/ت\nتاریخ: ۱۳۹۹/۰۳/۲۵\nاز: سازمان حمل و نقل همگانی\n"
                        "موضوع: درخواست پشتیبانی سامانه بلیت\nبا سلام؛ سامانه بلیت از دسترس خارج شده است.")
    path = tmp_path / "letter.eml"
    path.write_bytes(bytes(message))
    assert extract(path).date is None  # the letter's labelled date wins over the sending day
    (result,) = ingest_paths(library, [path])
    doc = library.document(result.id)
    assert (doc.kind, doc.date_jalali, doc.number) == ("letter", "1399-03-25", "4211/ت")
