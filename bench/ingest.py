"""Ingest throughput and memory: files per minute and peak RSS for a batch of digital documents.

Each scenario runs the real command (``bayegan ingest --jobs N``, ``bayegan watch --once``,
``bayegan reindex``) as a subprocess in a fresh data folder; the peak RSS is sampled over the whole
process tree (its session: extraction processes included; PSS, so pages shared by forked children
count once) and, as RSS, for the main process alone. The documents come from ``bench/corpus.py`` (TXT, DOCX and PDF, 300–3000 words).

    python -m bench.ingest [--files 1000] [--jobs 1 2] [--reindex-docs 10000] [--engine whoosh tantivy]
                           [--corpus DIR] [--no-watch] [--no-reindex] [--no-bare]

Each scenario runs on each ``--engine`` in turn; the table gives wall and CPU seconds (the whole
process tree's) and documents per second.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def session_memory_kb(sid: int) -> tuple[int, int]:
    """(PSS of every process in the session, RSS of the session leader) in KB."""
    total = leader = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid:  # field 6 of stat, the session id
            if int(entry) == sid:
                leader = int(fields[21]) * PAGE_KB
            total += _pss_kb(entry)
    return total, leader


def _pss_kb(pid: str) -> int:
    """A process's proportional set size: shared pages (forked extraction children) counted once."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


LAST_CPU_S = [0.0]  # the CPU seconds (user + system, its whole tree) of the last run_measured


def run_measured(args: list[str], config: Path, engine: str | None = None) -> tuple[float, int, int]:
    """Run ``bayegan ARGS`` (on ``engine``, default the config's); returns (seconds, peak tree RSS KB,
    peak main-process RSS KB). Its CPU seconds are left in ``LAST_CPU_S[0]``."""
    env = {k: v for k, v in os.environ.items() if k not in ("BAYEGAN_DATA_DIR", "BAYEGAN_CONFIG")}
    if engine:
        env["BAYEGAN_SEARCH_ENGINE"] = engine
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "search_web.cli", "--config", str(config), *args], cwd=ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    peaks = [0, 0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            tree, main = session_memory_kb(proc.pid)
            peaks[0], peaks[1] = max(peaks[0], tree), max(peaks[1], main)
            done.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    LAST_CPU_S[0] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    done.set()
    sampler.join()
    if proc.returncode not in (0, 3):
        raise SystemExit(f"bayegan {' '.join(args)} failed ({proc.returncode}):\n{err.decode()[-2000:]}")
    return seconds, peaks[0], peaks[1]


def fresh_config(work: Path, name: str, **ingest) -> Path:
    data = work / name
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    config = data / "bayegan.yaml"
    lines = ["data_dir: .", "ingest:", "  stable_seconds: 0"] + [f"  {k}: {v}" for k, v in ingest.items()]
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config


def count_documents(config: Path) -> int:
    import sqlite3

    with sqlite3.connect(config.parent / "catalog.sqlite3") as conn:
        return conn.execute("select count(*) from documents").fetchone()[0]


def fill_catalog(catalog_path: Path, docs) -> None:
    """Generated documents (``bench.corpus.GeneratedDocument``) written straight into a catalog, with
    their kind, date and organization but no originals and no resolutions (one index record each):
    what a whole-archive reindex reads."""
    from archive import Catalog, Document, Page, document_id_for

    catalog = Catalog(f"sqlite:///{catalog_path}")
    batch = []
    for doc in docs:
        sha = hashlib.sha256(f"generated {doc.name}".encode()).hexdigest()
        batch.append(Document(id=document_id_for(sha), sha256=sha, filename=f"{doc.name}.txt", mime="text/plain",
                              size=len(doc.text.encode()), title=doc.title, kind=doc.kind, kind_reasons="[]",
                              date_jalali=doc.date or None, organization=doc.organization,
                              pages=[Page(number=1, text=doc.text, ocr=False)]))
        if len(batch) == 500:
            with catalog.session() as session:
                session.add_all(batch)
            batch = []
    with catalog.session() as session:
        session.add_all(batch)
    catalog.dispose()


def row(name: str, files: int, seconds: float, tree_kb: int, main_kb: int) -> str:
    return (f"| {name:44} | {files:6} | {seconds:8.1f} | {LAST_CPU_S[0]:7.1f} | {files / seconds:7.2f} | "
            f"{tree_kb / 1024:11.0f} | {main_kb / 1024:11.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000, help="documents in the batch")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="bayegan ingest --jobs values")
    parser.add_argument("--reindex-docs", type=int, default=0,
                        help="also reindex this many generated documents written straight into a catalog")
    parser.add_argument("--no-watch", action="store_true", help="skip the inbox watcher scenario")
    parser.add_argument("--engine", nargs="+", choices=("whoosh", "tantivy"), default=["whoosh"],
                        help="the search engines to ingest and reindex with, each in turn")
    parser.add_argument("--no-bare", action="store_true", help="skip bare Whoosh on the same text")
    parser.add_argument("--no-reindex", action="store_true", help="skip the reindex of the ingested batch")
    parser.add_argument("--corpus", type=Path, default=None,
                        help="keep the generated files in this folder and reuse them on the next run (runs "
                             "of two checkouts alternated side by side then read the same bytes; writing the "
                             "PDFs takes longer than ingesting them)")
    args = parser.parse_args()

    from bench.corpus import generate, write_corpus

    with tempfile.TemporaryDirectory(prefix="bayegan-bench-") as tmp:
        work = Path(tmp)
        batch = work / "batch"
        if args.corpus is None:
            paths = write_corpus(batch, args.files, fmt="mixed")
        else:
            batch = args.corpus.resolve() / f"mixed-{args.files}"
            done = batch.with_name(batch.name + ".complete")  # beside the batch: every file in it is ingested
            if not done.exists():
                shutil.rmtree(batch, ignore_errors=True)
                write_corpus(batch, args.files, fmt="mixed")
                done.touch()
            paths = sorted(batch.iterdir())
        kinds = {p.suffix: sum(1 for q in paths if q.suffix == p.suffix) for p in paths}
        print(f"{len(paths)} documents ({', '.join(f'{n} {k[1:]}' for k, n in sorted(kinds.items()))}), "
              f"{sum(p.stat().st_size for p in paths) / 2**20:.1f} MB; {os.cpu_count()} CPUs")
        print(f"| {'scenario':44} |  files |  wall s |   CPU s |  docs/s | tree PSS MB | main RSS MB |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for engine in args.engine:
            last = None
            for jobs in args.jobs:
                config = fresh_config(work, f"ingest-{engine}-{jobs}")
                seconds, tree, main_rss = run_measured(
                    ["ingest", "--jobs", str(jobs), "--no-progress", str(batch)], config, engine)
                assert count_documents(config) == len(paths)
                print(row(f"{engine}: bayegan ingest --jobs {jobs}", len(paths), seconds, tree, main_rss), flush=True)
                last = config
            if not args.no_watch:
                config = fresh_config(work, f"watch-{engine}")
                shutil.copytree(batch, config.parent / "inbox")
                seconds, tree, main_rss = run_measured(["watch", "--once"], config, engine)
                assert count_documents(config) == len(paths)
                print(row(f"{engine}: bayegan watch --once (inbox)", len(paths), seconds, tree, main_rss), flush=True)
            if last is not None and not args.no_reindex:
                seconds, tree, main_rss = run_measured(["reindex"], last, engine)
                print(row(f"{engine}: bayegan reindex ({len(paths)} documents)", len(paths), seconds, tree, main_rss),
                      flush=True)
            if args.reindex_docs:
                config = work / "reindex" / "bayegan.yaml"
                if not config.exists():
                    config = fresh_config(work, "reindex")
                    fill_catalog(config.parent / "catalog.sqlite3", generate(args.reindex_docs, seed=1402))
                seconds, tree, main_rss = run_measured(["reindex"], config, engine)
                print(row(f"{engine}: bayegan reindex ({args.reindex_docs} generated)", args.reindex_docs, seconds,
                          tree, main_rss), flush=True)
        if not args.no_bare:
            from bench.search import build_bare_whoosh

            start_cpu = time.process_time()
            seconds = build_bare_whoosh(work / "bare-whoosh", ((d.name, str(d.year), d.text)
                                                              for d in generate(args.files)))
            LAST_CPU_S[0] = time.process_time() - start_cpu
            print(row("bare Whoosh, same text (1 field)", len(paths), seconds, 0, 0), flush=True)


if __name__ == "__main__":
    main()
