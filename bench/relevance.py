"""Search relevance as users get it: the documents taken in by ``bayegan ingest`` and searched through
the code of ``/api/search``, beside the app's index fed directly and beside plain Whoosh.

What it measures, per set: MRR@10 and Recall@10 (and MAP@1000 for Hamshahri) over

- the four public Persian retrieval sets of ../shared/bench-data (parsinlu_rc, persianqa_test,
  persianquad_test, hamshahri_ir: 6,770 documents, BEIR-style), pooled into one archive, each document
  written as a ``.txt`` file (title line, blank line, text);
- the manager-query set (bench/manager_docs.py): municipal archive documents in DOCX, PDF, TXT and
  scans, among the Hamshahri articles that speak of a municipality, and keyword queries as a manager
  types them.

The engines (columns; bench/relevance_engines.py): ``product`` (``bayegan ingest`` of the files, then
``Library.search`` with the arguments ``GET /api/search`` passes), ``server`` (the same archive over
HTTP through a real ``bayegan serve`` and an API token: add ``--server``), ``tantivy`` (the same archive
on the Tantivy engine: ``--engines product,tantivy``), ``direct`` (records written
straight into ``SearchIndex`` with the corpus's own titles: the fast loop for ranking work),
``whoosh`` (plain Whoosh, StandardAnalyzer, one field, ``OrGroup.factory(0.9)``) and ``whoosh-folded``
(the same reading Arabic ي/ك as Persian ی/ک: the pooled sets are written in two orthographies, which
plain Whoosh never lets meet; see bench/relevance_engines.py).

Each *document* counts once: its rank is the rank of the first hit (document or resolution) of it,
as the user sees the results page. ``dup pages`` counts the queries whose first page of 10 hits shows
one document more than once (a minutes file and its resolutions). Timings: the ingest or indexing
(``cached`` when reused) and the queries, per engine.

    make bench-relevance                          # product, direct, whoosh, whoosh-folded; temporary folder
    .venv/bin/python -m bench.relevance --keep ../relevance-cache  # keep the archives and indexes, reuse them
    .venv/bin/python -m bench.relevance --keep DIR --engines direct   # one engine
    .venv/bin/python -m bench.relevance --keep DIR --server       # also over HTTP
    options: --data DIR (default ../shared/bench-data beside the repository), --sets public|manager,
    --jobs N (ingest), --max-queries N (the first N of each set), --misses SET (list the queries that miss)

A kept folder is reused while what it holds is unchanged (the sets' files, the manager documents); the
first ingest of the public sets takes most of an hour on two busy cores, and a full run of the queries
about as long again (the Hamshahri queries page through 1,000 hits with snippets): keep the folder.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.relevance_engines import ENGINES
from bench.relevance_sets import MANAGER_SET, PUBLIC_SETS, Collection, load_manager, load_public

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "bench-data"
MAP_SETS = {"hamshahri_ir"}
MAP_DEPTH = 1000
TOP = 10
DEFAULT_ENGINES = ["product", "direct", "whoosh", "whoosh-folded"]


def document_ranks(hits: list[tuple[str, ...]]) -> dict[str, int]:
    """Corpus id → the 1-based rank of the first hit of it: each document counted once."""
    ranks: dict[str, int] = {}
    for rank, ids in enumerate(hits, 1):
        for corpus_id in ids:
            ranks.setdefault(corpus_id, rank)
    return ranks


def shows_a_document_twice(hits: list[tuple[str, ...]]) -> bool:
    page = hits[:TOP]
    return len(set(page)) < len(page)


def average_precision(ranks: dict[str, int], relevant: set[str]) -> float:
    found = sorted(ranks[d] for d in relevant if d in ranks)
    return sum(i / rank for i, rank in enumerate(found, 1)) / len(relevant) if relevant else 0.0


def evaluate(engine, queries: list[tuple[str, str]], qrels: dict[str, set[str]], depth: int,
             own: frozenset[str] | None = None) -> dict:
    """MRR@10, Recall@10 and MAP@``depth``; with ``own`` (the set's own documents' ids) also ``own_map``,
    the MAP of the same hits with the other sets' documents left out (see ``print_table``)."""
    rr = recall = ap = own_ap = 0.0
    dup_pages = 0
    misses = []
    for qid, text in queries:
        hits = engine.search(text, depth)
        ranks = document_ranks(hits)
        relevant = qrels[qid]
        top = [ranks[d] for d in relevant if ranks.get(d, depth + 1) <= TOP]
        rr += 1 / min(top) if top else 0.0
        recall += len(top) / len(relevant)
        ap += average_precision(ranks, relevant)
        if own is not None:
            own_ap += average_precision(document_ranks([ids for ids in hits if ids[0] in own]), relevant)
        dup_pages += shows_a_document_twice(hits)
        if len(top) < len(relevant):
            missing = sorted(d for d in relevant if ranks.get(d, depth + 1) > TOP)
            misses.append((qid, text, missing, [ids[0] for ids in hits[:TOP]]))
    n = len(queries) or 1
    return {"mrr": rr / n, "recall": recall / n, "map": ap / n, "own_map": own_ap / n if own is not None else None,
            "dup_pages": dup_pages, "misses": misses}


def run(collections: list[Collection], engines: list[str], root: Path, jobs: int | None = None,
        max_queries: int | None = None) -> list[tuple]:
    """Every engine on every collection; returns rows (set, engine, queries, metrics) and prints timings."""
    rows = []
    for collection in collections:
        for name in engines:
            engine = ENGINES[name](jobs) if name in ("product", "tantivy", "server") else ENGINES[name]()
            seconds = engine.prepare(collection, root / collection.key)
            archive = getattr(engine, "archive", None)
            if seconds is not None:
                built = f"{seconds:.0f} s"
            elif archive is not None and archive.recorded_seconds is not None:
                built = f"cached (ingested in {archive.recorded_seconds:.0f} s)"
            else:
                built = "cached"
            start, asked = time.perf_counter(), 0
            try:
                for set_name in collection.sets:
                    depth = MAP_DEPTH if set_name in MAP_SETS else TOP
                    queries = collection.queries[set_name][:max_queries]
                    own = collection.members.get(set_name) if set_name in MAP_SETS else None
                    metrics = evaluate(engine, queries, collection.qrels, depth, own)
                    rows.append((set_name, name, len(queries), metrics))
                    asked += len(queries)
            finally:
                engine.close()
            failed = archive.failed if archive is not None else []
            took = time.perf_counter() - start
            print(f"{collection.key:8} {name:8} built {built:>8}, {asked} queries in {took:5.0f} s "
                  f"({1000 * took / max(asked, 1):.0f} ms each)"
                  + (f", {len(failed)} files failed to ingest" if failed else ""), flush=True)
    return rows


def print_table(rows: list[tuple], order: list[str], engines: list[str]) -> None:
    """The MAP column gives, in brackets, the MAP of the same hits among the set's own documents: on
    the pooled archive Bayegan, which folds ي/ك, also finds the QA sets' passages on a Hamshahri topic
    (polar bears, drinking water): relevant to a reader, unjudged, so they lower the pooled MAP."""
    print("\n| set | queries | engine | MRR@10 | Recall@10 | MAP@1000 (own documents) | dup pages |\n"
          "|---|---|---|---|---|---|---|")
    for set_name, engine, n, m in sorted(rows, key=lambda r: (order.index(r[0]), engines.index(r[1]))):
        map_text = "–"
        if set_name in MAP_SETS:
            map_text = f"{m['map']:.3f}" + (f" ({m['own_map']:.3f})" if m.get("own_map") is not None else "")
        print(f"| {set_name} | {n} | {engine} | {m['mrr']:.3f} | {m['recall']:.3f} | {map_text} | {m['dup_pages']} |")


def print_misses(rows: list[tuple], set_name: str) -> None:
    for name, engine, _, m in rows:
        if name != set_name:
            continue
        print(f"\n{engine}: {len(m['misses'])} queries of {set_name} miss a relevant document in the top {TOP}")
        for qid, text, missing, top in m["misses"]:
            print(f"  {qid} {text!r}: missing {missing}; top {top}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared bench-data folder")
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the ingested archives and indexes here")
    parser.add_argument("--engines", default=",".join(DEFAULT_ENGINES),
                        help=f"comma-separated, of {', '.join(ENGINES)} (default: %(default)s)")
    parser.add_argument("--server", action="store_true", help="also search over HTTP through `bayegan serve`")
    parser.add_argument("--sets", default="public,manager", help="public, manager or both (default: %(default)s)")
    parser.add_argument("--jobs", type=int, default=None, help="`bayegan ingest --jobs` (default: the config's)")
    parser.add_argument("--max-queries", type=int, metavar="N", help="the first N queries of each set only")
    parser.add_argument("--misses", metavar="SET", help="list the queries of SET that miss a relevant document")
    args = parser.parse_args(argv)
    engines = [e for e in args.engines.split(",") if e] + (["server"] if args.server else [])
    unknown = set(engines) - set(ENGINES)
    if unknown:
        parser.error(f"unknown engine(s): {', '.join(sorted(unknown))}")
    wanted = set(args.sets.split(","))
    if not args.data.is_dir():
        parser.error(f"no bench data at {args.data} (--data)")

    collections = ([load_public(args.data)] if "public" in wanted else []) + \
                  ([load_manager(args.data)] if "manager" in wanted else [])
    root = (args.keep or Path(tempfile.mkdtemp(prefix="bayegan-relevance-"))).resolve()
    for c in collections:
        print(f"{c.key}: {len(c.corpus)} documents, {sum(map(len, c.queries.values()))} queries")
    print(f"archives and indexes in {root}", flush=True)
    try:
        rows = run(collections, engines, root, args.jobs, args.max_queries)
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    print_table(rows, PUBLIC_SETS + [MANAGER_SET], engines)
    if args.misses:
        print_misses(rows, args.misses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
