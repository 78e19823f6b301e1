"""The login throttle: failed logins (and wrong API tokens) slow further tries down.

Shared by every server worker through the catalog (table ``login_failures``), so the limit is the same
with one worker or ten. Two kinds of key: the account name (``user:<name>``), strict, and the client
address (``ip:<address>``), looser, so that one person's failures on one account do not lock out the
colleagues behind the same proxy, while someone guessing over many names is still slowed down.

Not a hard block: after ``free`` failures a key must wait ``BASE_DELAY`` before its next try, and each
further failure doubles the wait (up to ``MAX_DELAY``). A try during the wait is refused unchecked and
not counted; once the wait is over the right password logs in. A success clears its account's count;
failures older than ``FORGET_AFTER`` are forgotten; ``bayegan user unlock NAME`` clears an account.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy import DateTime, Integer, String, delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from archive.catalog import Catalog
from archive.models import Base, utcnow

ACCOUNT_FREE = 5                  # failures on one account before it has to wait
ADDRESS_FREE = 30                 # failures from one address (over any names) before it has to wait
BASE_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(minutes=15)
FORGET_AFTER = timedelta(hours=1)


class LoginFailure(Base):
    __tablename__ = "login_failures"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(DateTime)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


def _keys(address: str, name: str) -> list[tuple[str, int]]:
    keys = [(f"ip:{address or 'unknown'}"[:200], ADDRESS_FREE)]
    if name:
        keys.append((f"user:{name.casefold()}"[:200], ACCOUNT_FREE))
    return keys


def delay_after(failures: int, free: int) -> timedelta:
    """The wait before the next try after ``failures`` failures on a key that has ``free`` of them."""
    if failures < free:
        return timedelta(0)
    return min(MAX_DELAY, BASE_DELAY * (2 ** min(failures - free, 20)))


class LoginThrottle:
    """Counts failures per account and per address in the catalog; tells how long a try must wait."""

    def __init__(self, catalog: Catalog, clock: Callable[[], datetime] = utcnow):
        self.catalog = catalog
        self.clock = clock

    def wait_s(self, address: str, name: str = "") -> float:
        """Seconds before a try from ``address`` for account ``name`` ('' for a token) is allowed; 0: now."""
        now = self.clock()
        with self.catalog.session() as session:
            waits = [(row.locked_until - now).total_seconds()
                     for key, _ in _keys(address, name)
                     if (row := session.get(LoginFailure, key)) is not None and row.locked_until]
        return max([0.0] + waits)

    def failed(self, address: str, name: str = "") -> None:
        """Count one failure for the address and (when given) the account."""
        for attempt in range(3):  # two workers may insert the same new key at once: the loser retries
            try:
                self._count(address, name)
                return
            except IntegrityError:
                if attempt == 2:
                    raise

    def _count(self, address: str, name: str) -> None:
        now = self.clock()
        with self.catalog.session() as session:
            for key, free in _keys(address, name):
                row = session.get(LoginFailure, key)
                if row is None:
                    row = LoginFailure(key=key, failures=0, last_failure_at=now)
                    session.add(row)
                elif now - row.last_failure_at > FORGET_AFTER:
                    row.failures = 0
                row.failures += 1
                row.last_failure_at = now
                wait = delay_after(row.failures, free)
                row.locked_until = now + wait if wait else None

    def succeeded(self, name: str) -> None:
        """A right password: the account's failures are forgotten (the address's are not)."""
        self.unlock(name)

    def unlock(self, name: str) -> bool:
        """Forget the failures of account ``name``; True when there were some."""
        with self.catalog.session() as session:
            result = session.execute(delete(LoginFailure).where(
                LoginFailure.key == f"user:{name.casefold()}"[:200]))
            return bool(result.rowcount)


__all__ = ["LoginFailure", "LoginThrottle", "delay_after"]
