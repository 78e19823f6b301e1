"""The tables derived from hazm's word list are kept on disk (indexer/tablecache.py): derived once, read
back the same, derived again when damaged, never a failure when the folder cannot be written."""
from __future__ import annotations

import subprocess
import sys
from importlib import metadata
from pathlib import Path

from indexer.tablecache import cache_dir, cached_table, version_of

ROOT = Path(__file__).resolve().parent.parent


def test_a_table_is_derived_once_then_read_back_equal(tmp_path, monkeypatch):
    monkeypatch.setenv("BAYEGAN_CACHE_DIR", str(tmp_path / "cache"))
    calls = []

    def build():
        calls.append(1)
        return {"هیات": ("N",), "سازمان": ("N", "AJ"), "x": 3}

    first = cached_table("t", "v1", build)
    second = cached_table("t", "v1", build)
    assert first == second == {"هیات": ("N",), "سازمان": ("N", "AJ"), "x": 3}
    assert len(calls) == 1
    assert [p.name for p in (tmp_path / "cache").iterdir()] == ["t-v1.marshal"]


def test_a_new_version_replaces_the_old_file(tmp_path, monkeypatch):
    monkeypatch.setenv("BAYEGAN_CACHE_DIR", str(tmp_path))
    cached_table("t", "v1", lambda: {"a": 1})
    assert cached_table("t", "v2", lambda: {"a": 2}) == {"a": 2}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t-v2.marshal"]


def test_a_damaged_file_is_derived_again(tmp_path, monkeypatch):
    monkeypatch.setenv("BAYEGAN_CACHE_DIR", str(tmp_path))
    (tmp_path / "t-v1.marshal").write_bytes(b"\x00not marshal at all")
    assert cached_table("t", "v1", lambda: {"a": 1}) == {"a": 1}
    assert cached_table("t", "v1", lambda: {"a": "never built"}) == {"a": 1}  # rewritten whole


def test_a_folder_that_cannot_be_made_costs_only_the_time(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the folder should be")
    monkeypatch.setenv("BAYEGAN_CACHE_DIR", str(blocker / "cache"))
    assert cached_table("t", "v1", lambda: {"a": 1}) == {"a": 1}
    assert blocker.read_text() == "a file where the folder should be"


def test_the_cache_folder_follows_xdg_then_home(tmp_path, monkeypatch):
    monkeypatch.delenv("BAYEGAN_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "bayegan"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "bayegan"


def test_the_word_tables_read_back_equal_what_hazm_gives(tmp_path):
    """In fresh processes: the first derives both tables from hazm and writes them, the second reads
    them; both see the same tables, and the stemmer's analysis of words is unchanged."""
    code = ("import json, sys\n"
            "from indexer.extract import lexicon\n"
            "from indexer.search import persian\n"
            "counts = lexicon.word_counts()\n"
            "persian._hazm_stemmer()\n"
            "words = ['سازمان‌ها', 'مدیران', 'هیأت', 'مصوبات', 'اتوبوس‌های']\n"
            "print(json.dumps([len(counts), counts.get('سازمان'), len(persian._words), persian._words.get('سازمان'),\n"
            "                  [persian.stem(persian.normalize_token(w)) for w in words]], ensure_ascii=False))\n")
    env = {"BAYEGAN_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}

    def run():
        return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                              check=True).stdout

    derived = run()
    kept = sorted(p.name for p in tmp_path.glob("*.marshal"))
    assert len(kept) == 2 and kept[0].startswith("word-counts-") and kept[1].startswith("word-tags-"), kept
    assert run() == derived
    assert '"N"' in derived and "سازمان" in derived


def test_a_table_version_changes_with_its_source(tmp_path):
    source = tmp_path / "folding.py"
    source.write_text("FOLD = 1\n")
    before = version_of(source)
    source.write_text("FOLD = 2\n")
    assert version_of(source) != before and before.endswith("-hazm-" + metadata.version("hazm"))
