import re
from pathlib import Path

import pytest

from archive import ConfigError, load_config
from archive.config import documented_keys

ROOT = Path(__file__).resolve().parent.parent


def test_defaults_without_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = load_config(env={})
    assert config.data_dir == tmp_path / "documents"
    assert config.inbox_dir == tmp_path / "documents" / "inbox"
    assert config.failed_dir == tmp_path / "documents" / "failed"
    assert config.database_url == f"sqlite:///{tmp_path / 'documents' / 'catalog.sqlite3'}"


def test_project_file_lists_the_organizations():
    config = load_config(ROOT / "config.yaml", env={})
    names = {o.name for o in config.organizations}
    assert "سازمان مدیریت پسماند" in names
    assert "سازمان اموال و املاک" in names
    waste = next(o for o in config.organizations if o.name == "سازمان مدیریت پسماند")
    assert "سازمان پسماند" in waste.aliases
    assert config.data_dir == ROOT / "documents"


def test_environment_overrides_data_dir(tmp_path):
    config = load_config(ROOT / "config.yaml", env={"BAYEGAN_DATA_DIR": str(tmp_path / "d")})
    assert config.data_dir == tmp_path / "d"
    assert config.index_dir == tmp_path / "d" / "index"


def test_bayegan_config_names_the_file(tmp_path):
    file = tmp_path / "other.yaml"
    file.write_text("data_dir: elsewhere\nsearch:\n  page_size: 5\n", encoding="utf-8")
    config = load_config(env={"BAYEGAN_CONFIG": str(file)})
    assert config.data_dir == tmp_path / "elsewhere"
    assert config.search.page_size == 5


def test_config_is_frozen():
    config = load_config(ROOT / "config.yaml", env={})
    with pytest.raises(AttributeError):
        config.data_dir = Path("/tmp")  # type: ignore[misc]


@pytest.mark.parametrize("text, message", [
    ("colour: blue\n", "unknown config key"),
    ("search:\n  page_sise: 3\n", "unknown key"),
    ("search:\n  page_size: many\n", "must be a number"),
    ("organizations:\n  - aliases: [x]\n", "needs a 'name'"),
    ("- just\n- a list\n", "must hold a mapping"),
    ("data_dir: [unclosed\n", "cannot read config"),
    ("web:\n  anonymous_read: yes please\n", "true or false"),
    ("web:\n  secret_key: short\n", "at least 16 characters"),
])
def test_invalid_files_are_named_errors(tmp_path, text, message):
    file = tmp_path / "bad.yaml"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_config(file, env={})


def test_missing_named_file_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.yaml", env={})


def test_every_key_is_documented_in_docs_and_config_file():
    reference = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    config_text = (ROOT / "config.yaml").read_text(encoding="utf-8")
    for key in documented_keys():
        assert f"`{key}`" in reference, f"{key} is not documented in docs/configuration.md"
        leaf = key.split(".")[-1]
        assert re.search(rf"^\s*{leaf}:", config_text, re.MULTILINE), f"{key} missing from config.yaml"
