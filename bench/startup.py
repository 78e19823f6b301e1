"""Start-up: `bayegan status` and `bayegan search` from a cold process, and the server until it answers.

    python -m bench.startup [--docs 300] [--work /tmp/bayegan-bench-search] [--runs 5]

Uses (or builds) the generated archive of bench/search.py. Each command runs ``--runs`` times as a new
process; the median and the slowest are printed. ``search`` is timed for words the archive holds (their
analyses come from the word memo, hazm stays unloaded; one word, then three common words, whose ranking
itself takes a second at 3,000 documents) and for a spelling no document has (hazm loads).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from bench.search import ROOT, bench_config, build_archive, free_port


def timed(argv: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def server_ready(data: Path, env: dict) -> float:
    """Seconds from `bayegan serve` to its first answer of /api/search."""
    port = free_port()
    config = bench_config(data.parent, data)
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "search_web.cli", "--config", str(config), "serve",
                             "--no-watch", "--port", str(port)], cwd=ROOT, env=env,
                            stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                url = f"http://127.0.0.1:{port}/api/search?" + urllib.parse.urlencode({"q": "اتوبوس"})
                with urllib.request.urlopen(url, timeout=5):
                    return time.perf_counter() - start
            except OSError:
                if time.perf_counter() - start > 60:
                    raise
                time.sleep(0.05)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--work", type=Path, default=Path("/tmp/bayegan-bench-search"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    data = build_archive(args.work, args.docs, ["whoosh"])
    env = {**os.environ, "BAYEGAN_DATA_DIR": str(data)}
    cli = [sys.executable, "-m", "search_web.cli"]
    cases = {
        "bayegan status": cli + ["status"],
        "bayegan search (a known word)": cli + ["search", "تره‌بار"],
        "bayegan search (3 common words)": cli + ["search", "خرید اتوبوس برای سازمان"],
        "bayegan search (new spelling)": cli + ["search", "هيئت‌مديره"],
    }
    print(f"\ncold start at {args.docs} documents, {args.runs} runs each (s)")
    print(f"{'what':32} {'median':>8} {'max':>8}")
    for name, argv in cases.items():
        values = [timed(argv, env) for _ in range(args.runs)]
        print(f"{name:32} {statistics.median(values):8.2f} {max(values):8.2f}")
    ready = [server_ready(data, env) for _ in range(min(3, args.runs))]
    print(f"{'server ready (first answer)':32} {statistics.median(ready):8.2f} {max(ready):8.2f}")


if __name__ == "__main__":
    main()
