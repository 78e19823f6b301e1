"""Hostile and broken files fail cleanly, each with a reason a clerk understands, and the batch goes
on: through `ingest_paths` and through the inbox watcher (failed/ beside a reason file)."""
import shutil
import zipfile
import zlib
from dataclasses import replace

import pytest
from pypdf import PdfReader, PdfWriter

from indexer import Library
from indexer.pipeline.ingest import ingest_paths
from indexer.pipeline.watch import InboxWatcher
from scripts.docwriters import write_docx, write_pdf
from tests.test_extract_image import write_png_header

TIME_LIMIT_S = 4
GOOD = "صورتجلسه هیأت‌مدیره سازمان مدیریت پسماند\nمصوبه ۱: قرارداد جمع‌آوری پسماند تمدید شد."

# file name → (English words, Persian words) its reason must hold; None: it is read
EXPECTED = {
    "minutes.pdf": None,
    "really-a-pdf.docx": None,                    # the extension lies: the bytes decide
    "locked.pdf": ("password", "رمز"),
    "truncated.pdf": ("damaged", "خراب"),
    "endless.pdf": ("longer than", "طول کشید"),
    "bomb.docx": ("zip bomb", "بمب"),
    "huge.png": ("900,000,000 pixels", "تصویر"),
    "noise.pdf": ("unsupported", "پشتیبانی نمی‌شود"),  # named PDF, holds random bytes
    "empty.txt": ("empty", "خالی"),
    "nul-bytes.txt": ("No text", "هیچ متنی"),         # 50 NUL bytes: no text, not 25 NUL characters
}


def write_endless_pdf(path, megabytes=50):
    """A one-page PDF whose content stream inflates to ``megabytes`` MB of drawing operators: its
    page content, for a reader, practically never ends."""
    operators = b"BT /F1 9 Tf 72 720 Td (bayegan) Tj ET\n" * 27000  # about 1 MB
    deflate = zlib.compressobj(9)
    data = b"".join(deflate.compress(operators) for _ in range(megabytes)) + deflate.flush()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def write_batch(folder):
    folder.mkdir(parents=True, exist_ok=True)
    good = write_pdf(folder / "minutes.pdf", GOOD)
    write_pdf(folder / "really-a-pdf.docx", "گزارش عملکرد سازمان آتش‌نشانی و خدمات ایمنی در سال گذشته")
    writer = PdfWriter()
    writer.append(PdfReader(good))
    writer.encrypt(user_password="1234", owner_password="x", algorithm="AES-128")
    with open(folder / "locked.pdf", "wb") as fh:
        writer.write(fh)
    (folder / "truncated.pdf").write_bytes(good.read_bytes()[:400])
    write_endless_pdf(folder / "endless.pdf")
    write_docx(folder / "bomb.docx", ["بمب"])
    with zipfile.ZipFile(folder / "bomb.docx", "a", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        with zf.open("word/media/padding.bin", "w") as fh:
            for _ in range(210):
                fh.write(b"\0" * (1 << 20))
    write_png_header(folder / "huge.png", 30000, 30000)
    (folder / "noise.pdf").write_bytes(bytes(range(256)) * 64)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "nul-bytes.txt").write_bytes(b"\x00" * 50)
    assert sorted(p.name for p in folder.iterdir()) == sorted(EXPECTED)
    return folder


def _library(config, tmp_path):
    ingest = replace(config.ingest, extract_timeout_s=TIME_LIMIT_S, stable_seconds=0, retries=0)
    return Library(replace(config, ingest=ingest))


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    return write_batch(tmp_path_factory.mktemp("hostile") / "batch")


def _check(name, status, error, error_fa):
    expected = EXPECTED[name]
    if expected is None:
        assert status in ("indexed", "duplicate"), (name, error)
    else:
        assert status == "failed", name
        english, persian = expected
        assert english in error and persian in error_fa, (name, error, error_fa)


def test_hostile_files_fail_with_reasons_and_the_batch_goes_on(config, tmp_path, batch):
    library = _library(config, tmp_path)
    try:
        results = ingest_paths(library, [batch])
        for result in results:
            _check(result.path.rsplit("/", 1)[-1], result.status, result.error or "", result.error_fa or "")
        assert library.catalog.count() == 2
        hits = {h.doc_id for h in library.search("آتش‌نشانی").hits}
        lying = next(r for r in results if r.path.endswith("really-a-pdf.docx"))
        assert lying.id in hits and library.document(lying.id).mime == "application/pdf"
        assert sorted(p.name for p in batch.iterdir()) == sorted(EXPECTED)  # sources untouched
    finally:
        library.close()


def test_hostile_files_dropped_in_the_inbox_end_in_failed_with_reason_files(config, tmp_path, batch):
    library = _library(config, tmp_path)
    try:
        shutil.copytree(batch, config.inbox_dir)
        InboxWatcher(library).run_once()
        assert not list(config.inbox_dir.rglob("*.*"))  # the inbox is empty
        failed = config.failed_dir
        for name, expected in EXPECTED.items():
            if expected is None:
                assert not (failed / name).exists(), name
                continue
            assert (failed / name).read_bytes() == (batch / name).read_bytes()
            persian, english = (failed / f"{name}.reason.txt").read_text(encoding="utf-8").splitlines()[:2]
            _check(name, "failed", english, persian)
        assert library.catalog.count() == 2
    finally:
        library.close()
