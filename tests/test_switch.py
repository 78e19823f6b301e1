"""Switching engines: ``bayegan reindex --engine`` builds beside the live index, then sets the config."""
import json

import pytest
from click.testing import CliRunner

from archive import load_config
from indexer.cli import cli
from indexer.search.switch import SWITCH_AT_DOCUMENTS, advice, with_engine, write_engine
from tests.conftest import ROOT, write_config


@pytest.mark.parametrize("text", [
    "",
    "data_dir: d\n",
    "data_dir: d\nsearch:\n  page_size: 10\nweb:\n  port: 1\n",
    "search:\n    # the engine\n    engine: whoosh  # default\n    page_size: 10\n",
    "search:\n  engine: whoosh\n",
])
def test_the_engine_is_set_and_every_other_line_kept(tmp_path, text):
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    write_engine(path, "tantivy")
    assert load_config(path, env={}).search.engine == "tantivy"
    written = path.read_text(encoding="utf-8")
    kept = [line for line in text.splitlines() if "engine" not in line]
    assert [line for line in written.splitlines() if line in kept] == kept
    write_engine(path, "whoosh")
    assert load_config(path, env={}).search.engine == "whoosh"


def test_the_project_config_file_switches_back_and_forth():
    text = (ROOT / "config.yaml").read_text(encoding="utf-8")
    assert with_engine(with_engine(text, "tantivy"), "whoosh") == text


def test_reindex_with_another_engine_builds_beside_then_switches(tmp_path, sample_dir):
    config_file = write_config(tmp_path, engine="whoosh")
    env = {"BAYEGAN_DATA_DIR": str(tmp_path / "data")}

    def run(*args):
        result = CliRunner().invoke(cli, ["--config", str(config_file), *args], obj={}, env=env)
        assert result.exit_code == 0, result.output
        return result.output

    def hits(query):  # the same hits in the same order; scores are each engine's own
        return [{k: v for k, v in h.items() if k != "score"} for h in json.loads(run("search", "--json", query))["hits"]]

    run("ingest", str(sample_dir))
    before = hits("اتوبوس")
    assert "engine       whoosh" in run("status")
    out = run("reindex", "--engine", "tantivy")
    assert "reindexed 3 documents (tantivy)" in out and "search.engine is now tantivy" in out
    config = load_config(config_file, env=env)
    assert config.search.engine == "tantivy"
    assert config.index_dir.is_dir()  # the Whoosh index stays where it was, beside the new one
    status = json.loads(run("status", "--json"))
    assert (status["engine"], status["indexed"]) == ("tantivy", 3) and status["index_bytes"] > 0
    assert hits("اتوبوس") == before
    run("reindex", "--engine", "whoosh")
    assert load_config(config_file, env=env).search.engine == "whoosh"
    assert hits("اتوبوس") == before


def test_status_advises_tantivy_past_the_measured_size(config):
    from dataclasses import replace

    whoosh = replace(config, search=replace(config.search, engine="whoosh"))
    tantivy = replace(config, search=replace(config.search, engine="tantivy"))
    assert advice(whoosh, SWITCH_AT_DOCUMENTS) == ""
    assert "reindex --engine tantivy" in advice(whoosh, SWITCH_AT_DOCUMENTS + 1)
    assert advice(tantivy, 10 * SWITCH_AT_DOCUMENTS) == ""
