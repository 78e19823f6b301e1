"""Load: concurrent clients against the production server (gunicorn workers) for a fixed time.

    python -m bench.load --docs 10000 --clients 16 --seconds 60 [--work /tmp/bayegan-bench-search]

Reuses the archive bench/search.py builds. Each client loops over the same query mix; prints throughput,
p50/p95/p99 latency and the error count (the target is zero errors).
"""
from __future__ import annotations

import argparse
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from bench.ingest import session_memory_kb
from bench.search import build_archive, make_queries, percentile, running_server


def run_load(base: str, queries: list[tuple[str, str]], clients: int, seconds: float):
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(offset: int) -> None:
        i = offset
        while time.monotonic() < stop_at:
            _, q = queries[i % len(queries)]
            i += clients
            start = time.perf_counter()
            try:
                with urllib.request.urlopen(base + urllib.parse.urlencode({"q": q}), timeout=30) as r:
                    r.read()
                    ok = r.status == 200
            except (urllib.error.URLError, OSError) as exc:
                ok = False
                with lock:
                    errors.append(str(exc))
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                if ok:
                    latencies.append(elapsed)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--work", type=Path, default=Path("/tmp/bayegan-bench-search"))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    data = build_archive(args.work, args.docs, ["whoosh"])
    started: list = []
    peak = [0]
    done = threading.Event()

    def sample() -> None:  # the server's processes (master and workers), PSS: shared pages once
        while not done.wait(0.5):
            peak[0] = max(peak[0], session_memory_kb(started[0].pid)[0])

    with running_server(data, threads=args.clients, started=started) as base:
        queries = make_queries(300)
        run_load(base, queries, 2, 5)  # warm up
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        latencies, errors = run_load(base, queries, args.clients, args.seconds)
        done.set()
        sampler.join()
    print(f"\nload: {args.clients} clients for {args.seconds:.0f} s against {args.docs} documents")
    print(f"requests {len(latencies)}  throughput {len(latencies) / args.seconds:.1f}/s  errors {len(errors)}  "
          f"server PSS peak {peak[0] / 1024:.0f} MB")
    if latencies:
        print(f"latency ms: p50 {percentile(latencies, 50):.0f}  p95 {percentile(latencies, 95):.0f}  "
              f"p99 {percentile(latencies, 99):.0f}")
    for message in sorted(set(errors))[:5]:
        print("error:", message)


if __name__ == "__main__":
    main()
