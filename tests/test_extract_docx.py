"""DOCX: everything a reader sees, each once (a real file built with python-docx, its XML extended
with what python-docx cannot write: text boxes, footnotes, tracked changes, content controls, lists)."""
import zipfile

import docx
import pytest
from docx.oxml import parse_xml

from indexer.errors import DecompressionBomb
from indexer.extract import extract
from indexer.extract.docx_numbering import format_number

NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
      'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:v="urn:schemas-microsoft-com:vml"')


def _p(text):
    return f"<w:p><w:r><w:t xml:space='preserve'>{text}</w:t></w:r></w:p>"


TEXT_BOX = f"""<w:p {NS}><w:r><w:t>پیش از جعبه</w:t></w:r><w:r><mc:AlternateContent>
  <mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData>
    <wps:wsp><wps:txbx><w:txbxContent>{_p("متن درون جعبه")}</w:txbxContent></wps:txbx></wps:wsp>
  </a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>
  <mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>{_p("متن درون جعبه")}</w:txbxContent>
  </v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"""
TRACKED = f"""<w:p {NS}><w:r><w:t xml:space="preserve">مبلغ قرارداد </w:t></w:r>
  <w:del w:id="1" w:author="x"><w:r><w:delText>صد میلیون</w:delText></w:r></w:del>
  <w:ins w:id="2" w:author="x"><w:r><w:t>دویست میلیون</w:t></w:r></w:ins>
  <w:r><w:t xml:space="preserve"> ریال است</w:t></w:r>
  <w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>
  <w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t xml:space="preserve"> (ص۱)</w:t></w:r>
  <w:r><w:fldChar w:fldCharType="end"/></w:r>
  <w:r><w:footnoteReference w:id="2"/></w:r></w:p>"""
CONTROL = f"""<w:sdt {NS}><w:sdtPr><w:alias w:val="شماره نامه"/></w:sdtPr><w:sdtContent>
  {_p("شماره نامه: ۱۲۳۴/ص/۹۸")}</w:sdtContent></w:sdt>"""
MERGED = f"""<w:tbl {NS}><w:tr>
  <w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr>{_p("سرستون")}</w:tc></w:tr>
  <w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr>{_p("ادغام عمودی")}</w:tc><w:tc>{_p("سطر نخست")}</w:tc></w:tr>
  <w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr>{_p("")}</w:tc><w:tc>{_p("سطر پسین")}</w:tc></w:tr></w:tbl>"""
NUMBERING = f"""<w:abstractNum {NS} w:abstractNumId="90"><w:lvl w:ilvl="0"><w:start w:val="1"/>
  <w:numFmt w:val="decimal"/><w:lvlText w:val="مصوبه %1:"/></w:lvl></w:abstractNum>"""
NUM = f"""<w:num {NS} w:numId="90"><w:abstractNumId w:val="90"/></w:num>"""
FOOTNOTES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes {NS}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:id="2">{_p("پانویس: طبق بند ۳ آیین‌نامه")}</w:footnote></w:footnotes>"""


def _numbered(document, text):
    paragraph = document.add_paragraph(text)
    paragraph._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {NS}><w:ilvl w:val="0"/><w:numId w:val="90"/></w:numPr>'))
    paragraph._p.get_or_add_pPr().append(parse_xml(f"<w:bidi {NS}/>"))


def _add_footnotes(path):
    """python-docx cannot write footnotes: add the part, its relationship and its content type."""
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    parts["word/footnotes.xml"] = FOOTNOTES.encode()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", (
        b'<Override PartName="/word/footnotes.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>'))
    parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdFn" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


@pytest.fixture
def rich_docx(tmp_path):
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "سربرگ: شهرداری کرمان"
    section.footer.paragraphs[0].text = "نشانی: میدان آزادی"
    section.different_first_page_header_footer = True
    section.first_page_header.paragraphs[0].text = "سربرگ: شهرداری کرمان"
    document.add_paragraph("صورتجلسه هیأت‌مدیره")
    body = document.element.body
    for xml in (TEXT_BOX, TRACKED, CONTROL, MERGED):
        body.insert(len(body) - 1, parse_xml(xml))
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(NUMBERING))
    numbering.append(parse_xml(NUM))
    _numbered(document, "خرید اتوبوس تصویب شد.")
    _numbered(document, "ساعات کار تمدید شد.")
    path = tmp_path / "rich.docx"
    document.save(path)
    _add_footnotes(path)
    return path


def test_docx_gives_everything_a_reader_sees_once(rich_docx):
    (page,) = extract(rich_docx).pages
    text = page.text
    for seen in ("سربرگ: شهرداری کرمان", "صورتجلسه هیأت‌مدیره", "پیش از جعبه", "متن درون جعبه",
                 "مبلغ قرارداد دویست میلیون ریال است (ص۱)", "شماره نامه: ۱۲۳۴/ص/۹۸",
                 "سرستون", "ادغام عمودی | سطر نخست", "سطر پسین", "پانویس: طبق بند ۳ آیین‌نامه", "نشانی: میدان آزادی",
                 "مصوبه ۱: خرید اتوبوس تصویب شد.", "مصوبه ۲: ساعات کار تمدید شد."):
        assert text.count(seen) == 1, seen
    for hidden in ("صد میلیون", "PAGE"):  # a tracked deletion, a field code
        assert hidden not in text
    lines = text.splitlines()
    assert lines[0] == "سربرگ: شهرداری کرمان" and lines[-1] == "نشانی: میدان آزادی"


def test_list_number_formats():
    assert format_number(12, "decimal", persian=True) == "۱۲"
    assert format_number(3, "decimal", persian=False) == "3"
    assert format_number(2, "arabicAbjad", persian=True) == "ب"
    assert format_number(4, "upperRoman", persian=False) == "IV"


def test_docx_zip_bomb_is_refused(tmp_path):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w") as fh:
            chunk = b" " * (1 << 20)
            for _ in range(210):
                fh.write(chunk)
    assert path.stat().st_size < 2 * 1024 * 1024
    with pytest.raises(DecompressionBomb) as info:
        extract(path)
    assert "zip bomb" in str(info.value) and "بمب" in info.value.message_fa
