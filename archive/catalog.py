"""The catalog: documents, pages and resolutions in a relational database through SQLAlchemy 2.

SQLite by default (a file in the data folder); any SQLAlchemy URL works. The schema is brought to the
newest migration every time the catalog is opened.
"""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine, event, func, inspect, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, selectinload, sessionmaker

from archive.errors import DocumentNotFound
from archive.models import Document

MIGRATIONS = Path(__file__).with_name("migrations")


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def newest_revision() -> str:
    """The newest migration: files are named after their revision, each naming the one before."""
    return max(p.name.split("_")[0] for p in (MIGRATIONS / "versions").glob("[0-9]*.py"))


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at (None for a new database)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def migrate(engine: Engine) -> None:
    """Bring the database schema to the newest migration. Alembic (slow to import) is loaded only
    when there is something to do, so that commands start fast."""
    if current_revision(engine) == newest_revision():
        return
    from alembic import command
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")


class Catalog:
    """Access to the catalog database. Use :meth:`session` for a unit of work."""

    def __init__(self, url: str):
        self.url = url
        if url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        self.engine = create_engine(url)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        migrate(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session committed on success and rolled back on any error."""
        with self._sessions.begin() as session:
            yield session

    def get(self, session: Session, doc_id: str) -> Document:
        """The document with its pages and resolutions.

        :raises DocumentNotFound: when the id is unknown.
        """
        doc = session.scalars(
            select(Document).where(Document.id == doc_id)
            .options(selectinload(Document.pages), selectinload(Document.resolutions))
        ).one_or_none()
        if doc is None:
            raise DocumentNotFound(doc_id)
        return doc

    def find_by_sha256(self, session: Session, sha256: str) -> Document | None:
        return session.scalars(select(Document).where(Document.sha256 == sha256)).one_or_none()

    def count(self) -> int:
        with self.session() as session:
            return session.scalar(select(func.count()).select_from(Document)) or 0

    def iter_ids(self) -> list[str]:
        with self.session() as session:
            return list(session.scalars(select(Document.id).order_by(Document.id)))

    def dispose(self) -> None:
        self.engine.dispose()
