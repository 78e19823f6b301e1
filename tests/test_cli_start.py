"""The ``bayegan`` command's start: the extraction forkserver starts before the archive's modules are
imported, for the commands that read files, with the modules the extraction worker wants."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from search_web.cli import command_of

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("argv, command", [
    (["ingest", "a.pdf"], "ingest"),
    (["--config", "x.yaml", "ingest", "--jobs", "2", "folder"], "ingest"),
    (["-v", "--config", "ingest", "watch"], "watch"),  # a config file named «ingest»
    (["--config=x.yaml", "watch", "--once"], "watch"),
    (["--help"], None),
    (["serve", "--port", "8080"], "serve"),
])
def test_the_command_is_the_first_word_after_the_group_options(argv, command):
    assert command_of(argv) == command


def test_the_forkserver_started_early_imports_what_the_worker_would_have_it_import():
    script = ("import json\nimport indexer.pipeline.reading\nfrom indexer.extract import worker\n"
              "from search_web.cli import READER_MODULES\n"
              "print(json.dumps([worker.reader_modules(), list(READER_MODULES)]))")
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    wanted, early = json.loads(out.stdout)
    assert early == [*wanted, "search_web.cli"]  # the main module, for `python -m search_web.cli` and `bayegan`


def test_importing_the_command_line_imports_nothing_of_the_archive():
    script = ("import sys\nimport search_web.cli\n"
              "print(sorted(m for m in sys.modules if m.split('.')[0] in ('archive', 'indexer', 'flask')))")
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
