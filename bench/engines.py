"""Both search engines side by side in one process, on the indexes bench/relevance.py keeps.

The same queries (the first 100 of each relevance set) through ``SearchIndex.search`` of each engine,
without snippets, ranked and then sorted by date with facets; prints the CPU time a query (what the
engine and our query building cost, whatever else runs on the machine) and wall p50/p95.

    python -m bench.relevance --index-dir DIR --only bayegan --only bayegan-tantivy   # builds them
    python -m bench.engines --index-dir DIR
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from bench.relevance import DEFAULT_DATA, SETS, BayeganEngine, BayeganTantivyEngine, load_sets
from bench.search import percentile
from indexer.search import engine_class

PER_SET = 100


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-dir", type=Path, required=True, help="the folder of bench.relevance --index-dir")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    _, queries, _ = load_sets(args.data)
    mix = [text for name in SETS for _, text in queries[name][:PER_SET]]
    for bench_engine in (BayeganTantivyEngine, BayeganEngine):
        index = engine_class(bench_engine.engine)(args.index_dir / bench_engine.name)
        for text in mix[:20]:  # warm up: the searcher, the analysis memo
            index.search(text)
        for sort in ("relevance", "newest"):
            wall = []
            cpu = time.process_time()
            for text in mix:
                start = time.perf_counter()
                index.search(text, page_size=20, sort=sort, facets=sort == "newest")
                wall.append((time.perf_counter() - start) * 1000)
            cpu = time.process_time() - cpu
            print(f"{bench_engine.engine:8} {sort:9} {len(mix)} queries: CPU {cpu / len(mix) * 1000:6.1f} ms a query; "
                  f"wall p50 {percentile(wall, 50):7.1f} p95 {percentile(wall, 95):7.1f} ms", flush=True)
        index.close()


if __name__ == "__main__":
    main()
