"""The product path of the relevance bench: documents written as files, taken in by the real
``bayegan ingest`` (a subprocess, so whatever the command calls is what is measured), then searched
through the code ``/api/search`` runs, in process (:class:`InProcessSearch`) or over HTTP against a
real ``bayegan serve`` (:class:`ServerSearch`).

An archive folder holds ``config.yaml`` (the repository's, so its organizations too), ``data/`` (the
archive's data folder), ``inbox/`` (the files written) and ``ids.json`` (archive document id → the
corpus ids whose files it holds: two files of the same bytes are one archived document). Its
``source.txt`` names what was ingested; a folder whose source differs is ingested afresh.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterable

ROOT = Path(__file__).resolve().parents[1]
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")
SERVER_START_S = 180


def bayegan_command() -> list[str]:
    """The installed ``bayegan`` command of this interpreter's environment."""
    script = Path(sys.executable).parent / "bayegan"
    if not script.exists():
        raise SystemExit(f"{script} not found: run `make install` first")
    return [str(script)]


def text_file_body(title: str, text: str) -> str:
    """What a clerk's text file of a corpus document looks like: the title line, a blank line, the
    text (no title: the text alone)."""
    return f"{title.strip()}\n\n{text}" if title.strip() else text


class ProductArchive:
    """A Bayegan archive of a corpus in ``folder``, made through ``bayegan ingest``."""

    def __init__(self, folder: Path):
        self.folder = folder.resolve()
        self.config_file = self.folder / "config.yaml"
        self.data_dir = self.folder / "data"
        self.inbox = self.folder / "inbox"
        self._ids: dict[str, list[str]] | None = None
        self.ingest_seconds: float | None = None  # None: reused from an earlier run
        self.failed: list[str] = []

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("BAYEGAN_CONFIG", "BAYEGAN_DATA_DIR")}
        env["BAYEGAN_DATA_DIR"] = str(self.data_dir)
        return env

    def ready(self, source: str) -> bool:
        stamp = self.folder / "source.txt"
        return (self.folder / "ids.json").exists() and stamp.exists() and stamp.read_text() == source

    def build(self, source: str, write_files: Callable[[Path], dict[str, str]], jobs: int | None = None) -> None:
        """Ingest afresh: ``write_files(inbox)`` writes the documents and returns file name → corpus id.

        :raises RuntimeError: when ``bayegan ingest`` fails as a whole (single failed files are
            listed in ``failed`` and left out).
        """
        if self.folder.exists():
            shutil.rmtree(self.folder)
        self.inbox.mkdir(parents=True)
        shutil.copy(ROOT / "config.yaml", self.config_file)
        names = write_files(self.inbox)
        args = [*bayegan_command(), "--config", str(self.config_file), "ingest", "--json", "--no-progress"]
        if jobs is not None:
            args += ["--jobs", str(jobs)]
        start = time.perf_counter()
        proc = subprocess.run([*args, str(self.inbox)], env=self.env, cwd=self.folder,
                              capture_output=True, text=True)
        self.ingest_seconds = time.perf_counter() - start
        if proc.returncode not in (0, 3):  # 3: some files failed, the others are archived
            raise RuntimeError(f"bayegan ingest exited {proc.returncode}: {proc.stderr[-2000:]}")
        ids: dict[str, list[str]] = {}
        for result in json.loads(proc.stdout):
            corpus_id = names[Path(result["path"]).name]
            if result["status"] in ("indexed", "duplicate") and result["id"]:
                ids.setdefault(result["id"], []).append(corpus_id)
            else:
                self.failed.append(f"{corpus_id}: {result['error']}")
        (self.folder / "ids.json").write_text(json.dumps(ids, ensure_ascii=False), encoding="utf-8")
        (self.folder / "failed.txt").write_text("\n".join(self.failed), encoding="utf-8")
        (self.folder / "source.txt").write_text(source)
        (self.folder / "ingest_seconds.txt").write_text(f"{self.ingest_seconds:.1f}")
        self._ids = ids

    def reuse(self) -> None:
        failed = self.folder / "failed.txt"
        self.failed = [line for line in failed.read_text(encoding="utf-8").splitlines() if line]

    @property
    def recorded_seconds(self) -> float | None:
        """How long the ingest that made this folder took."""
        try:
            return float((self.folder / "ingest_seconds.txt").read_text())
        except (OSError, ValueError):
            return None

    @property
    def ids(self) -> dict[str, list[str]]:
        """Archive document id → the corpus ids it holds."""
        if self._ids is None:
            self._ids = json.loads((self.folder / "ids.json").read_text(encoding="utf-8"))
        return self._ids

    def corpus_ids(self, doc_id: str) -> tuple[str, ...]:
        return tuple(self.ids.get(doc_id, ())) or (f"?{doc_id}",)  # an archived document of no file of ours

    def make_token(self) -> str:
        """A viewer's API token, made with ``bayegan token add`` (a new name each time)."""
        name = f"bench-{int(time.time() * 1000)}"
        proc = subprocess.run([*bayegan_command(), "--config", str(self.config_file), "token", "add", name,
                               "--role", "viewer", "--expires", "1d"],
                              env=self.env, cwd=self.folder, capture_output=True, text=True, check=True)
        return proc.stdout.strip().splitlines()[0]


def write_corpus_files(docs: Iterable[dict]) -> Callable[[Path], dict[str, str]]:
    """A ``write_files`` for corpus records ({"_id", "title", "text"}): one UTF-8 ``.txt`` each."""
    def write(inbox: Path) -> dict[str, str]:
        names = {}
        for doc in docs:
            name = SAFE_NAME.sub("_", doc["_id"]) + ".txt"
            if name in names:
                raise ValueError(f"two corpus ids make the file name {name}")
            (inbox / name).write_text(text_file_body(doc.get("title") or "", doc["text"]), encoding="utf-8")
            names[name] = doc["_id"]
        return names
    return write


class InProcessSearch:
    """Searches as ``GET /api/search?q=…&limit=…&page=…`` does, in this process: the same Library
    call with the same arguments (no filters, relevance order, no facets)."""

    name = "product"

    def __init__(self, archive: ProductArchive, engine: str = "whoosh"):
        from archive import load_config
        from indexer import Library

        self.archive = archive
        config = load_config(archive.config_file, env={"BAYEGAN_DATA_DIR": str(archive.data_dir),
                                                       "BAYEGAN_SEARCH_ENGINE": engine})
        self.library = Library(config)
        self.max_page = config.search.max_page_size

    def page(self, text: str, page: int, limit: int) -> list[str]:
        from indexer import SearchFilters

        results = self.library.search(text, page=page, page_size=limit, facets=False,
                                      filters=SearchFilters(), sort="relevance")
        return [hit.doc_id for hit in results.hits]

    def search(self, text: str, depth: int) -> list[tuple[str, ...]]:
        """The first ``depth`` hits (records: documents and resolutions), each as its corpus ids."""
        return [self.archive.corpus_ids(d) for d in fetch_pages(self.page, text, depth, self.max_page)]

    def close(self) -> None:
        self.library.close()


def fetch_pages(page: Callable[[str, int, int], list[str]], text: str, depth: int, max_page: int) -> list[str]:
    """The first ``depth`` hits, asked for a page at a time as a client of the API must."""
    limit = min(depth, max_page)
    hits: list[str] = []
    number = 1
    while len(hits) < depth:
        got = page(text, number, limit)
        hits.extend(got)
        if len(got) < limit:
            break
        number += 1
    return hits[:depth]


class ServerSearch:
    """Searches over HTTP: ``GET /api/search`` of a real ``bayegan serve`` with a viewer's token."""

    name = "server"

    def __init__(self, archive: ProductArchive, base: str, token: str, max_page: int = 100):
        self.archive = archive
        self.base = base
        self.headers = {"Authorization": f"Bearer {token}"}
        self.max_page = max_page

    def page(self, text: str, page: int, limit: int) -> list[str]:
        query = urllib.parse.urlencode({"q": text, "limit": limit, "page": page})
        request = urllib.request.Request(f"{self.base}/api/search?{query}", headers=self.headers)
        with urllib.request.urlopen(request, timeout=120) as response:
            return [hit["id"] for hit in json.load(response)["hits"]]

    def search(self, text: str, depth: int) -> list[tuple[str, ...]]:
        return [self.archive.corpus_ids(d) for d in fetch_pages(self.page, text, depth, self.max_page)]

    def close(self) -> None:
        pass


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(archive: ProductArchive, workers: int = 1):
    """``bayegan serve --no-watch`` on a free port of 127.0.0.1 until the block ends; gives its base URL."""
    port = _free_port()
    log_path = archive.folder / "server.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen([*bayegan_command(), "--config", str(archive.config_file), "serve", "--no-watch",
                                 "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
                                env=archive.env, cwd=archive.folder, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + SERVER_START_S
        try:
            while proc.poll() is None:
                try:
                    with urllib.request.urlopen(base + "/login", timeout=2) as response:
                        response.read()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"bayegan serve did not answer in {SERVER_START_S} s; see {log_path}")
                    time.sleep(0.2)
            else:
                raise RuntimeError(f"bayegan serve exited {proc.returncode}; see {log_path}")
            yield base
        finally:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
