"""The one Whoosh schema of Bayegan. Always open the index with :func:`build_schema`.

Each hit is a document or one of its resolutions (``hit_type``); both carry the document's metadata
so that filters and facets work on either. The full text is not stored in the index: the catalog
holds it and the snippets are cut from it.

The text is indexed four ways: ``content`` stemmed (inflections meet), ``exact`` unstemmed (exact
words and phrases rank first), ``shingles``, neighbouring words glued in pairs (a compound typed
with a space meets the glued one, and two query words side by side cost a term lookup), and
``roots``, each word's first four letters (derivations of one root meet: آلوده, آلودگی).
"""
from __future__ import annotations

from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from indexer.search.analysis import exact_analyzer, root_analyzer, shingle_analyzer, stemming_analyzer
from indexer.search.persian import WordAnalyses


def build_schema(analyses: WordAnalyses | None = None) -> Schema:
    """The index's fields, their analyzers holding ``analyses`` (the memo-less ones by default)."""
    stemmed = stemming_analyzer(analyses)
    exact = exact_analyzer(analyses)
    return Schema(
        key=ID(stored=True, unique=True),          # "d:<id>" or "r:<id>:<ordinal>"
        doc_id=ID(stored=True),
        hit_type=ID(stored=True),                  # "document" | "resolution"
        anchor=ID(stored=True),                    # "r3" for a resolution
        resolution_number=ID(stored=True),
        title=TEXT(analyzer=stemmed, stored=True, field_boost=3.0),
        content=TEXT(analyzer=stemmed),
        exact=TEXT(analyzer=exact),
        shingles=TEXT(analyzer=shingle_analyzer(analyses), phrase=False),
        roots=TEXT(analyzer=root_analyzer(analyses), phrase=False),
        kind=ID(stored=True),
        organization=ID(stored=True),
        org_terms=KEYWORD(analyzer=exact, scorable=False),
        number=ID(stored=True),
        number_terms=KEYWORD(analyzer=exact, scorable=False),
        date=ID(stored=True, sortable=True),       # Jalali YYYY-MM-DD
        year=ID(stored=True),                      # Jalali year, "1398"
        state=ID(stored=True),                     # a resolution's follow-up state (indexer.register)
        due=ID(stored=True),                       # a resolution's due date, Jalali YYYY-MM-DD
        filename=ID(stored=True),
        version=STORED,                            # the catalog row's updated_at: check finds stale records
    )


RESOLUTION_BOOST = 1.5  # a resolution's own record ranks above the minutes that contain it
# How much a title weighs, by where it came from (indexer.metadata.titles): a phrase of the file name
# is a guess, shown but not ranked as a title (its words still count in the text); the rest are the
# document's own words, or a clerk's.
TITLE_WEIGHTS = {"filename": 0.0}
TITLES_IN_TEXT = ("heading", "subject", "order")  # read from the text: already in it


def title_weight(source: str) -> float:
    return TITLE_WEIGHTS.get(source, 1.0)


def text_fields(title: str, text: str, title_in_text: bool = False) -> dict[str, str]:
    """The searchable fields of one record, from its title and text; a title not read from the text
    is added to it (once: a heading the text holds would count twice)."""
    both = f"{title}\n{text}" if title and not title_in_text else text  # the four fields analyze it once
    return {"title": title, "content": both, "exact": both, "shingles": both, "roots": both}
