"""Bayegan's BM25 parameters on Tantivy: the best records rescored from Tantivy's own explanation.

Tantivy's BM25 has fixed constants (k1 = 1.2, b = 0.75, in its Rust source; the Python bindings set
neither), while Bayegan's ranking was tuned with k1 = 2.0 and b = 0.9 (``Ranking.bm25_k1``/``bm25_b``,
bench/relevance.py). Measured on ParsiNLU, Whoosh with Tantivy's constants lost what Tantivy lost
(MRR@10 0.662 → 0.619; Tantivy 0.615). So the records a page is chosen from are scored again, the way a
search engine's rescore window works: ``Query.explain`` gives, for each term of each field, the
frequency, the field length, the average length and the idf Tantivy used; each term's BM25 is computed
again with Bayegan's k1 and b, and the explanation's sums and boosts are applied as they stand.
Everything that is not a term's BM25 (the all-words bonus and the organization's constant scores, a
prefix's automaton score) keeps Tantivy's value.
"""
from __future__ import annotations

import json

import tantivy

TANTIVY_K1, TANTIVY_B = 1.2, 0.75


def rescored(query: tantivy.Query, searcher: tantivy.Searcher, address, k1: float, b: float) -> float:
    """The score of the record at ``address`` for ``query`` with BM25's ``k1`` and ``b``."""
    return score_of(json.loads(query.explain(searcher, address).to_json()), k1, b)


def score_of(node: dict, k1: float, b: float) -> float:
    """The value of one explanation node with each term's BM25 computed with ``k1`` and ``b``."""
    description = node.get("description", "")
    details = node.get("details") or []
    if description.startswith("TermQuery"):
        return _term(details, k1, b, node["value"])
    if description.startswith("BooleanClause") and details:
        return sum(score_of(child, k1, b) for child in details)
    if description.startswith("Boost x") and len(details) == 1:
        return float(description[len("Boost x"):].split()[0]) * score_of(details[0], k1, b)
    return float(node["value"])


def _term(details: list[dict], k1: float, b: float, value: float) -> float:
    parts = {d["description"].split(",")[0]: d for d in details}
    try:
        idf = parts["idf"]["value"]
        tf_part = next(d for d in details if d["description"].startswith("freq /"))
        known = {d["description"].split(",")[0]: d["value"] for d in tf_part["details"]}
        freq, dl, avgdl = known["freq"], known["dl"], known["avgdl"]
    except (KeyError, StopIteration):
        return float(value)  # an explanation of another shape: Tantivy's own score
    return idf * (k1 + 1) * freq / (freq + k1 * (1 - b + b * dl / avgdl))


__all__ = ["TANTIVY_B", "TANTIVY_K1", "rescored", "score_of"]
