"""What the index holds of a catalog document: its records (the document itself and each of its
resolutions), and the version that tells a stale record from a current one."""
from __future__ import annotations

from types import SimpleNamespace

from archive import Document
from indexer.metadata import Metadata
from indexer.metadata.decisions import resolution_title
from indexer.search.schema import RESOLUTION_BOOST, TITLES_IN_TEXT, text_fields, title_weight


def version_of(updated_at) -> str:
    """The version a record is written with: when its catalog row last changed."""
    return updated_at.isoformat() if updated_at else ""


def record_version(doc: Document) -> str:
    """What an index record remembers of the catalog row it was written from: when the row last
    changed. A record whose version differs from its row's is stale (a crash after a catalog commit and
    before the index commit that should have followed it)."""
    return version_of(doc.updated_at)


def record_texts(meta: Metadata, text: str) -> tuple[list[str], list[str]]:
    """What the records of a document read as ``meta`` and ``text`` analyze, as
    :func:`document_records` makes them from its catalog row: (the texts of their four text fields,
    the document's then each resolution's; the short fields: titles, organization and addressee,
    letter number). What an extraction child analyzes ahead (:mod:`indexer.search.prepared`) before
    the row exists."""
    title = meta.title or ""
    drafts = meta.resolutions_for(meta.kind)
    texts = [text_fields(title, text, title_in_text=meta.title_source in TITLES_IN_TEXT)["content"],
             *(text_fields(title, res.text)["content"] for res in drafts)]
    row = SimpleNamespace(title=meta.title, meeting=meta.meeting, organization=meta.organization)
    short = [title, meta.organization or "", meta.addressee or "", meta.number or "",
             *(resolution_title(row, res) for res in drafts)]  # type: ignore[arg-type]
    return texts, [s for s in short if s]


def document_records(doc: Document) -> list[dict]:
    """The index records of one catalog document: the document itself and each resolution."""
    year = doc.date_jalali[:4] if doc.date_jalali else None
    common = {
        "doc_id": doc.id, "kind": doc.kind, "organization": doc.organization or "",
        "org_terms": "\n".join(filter(None, (doc.organization, doc.addressee))), "number": doc.number or "",
        "number_terms": doc.number or "", "date": doc.date_jalali or "", "filename": doc.filename,
        "version": record_version(doc),
    }
    if year is not None:
        common["year"] = year
    weight = title_weight(doc.title_source)
    records = [{**common, "key": f"d:{doc.id}", "hit_type": "document", "anchor": "",
                "resolution_number": "", "_title_boost": weight,
                **text_fields(doc.title, doc.text, title_in_text=doc.title_source in TITLES_IN_TEXT)}]
    states = {s.anchor: s for s in doc.resolution_states}
    for res in doc.resolutions:
        followup = states.get(res.anchor)
        due = (followup.due if followup and followup.due else None) or res.due
        records.append({**common, "key": f"r:{doc.id}:{res.ordinal}", "hit_type": "resolution",
                        "anchor": res.anchor, "resolution_number": res.number,
                        "state": followup.state if followup else "new",
                        **({"due": due} if due else {}),
                        "_boost": RESOLUTION_BOOST, "_title_boost": RESOLUTION_BOOST * weight,
                        **text_fields(doc.title, res.text)})
    for record, res in zip(records[1:], doc.resolutions):
        record["title"] = resolution_title(doc, res)
    return records
