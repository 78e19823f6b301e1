"""How hits are ranked: every weight in one settings object, :class:`Ranking`.

The defaults were tuned on bench/relevance.py (samples of 200 queries a set, then the full run): the
stem weighs most, the exact word adds to it, the title counts much (article and minutes titles name
the subject); the all-words bonus is for keywords, not questions. docs/ranking.md explains each.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Ranking:
    title: float = 0.5            # a word in the title, on top of the title field's own boost (3)
    content: float = 3.0          # the stem: inflections meet
    exact: float = 1.0            # the unstemmed word, beside its stem
    root: float = 3.0             # a word of the same root (its first four letters: آلودگی, آلوده), scoring
                                  # the documents the words found
    stopword: float = 0.0         # a function word alone (0: it counts only beside its neighbour, in a pair)
    pair: float = 0.5             # two query words side by side (or glued) in the document
    glued: float = 1.0            # two query words found glued as one word (a ZWNJ compound also holds
                                  # its parts, which count as the words): worth one word more...
    glued_stop: float = 0.25      # ...unless one is a function word: در+باره, به+عنوان are words of their own
    all_words_bonus: float = 10_000.0  # every content word present: above any document lacking one (no
                                       # sum of word scores comes near it, so a top score above it tells the hit)...
    short_query_words: int = 3    # ...in a query of at most this many content words that is not a question
    question_marks: tuple[str, ...] = ("?", "؟")  # a question is ranked by BM25F and pairs alone
    organization: float = 5.0     # a document of the organization the query names (by name or alias)
    fuzzy: float = 0.3            # a word one edit away, only when exact matching finds little
    common_share: float = 0.2     # a word in more than this share of the records is common...
    common_min_records: int = 5000  # ...in an index this large (below, every field is cheap)
    bm25_b: float = 0.9           # BM25F length normalization: 0.9 over 0.5-1 (bench/relevance.py)
    bm25_k1: float = 2.0          # BM25F term-frequency saturation: 2.0 over 1.2 and 3


RANKING = Ranking()

__all__ = ["RANKING", "Ranking"]
