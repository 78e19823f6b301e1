"""API tokens: what a scanner, a mail rule or a nightly script sends instead of logging in.

``bayegan token add NAME --role clerk`` makes a random token, shows it once and keeps only its SHA-256
(a token is 256 random bits, so a fast hash is as good as a slow one and costs nothing per request).
A token acts with its own role on every /api route (``Authorization: Bearer <token>``); revoking
deletes it; an expired one is refused. ``last_used_at`` is written at most once a minute.
"""
from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import DateTime, Integer, String, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from archive.catalog import Catalog
from archive.models import Base, utcnow
from archive.users import AccountError, check_role

PREFIX = "bgn_"
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{1,63}")
_DURATION = re.compile(r"(\d{1,5})([dhm])")
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}
TOUCH_EVERY = timedelta(minutes=1)


class TokenError(AccountError):
    """A token operation was refused; ``message_fa`` is safe to show."""

    message_fa = "درخواست توکن پذیرفته نشد."


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    role: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    def may(self, role: str) -> bool:
        from archive.users import ROLE_RANK

        return ROLE_RANK.get(self.role, -1) >= ROLE_RANK[role]


def parse_duration(text: str) -> timedelta:
    """'90d', '12h', '30m' → a timedelta.

    :raises TokenError: for anything else.
    """
    m = _DURATION.fullmatch((text or "").strip())
    if not m or int(m.group(1)) == 0:
        raise TokenError(f"expiry {text!r} is not like 90d, 12h or 30m",
                         "مدت اعتبار باید مانند 90d یا 12h یا 30m باشد.")
    return timedelta(**{_UNITS[m.group(2)]: int(m.group(1))})


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ApiTokens:
    """Add, list, revoke and check the API tokens kept (hashed) in the catalog."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog

    def add(self, name: str, role: str, expires_in: timedelta | None = None) -> tuple[str, ApiToken]:
        """A new token: (the token itself, shown only now; its record).

        :raises TokenError: for a bad or taken name; :raises AccountError: for an unknown role.
        """
        if not NAME.fullmatch(name or ""):
            raise TokenError("token names are 2-64 Latin letters, digits, '.', '_', '@' or '-'",
                             "نام توکن باید ۲ تا ۶۴ حرف لاتین، رقم یا . _ @ - باشد.")
        check_role(role)
        token = PREFIX + secrets.token_urlsafe(32)
        now = utcnow()
        with self.catalog.session() as session:
            if session.scalars(select(ApiToken).where(ApiToken.name == name)).one_or_none() is not None:
                raise TokenError(f"a token named {name!r} exists", "توکنی با این نام وجود دارد.")
            record = ApiToken(name=name, role=role, token_hash=token_hash(token), created_at=now,
                              expires_at=now + expires_in if expires_in else None)
            session.add(record)
            session.flush()
            session.expunge(record)
        return token, record

    def list(self) -> list[ApiToken]:
        with self.catalog.session() as session:
            tokens = list(session.scalars(select(ApiToken).order_by(ApiToken.name)))
            session.expunge_all()
            return tokens

    def revoke(self, name: str) -> None:
        """:raises TokenError: when there is no token of that name."""
        with self.catalog.session() as session:
            if not session.execute(delete(ApiToken).where(ApiToken.name == name)).rowcount:
                raise TokenError(f"no token {name!r}", "توکنی با این نام پیدا نشد.")

    def verify(self, token: str | None) -> ApiToken | None:
        """The live token's record, or None for an unknown, revoked or expired token."""
        if not token or not token.startswith(PREFIX) or len(token) > 200:
            return None
        now = utcnow()
        with self.catalog.session() as session:
            record = session.scalars(select(ApiToken).where(
                ApiToken.token_hash == token_hash(token))).one_or_none()
            if record is None or (record.expires_at is not None and record.expires_at <= now):
                return None
            if record.last_used_at is None or now - record.last_used_at >= TOUCH_EVERY:
                record.last_used_at = now
                session.flush()
            session.expunge(record)
            return record


__all__ = ["ApiToken", "ApiTokens", "TokenError", "parse_duration"]
