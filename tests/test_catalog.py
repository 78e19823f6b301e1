import sqlite3

import pytest
from sqlalchemy import inspect

from archive import Catalog, Document, DocumentNotFound, Page, Resolution, document_id_for
from archive.catalog import MIGRATIONS, current_revision, newest_revision

SHA = "a" * 64


def test_migrations_create_the_schema(tmp_path):
    catalog = Catalog(f"sqlite:///{tmp_path / 'c.sqlite3'}")
    tables = set(inspect(catalog.engine).get_table_names())
    assert {"documents", "pages", "resolutions", "alembic_version"} <= tables
    with sqlite3.connect(tmp_path / "c.sqlite3") as db:
        # the newest migration (each names the one before, so there is a single head)
        newest = max(p.name.split("_")[0] for p in (MIGRATIONS / "versions").glob("0*.py"))
        assert db.execute("select version_num from alembic_version").fetchone() == (newest,)
    assert current_revision(catalog.engine) == newest_revision() == newest
    catalog.dispose()
    Catalog(f"sqlite:///{tmp_path / 'c.sqlite3'}").dispose()  # opening again is a no-op upgrade


def test_an_older_catalog_is_upgraded_when_opened(tmp_path):
    from alembic import command
    from alembic.config import Config as AlembicConfig
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{tmp_path / 'c.sqlite3'}")
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "0001")
    assert current_revision(engine) == "0001"
    engine.dispose()
    catalog = Catalog(f"sqlite:///{tmp_path / 'c.sqlite3'}")
    assert current_revision(catalog.engine) == newest_revision()
    assert "users" in inspect(catalog.engine).get_table_names()
    catalog.dispose()


def test_document_id_is_derived_from_the_hash():
    doc_id = document_id_for(SHA)
    assert doc_id == document_id_for(SHA)
    assert len(doc_id) == 12 and doc_id.isalnum() and doc_id.islower()
    assert document_id_for("b" * 64) != doc_id


def test_roundtrip_with_pages_and_resolutions(tmp_path):
    catalog = Catalog(f"sqlite:///{tmp_path / 'c.sqlite3'}")
    with catalog.session() as s:
        s.add(Document(id=document_id_for(SHA), sha256=SHA, filename="صورتجلسه.pdf", mime="application/pdf",
                       size=10, title="صورتجلسه", kind="minutes", kind_reasons="[]",
                       pages=[Page(number=1, text="یک"), Page(number=2, text="دو")],
                       resolutions=[Resolution(ordinal=1, number="1", text="خرید اتوبوس")]))
    with catalog.session() as s:
        doc = catalog.get(s, document_id_for(SHA))
        assert doc.text == "یک\n\nدو"
        assert [r.anchor for r in doc.resolutions] == ["r1"]
        assert catalog.find_by_sha256(s, SHA).id == doc.id
    assert catalog.count() == 1
    with catalog.session() as s, pytest.raises(DocumentNotFound):
        catalog.get(s, "zzzzzzzzzzzz")


def test_pages_of_an_older_catalog_keep_their_text_and_have_no_ocr_reason(tmp_path):
    from alembic import command
    from alembic.config import Config as AlembicConfig
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{tmp_path / 'c.sqlite3'}")
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "0008")
        connection.exec_driver_sql(
            "insert into documents (id, sha256, filename, mime, size, title, kind, kind_reasons, added_at,"
            " updated_at) values ('d1', ?, 'scan.png', 'image/png', 1, 't', 'letter', '[]', '2026-01-01',"
            " '2026-01-01')", (SHA,))
        connection.exec_driver_sql("insert into pages (document_id, number, text, ocr) values ('d1', 1, 'متن', 1)")
    engine.dispose()
    catalog = Catalog(f"sqlite:///{tmp_path / 'c.sqlite3'}")
    with catalog.session() as session:
        (page,) = catalog.get(session, "d1").pages
        assert (page.text, page.ocr, page.ocr_reason) == ("متن", True, None)
        page.ocr_reason = "image file"
    with catalog.session() as session:
        assert catalog.get(session, "d1").pages[0].ocr_reason == "image file"
    catalog.dispose()
