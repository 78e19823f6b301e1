"""The search page's search: the query typed, plus the page's filters (kind, organization, a Jalali
date range), its sort order, facet counts and a "did you mean".

Every search is a URL: :class:`SearchRequest` reads the query string and writes it back, so a link
pasted into an e-mail opens the same results. The query language, ranking, snippets and
spelling are the indexer's (:mod:`indexer.query`, :mod:`indexer.snippets`, :mod:`indexer.spelling`);
the page's filters, date sort and facet counts are added here as Whoosh filter,
sort and facet arguments on the same index, which :meth:`Library.search` does not take.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import jdatetime
from sqlalchemy import select
from whoosh import query as Q
from whoosh import sorting

from archive import KINDS, Page, Resolution
from indexer import Library, persian, spelling
from indexer import query as queries
from indexer.index import WEIGHTING
from indexer.snippets import make_snippet

SORTS = ("relevance", "newest", "oldest")
_DATE = re.compile(r"^(\d{4})[/\-.](\d{1,2})[/\-.](\d{1,2})$")
FACET_FIELDS = {"kind": "kind", "organization": "organization", "year": "year"}
FEW_HITS = 3   # fewer hits than this, or only hits with some of the words: offer a spelling


def parse_jalali(text: str) -> str:
    """'۱۴۰۲/۷/۵' (any digits, / - or .) → '1402-07-05'; '' stays ''.

    :raises ValueError: with a Persian message, when it is not a real Jalali date.
    """
    text = persian.digits_to_ascii((text or "").strip())
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
    raise ValueError(f"تاریخ «{persian.to_persian_digits(text)}» درست نیست؛ "
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
        return cls(q=args.get("q", "").strip()[:500], kind=kind if kind in KINDS else "",
                   org=args.get("org", "").strip()[:256], date_from=dates["from"],
                   date_to=dates["to"], sort=sort if sort in SORTS else "relevance", page=page,
                   errors=tuple(errors))

    @property
    def is_empty(self) -> bool:
        return not (self.q or self.kind or self.org or self.date_from or self.date_to)

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


@dataclass(frozen=True)
class PageHit:
    """One result line: a document, or one resolution of it (``anchor`` "r3")."""

    key: str
    doc_id: str
    hit_type: str
    anchor: str | None
    resolution_number: str | None
    title: str
    kind: str
    date: str | None
    organization: str | None
    number: str | None
    meeting: str | None
    snippet: str            # HTML: the highlighter escaped the text and added <mark>
    score: float


@dataclass
class Found:
    total: int
    page: int
    page_size: int
    hits: list[PageHit]
    relaxed: bool
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    suggestion: str | None = None

    @property
    def pages(self) -> int:
        return (self.total + self.page_size - 1) // self.page_size if self.total else 0


def _filters(req: SearchRequest, built_filter: Q.Query | None) -> Q.Query | None:
    parts = [built_filter] if built_filter is not None else []
    if req.kind:
        parts.append(Q.Term("kind", req.kind))
    if req.org:
        parts.append(Q.Term("organization", req.org))
    if req.date_from or req.date_to:
        parts.append(Q.TermRange("date", req.date_from or "1300-01-01", req.date_to or "1499-12-30"))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Q.And(parts)


def _load_texts(lib: Library, keys: list[str]) -> dict[str, str]:
    """The text of each hit key ("d:<id>" a document, "r:<id>:<n>" a resolution), from the catalog."""
    ids = sorted({key.split(":")[1] for key in keys})
    texts: dict[str, list[str]] = {}
    with lib.catalog.session() as session:
        for page in session.scalars(select(Page).where(Page.document_id.in_(ids))
                                    .order_by(Page.document_id, Page.number)):
            texts.setdefault(f"d:{page.document_id}", []).append(page.text)
        for res in session.scalars(select(Resolution).where(Resolution.document_id.in_(ids))):
            texts[f"r:{res.document_id}:{res.ordinal}"] = [res.text]
    return {key: "\n\n".join(parts) for key, parts in texts.items()}


def find(lib: Library, req: SearchRequest, page_size: int | None = None) -> Found:
    """One page of hits for the request, with facet counts.

    :raises QueryError: when the typed query cannot be understood.
    """
    size = min(page_size or lib.config.search.page_size, lib.config.search.max_page_size)
    built = queries.build(req.q) if req.q else None
    main = built.ranked if built is not None else Q.Every()
    flt = _filters(req, built.filter if built is not None else None)
    options = {"filter": flt, "terms": True,
               "groupedby": {name: sorting.FieldFacet(f, maptype=sorting.Count)
                             for name, f in FACET_FIELDS.items()}}
    if req.sort != "relevance":
        options.update(sortedby="date", reverse=req.sort == "newest")
    with lib.index.ix.searcher(weighting=WEIGHTING) as searcher:
        results = searcher.search_page(main, req.page, pagelen=size, **options)
        relaxed = bool(built is not None and built.all_words is not None and results.total
                       and searcher.search(built.all_words, limit=1, filter=flt).is_empty())
        stored = [hit.fields() for hit in results]
        texts = _load_texts(lib, [f["key"] for f in stored]) if stored else {}
        words = built.words if built is not None else []
        hits = [_hit(hit, fields, texts.get(fields["key"], ""), words) for hit, fields in zip(results, stored)]
        facets = {}
        for name in FACET_FIELDS:
            counts = results.results.groups(name)
            order = (lambda kv: kv[0]) if name == "year" else (lambda kv: (-kv[1], kv[0]))
            facets[name] = sorted(((k, v) for k, v in counts.items() if k), key=order,
                                  reverse=name == "year")
        suggestion = (spelling.suggest(searcher, req.q)
                      if req.q and (relaxed or results.total < FEW_HITS) else None)
        return Found(total=results.total, page=req.page, page_size=size, hits=hits,
                     relaxed=relaxed, facets=facets, suggestion=suggestion)


def _hit(hit, fields: dict, body: str, words: list) -> PageHit:
    snippet = make_snippet(body, words) if body else ""
    return PageHit(key=fields["key"], doc_id=fields["doc_id"], hit_type=fields["hit_type"],
               anchor=fields.get("anchor") or None,
               resolution_number=fields.get("resolution_number") or None,
               title=fields.get("title", ""), kind=fields.get("kind", "other"),
               date=fields.get("date") or None, organization=fields.get("organization") or None,
               number=fields.get("number") or None, meeting=fields.get("meeting") or None,
               snippet=snippet,
               score=round(float(hit.score), 4) if isinstance(hit.score, (int, float)) else 0.0)
