"""The decision register through real files: ingest → proposals → a clerk applies one → states, history,
overdue, search, export; the state survives reindexing and re-extraction."""
from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from indexer import register
from indexer.cli import cli
from indexer.errors import QueryError, RegisterError, ResolutionNotFound
from tests.conftest import ROOT
from tests.register_docs import ingest_register_files

pytestmark = pytest.mark.both_engines  # each test on Whoosh and on Tantivy

TODAY = "1399-01-01"


@pytest.fixture
def archived(library, tmp_path):
    return ingest_register_files(library, tmp_path / "in")


def entries(library, **filters) -> dict[str, register.RegisterEntry]:
    found = register.load_register(library, register.RegisterFilters(**filters), today=TODAY)
    return {e.id: e for e in found.entries}


def test_referring_documents_propose_states_and_nothing_changes_by_itself(library, archived):
    m22, m27, m30 = archived["minutes-22.docx"], archived["minutes-27.pdf"], archived["minutes-30.txt"]
    found = entries(library)
    assert len(found) == 9 and {e.state for e in found.values()} == {"new"}
    expected = {f"{m22}-r3": ("done", "letter-done.docx", "انجام شد"),
                f"{m27}-r2": ("in_progress", "letter-progress.pdf", "در دست اقدام"),
                f"{m27}-r3": ("stopped", "letter-stopped.txt", "متوقف گردید"),
                f"{m27}-r1": ("superseded", "minutes-30.txt", "لغو")}
    for entry_id, (state, name, words) in expected.items():
        (proposal,) = found[entry_id].proposals
        assert (proposal.state, proposal.document.id) == (state, archived[name])
        assert words in proposal.evidence
    # a letter that says nothing certain («هنوز تهیه نشده») is a follow-up without a proposal
    assert found[f"{m27}-r4"].proposals == () and found[f"{m27}-r4"].last_followup.id == archived["letter-nothing.txt"]
    assert found[f"{m30}-r2"].proposals == ()


def test_a_clerk_applies_a_proposal_and_the_history_says_who_when_and_why(library, archived):
    entry_id = f"{archived['minutes-22.docx']}-r3"
    done = register.apply_proposal(library, entry_id, archived["letter-done.docx"], "clerk", today=TODAY)
    assert done.state == "done" and done.proposals == ()
    (change,) = done.history
    assert (change.old_state, change.new_state, change.user) == ("new", "done", "clerk")
    assert change.evidence_document.id == archived["letter-done.docx"] and "انجام شد" in change.note
    with pytest.raises(RegisterError):  # applied once: the letter proposes nothing more
        register.apply_proposal(library, entry_id, archived["letter-done.docx"], "clerk")
    again = register.set_state(library, entry_id, "در دست اقدام", "admin", note="بازگشایی پرونده", due="1399/02/01",
                               today=TODAY)
    assert [(c.old_state, c.new_state) for c in again.history] == [("new", "done"), ("done", "in_progress")]
    assert again.due == "1399-02-01" and not again.overdue


def test_state_and_history_survive_reindex_and_reextraction(library, archived):
    minutes = archived["minutes-27.pdf"]
    register.apply_proposal(library, f"{minutes}-r3", archived["letter-stopped.txt"], "clerk", today=TODAY)
    register.set_state(library, f"{minutes}-r2", "sent", "clerk", due="1398/12/29", today=TODAY)
    library.reindex()
    library.reextract([minutes])
    library.refresh_metadata([minutes, archived["letter-stopped.txt"]])
    found = entries(library)
    assert found[f"{minutes}-r3"].state == "stopped" and len(found[f"{minutes}-r3"].history) == 1
    assert found[f"{minutes}-r2"].state == "sent" and found[f"{minutes}-r2"].due == "1398-12-29"
    assert found[f"{minutes}-r2"].proposals[0].state == "in_progress"  # the letter still moves it on
    hits = library.search("state:stopped")
    assert [(h.doc_id, [r.anchor for r in h.resolutions]) for h in hits.hits] == [(minutes, ["r3"])]


def test_overdue_is_an_open_resolution_past_its_due_date(library, archived):
    m22, m27 = archived["minutes-22.docx"], archived["minutes-27.pdf"]
    found = entries(library)
    assert found[f"{m22}-r2"].due == "1398-06-31" and found[f"{m22}-r2"].overdue
    assert found[f"{m27}-r4"].due == "1398-04-11" and found[f"{m27}-r4"].overdue   # «ظرف یک ماه» of 1398/03/11
    assert set(entries(library, overdue=True)) == {f"{m22}-r2", f"{m27}-r4"}
    register.set_state(library, f"{m22}-r2", "done", "clerk", today=TODAY)
    assert set(entries(library, state="overdue")) == {f"{m27}-r4"}
    def found(query):  # (document, anchor) of the resolutions inside the hits
        return {(h.doc_id, r.anchor) for h in library.search(query).hits for r in h.resolutions}
    assert found("state:overdue") == {(m27, "r4")}
    assert found("state:انجام‌شده") == {(m22, "r2")}
    with pytest.raises(QueryError):
        library.search("state:maybe")


def test_filters_counts_search_box_and_the_summary(library, archived):
    m27 = archived["minutes-27.pdf"]
    register.apply_all_proposals(library, "clerk", today=TODAY)
    found = register.load_register(library, register.RegisterFilters(org="سازمان حمل و نقل همگانی"), today=TODAY)
    assert len(found.entries) == 6 and found.counts["superseded"] == 1 and found.counts["stopped"] == 1
    by_state = register.load_register(library, register.RegisterFilters(state="in_progress"), today=TODAY)
    assert [e.id for e in by_state.entries] == [f"{m27}-r2"] and by_state.counts["all"] == 9
    assert [e.id for e in register.load_register(library, register.RegisterFilters(q="اتوبوس برقی")).entries] \
        == [f"{m27}-r2"]
    assert entries(library, year="1397") == {}
    rows = {(r.organization, r.year): r for r in found.summary}
    row = rows[("سازمان حمل و نقل همگانی", "1398")]
    assert (row.passed, row.done, row.in_progress, row.stopped, row.overdue) == (6, 0, 1, 1, 1)
    with pytest.raises(RegisterError):
        register.RegisterFilters(state="maybe")


def test_impossible_changes_are_refused_with_a_message(library, archived):
    m22 = archived["minutes-22.docx"]
    with pytest.raises(ResolutionNotFound):
        register.set_state(library, f"{m22}-r9", "done", "clerk")
    with pytest.raises(RegisterError, match="unknown state"):
        register.set_state(library, f"{m22}-r1", "finished", "clerk")
    with pytest.raises(RegisterError, match="Jalali"):
        register.set_state(library, f"{m22}-r1", "done", "clerk", due="1398/13/40")
    with pytest.raises(RegisterError, match="no document"):
        register.set_state(library, f"{m22}-r1", "done", "clerk", evidence_document="aaaaaaaaaaaa")
    with pytest.raises(RegisterError, match="not a resolution id"):
        register.set_state(library, "nonsense", "done", "clerk")
    assert all(not e.history for e in entries(library).values())


def test_export_xlsx_and_csv_read_back(library, archived, tmp_path):
    m27 = archived["minutes-27.pdf"]
    register.apply_proposal(library, f"{m27}-r2", archived["letter-progress.pdf"], "clerk", today=TODAY)
    found = register.load_register(library, register.RegisterFilters(org="سازمان حمل و نقل همگانی"), today=TODAY)
    path = tmp_path / "register.xlsx"
    assert register.export_register(found, path) == "xlsx"
    book = load_workbook(path)
    sheet, summary = book["مصوبات"], book["خلاصه"]
    assert sheet.sheet_view.rightToLeft and summary.sheet_view.rightToLeft
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("شناسه", "شماره مصوبه", "جلسه", "تاریخ جلسه")
    row = next(r for r in rows if r[0] == f"{m27}-r2")
    assert row[3] == "1398/03/11" and row[6] == "در دست اقدام" and row[11] == f"/d/{m27}#r2"
    assert row[10] == "1398/06/10"  # the date of the last follow-up, the letter
    assert list(summary.iter_rows(values_only=True))[1] == ("سازمان حمل و نقل همگانی", "1398", 6, 0, 1, 0, 1)
    data = register.to_csv(found)
    assert data.startswith("\ufeff".encode("utf-8"))
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0][6] == "وضعیت" and len(table) == 7
    assert list(csv.reader(io.StringIO(register.to_csv(found, summary=True).decode("utf-8-sig"))))[1][:3] == \
        ["سازمان حمل و نقل همگانی", "1398", "6"]


def test_cli_lists_applies_sets_exports_and_show_gives_the_state(library, archived, tmp_path, monkeypatch):
    monkeypatch.setenv("BAYEGAN_DATA_DIR", str(library.config.data_dir))
    runner = CliRunner()
    m27 = archived["minutes-27.pdf"]

    def run(*args):
        return runner.invoke(cli, ["--config", str(ROOT / "config.yaml"), *args], obj={})

    listed = run("register", "list", "--state", "new")
    assert listed.exit_code == 0 and f"proposal stopped from {archived['letter-stopped.txt']}" in listed.output
    applied = run("register", "apply", f"{m27}-r3", archived["letter-stopped.txt"], "--user", "clerk")
    assert applied.exit_code == 0, applied.output
    assert run("register", "set", f"{m27}-r4", "done", "--evidence", archived["letter-nothing.txt"]).exit_code == 0
    assert run("register", "set", f"{m27}-r4", "perhaps").exit_code == 1
    shown = json.loads(run("show", "--json", m27).output)
    states = {r["anchor"]: (r["state"], r["register_id"]) for r in shown["resolutions"]}
    assert states["r3"] == ("stopped", f"{m27}-r3") and states["r4"][0] == "done"
    assert "resolution    3 #r3: stopped" in run("show", m27).output
    out = tmp_path / "out.csv"
    exported = run("register", "export", "--state", "stopped", str(out))
    assert exported.exit_code == 0 and "wrote 1 resolutions" in exported.output
    assert out.read_bytes().startswith(b"\xef\xbb\xbf") and "متوقف" in out.read_text(encoding="utf-8-sig")
    assert run("register", "apply", "--all", "--until", "1398/06/30").exit_code == 0
    assert entries(library)[f"{m27}-r2"].state == "in_progress"   # the letter of 1398/06/10
    assert entries(library)[f"{m27}-r1"].state == "new"           # the minutes of 1398/09/01 wait
    assert run("register", "apply").exit_code == 2
