"""What the clerk's terminal shows during ``bayegan ingest``: the files' results, not the PDF parser's
notes on damage it repaired by itself; those are logged, formatted, with ``--verbose``."""
import re
import subprocess
import sys
from pathlib import Path

from scripts.docwriters import write_pdf

ROOT = Path(__file__).resolve().parents[1]
TEXT = "صورتجلسه هیأت‌مدیره سازمان مدیریت پسماند\nمصوبه ۱: قرارداد جمع‌آوری پسماند تمدید شد."


def write_pdf_with_a_wrong_startxref(path: Path) -> Path:
    """A readable PDF whose ``startxref`` points a few bytes off: pypdf finds its table all the same,
    and warns «incorrect startxref pointer»."""
    write_pdf(path, TEXT)
    data = path.read_bytes()
    pointer = list(re.finditer(rb"startxref\s+(\d+)", data))[-1]
    path.write_bytes(data[:pointer.start(1)] + str(int(pointer.group(1)) + 7).encode() + data[pointer.end(1):])
    return path


def ingest(tmp_path: Path, name: str, *options: str, command: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    inbox = tmp_path / f"in-{name}"
    inbox.mkdir()
    write_pdf_with_a_wrong_startxref(inbox / "minutes.pdf")
    config = tmp_path / f"{name}.yaml"
    config.write_text(f"data_dir: {tmp_path / name}\n", encoding="utf-8")
    command = command or (str(Path(sys.executable).parent / "bayegan"),)  # as installed, as a clerk runs it
    return subprocess.run([*command, "--config", str(config), *options, "ingest", str(inbox)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=False)


def test_a_repaired_pdf_is_archived_without_the_parsers_notes_on_the_terminal(tmp_path):
    quiet = ingest(tmp_path, "quiet")
    assert quiet.returncode == 0, quiet.stderr
    assert "1 indexed" in quiet.stdout
    assert "startxref" not in quiet.stdout + quiet.stderr
    assert quiet.stderr.strip() == ""

    verbose = ingest(tmp_path, "verbose", "--verbose")
    assert verbose.returncode == 0, verbose.stderr
    notes = [line for line in verbose.stderr.splitlines() if "startxref" in line]
    assert notes and all(re.match(r"\d{4}-\d\d-\d\d [\d:,]+ WARNING pypdf[\w.]*: ", line) for line in notes)


def test_started_as_a_module_the_command_prints_nothing_but_the_results(tmp_path):
    """``python -m search_web.cli`` (how the benches start it): each extraction child runs the module
    again by name, which runpy warned about once per child."""
    quiet = ingest(tmp_path, "module", command=(sys.executable, "-m", "search_web.cli"))
    assert quiet.returncode == 0, quiet.stderr
    assert "1 indexed" in quiet.stdout
    assert quiet.stderr.strip() == ""
