import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.cli import cli

pytestmark = pytest.mark.both_engines  # each test on Whoosh and on Tantivy

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def run(config):
    runner = CliRunner()

    def invoke(*args, input=None):
        return runner.invoke(cli, ["--config", str(ROOT / "config.yaml"), *args], obj={},
                             env={"BAYEGAN_DATA_DIR": str(config.data_dir)}, input=input)
    return invoke


def test_ingest_json_then_duplicate(run, sample_dir):
    first = run("ingest", "--json", str(sample_dir))
    assert first.exit_code == 0, first.output
    items = json.loads(first.output)
    assert {i["status"] for i in items} == {"indexed"} and len(items) == 3
    assert set(items[0]) == {"path", "status", "id", "error"}
    again = run("ingest", "--json", str(sample_dir / "minutes.pdf"))
    assert again.exit_code == 0
    [dup] = json.loads(again.output)
    minutes = next(i for i in items if i["path"].endswith("minutes.pdf"))
    assert dup["status"] == "duplicate" and dup["id"] == minutes["id"]


def test_ingest_exit_code_3_when_a_file_fails(run, sample_dir):
    (sample_dir / "empty.docx").write_bytes(b"")
    result = run("ingest", str(sample_dir))
    assert result.exit_code == 3
    assert "3 indexed" in result.output and "1 failed" in result.output
    assert "خالی" in result.output


def test_usage_and_config_errors_exit_2(run, tmp_path):
    assert run("ingest").exit_code == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text("nonsense_key: 1\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(bad), "status"], obj={})
    assert result.exit_code == 2 and "unknown config key" in result.output


def test_search_show_status_reindex(run, sample_dir):
    ingest = json.loads(run("ingest", "--json", str(sample_dir)).output)
    minutes_id = next(i["id"] for i in ingest if i["path"].endswith("minutes.pdf"))
    found = run("search", "--json", "--limit", "5", "اتوبوس")
    assert found.exit_code == 0
    data = json.loads(found.output)
    assert data["total"] >= 1 and data["hits"][0]["id"] == minutes_id
    shown = json.loads(run("show", "--json", minutes_id).output)
    assert shown["id"] == minutes_id and shown["date"] == "1398-03-11" and "اتوبوس" in shown["text"]
    assert shown["resolutions"][0]["anchor"] == "r1"
    assert run("show", "nosuchdocume").exit_code == 1
    status = json.loads(run("status", "--json").output)
    assert status["documents"] == 3 and status["indexed"] == 3
    assert "reindexed 3 documents" in run("reindex").output
    assert json.loads(run("search", "--json", "اتوبوس").output)["hits"][0]["id"] == minutes_id
    too_long = run("search", *(["اتوبوس"] * 100))
    assert too_long.exit_code != 0 and "more than 64 words" in too_long.output


def test_every_command_has_help(run):
    for name, command in cli.commands.items():
        result = run(name, "--help")
        assert result.exit_code == 0, name
        assert command.help and len(command.help) > 10, f"{name} has no help text"


def test_watch_once_empties_the_inbox(run, config, sample_dir):
    config.inbox_dir.mkdir(parents=True)
    for p in sample_dir.iterdir():
        (config.inbox_dir / p.name).write_bytes(p.read_bytes())
    result = run("watch", "--once")
    assert result.exit_code == 0, result.output
    assert result.output.count("indexed") == 3
    assert list(config.inbox_dir.iterdir()) == []


def test_show_tells_meeting_addressee_and_resolved_references(run, tmp_path):
    from scripts.docwriters import write_text
    from tests.test_resolutions import LETTER, MINUTES_22

    minutes = write_text(tmp_path / "minutes-22.txt", MINUTES_22)
    letter = write_text(tmp_path / "letter.txt", LETTER.replace("\nموضوع:", "\nبه: سازمان مدیریت پسماند\nموضوع:"))
    ids = {Path(i["path"]).name: i["id"] for i in json.loads(run("ingest", "--json", str(minutes), str(letter)).output)}
    shown = json.loads(run("show", "--json", ids["minutes-22.txt"]).output)
    assert shown["meeting"] == "22" and shown["references"] == []
    shown = json.loads(run("show", "--json", ids["letter.txt"]).output)
    assert shown["number"] == "1234/ص/98" and shown["addressee"] == "سازمان مدیریت پسماند"
    ref, = shown["references"]
    assert ref["resolution_number"] == "3" and ref["meeting"] == "22"
    assert ref["document"] == ids["minutes-22.txt"] and ref["anchor"] == "r3"
    plain = run("show", ids["letter.txt"]).output
    assert f"{ids['minutes-22.txt']}#r3" in plain and "meeting" in plain


def test_reindex_reread_reads_titles_again_and_keeps_corrections(run, config, tmp_path):
    """An archive from before title sources (every row taken as a heading) is read again by the rules of
    this version; a clerk's corrected title stays."""
    import sqlite3

    from indexer import Library

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "scan-0041.txt").write_text("متن بی‌عنوان که یک جمله کامل است و عنوانی ندارد.", encoding="utf-8")
    (folder / "letter.txt").write_text("موضوع: خرید مخزن\nبا سلام، مخزن خریداری شد.", encoding="utf-8")
    assert run("ingest", str(folder)).exit_code == 0
    library = Library(config)
    with library.catalog.session() as session:
        from sqlalchemy import select

        from archive import Document
        ids = {d.filename: d.id for d in session.scalars(select(Document))}
    library.correct_document(ids["letter.txt"], "title", "خرید مخزن آب", user="clerk")
    library.close()
    db = sqlite3.connect(config.data_dir / "catalog.sqlite3")
    db.execute("update documents set title_source = 'heading'")  # as migration 0010 left older rows
    db.commit()
    db.close()
    result = run("reindex", "--reread")
    assert result.exit_code == 0, result.output
    assert "read the metadata of 2 documents again" in result.output
    assert "reindexed 2 documents" in result.output
    db = sqlite3.connect(config.data_dir / "catalog.sqlite3")
    rows = dict(db.execute("select filename, title || '|' || title_source from documents"))
    assert rows == {"scan-0041.txt": "scan-0041|filename", "letter.txt": "خرید مخزن آب|clerk"}
