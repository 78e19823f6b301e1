"""The memo of word analyses: a process that only searches analyzes known words without hazm."""
import json
import os
import subprocess
import sys

from indexer.search import persian
from indexer.pipeline.ingest import ingest_paths
from indexer.search.wordmemo import WordMemo
from tests.conftest import ROOT

SEARCH_IN_A_FRESH_PROCESS = """
import json, sys
from archive.config import load_config
from indexer import Library
library = Library(load_config(sys.argv[1]))
results = library.search(sys.argv[2])
print(json.dumps({"ids": [h.doc_id for h in results.hits], "snippets": [h.snippet for h in results.hits],
                  "hazm": "hazm" in sys.modules}))
"""


def search_elsewhere(config, query: str) -> dict:
    env = {**os.environ, "BAYEGAN_DATA_DIR": str(config.data_dir)}
    out = subprocess.run([sys.executable, "-c", SEARCH_IN_A_FRESH_PROCESS, str(ROOT / "config.yaml"), query],
                         cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_a_search_of_indexed_words_does_not_load_hazm(library, sample_dir, config):
    ingest_paths(library, [sample_dir])
    here = library.search("جمع‌آوری پسماند در هیأت‌مدیره")  # words as the documents spell them
    there = search_elsewhere(config, "جمع‌آوری پسماند در هیأت‌مدیره")
    assert there["ids"] == [h.doc_id for h in here.hits] and there["ids"]
    assert there["snippets"] == [h.snippet for h in here.hits]
    assert there["hazm"] is False
    variant = search_elsewhere(config, "هيئت‌مديره")  # a spelling no document had: hazm analyzes it
    assert variant["hazm"] is True and set(variant["ids"]) <= set(there["ids"]) and variant["ids"]


def test_the_memo_is_emptied_when_the_analysis_changes(tmp_path):
    path = tmp_path / "words.sqlite3"
    memo = WordMemo(path, "v1")
    memo.save({"هيئت": ("هیات", "هیئت")}, {"سازمانها": "سازمان"}, frozenset({"از", "در"}))
    assert memo.forms("هيئت") == ("هیات", "هیئت") and memo.stem("سازمانها") == "سازمان"
    assert memo.stopwords() == {"از", "در"} and memo.forms("نامه") is None
    memo.close()
    assert WordMemo(path, "v1").forms("هيئت") == ("هیات", "هیئت")
    newer = WordMemo(path, "v2")
    assert newer.forms("هيئت") is None and newer.stem("سازمانها") is None and newer.stopwords() is None
    newer.close()


def test_the_version_follows_the_code_and_hazm():
    version = persian.analysis_version()
    assert version == persian.analysis_version() and version.endswith("-hazm-" + __import__("importlib").metadata.version("hazm"))
