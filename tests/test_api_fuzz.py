"""schemathesis (property-based, from the OpenAPI description) against a real `bayegan serve` on
loopback with a clerk's API token: no 500 and no response outside the description. Bounded: a few
examples per operation and a time budget (25 s of fuzzing on each engine), so the run stays
well under two minutes."""
import pytest
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, serving, write_config
from indexer.pipeline.ingest import ingest_paths

pytestmark = pytest.mark.both_engines  # each test on Whoosh and on Tantivy

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
CHECKS = ("not_a_server_error,status_code_conformance,content_type_conformance,"
          "response_schema_conformance")


def test_schemathesis_finds_nothing_outside_the_description(config, library, sample_dir, tmp_path):
    ingest_paths(library, sorted(sample_dir.iterdir()))
    config_file = write_config(tmp_path, web={"anonymous_read": False})
    env = {"BAYEGAN_DATA_DIR": str(config.data_dir), "PATH": "/usr/bin:/bin"}
    made = subprocess.run([sys.executable, "-m", "search_web.cli", "--config", str(config_file), "token", "add",
                           "fuzzer", "--role", "clerk"], cwd=ROOT, env=env, check=True, capture_output=True,
                          text=True)
    token = made.stdout.strip()
    with serving(config_file, config.data_dir, tmp_path / "server.log", args=("--workers", "1")) as base:
        run = subprocess.run(
            [str(SCHEMATHESIS), "run", f"{base}/api/openapi.json", "--url", base,
             "-H", f"Authorization: Bearer {token}", "--checks", CHECKS,
             "--max-examples", "15", "--max-time", "25", "--phases", "examples,coverage,fuzzing",
             "--mode", "positive", "--seed", "20261201", "--generation-database", "none",
             "--workers", "1", "--request-timeout", "30", "--no-color"],
            cwd=tmp_path, capture_output=True, text=True, timeout=300)
    report = run.stdout[-6000:] + run.stderr[-2000:]
    assert run.returncode == 0, report
    assert "passed" in run.stdout.lower(), report
