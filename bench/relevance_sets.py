"""The collections the relevance bench searches: the four public Persian retrieval sets pooled into one
archive, and the manager-query set (bench/manager_docs.py) among municipal news articles.

A :class:`Collection` holds its documents as corpus records ({"_id", "title", "text"}: what the direct
and plain-Whoosh modes index), each set's queries and judgments, and ``write_files``: how the product
path writes the same documents as files for ``bayegan ingest``.
"""
from __future__ import annotations

import csv
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from bench.relevance_product import write_corpus_files

PUBLIC_SETS = ["parsinlu_rc", "persianqa_test", "persianquad_test", "hamshahri_ir"]
MANAGER_SET = "manager"
DISTRACTOR_SET = "hamshahri_ir"
DISTRACTOR_WORD = "شهرداري"  # Hamshahri's spelling (Arabic yeh): the articles that speak of a municipality


@dataclass
class Collection:
    key: str                                       # the folder name of its archive and indexes
    corpus: list[dict]
    queries: dict[str, list[tuple[str, str]]]      # set name → (query id, text)
    qrels: dict[str, set[str]]                     # query id → relevant corpus ids
    write_files: Callable[[Path], dict[str, str]]  # inbox → file name → corpus id
    source: str                                    # changes when what is ingested changes
    sets: list[str] = field(default_factory=list)
    members: dict[str, frozenset[str]] = field(default_factory=dict)  # set name → its own documents' ids

    def __post_init__(self):
        self.sets = self.sets or list(self.queries)


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def read_beir(folder: Path) -> tuple[list[dict], list[tuple[str, str]], dict[str, set[str]]]:
    """One BEIR-style set: its corpus, its judged queries and their relevant documents."""
    qrels: dict[str, set[str]] = defaultdict(set)
    with (folder / "qrels.tsv").open(encoding="utf-8") as f:
        for qid, doc_id, score in list(csv.reader(f, delimiter="\t"))[1:]:
            if int(score) > 0:
                qrels[qid].add(doc_id)
    queries = [(q["_id"], q["text"]) for q in read_jsonl(folder / "queries.jsonl") if q["_id"] in qrels]
    return read_jsonl(folder / "corpus.jsonl"), queries, dict(qrels)


def _stamp(*parts: str) -> str:
    return hashlib.sha1("\n".join(parts).encode("utf-8")).hexdigest()


def load_public(data: Path, sets: list[str] = PUBLIC_SETS) -> Collection:
    """The public sets pooled into one collection, each document a ``.txt`` file (title line, blank
    line, text)."""
    corpus, queries, qrels, members = [], {}, {}, {}
    for name in sets:
        docs, set_queries, set_qrels = read_beir(data / name)
        corpus.extend(docs)
        queries[name] = set_queries
        qrels.update(set_qrels)
        members[name] = frozenset(d["_id"] for d in docs)
    source = "public txt v1 " + " ".join(f"{n}:{(data / n / 'corpus.jsonl').stat().st_size}" for n in sets)
    return Collection("public", corpus, queries, qrels, write_corpus_files(corpus), source, members=members)


def load_manager(data: Path) -> Collection:
    """The manager documents (rendered as their own formats) among the Hamshahri articles that speak
    of a municipality."""
    from bench.manager_docs import DOCS, QUERIES

    distractors = [d for d in read_jsonl(data / DISTRACTOR_SET / "corpus.jsonl") if DISTRACTOR_WORD in d["text"]]
    corpus = [{"_id": d.name, "title": d.title, "text": d.text} for d in DOCS] + distractors
    queries = {MANAGER_SET: [(q.qid, q.text) for q in QUERIES]}
    qrels = {q.qid: set(q.relevant) for q in QUERIES}
    unknown = {name for q in QUERIES for name in q.relevant} - {d.name for d in DOCS}
    if unknown:
        raise ValueError(f"judged documents that do not exist: {sorted(unknown)}")

    def write_files(inbox: Path) -> dict[str, str]:
        from bench.metadata import render

        names = write_corpus_files(distractors)(inbox)
        for doc in DOCS:
            path = render(doc, inbox)
            names[path.name] = doc.name
        return names

    source = _stamp("manager v1", repr(DOCS), *(d["_id"] for d in distractors))
    return Collection("manager", corpus, queries, qrels, write_files, source)
