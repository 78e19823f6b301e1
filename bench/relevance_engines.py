"""The search engines the relevance bench compares, one interface:

``prepare(collection, folder)`` builds (or reuses) what it searches and returns the seconds it took
(``None``: reused); ``search(text, depth)`` returns the first ``depth`` hits, each as the corpus ids
of its document (a minutes file's resolutions are hits of their own, so one document may come back
more than once); ``close()``.

- ``product``: the archive made by ``bayegan ingest`` of the documents as files, searched with the
  code of ``GET /api/search`` in this process;
- ``server``: the same archive searched over HTTP through a real ``bayegan serve`` and an API token;
- ``tantivy``: the same archive on the Tantivy engine (its index built by the real ``bayegan reindex``
  with ``search.engine: tantivy``), searched as ``product``;
- ``direct``: records written straight into the app's ``SearchIndex`` with the corpus's own titles
  (no extraction, metadata or resolutions: the fast loop when tuning the ranking);
- ``direct-tantivy``: the same on the Tantivy engine;
- ``whoosh``: plain Whoosh, StandardAnalyzer on one field, ``OrGroup.factory(0.9)``;
- ``whoosh-folded``: the same, with Arabic ي/ى and ك read as Persian ی and ک. The pooled sets are
  written in two orthographies (Hamshahri's articles and topics with Arabic ي/ك, the three QA sets
  with Persian ی/ک), so plain Whoosh never lets one set's documents compete for another set's
  queries, while Bayegan, which must find a word however it was typed, does: this column is plain
  Whoosh on the footing Bayegan stands on.
"""
from __future__ import annotations

import shutil
import time
from contextlib import ExitStack
from pathlib import Path

from whoosh import index as windex
from whoosh.analysis import CharsetFilter, StandardAnalyzer
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import OrGroup, QueryParser

from bench.relevance_product import InProcessSearch, ProductArchive, ServerSearch, serving
from bench.relevance_sets import Collection


def _stamped(folder: Path, source: str) -> bool:
    stamp = folder / "source.txt"
    return stamp.exists() and stamp.read_text() == source


def _fresh(folder: Path) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)


class ProductEngine:
    name = "product"

    def __init__(self, jobs: int | None = None):
        self.jobs = jobs
        self.archive: ProductArchive | None = None
        self._search = None

    def prepare_archive(self, collection: Collection, folder: Path) -> float | None:
        self.archive = ProductArchive(folder / "archive")
        if self.archive.ready(collection.source):
            self.archive.reuse()
            return None
        self.archive.build(collection.source, collection.write_files, jobs=self.jobs)
        return self.archive.ingest_seconds

    def prepare(self, collection: Collection, folder: Path) -> float | None:
        seconds = self.prepare_archive(collection, folder)
        self._search = InProcessSearch(self.archive)
        return seconds

    def search(self, text: str, depth: int) -> list[tuple[str, ...]]:
        return self._search.search(text, depth)

    def close(self) -> None:
        if self._search is not None:
            self._search.close()
            self._search = None


class TantivyEngine(ProductEngine):
    """The product archive (the same ingest) searched on Tantivy."""

    name = "tantivy"

    def prepare(self, collection: Collection, folder: Path) -> float | None:
        import subprocess

        from bench.relevance_product import ROOT, bayegan_command

        seconds = self.prepare_archive(collection, folder)
        stamp = self.archive.folder / "tantivy-source.txt"
        built = self.archive.data_dir / "index-tantivy"
        if seconds is not None or not built.is_dir() or not stamp.exists() or stamp.read_text() != collection.source:
            start = time.perf_counter()
            subprocess.run(bayegan_command() + ["--config", str(self.archive.config_file), "reindex"], cwd=ROOT,
                           env={**self.archive.env, "BAYEGAN_SEARCH_ENGINE": "tantivy"}, check=True,
                           stdout=subprocess.DEVNULL)
            stamp.write_text(collection.source)
            seconds = (seconds or 0.0) + time.perf_counter() - start
        self._search = InProcessSearch(self.archive, engine="tantivy")
        return seconds


class ServerEngine(ProductEngine):
    name = "server"

    def prepare(self, collection: Collection, folder: Path) -> float | None:
        seconds = self.prepare_archive(collection, folder)
        self._stack = ExitStack()
        base = self._stack.enter_context(serving(self.archive))
        from archive import load_config

        config = load_config(self.archive.config_file, env={"BAYEGAN_DATA_DIR": str(self.archive.data_dir)})
        self._search = ServerSearch(self.archive, base, self.archive.make_token(), config.search.max_page_size)
        return seconds

    def close(self) -> None:
        if self._search is not None:
            self._stack.close()
            self._search = None


class DirectEngine:
    name = "direct"
    engine = "whoosh"

    def prepare(self, collection: Collection, folder: Path) -> float | None:
        from indexer.search.engines import make_index  # the index itself, below the Library
        from indexer.search.schema import text_fields

        folder = folder / self.name
        if _stamped(folder, collection.source):
            self.index = make_index(self.engine, folder / "index", writer_memory_mb=256)
            return None
        _fresh(folder)
        start = time.perf_counter()
        self.index = make_index(self.engine, folder / "index", writer_memory_mb=256)
        with self.index.writer() as w:
            for doc in collection.corpus:
                self.index.put_records(w, doc["_id"], [dict(key=doc["_id"], doc_id=doc["_id"], hit_type="document",
                                                            **text_fields(doc.get("title") or "", doc["text"]))])
        (folder / "source.txt").write_text(collection.source)
        return time.perf_counter() - start

    def search(self, text: str, depth: int) -> list[tuple[str, ...]]:
        return [(h.doc_id,) for h in self.index.search(text, page_size=depth).hits]

    def close(self) -> None:
        self.index.close()


class DirectTantivyEngine(DirectEngine):
    """``direct`` on the Tantivy engine: the fast loop for comparing the two engines' ranking."""
    name = "direct-tantivy"
    engine = "tantivy"


class WhooshEngine:
    name = "whoosh"
    schema = Schema(id=ID(stored=True, unique=True), text=TEXT(analyzer=StandardAnalyzer()))

    def prepare(self, collection: Collection, folder: Path) -> float | None:
        folder = folder / self.name
        self.parser = QueryParser("text", self.schema, group=OrGroup.factory(0.9))
        seconds = None
        if not _stamped(folder, collection.source):
            _fresh(folder)
            start = time.perf_counter()
            ix = windex.create_in(str(folder), self.schema)
            with ix.writer(limitmb=256) as w:
                for doc in collection.corpus:
                    title = doc.get("title") or ""
                    w.add_document(id=doc["_id"], text=f"{title}\n{doc['text']}" if title else doc["text"])
            ix.close()
            (folder / "source.txt").write_text(collection.source)
            seconds = time.perf_counter() - start
        self._ix = windex.open_dir(str(folder))
        self._searcher = self._ix.searcher()
        return seconds

    def search(self, text: str, depth: int) -> list[tuple[str, ...]]:
        return [(hit["id"],) for hit in self._searcher.search(self.parser.parse(text), limit=depth)]

    def close(self) -> None:
        self._searcher.close()
        self._ix.close()


ARABIC_LETTERS = {ord("ي"): "ی", ord("ى"): "ی", ord("ك"): "ک"}


class FoldedWhooshEngine(WhooshEngine):
    name = "whoosh-folded"
    schema = Schema(id=ID(stored=True, unique=True),
                    text=TEXT(analyzer=StandardAnalyzer() | CharsetFilter(ARABIC_LETTERS)))


ENGINES = {cls.name: cls for cls in (ProductEngine, TantivyEngine, ServerEngine, DirectEngine, DirectTantivyEngine,
                                      WhooshEngine, FoldedWhooshEngine)}
