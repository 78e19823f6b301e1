"""Search latency through the real server, beside bare Whoosh and SQLite FTS5 on the same text.

    python -m bench.search --docs 10000 [--work /tmp/bench-search] [--queries 300] [--engine whoosh tantivy]

Builds (or reuses) a Bayegan archive of generated documents (bench/corpus.py) in the work folder by the
real ingest pipeline, indexes it with each search engine asked for (``bayegan reindex``, each engine's
index in its own folder), starts `bayegan serve` on each, and times /api/search for a deterministic mix of queries
(rare and common words, 2–4 word queries, quoted phrases, filters, sort by date). The same queries run on a
bare Whoosh index (StandardAnalyzer, no server) and on SQLite FTS5 (unicode61). Prints p50/p95 per class.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

from bench.corpus import generate, write_corpus

ROOT = Path(__file__).resolve().parent.parent


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def make_queries(n: int, seed: int = 5) -> list[tuple[str, str]]:
    """(class, query) pairs: word, words, phrase, filter, date-sorted."""
    rng = random.Random(seed)
    vocab = Counter(w for d in generate(500, seed=1398) for w in d.text.split() if len(w) > 2)
    common = [w for w, _ in vocab.most_common(60)]
    rare = [w for w, c in vocab.items() if c <= 3][:400] or common
    subjects = ["خرید اتوبوس", "جمع‌آوری پسماند", "ساخت پارک", "فضای سبز", "تمدید قرارداد",
                "بودجه سال", "شهر هوشمند", "میدان تره‌بار", "کمیسیون معاملات", "آموزش ایمنی"]
    queries = []
    for i in range(n):
        kind = i % 5
        if kind == 0:
            queries.append(("word", rng.choice(rare if i % 2 else common)))
        elif kind == 1:
            queries.append(("words", " ".join(rng.sample(common, rng.randint(2, 4)))))
        elif kind == 2:
            queries.append(("phrase", f'"{rng.choice(subjects)}"'))
        elif kind == 3:
            queries.append(("filter", f"{rng.choice(subjects).split()[0]} year:{rng.randint(1394, 1399)}"))
        else:
            queries.append(("sorted", rng.choice(subjects)))
    return queries


def bench_config(work: Path, data: Path, engine: str = "whoosh") -> Path:
    """The project's config.yaml with the bench archive as data folder, anonymous reading on and
    ``engine`` as the search engine."""
    import yaml

    raw = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    raw["data_dir"] = str(data)
    raw.setdefault("web", {})["anonymous_read"] = True
    raw.setdefault("search", {})["engine"] = engine
    path = work / f"config-{data.name}-{engine}.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def has_index(data: Path, engine: str) -> bool:
    return (data / "index-tantivy" / "meta.json").exists() if engine == "tantivy" else (data / "index").exists()


def index_with(work: Path, data: Path, engines: list[str], docs: int) -> None:
    """Reindex the archive with each engine that has no index yet; prints the time and peak RSS."""
    from bench.ingest import run_measured

    for engine in engines:
        if has_index(data, engine):
            continue
        seconds, tree_kb, main_kb = run_measured(["reindex"], bench_config(work, data, engine))
        print(f"bayegan reindex on {engine} of {docs} documents: {seconds:.0f} s, {docs / seconds:.1f} docs/s, "
              f"peak RSS {main_kb / 1024:.0f} MB (process tree PSS {tree_kb / 1024:.0f} MB)", flush=True)


def build_archive(work: Path, docs: int) -> Path:
    data = work / f"data-{docs}"
    if (data / "catalog.sqlite3").exists():
        return data
    corpus = work / f"corpus-{docs}"
    if not corpus.exists():
        write_corpus(corpus, docs)
    env = {**os.environ, "BAYEGAN_DATA_DIR": str(data)}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "indexer.cli", "ingest", str(corpus)], cwd=ROOT, env=env,
                   check=True, stdout=subprocess.DEVNULL)
    print(f"ingested {docs} documents in {time.perf_counter() - start:.0f} s")
    return data


def build_flat_archive(work: Path, docs: int) -> Path:
    """The same generated documents written straight into a catalog (one record each: no originals, no
    resolutions), then indexed by the real ``bayegan reindex``, whose time and peak RSS are printed.
    This is how the 100,000-document archive is built in an hour instead of a working day."""
    from bench.ingest import fill_catalog

    data = work / f"data-{docs}-flat"
    if (data / "catalog.sqlite3").exists():
        return data
    data.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    fill_catalog(data / "catalog.sqlite3", generate(docs))
    print(f"catalog of {docs} documents written in {time.perf_counter() - start:.0f} s", flush=True)
    return data


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(data: Path, threads: int = 8, started: list | None = None, engine: str = "whoosh"):
    """A `bayegan serve` on the archive in ``data`` with ``engine``, in a session of its own (its
    worker processes with it); yields the /api/search URL prefix. ``started`` receives the server process."""
    port = free_port()
    env = {**os.environ, "BAYEGAN_DATA_DIR": str(data)}
    config = bench_config(data.parent, data, engine)
    proc = subprocess.Popen([sys.executable, "-m", "indexer.cli", "--config", str(config), "serve",
                             "--no-watch", "--port", str(port), "--threads", str(threads)], cwd=ROOT,
                            env=env, stderr=subprocess.DEVNULL, start_new_session=True)
    if started is not None:
        started.append(proc)
    base = f"http://127.0.0.1:{port}/api/search?limit=20&"
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(base + "q=", timeout=2):
                    break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def time_server(data: Path, queries: list[tuple[str, str]], engine: str = "whoosh") -> dict[str, list[float]]:
    with running_server(data, engine=engine) as base:
        timings: dict[str, list[float]] = {}
        for cls, q in queries[:10]:  # warm up
            urllib.request.urlopen(base + urllib.parse.urlencode({"q": q}), timeout=60).read()
        for cls, q in queries:
            params = {"q": q}
            if cls == "sorted":
                params["sort"] = "newest"
            start = time.perf_counter()
            with urllib.request.urlopen(base + urllib.parse.urlencode(params), timeout=60) as r:
                json.loads(r.read())
            timings.setdefault(cls, []).append((time.perf_counter() - start) * 1000)
        return timings


def build_bare_whoosh(folder: Path, docs) -> float:
    """A plain Whoosh index of (name, year, text) triples: one text field, StandardAnalyzer, no
    stop words, the same writer memory as Bayegan's default. Returns the seconds it took."""
    from whoosh import index
    from whoosh.analysis import StandardAnalyzer
    from whoosh.fields import ID, TEXT, Schema

    start = time.perf_counter()
    folder.mkdir(parents=True, exist_ok=True)
    schema = Schema(id=ID(stored=True), year=ID, body=TEXT(analyzer=StandardAnalyzer(stoplist=None)))
    ix = index.create_in(str(folder), schema)
    with ix.writer(limitmb=128) as w:
        for name, year, text in docs:
            w.add_document(id=name, year=year, body=text)
    ix.close()
    return time.perf_counter() - start


def bare_whoosh_index(work: Path, docs: int) -> Path:
    from whoosh import index

    folder = work / f"bare-whoosh-{docs}"
    if not index.exists_in(str(folder)):
        seconds = build_bare_whoosh(folder, ((d.name, str(d.year), d.text) for d in generate(docs)))
        print(f"bare Whoosh index of {docs} documents built in {seconds:.0f} s", flush=True)
    return folder


def time_bare_whoosh(work: Path, docs: int, queries: list[tuple[str, str]]) -> dict[str, list[float]]:
    from whoosh import index
    from whoosh.qparser import OrGroup, QueryParser

    ix = index.open_dir(str(bare_whoosh_index(work, docs)))
    parser = QueryParser("body", ix.schema, group=OrGroup.factory(0.9))
    timings: dict[str, list[float]] = {}
    with ix.searcher() as s:
        for cls, q in queries:
            text = q.split(" year:")[0]
            start = time.perf_counter()
            s.search(parser.parse(text), limit=20)
            timings.setdefault(cls, []).append((time.perf_counter() - start) * 1000)
    return timings


def fts5_database(work: Path, docs: int) -> Path:
    path = work / f"fts5-{docs}.sqlite3"
    if not path.exists():
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        with sqlite3.connect(partial) as db:
            db.execute("CREATE VIRTUAL TABLE docs USING fts5(name, body, tokenize='unicode61')")
            db.executemany("INSERT INTO docs VALUES (?, ?)", ((d.name, d.text) for d in generate(docs)))
        partial.rename(path)
    return path


def time_fts5(work: Path, docs: int, queries: list[tuple[str, str]]) -> dict[str, list[float]]:
    db = sqlite3.connect(fts5_database(work, docs))
    timings: dict[str, list[float]] = {}
    for cls, q in queries:
        text = q.split(" year:")[0]
        match = text if cls == "phrase" else " OR ".join(f'"{w}"' for w in text.split())
        start = time.perf_counter()
        db.execute("SELECT name, snippet(docs, 1, '<b>', '</b>', '…', 20) FROM docs WHERE docs MATCH ? "
                   "ORDER BY rank LIMIT 20", (match,)).fetchall()
        timings.setdefault(cls, []).append((time.perf_counter() - start) * 1000)
    db.close()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--work", type=Path, default=Path("/tmp/bayegan-bench-search"))
    parser.add_argument("--flat", action="store_true",
                        help="build the archive from the generated text straight into the catalog (one record "
                             "a document), reindexed by `bayegan reindex`, instead of ingesting files")
    parser.add_argument("--build-only", action="store_true", help="build the indexes, time nothing")
    parser.add_argument("--engine", nargs="+", default=["whoosh", "tantivy"], choices=["whoosh", "tantivy"],
                        help="the search engines to serve the archive with, one column each")
    parser.add_argument("--no-references", action="store_true", help="skip bare Whoosh and SQLite FTS5")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    queries = make_queries(args.queries)
    data = build_flat_archive(args.work, args.docs) if args.flat else build_archive(args.work, args.docs)
    index_with(args.work, data, args.engine, args.docs)
    if args.build_only:
        if not args.no_references:
            bare_whoosh_index(args.work, args.docs), fts5_database(args.work, args.docs)
        return
    results = {f"bayegan {engine}": time_server(data, queries, engine) for engine in args.engine}
    if not args.no_references:
        results["bare Whoosh"] = time_bare_whoosh(args.work, args.docs, queries)
        results["SQLite FTS5"] = time_fts5(args.work, args.docs, queries)
    print(f"\nsearch latency at {args.docs} documents, {len(queries)} queries, limit 20 (ms)")
    print(f"{'engine':22} {'class':8} {'n':>4} {'p50':>8} {'p95':>8} {'mean':>8}")
    for engine, timings in results.items():
        for cls, values in timings.items():
            print(f"{engine:22} {cls:8} {len(values):4d} {percentile(values, 50):8.1f} "
                  f"{percentile(values, 95):8.1f} {statistics.mean(values):8.1f}")


if __name__ == "__main__":
    main()
