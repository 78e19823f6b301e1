"""Search latency through the real server, beside bare Whoosh and SQLite FTS5 on the same text.

    python -m bench.search --docs 10000 [--work /tmp/bench-search] [--queries 300] [--suggest-only]
                           [--flat] [--engine whoosh tantivy] [--no-references] [--in-process]

Builds (or reuses) a Bayegan archive of generated documents (bench/corpus.py) in the work folder by the
real ingest pipeline, starts `bayegan serve`, and times /api/search for a deterministic mix of queries
(rare and common words, 2–4 word queries, quoted phrases, filters, sort by date). The same queries run on a
bare Whoosh index (StandardAnalyzer, no server) and on SQLite FTS5 (unicode61). Prints p50/p95 per class.
Then /api/suggest for what a manager types: the beginnings of organization names, titles and words
(a third with Arabic ي/ك), beside one-letter requests answered before any look-up (the floor: the
server's own cost on this machine at that moment); ``--suggest-only`` times only that.
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


def make_prefixes(n: int, seed: int = 7) -> list[tuple[str, str]]:
    """(class, typed text) pairs of what is typed into the search box, a keystroke at a time:
    an organization's name or a title cut after 2 to 14 characters, or two words of the text, the
    second cut after 2 to 8; a third with Arabic ي/ك."""
    from bench.corpus import ORGS

    rng = random.Random(seed)
    docs = list(generate(300, seed=1398))
    words = [w for d in docs for w in d.text.split() if len(w) > 3 and w.isalpha()]
    prefixes = []
    for i in range(n):
        kind = i % 3
        source = (rng.choice(ORGS) if kind == 0 else rng.choice(docs).title if kind == 1
                  else " ".join(rng.sample(words, 2)))
        cut = source[:rng.randint(2, min(len(source), 8 + source.find(" ") + 1 if kind == 2 else 14))]
        if rng.random() < 1 / 3:
            cut = cut.replace("ی", "ي").replace("ک", "ك")
        prefixes.append((("organization", "title", "words")[kind], cut))
    return prefixes


def time_suggest(data: Path, prefixes: list[tuple[str, str]]) -> dict[str, list[float]]:
    with running_server(data) as base:
        base = base.replace("/api/search?limit=20&", "/api/suggest?")
        for _, typed in prefixes[:10]:  # warm up (the first builds the title list)
            urllib.request.urlopen(base + urllib.parse.urlencode({"q": typed}), timeout=60).read()
        timings: dict[str, list[float]] = {}
        # one letter is answered before any look-up: the floor of the server's own cost, interleaved
        floor = [("floor", "س")] * (len(prefixes) // 3)
        mixed = [x for pair in zip(prefixes, floor + [None] * len(prefixes)) for x in pair if x]
        for cls, typed in mixed:
            start = time.perf_counter()
            with urllib.request.urlopen(base + urllib.parse.urlencode({"q": typed}), timeout=60) as r:
                json.loads(r.read())
            elapsed = (time.perf_counter() - start) * 1000
            timings.setdefault(cls, []).append(elapsed)
            if cls != "floor":
                timings.setdefault("all", []).append(elapsed)
        return timings


def bench_config(work: Path, data: Path) -> Path:
    """The project's config.yaml with the bench archive as data folder and anonymous reading on."""
    import yaml

    raw = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    raw["data_dir"] = str(data)
    raw.setdefault("web", {})["anonymous_read"] = True
    path = work / f"config-{data.name}.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def build_archive(work: Path, docs: int, engines: list[str]) -> Path:
    """The generated documents ingested by ``bayegan ingest`` on the first engine; the other engines'
    indexes then built by ``bayegan reindex`` (their time, CPU and peak RSS printed)."""
    data = work / f"data-{docs}"
    if not (data / "catalog.sqlite3").exists():
        corpus = work / f"corpus-{docs}"
        if not corpus.exists():
            write_corpus(corpus, docs)
        env = {**os.environ, "BAYEGAN_DATA_DIR": str(data), "BAYEGAN_SEARCH_ENGINE": engines[0]}
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "search_web.cli", "ingest", str(corpus)], cwd=ROOT, env=env,
                       check=True, stdout=subprocess.DEVNULL)
        print(f"ingested {docs} documents on {engines[0]} in {time.perf_counter() - start:.0f} s")
    _build_indexes(work, data, docs, engines)
    return data


def _build_indexes(work: Path, data: Path, docs: int, engines: list[str]) -> None:
    """Each engine's index the archive lacks, built by the real ``bayegan reindex``."""
    from bench.ingest import LAST_CPU_S, run_measured

    config = bench_config(work, data)
    for engine in engines:
        folder = data / ("index" if engine == "whoosh" else "index-tantivy")
        if folder.exists() and any(folder.iterdir()):
            continue
        seconds, tree_kb, main_kb = run_measured(["reindex"], config, engine)
        print(f"bayegan reindex of {docs} documents on {engine}: {seconds:.0f} s wall, {LAST_CPU_S[0]:.0f} s CPU, "
              f"{docs / seconds:.1f} docs/s, peak RSS {main_kb / 1024:.0f} MB (process tree PSS "
              f"{tree_kb / 1024:.0f} MB), index {_size_mb(folder):.0f} MB", flush=True)


def _size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def build_flat_archive(work: Path, docs: int, engines: list[str]) -> Path:
    """The same generated documents written straight into a catalog (one record each: no originals, no
    resolutions), then indexed by the real ``bayegan reindex`` on each engine, whose time and peak RSS
    are printed. This is how the 100,000-document archive is built in an hour instead of a working day."""
    from bench.ingest import fill_catalog

    data = work / f"data-{docs}-flat"
    if not (data / "catalog.sqlite3").exists():
        data.mkdir(parents=True, exist_ok=True)
        partial = data / "catalog.partial.sqlite3"
        partial.unlink(missing_ok=True)
        start = time.perf_counter()
        fill_catalog(partial, generate(docs))
        partial.rename(data / "catalog.sqlite3")
        print(f"catalog of {docs} documents written in {time.perf_counter() - start:.0f} s", flush=True)
    _build_indexes(work, data, docs, engines)
    return data


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(data: Path, threads: int = 8, started: list | None = None, engine: str = "whoosh"):
    """A `bayegan serve` on the archive in ``data`` and ``engine``, in a session of its own (its worker
    processes with it); yields the /api/search URL prefix. ``started`` receives the server process."""
    port = free_port()
    env = {**os.environ, "BAYEGAN_DATA_DIR": str(data), "BAYEGAN_SEARCH_ENGINE": engine}
    config = bench_config(data.parent, data)
    proc = subprocess.Popen([sys.executable, "-m", "search_web.cli", "--config", str(config), "serve",
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
        for cls, q in queries:  # warm up: every worker process has met the queries' words once
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


def time_in_process(work: Path, data: Path, queries: list[tuple[str, str]], engine: str) -> dict[str, list[float]]:
    """The same requests as /api/search makes, in this process (no HTTP, no server): CPU ms a query,
    for iterating on the engine code."""
    from archive import load_config
    from indexer import Library

    library = Library(load_config(bench_config(work, data), env={"BAYEGAN_SEARCH_ENGINE": engine}))
    timings: dict[str, list[float]] = {}
    try:
        for cls, q in queries[:10]:
            library.search(q, page_size=20)
        for cls, q in queries:
            start = time.process_time()
            library.search(q, page_size=20, sort="newest" if cls == "sorted" else "relevance")
            timings.setdefault(cls, []).append((time.process_time() - start) * 1000)
    finally:
        library.close()
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
    parser.add_argument("--build-only", action="store_true", help="build the three indexes, time nothing")
    parser.add_argument("--suggest-only", action="store_true", help="time /api/suggest only")
    parser.add_argument("--engine", nargs="+", choices=("whoosh", "tantivy"), default=["whoosh"],
                        help="the search engines to time Bayegan on, side by side")
    parser.add_argument("--no-references", action="store_true", help="skip bare Whoosh and SQLite FTS5")
    parser.add_argument("--in-process", action="store_true",
                        help="also time the same searches in this process (CPU ms, no server)")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    queries = make_queries(args.queries)
    build = build_flat_archive if args.flat else build_archive
    data = build(args.work, args.docs, args.engine)
    if args.build_only:
        if not args.no_references:
            bare_whoosh_index(args.work, args.docs), fts5_database(args.work, args.docs)
        return
    if args.suggest_only:
        results = {}
    else:
        results = {f"bayegan on {engine}": time_server(data, queries, engine) for engine in args.engine}
        if not args.no_references:
            results["bare Whoosh"] = time_bare_whoosh(args.work, args.docs, queries)
            results["SQLite FTS5"] = time_fts5(args.work, args.docs, queries)
        print(f"\nsearch latency through /api/search at {args.docs} documents, {len(queries)} queries, "
              f"limit 20 (ms; references in process)")
        _print_table(results)
        if args.in_process:
            print("\nthe same searches in process (Library.search, CPU ms)")
            _print_table({f"in process, {engine}": time_in_process(args.work, data, queries, engine)
                          for engine in args.engine})
    prefixes = make_prefixes(args.queries)
    print(f"\nsuggestion latency at {args.docs} documents, {len(prefixes)} typed prefixes (ms)")
    _print_table({"bayegan /api/suggest": time_suggest(data, prefixes)})


def _print_table(results: dict[str, dict[str, list[float]]]) -> None:
    print(f"{'engine':24} {'class':12} {'n':>4} {'p50':>8} {'p95':>8} {'mean':>8}")
    for engine, timings in results.items():
        for cls, values in timings.items():
            print(f"{engine:24} {cls:12} {len(values):4d} {percentile(values, 50):8.1f} "
                  f"{percentile(values, 95):8.1f} {statistics.mean(values):8.1f}")


if __name__ == "__main__":
    main()
