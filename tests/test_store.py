import hashlib
import os

import pytest

from archive import DocumentStore, StoreError, hash_file


def test_put_is_content_addressed_and_deduplicated(tmp_path):
    store = DocumentStore(tmp_path / "originals")
    a = tmp_path / "a.txt"
    a.write_bytes("سلام".encode())
    b = tmp_path / "b.txt"
    b.write_bytes("سلام".encode())
    sha = store.put(a)
    assert sha == hashlib.sha256("سلام".encode()).hexdigest() == hash_file(a)
    assert store.put(b) == sha
    stored = store.path_for(sha)
    assert stored == tmp_path / "originals" / sha[:2] / sha[2:4] / sha
    assert stored.read_bytes() == a.read_bytes()
    assert [p.name for p in stored.parent.iterdir()] == [sha]
    assert not [p for p in (tmp_path / "originals").iterdir() if p.name.startswith(".incoming")]
    assert store.verify(sha)
    assert a.exists() and b.exists()


def test_verify_detects_a_changed_original(tmp_path):
    store = DocumentStore(tmp_path / "originals")
    src = tmp_path / "x.bin"
    src.write_bytes(b"original bytes")
    sha = store.put(src)
    path = store.path_for(sha)
    os.chmod(path, 0o644)
    path.write_bytes(b"tampered")
    assert not store.verify(sha)


def test_bad_hash_and_missing_original_are_named_errors(tmp_path):
    store = DocumentStore(tmp_path)
    with pytest.raises(StoreError):
        store.path_for("../../etc/passwd")
    with pytest.raises(StoreError, match="missing"):
        store.open("0" * 64)


def test_unreadable_source_leaves_no_temporary_file(tmp_path):
    store = DocumentStore(tmp_path / "originals")
    with pytest.raises(StoreError):
        store.put(tmp_path / "does-not-exist")
    assert list((tmp_path / "originals").iterdir()) == []
