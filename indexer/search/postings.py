"""Unscored walks over whole posting lists, a block of document numbers at a time.

Sorting hits by date and counting them by kind, organization and year need every document a query
matches, never a score. Whoosh walks them with its matchers, several Python calls per posting of
every list (half a second for a two-word query matching 39,000 of the 54,000 records of the
10,000-document benchmark archive). Here a query made of terms, Or, And and AndNot is read list by
list as whole blocks of document numbers and combined as Python sets; any other query (phrases,
prefixes, ranges, fuzzy terms) goes through Whoosh's own walk. Deleted records are left out either way.

``FieldSets`` keeps, for one generation of the index, the documents of each value of a few ID fields
(the dates, kinds, organizations, years), so a page sorted by date reads the dates from the newest down only
until the page is full, and a facet count is a set intersection per value.
"""
from __future__ import annotations

import threading
from bisect import bisect_right

from whoosh import query as Q
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher


def doc_set(searcher, query: Q.Query, field_sets: "FieldSets | None" = None) -> set[int]:
    """The (global) numbers of the documents ``query`` matches. A range over a field ``field_sets``
    keeps (the dates) is a union of its kept sets."""
    if isinstance(query, Q.TermRange) and field_sets is not None and field_sets.keeps(query.fieldname):
        return field_sets.within(searcher, query.fieldname, query.start, query.end)
    if isinstance(query, Q.Term):
        return term_docs(searcher, query.fieldname, query.text)
    if isinstance(query, Q.Or):
        found: set[int] = set()
        for sub in query.subqueries:
            found |= doc_set(searcher, sub, field_sets)
        return found
    if isinstance(query, Q.And):
        parts = sorted((doc_set(searcher, sub, field_sets) for sub in query.subqueries), key=len)
        found = parts[0] if parts else set()
        for part in parts[1:]:
            found &= part
        return found
    if isinstance(query, Q.AndNot):
        return doc_set(searcher, query.a, field_sets) - doc_set(searcher, query.b, field_sets)
    if isinstance(query, Q.WrappingQuery):  # boosts and constant scores change no membership
        return doc_set(searcher, query.child, field_sets)
    if isinstance(query, Q.Every) and not query.fieldname:
        return set(searcher.reader().all_doc_ids())
    if query is Q.NullQuery:
        return set()
    return set(searcher.docs_for_query(query))


def docs_among(searcher, query: Q.Query, candidates) -> set[int]:
    """Which of ``candidates`` (global document numbers) ``query`` matches: its matcher skipped from
    one candidate to the next in each segment, instead of a walk of every match (a phrase's every match
    costs a position check each)."""
    wanted = sorted(candidates)
    found: set[int] = set()
    for sub, offset in searcher.leaf_searchers():
        end = offset + sub.doc_count_all()
        local = [d - offset for d in wanted if offset <= d < end]
        if not local:
            continue
        matcher = query.matcher(sub, sub.boolean_context())
        for doc in local:
            if not matcher.is_active():
                break
            if matcher.id() < doc:
                matcher.skip_to(doc)
                if not matcher.is_active():
                    break
            if matcher.id() == doc:
                found.add(doc + offset)
    return found


def reads_blocks(query: Q.Query) -> bool:
    """Whether :func:`doc_set` reads every part of ``query`` as whole blocks (no Whoosh walk)."""
    if isinstance(query, Q.Term) or (isinstance(query, Q.Every) and not query.fieldname):
        return True
    if query is Q.NullQuery:
        return True
    if isinstance(query, (Q.Or, Q.And)):
        return all(reads_blocks(sub) for sub in query.subqueries)
    if isinstance(query, Q.AndNot):
        return reads_blocks(query.a) and reads_blocks(query.b)
    if isinstance(query, Q.WrappingQuery):
        return reads_blocks(query.child)
    return False


def term_docs(searcher, fieldname: str, text) -> set[int]:
    """The documents holding one term, read a block at a time from each segment."""
    if fieldname not in searcher.schema:
        return set()
    try:
        term = searcher.schema[fieldname].to_bytes(text)
    except ValueError:
        return set()
    found: set[int] = set()
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        if (fieldname, term) not in reader:
            continue
        matcher = reader.postings(fieldname, term)
        deleted = None
        if isinstance(matcher, FilterMatcher):  # the segment has deletions: read the list, then drop them
            matcher, deleted = matcher.child, reader.deleted_docs_set
        local = set(_ids(matcher))
        if deleted:
            local -= deleted
        found.update(local if not offset else (d + offset for d in local))
    return found


def _ids(matcher):
    if isinstance(matcher, W3LeafMatcher):
        while matcher.is_active():  # Whoosh's own block reader, a block's numbers at once
            matcher._read_ids()
            yield from matcher._ids
            matcher._next_block()
    else:
        yield from matcher.all_ids()


class FieldSets:
    """The documents of each value of some ID fields, for one generation of the index (each field
    read on first use, by any searcher of that generation: their document numbers are the same)."""

    def __init__(self, generation: int, fieldnames: tuple[str, ...]):
        self.generation = generation
        self.fieldnames = fieldnames
        self._fields: dict[str, list[tuple[str, frozenset[int]]]] = {}
        self._lock = threading.Lock()
        self.documents: DocumentRecords | None = None  # which document each record belongs to

    def keeps(self, fieldname: str) -> bool:
        return fieldname in self.fieldnames

    def values(self, searcher, fieldname: str) -> list[tuple[str, frozenset[int]]]:
        """(value, documents) for every value of ``fieldname``, in sorted order. A field with a
        column (the date) is read in one pass over the column; others value by value."""
        with self._lock:
            if fieldname not in self._fields:
                reader = searcher.reader()
                if reader.has_column(fieldname):
                    by_value: dict[str, list[int]] = {}
                    live = set(reader.all_doc_ids()) if reader.has_deletions() else None
                    for docnum, value in enumerate(reader.column_reader(fieldname)):
                        if value and (live is None or docnum in live):
                            by_value.setdefault(value, []).append(docnum)
                    values = [(value, frozenset(docs)) for value, docs in sorted(by_value.items())]
                else:
                    values = []
                    for term in reader.lexicon(fieldname):
                        value = term.decode("utf-8") if isinstance(term, bytes) else term
                        if value:
                            values.append((value, frozenset(term_docs(searcher, fieldname, value))))
                self._fields[fieldname] = values
            return self._fields[fieldname]

    def within(self, searcher, fieldname: str, start: str | None, end: str | None) -> set[int]:
        """The documents whose value lies between ``start`` and ``end`` (inclusive; None: open)."""
        found: set[int] = set()
        for value, holders in self.values(searcher, fieldname):
            if (start is None or value >= start) and (end is None or value <= end):
                found |= holders
        return found

    def counts(self, searcher, fieldname: str, docs: set[int]) -> dict[str, int]:
        """How many of ``docs`` hold each value of ``fieldname`` (values held by none left out)."""
        counts = {}
        for value, holders in self.values(searcher, fieldname):
            n = len(holders & docs)  # CPython walks the smaller of the two
            if n:
                counts[value] = n
        return counts

    def ordered(self, searcher, fieldname: str, docs: set[int], wanted: int, descending: bool) -> list[int]:
        """The first ``wanted`` of ``docs`` in the order of their ``fieldname`` value (ties in index
        order); the documents without a value come last."""
        chosen: list[int] = []
        seen: set[int] = set()
        values = self.values(searcher, fieldname)
        for _, holders in (reversed(values) if descending else values):
            if len(chosen) >= wanted:
                break
            hits = sorted(holders & docs)
            chosen.extend(hits)
            seen.update(hits)
        if len(chosen) < wanted:
            chosen.extend(sorted(docs - seen))
        return chosen[:wanted]


class DocumentRecords:
    """Which document each record belongs to, for one generation of the index.

    A document's records (the document, then its resolutions) are always written together, the
    document's first (``SearchIndex.put_records`` and ``rebuild`` keep that order), and deleted together
    (by their ``doc_id``). Whoosh keeps a segment's records in order, merged or not, so the document a
    live resolution record belongs to is the nearest live document record before it. Found that way
    from two posting lists (a few milliseconds at 3,000 documents), where reading every record's
    ``doc_id`` took a second. A record before any document record (which the writers never leave) is
    its own document.
    """

    def __init__(self, searcher):
        self.heads = sorted(term_docs(searcher, "hit_type", "document"))
        self._heads = frozenset(self.heads)
        self._owner: dict[int, int] = {}
        self._members: dict[int, list[int]] = {}
        for record in sorted(term_docs(searcher, "hit_type", "resolution")):
            at = bisect_right(self.heads, record) - 1
            head = self.heads[at] if at >= 0 else record
            self._owner[record] = head
            self._members.setdefault(head, []).append(record)

    def owner(self, record: int) -> int:
        """The number of the document record ``record`` belongs to (itself for a document)."""
        return self._owner.get(record, record)

    def owners(self, records: set[int]) -> set[int]:
        """The documents that these records belong to."""
        found = set(records & self._heads)
        found.update(self._owner.get(r, r) for r in records - self._heads)
        return found

    def resolutions(self, head: int) -> list[int]:
        """The resolution records of the document record ``head``, in their order."""
        return self._members.get(head, [])
