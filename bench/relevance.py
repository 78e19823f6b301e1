"""Search relevance on real Persian retrieval sets, Bayegan's analysis and ranking against plain Whoosh.

Pools four BEIR-style sets from the shared bench data (hamshahri_ir, parsinlu_rc, persianqa_test,
persianquad_test: 6,770 documents) into one index, runs each set's queries and prints MRR@10,
Recall@10 and, for Hamshahri, MAP@1000:

- ``bayegan``: the app's own schema and analyzers (indexer.search.schema) and its own query building and
  ranking (SearchIndex.search, the code the web page and the CLI use);
- ``whoosh``: a plain Whoosh index, StandardAnalyzer on title and text, the query parsed with
  ``QueryParser(group=OrGroup.factory(0.9))``.

Both indexes are built in a temporary folder and removed afterwards, unless ``--index-dir`` names a
folder to keep them in (and to reuse them from, when iterating on the ranking alone).

    .venv/bin/python -m bench.relevance [--data DIR] [--index-dir DIR] [--only bayegan|whoosh]
"""
from __future__ import annotations

import argparse
import csv
import json
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from whoosh import index as windex
from whoosh.analysis import StandardAnalyzer
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import OrGroup, QueryParser

from indexer.search.index import SearchIndex
from indexer.search.schema import text_fields

DEFAULT_DATA = Path("/work/shared/bench-data")
SETS = ["parsinlu_rc", "persianqa_test", "persianquad_test", "hamshahri_ir"]
MAP_SETS = {"hamshahri_ir"}
MAP_DEPTH = 1000
TOP = 10


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_sets(data: Path) -> tuple[list[dict], dict[str, list[tuple[str, str]]], dict[str, set[str]]]:
    """The pooled corpus, each set's (query id, text) list, and the relevant documents per query."""
    corpus, queries, qrels = [], {}, defaultdict(set)
    for name in SETS:
        corpus.extend(read_jsonl(data / name / "corpus.jsonl"))
        with (data / name / "qrels.tsv").open(encoding="utf-8") as f:
            rows = list(csv.reader(f, delimiter="\t"))[1:]
        for qid, doc_id, score in rows:
            if int(score) > 0:
                qrels[qid].add(doc_id)
        queries[name] = [(q["_id"], q["text"]) for q in read_jsonl(data / name / "queries.jsonl")
                         if q["_id"] in qrels]
    return corpus, queries, qrels


class BayeganEngine:
    name = "bayegan"

    def __init__(self, folder: Path):
        self.index = SearchIndex(folder, writer_memory_mb=256)

    def build(self, corpus: list[dict]) -> None:
        with self.index.writer() as w:
            for doc in corpus:
                w.add_document(key=doc["_id"], doc_id=doc["_id"], hit_type="document",
                               **text_fields(doc.get("title") or "", doc["text"]))

    def exists(self) -> bool:
        return self.index.exists()

    def search(self, text: str, limit: int) -> list[str]:
        return [h.doc_id for h in self.index.search(text, page_size=limit).hits]

    def close(self) -> None:
        self.index.close()


class WhooshEngine:
    name = "whoosh"

    def __init__(self, folder: Path):
        self.folder = folder
        self.schema = Schema(id=ID(stored=True, unique=True), text=TEXT(analyzer=StandardAnalyzer()))
        self.parser = QueryParser("text", self.schema, group=OrGroup.factory(0.9))
        self._ix = None

    def exists(self) -> bool:
        return windex.exists_in(str(self.folder))

    def build(self, corpus: list[dict]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        ix = windex.create_in(str(self.folder), self.schema)
        with ix.writer(limitmb=256) as w:
            for doc in corpus:
                title = doc.get("title") or ""
                w.add_document(id=doc["_id"], text=f"{title}\n{doc['text']}" if title else doc["text"])
        ix.close()

    def search(self, text: str, limit: int) -> list[str]:
        if self._ix is None:
            self._ix = windex.open_dir(str(self.folder))
            self._searcher = self._ix.searcher()
        return [hit["id"] for hit in self._searcher.search(self.parser.parse(text), limit=limit)]

    def close(self) -> None:
        if self._ix is not None:
            self._searcher.close()
            self._ix.close()


def average_precision(ranked: list[str], relevant: set[str]) -> float:
    found, total = 0, 0.0
    for rank, doc_id in enumerate(ranked, 1):
        if doc_id in relevant:
            found += 1
            total += found / rank
    return total / len(relevant) if relevant else 0.0


def evaluate(engine, queries: list[tuple[str, str]], qrels: dict[str, set[str]], depth: int) -> dict:
    rr = recall = ap = 0.0
    for qid, text in queries:
        ranked = engine.search(text, depth)
        relevant = qrels[qid]
        top = ranked[:TOP]
        rr += next((1 / i for i, d in enumerate(top, 1) if d in relevant), 0.0)
        recall += len(relevant.intersection(top)) / len(relevant)
        ap += average_precision(ranked, relevant)
    n = len(queries) or 1
    return {"mrr": rr / n, "recall": recall / n, "map": ap / n}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared bench-data folder")
    parser.add_argument("--index-dir", type=Path, help="keep (and reuse) the indexes in this folder")
    parser.add_argument("--only", choices=["bayegan", "whoosh"], help="measure one engine")
    args = parser.parse_args(argv)

    corpus, queries, qrels = load_sets(args.data)
    root = args.index_dir or Path(tempfile.mkdtemp(prefix="bayegan-relevance-"))
    engines = [cls(root / cls.name) for cls in (BayeganEngine, WhooshEngine)
               if args.only in (None, cls.name)]
    print(f"{len(corpus)} documents, {sum(map(len, queries.values()))} queries; indexes in {root}")
    rows = []
    try:
        for engine in engines:
            if not engine.exists():
                start = time.perf_counter()
                engine.build(corpus)
                print(f"{engine.name}: indexed in {time.perf_counter() - start:.0f} s", flush=True)
            start = time.perf_counter()
            for name in SETS:
                depth = MAP_DEPTH if name in MAP_SETS else TOP
                rows.append((name, engine.name, len(queries[name]),
                             evaluate(engine, queries[name], qrels, depth)))
            print(f"{engine.name}: queries in {time.perf_counter() - start:.0f} s", flush=True)
            engine.close()
    finally:
        if args.index_dir is None:
            shutil.rmtree(root, ignore_errors=True)

    print("\n| set | queries | engine | MRR@10 | Recall@10 | MAP@1000 |\n|---|---|---|---|---|---|")
    for name, engine, n, m in sorted(rows, key=lambda r: (SETS.index(r[0]), r[1])):
        map_text = f"{m['map']:.3f}" if name in MAP_SETS else "–"
        print(f"| {name} | {n} | {engine} | {m['mrr']:.3f} | {m['recall']:.3f} | {map_text} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
