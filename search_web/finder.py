"""The search page's search: the query typed, plus the page's filters (kind, organization, a Jalali
date range), its sort order, facet counts and a "did you mean".

Every search is a URL: :class:`SearchRequest` reads the query string and writes it back, so a link
pasted into an e-mail opens the same results. The search itself, with its filters, sort,
facet counts and spelling suggestion, is the indexer's (:meth:`indexer.Library.search`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import jdatetime

from archive import KINDS
from indexer import SORTS, Hit, Library, SearchFilters
from indexer.search import digits_to_ascii, to_persian_digits

_DATE = re.compile(r"^(\d{4})[/\-.](\d{1,2})[/\-.](\d{1,2})$")


def parse_jalali(text: str) -> str:
    """'۱۴۰۲/۷/۵' (any digits, / - or .) → '1402-07-05'; '' stays ''.

    :raises ValueError: with a Persian message, when it is not a real Jalali date.
    """
    text = digits_to_ascii((text or "").strip())
    if not text:
        return ""
    m = _DATE.match(text)
    if m:
        year, month, day = (int(g) for g in m.groups())
        try:
            jdatetime.date(year, month, day)
            if 1300 <= year <= 1499:
                return f"{year:04d}-{month:02d}-{day:02d}"
        except ValueError:
            pass
    raise ValueError(f"تاریخ «{to_persian_digits(text)}» درست نیست؛ "
                     "به شکل ۱۴۰۲/۰۷/۱۵ بنویسید.")


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    kind: str = ""
    org: str = ""
    date_from: str = ""      # Jalali YYYY-MM-DD
    date_to: str = ""
    sort: str = "relevance"
    page: int = 1
    errors: tuple[str, ...] = ()

    @classmethod
    def from_args(cls, args) -> "SearchRequest":
        """Read the page's query string; what cannot be read is dropped with a Persian message."""
        errors = []
        dates = {}
        for name in ("from", "to"):
            try:
                dates[name] = parse_jalali(args.get(name, ""))
            except ValueError as exc:
                errors.append(str(exc))
                dates[name] = ""
        if dates["from"] and dates["to"] and dates["from"] > dates["to"]:
            dates["from"], dates["to"] = dates["to"], dates["from"]
        kind = args.get("kind", "").strip()
        sort = args.get("sort", "relevance")
        try:
            page = max(1, min(10_000, int(args.get("page", "1"))))
        except ValueError:
            page = 1
        return cls(q=args.get("q", "").strip(), kind=kind if kind in KINDS else "",
                   org=args.get("org", "").strip()[:256], date_from=dates["from"],
                   date_to=dates["to"], sort=sort if sort in SORTS else "relevance", page=page,
                   errors=tuple(errors))

    @property
    def is_empty(self) -> bool:
        return not (self.q or self.kind or self.org or self.date_from or self.date_to)

    @property
    def filters(self) -> SearchFilters:
        return SearchFilters(kind=self.kind, organization=self.org, date_from=self.date_from,
                             date_to=self.date_to)

    @property
    def has_filters(self) -> bool:
        return bool(self.kind or self.org or self.date_from or self.date_to)

    def year_args(self, year: str) -> dict:
        """The query string of this search narrowed to one Jalali year."""
        y = int(year)
        last = 30 if jdatetime.date(y, 1, 1).isleap() else 29
        return self.args(date_from=f"{y:04d}-01-01", date_to=f"{y:04d}-12-{last}", page=1)

    def args(self, **changes) -> dict:
        """The query string of this search (with ``changes``), defaults left out, for ``url_for``."""
        req = replace(self, **changes)
        values = {"q": req.q, "kind": req.kind, "org": req.org,
                  "from": req.date_from.replace("-", "/"), "to": req.date_to.replace("-", "/"),
                  "sort": "" if req.sort == "relevance" else req.sort,
                  "page": "" if req.page == 1 else str(req.page)}
        return {k: v for k, v in values.items() if v}


@dataclass
class Found:
    total: int
    page: int
    page_size: int
    hits: list[Hit]
    relaxed: bool
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    suggestion: str | None = None

    @property
    def pages(self) -> int:
        return (self.total + self.page_size - 1) // self.page_size if self.total else 0


def find(lib: Library, req: SearchRequest, page_size: int | None = None) -> Found:
    """One page of hits for the request, with facet counts (years newest first).

    :raises QueryError: when the typed query cannot be understood.
    """
    filters = SearchFilters(kind=req.kind, organization=req.org, date_from=req.date_from,
                            date_to=req.date_to)
    results = lib.search(req.q, page=req.page, page_size=page_size, facets=True, filters=filters,
                         sort=req.sort)
    facets = dict(results.facets)
    if "year" in facets:
        facets["year"] = sorted(facets["year"], reverse=True)
    return Found(total=results.total, page=results.page, page_size=results.page_size,
                 hits=results.hits, relaxed=results.relaxed, facets=facets,
                 suggestion=results.suggestion)
