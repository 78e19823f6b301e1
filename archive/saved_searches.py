"""Saved searches: each user's named searches (the query and the search page's filters), with the
time the user last opened each, so the page can say how many documents arrived since.

They live in the catalog database, table ``saved_searches``; removing a user removes theirs.
"""
from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from archive.catalog import Catalog
from archive.errors import ArchiveError
from archive.models import Base, utcnow
from archive.users import User  # noqa: F401 - the table saved searches refer to

MAX_NAME = 200
MAX_PER_USER = 100
QUERY_KEYS = ("q", "kind", "org", "from", "to", "sort")  # the search page's query string


class SavedSearchError(ArchiveError):
    """A saved search was refused; ``message_fa`` is safe to show."""

    message_fa = "جست‌وجو ذخیره نشد."

    def __init__(self, message: str, message_fa: str | None = None):
        super().__init__(message)
        if message_fa:
            self.message_fa = message_fa


class SavedSearchNotFound(SavedSearchError):
    message_fa = "این جست‌وجوی ذخیره‌شده پیدا نشد."


class SavedSearch(Base):
    __tablename__ = "saved_searches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(MAX_NAME))
    query: Mapped[str] = mapped_column(Text)          # JSON: {"q", "kind", "org", "from", "to", "sort"}
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    opened_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    @property
    def args(self) -> dict[str, str]:
        """The search page's query string of this search."""
        return json.loads(self.query)


def clean_args(args) -> dict[str, str]:
    """The search keys of a query string or JSON object, empty ones left out.

    :raises SavedSearchError: when there is nothing to search.
    """
    values = {k: str(args.get(k) or "").strip()[:500] for k in QUERY_KEYS}
    values = {k: v for k, v in values.items() if v and not (k == "sort" and v == "relevance")}
    if not any(values.get(k) for k in ("q", "kind", "org", "from", "to")):
        raise SavedSearchError("a saved search needs a query or a filter",
                               "جست‌وجوی خالی را نمی‌توان ذخیره کرد.")
    return values


class SavedSearches:
    """One user's saved searches: list, save, mark opened, delete."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog

    def list(self, user_id: int) -> list[SavedSearch]:
        with self.catalog.session() as session:
            found = list(session.scalars(select(SavedSearch).where(SavedSearch.user_id == user_id)
                                         .order_by(SavedSearch.name, SavedSearch.id)))
            session.expunge_all()
            return found

    def save(self, user_id: int, name: str, args) -> SavedSearch:
        """Save (or, under a name the user already has, replace) a search; opened now.

        :raises SavedSearchError: for an empty name or search, or too many saved searches.
        """
        name = " ".join((name or "").split())[:MAX_NAME]
        if not name:
            raise SavedSearchError("a saved search needs a name", "برای جست‌وجو نامی بنویسید.")
        query = json.dumps(clean_args(args), ensure_ascii=False, sort_keys=True)
        with self.catalog.session() as session:
            mine = list(session.scalars(select(SavedSearch).where(SavedSearch.user_id == user_id)))
            saved = next((s for s in mine if s.name == name), None)
            if saved is None:
                if len(mine) >= MAX_PER_USER:
                    raise SavedSearchError(f"at most {MAX_PER_USER} saved searches",
                                           f"بیش از {MAX_PER_USER} جست‌وجو را نمی‌توان ذخیره کرد.")
                saved = SavedSearch(user_id=user_id, name=name)
                session.add(saved)
            saved.query, saved.opened_at = query, utcnow()
            session.flush()
            session.expunge(saved)
            return saved

    def _mine(self, session, user_id: int, search_id: int) -> SavedSearch:
        saved = session.get(SavedSearch, search_id)
        if saved is None or saved.user_id != user_id:
            raise SavedSearchNotFound(f"no saved search {search_id} of this user")
        return saved

    def mark_opened(self, user_id: int, search_id: int) -> SavedSearch:
        """:raises SavedSearchNotFound: when the user has no such saved search."""
        with self.catalog.session() as session:
            saved = self._mine(session, user_id, search_id)
            saved.opened_at = utcnow()
            session.flush()
            session.expunge(saved)
            return saved

    def delete(self, user_id: int, search_id: int) -> None:
        """:raises SavedSearchNotFound: when the user has no such saved search."""
        with self.catalog.session() as session:
            session.delete(self._mine(session, user_id, search_id))


__all__ = ["SavedSearch", "SavedSearchError", "SavedSearchNotFound", "SavedSearches", "clean_args"]
