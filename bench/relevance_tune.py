"""Ranking variants tried on the archives the product path ingested: the fast loop for ranking work.

``bench/relevance.py --keep DIR`` leaves, per collection, the archive ``bayegan ingest`` made
(``DIR/public/archive``, ``DIR/manager/archive``). This opens each archive's own index, as ingested,
with one :class:`indexer.search.Ranking` per variant and asks every query of a sample, without
snippets (the ranking is the same; snippets only cost time), so a variant takes minutes, not the
hour of a full run. A variant is ``name=value`` pairs of Ranking fields, the variants separated by
``;``; ``default`` is today's Ranking. What helps here is then confirmed by a full ``make
bench-relevance``: only its figures are quoted.

    .venv/bin/python -m bench.relevance_tune --keep ../relevance-cache --every 4 \\
        --variants "default; title=2; title=2,bm25_b=0.75" [--engine tantivy]
"""
from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

from bench.relevance import DEFAULT_DATA, MAP_DEPTH, MAP_SETS, TOP, evaluate
from bench.relevance_product import ProductArchive
from bench.relevance_sets import load_manager, load_public


def parse_variant(text: str):
    """``title=2,bm25_b=0.75`` → a Ranking (``default``: the defaults)."""
    from indexer.search.ranking import Ranking

    fields = {f.name: f.type for f in dataclasses.fields(Ranking)}
    changes = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        if part == "default":
            continue
        name, _, value = part.partition("=")
        if name not in fields:
            raise SystemExit(f"Ranking has no field {name!r}")
        changes[name] = int(value) if fields[name] in ("int", int) else float(value)
    return Ranking(**changes)


class IndexSearch:
    """One ingested archive's index searched with a given Ranking, no snippets."""

    def __init__(self, archive: ProductArchive, ranking, engine: str = "whoosh"):
        from archive import load_config
        from indexer.search.engines import make_index
        from indexer.search.organizations import OrganizationNames
        from indexer.search.persian import WordAnalyses

        self.archive = archive
        config = load_config(archive.config_file, env={"BAYEGAN_DATA_DIR": str(archive.data_dir)})
        analyses = WordAnalyses()
        self.names = OrganizationNames((o.name, o.aliases) for o in config.organizations)
        folder = archive.data_dir / ("index" if engine == "whoosh" else "index-tantivy")
        if not folder.is_dir():
            raise SystemExit(f"{folder} is missing: run bench.relevance --keep with --engines {engine} first")
        self.index = make_index(engine, folder, analyses=analyses, ranking=ranking)

    def search(self, text: str, depth: int) -> list[tuple[str, ...]]:
        named = self.names.named(text)  # what Library.search passes
        hits = self.index.search(text, page_size=depth, named=named).hits
        return [self.archive.corpus_ids(h.doc_id) for h in hits]

    def close(self) -> None:
        self.index.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", type=Path, required=True, help="the folder `bench.relevance --keep` filled")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--variants", default="default", help="Ranking variants separated by ';'")
    parser.add_argument("--every", type=int, default=1, help="every Nth query of each set (a sample)")
    parser.add_argument("--sets", default="public,manager")
    parser.add_argument("--misses", action="store_true", help="list the queries that miss a relevant document")
    parser.add_argument("--only", help="comma-separated set names (e.g. hamshahri_ir): these sets only")
    parser.add_argument("--engine", choices=("whoosh", "tantivy"), default="whoosh",
                        help="the archives' index to search (tantivy: built by bench.relevance --engines tantivy)")
    args = parser.parse_args(argv)
    wanted = set(args.sets.split(","))
    collections = ([load_public(args.data)] if "public" in wanted else []) + \
                  ([load_manager(args.data)] if "manager" in wanted else [])
    if args.only:
        for c in collections:
            c.sets = [s for s in c.sets if s in args.only.split(",")]
        collections = [c for c in collections if c.sets]
    variants = [v.strip() for v in args.variants.split(";") if v.strip()]
    print("| variant | " + " | ".join(s for c in collections for s in c.sets) + " |")
    for variant in variants:
        ranking = parse_variant(variant)
        cells, start, misses = [], time.perf_counter(), []
        for collection in collections:
            archive = ProductArchive(args.keep / collection.key / "archive")
            if not archive.ready(collection.source):
                raise SystemExit(f"{archive.folder} does not hold this collection: run bench.relevance --keep first")
            engine = IndexSearch(archive, ranking, args.engine)
            try:
                for set_name in collection.sets:
                    queries = collection.queries[set_name][::args.every]
                    depth = MAP_DEPTH if set_name in MAP_SETS else TOP
                    m = evaluate(engine, queries, collection.qrels, depth)
                    cells.append(f"{m['mrr']:.3f} R {m['recall']:.3f}"
                                 + (f" MAP {m['map']:.3f}" if set_name in MAP_SETS else ""))
                    if args.misses:
                        misses.extend((variant, set_name, miss) for miss in m["misses"])
            finally:
                engine.close()
        print(f"| {variant} | " + " | ".join(cells) + f" |  ({time.perf_counter() - start:.0f} s)", flush=True)
        for name, set_name, (qid, text, missing, top) in misses:
            print(f"    {set_name} {qid} {text!r}: missing {missing}; top {top}")
    return 0



if __name__ == "__main__":
    sys.exit(main())
