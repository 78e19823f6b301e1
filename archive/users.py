"""Accounts: the people who may log in, each with one role, and their password hashes.

Passwords are hashed with Argon2id (argon2-cffi's defaults, a standard slow scheme); the hash string
carries its own parameters, so stronger defaults later still verify old hashes and rehash them on login.
Users live in the catalog database, in the ``users`` table.
"""
from __future__ import annotations

import functools
import re
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import DateTime, Integer, String, select
from sqlalchemy.orm import Mapped, mapped_column

from archive.catalog import Catalog
from archive.errors import ArchiveError
from archive.models import Base, utcnow
from archive.sessions import end_user_sessions

ROLES = ("viewer", "clerk", "admin")           # each role may do what the ones before it may
ROLE_RANK = {role: rank for rank, role in enumerate(ROLES)}
USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$")
MIN_PASSWORD = 8

_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Verifying an unknown user's password costs as much as a known one's, so timing does not tell
    names. Made at the first log-in, not at import: a hash costs a quarter second, and every command
    imports this module."""
    return _hasher.hash("not a password of anyone")


class AccountError(ArchiveError):
    """An account operation was refused; ``message_fa`` is safe to show."""

    message_fa = "درخواست حساب کاربری پذیرفته نشد."

    def __init__(self, message: str, message_fa: str | None = None):
        super().__init__(message)
        if message_fa:
            self.message_fa = message_fa


class UserExists(AccountError):
    message_fa = "کاربری با این نام وجود دارد."


class UserNotFound(AccountError):
    message_fa = "کاربری با این نام پیدا نشد."


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    def may(self, role: str) -> bool:
        """True when this user's role includes ``role``."""
        return ROLE_RANK.get(self.role, -1) >= ROLE_RANK[role]


def check_role(role: str) -> str:
    """:raises AccountError: when ``role`` is not viewer, clerk or admin."""
    if role not in ROLE_RANK:
        raise AccountError(f"unknown role {role!r}; use one of {', '.join(ROLES)}",
                           "نقش باید یکی از بیننده، کارمند یا مدیر باشد.")
    return role


def check_password(password: str) -> str:
    """:raises AccountError: when the password is too short."""
    if len(password or "") < MIN_PASSWORD:
        raise AccountError(f"password must have at least {MIN_PASSWORD} characters",
                           f"گذرواژه باید دست‌کم {MIN_PASSWORD} نویسه باشد.")
    return password


class Accounts:
    """Add, change, list, remove and authenticate users in the catalog database."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog

    def add(self, name: str, role: str, password: str) -> User:
        """:raises AccountError: for a bad name, role or password; :raises UserExists:"""
        if not USERNAME.fullmatch(name or ""):
            raise AccountError("user names are 2-64 Latin letters, digits, '.', '_', '@' or '-'",
                               "نام کاربری باید ۲ تا ۶۴ حرف لاتین، رقم یا . _ @ - باشد.")
        check_role(role)
        check_password(password)
        with self.catalog.session() as session:
            if session.scalars(select(User).where(User.name == name)).one_or_none() is not None:
                raise UserExists(f"user {name!r} exists")
            user = User(name=name, role=role, password_hash=_hasher.hash(password))
            session.add(user)
            session.flush()
            session.expunge(user)
            return user

    def get(self, name: str) -> User | None:
        with self.catalog.session() as session:
            user = session.scalars(select(User).where(User.name == name)).one_or_none()
            if user is not None:
                session.expunge(user)
            return user

    def _update(self, name: str, end_sessions: bool = True, **values) -> User:
        """Change ``values`` of one user; their web sessions end with it (unless ``end_sessions`` is
        false: a rehash on login changes nothing they hold)."""
        with self.catalog.session() as session:
            user = session.scalars(select(User).where(User.name == name)).one_or_none()
            if user is None:
                raise UserNotFound(f"no user {name!r}")
            for key, value in values.items():
                setattr(user, key, value)
            if end_sessions:
                end_user_sessions(session, name)
            session.flush()
            session.expunge(user)
            return user

    def set_password(self, name: str, password: str) -> User:
        """:raises UserNotFound: :raises AccountError: for a short password."""
        check_password(password)
        return self._update(name, password_hash=_hasher.hash(password), password_changed_at=utcnow())

    def set_role(self, name: str, role: str) -> User:
        """A new role; the user's sessions end, so they log in again under it.

        :raises UserNotFound: :raises AccountError: for an unknown role."""
        return self._update(name, role=check_role(role))

    def remove(self, name: str) -> None:
        """:raises UserNotFound:"""
        with self.catalog.session() as session:
            user = session.scalars(select(User).where(User.name == name)).one_or_none()
            if user is None:
                raise UserNotFound(f"no user {name!r}")
            session.delete(user)
            end_user_sessions(session, name)

    def list(self) -> list[User]:
        with self.catalog.session() as session:
            users = list(session.scalars(select(User).order_by(User.name)))
            session.expunge_all()
            return users

    def authenticate(self, name: str, password: str) -> User | None:
        """The user when the password is right, else None; upgrades an outdated hash."""
        user = self.get(name)
        try:
            _hasher.verify(user.password_hash if user else _dummy_hash(), password)
        except (VerificationError, InvalidHashError):
            return None
        if user is None:
            return None
        if _hasher.check_needs_rehash(user.password_hash):
            self._update(name, end_sessions=False, password_hash=_hasher.hash(password))
        return user


__all__ = ["AccountError", "Accounts", "ROLES", "User", "UserExists", "UserNotFound"]
