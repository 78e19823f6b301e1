"""Web sessions kept on the server, so that ending one ends it everywhere at once.

The signed session cookie carries a random session id; the catalog keeps only the id's SHA-256, the
user and the expiry (table ``web_sessions``). Every request looks its id up: logging out deletes the
row, and a password change, a role change, a removed account or an admin's "log out everywhere"
delete every row of that user, so a cookie saved earlier and replayed later is worth nothing.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import DateTime, String, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from archive.catalog import Catalog
from archive.models import Base, utcnow

LIFETIME = timedelta(days=7)


class WebSession(Base):
    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)   # SHA-256 of the cookie's id
    user_name: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


def end_user_sessions(session: Session, user_name: str) -> int:
    """Delete every session of ``user_name`` inside the caller's unit of work; how many there were."""
    return session.execute(delete(WebSession).where(WebSession.user_name == user_name)).rowcount or 0


class WebSessions:
    """Start, look up and end the web sessions recorded in the catalog."""

    def __init__(self, catalog: Catalog, lifetime: timedelta = LIFETIME):
        self.catalog = catalog
        self.lifetime = lifetime

    def start(self, user_name: str) -> str:
        """A new session for ``user_name``; returns the id to put in the cookie (only its hash is kept).
        Expired sessions of everyone are swept on the way."""
        session_id = secrets.token_urlsafe(32)
        now = utcnow()
        with self.catalog.session() as session:
            session.execute(delete(WebSession).where(WebSession.expires_at <= now))
            session.add(WebSession(id=_digest(session_id), user_name=user_name, created_at=now,
                                   expires_at=now + self.lifetime))
        return session_id

    def user_of(self, session_id: str | None) -> str | None:
        """The user name of a live session, None when the id is unknown, ended or expired."""
        if not session_id or not isinstance(session_id, str):
            return None
        with self.catalog.session() as session:
            row = session.get(WebSession, _digest(session_id))
            if row is None or row.expires_at <= utcnow():
                return None
            return row.user_name

    def end(self, session_id: str | None) -> None:
        """End one session (logout)."""
        if session_id and isinstance(session_id, str):
            with self.catalog.session() as session:
                session.execute(delete(WebSession).where(WebSession.id == _digest(session_id)))

    def end_all(self, user_name: str) -> int:
        """End every session of ``user_name`` ("log out everywhere"); how many were live."""
        with self.catalog.session() as session:
            return end_user_sessions(session, user_name)

    def count(self, user_name: str) -> int:
        with self.catalog.session() as session:
            return len(session.scalars(select(WebSession.id).where(
                WebSession.user_name == user_name, WebSession.expires_at > utcnow())).all())


__all__ = ["LIFETIME", "WebSession", "WebSessions", "end_user_sessions"]
