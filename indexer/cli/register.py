"""``bayegan register``: the decision register from the command line (list, export, set, apply)."""
from __future__ import annotations

import json
import os
from pathlib import Path

import click

from indexer.cli.context import library_of as _library
from indexer.errors import QueryError, RegisterError

_USER = click.option("--user", default=lambda: os.environ.get("USER") or "cli", show_default="$USER",
                     help="Who makes the change, for the history.")




def _filter_options(command):
    for option in reversed([
            click.option("--org", default="", help="Only this organization (its configured name)."),
            click.option("--year", default="", help="Only meetings of this Jalali year, e.g. 1398."),
            click.option("--state", default="", help="new, sent, in_progress, done, stopped, superseded or overdue."),
            click.option("--overdue", is_flag=True, help="Only open resolutions past their due date."),
            click.option("--query", "-q", "q", default="", help="A query in the search language.")]):
        command = option(command)
    return command


def _load(ctx: click.Context, **filters):
    from indexer import register

    try:
        return register.load_register(_library(ctx), register.RegisterFilters(**filters))
    except (RegisterError, QueryError) as exc:
        raise click.ClickException(f"{exc} | {exc.message_fa}") from exc


@click.group("register")
def register_group() -> None:
    """The decision register: each resolution's follow-up state, the states referring documents
    propose, overdue resolutions, and exports."""


@register_group.command("list")
@_filter_options
@click.option("--json", "as_json", is_flag=True, help="Print the entries as JSON.")
@click.pass_context
def list_entries(ctx: click.Context, as_json: bool, **filters) -> None:
    """List resolutions with their state, due date and pending proposals."""
    found = _load(ctx, **filters)
    if as_json:
        click.echo(json.dumps({"counts": found.counts, "items": [
            {"id": e.id, "number": e.number, "meeting": e.meeting, "date": e.date, "organization": e.organization,
             "state": e.state, "due": e.due, "overdue": e.overdue,
             "proposals": [{"state": p.state, "document_id": p.document.id, "evidence": p.evidence}
                           for p in e.proposals]} for e in found.entries]}, ensure_ascii=False, indent=2))
        return
    for e in found.entries:
        late = " OVERDUE" if e.overdue else ""
        click.echo(f"{e.id}  {e.date or '-':10}  {e.state:11}{late}  {e.title}")
        for p in e.proposals:
            click.echo(f"    proposal {p.state} from {p.document.id}: {p.evidence}")
    click.echo(" ".join(f"{k}={v}" for k, v in sorted(found.counts.items())))


@register_group.command("export")
@_filter_options
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv"]), default=None,
              help="Default: from the file's suffix, else xlsx.")
@click.option("--summary", is_flag=True, help="CSV: the organization × year summary instead of the resolutions.")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@click.pass_context
def export(ctx: click.Context, fmt: str | None, summary: bool, path: str, **filters) -> None:
    """Write the (filtered) register to PATH: XLSX (resolutions and summary sheets, right to left)
    or CSV (UTF-8 with BOM)."""
    from indexer.register import export_register

    found = _load(ctx, **filters)
    try:
        written = export_register(found, Path(path), fmt, summary=summary)
    except RegisterError as exc:
        raise click.ClickException(f"{exc} | {exc.message_fa}") from exc
    click.echo(f"wrote {len(found.entries)} resolutions to {path} ({written})")


@register_group.command("set")
@click.argument("entry_id")
@click.argument("state")
@click.option("--note", default="", help="Why, in a few words.")
@click.option("--evidence", default=None, help="The id of the document that justifies the change.")
@click.option("--due", default=None, help="The Jalali due date, e.g. 1403/06/31; '' clears it.")
@_USER
@click.pass_context
def set_command(ctx: click.Context, entry_id: str, state: str, note: str, evidence: str | None,
                due: str | None, user: str) -> None:
    """Set a resolution's state (ENTRY_ID is <document id>-<anchor>, as `register list` prints)."""
    from indexer.register import set_state
    from indexer.register.changes import UNCHANGED

    try:
        done = set_state(_library(ctx), entry_id, state, user, note=note, evidence_document=evidence,
                         due=UNCHANGED if due is None else due)
    except RegisterError as exc:
        raise click.ClickException(f"{exc} | {exc.message_fa}") from exc
    click.echo(f"{done.id}: {done.history[-1].old_state} -> {done.state}")


@register_group.command("apply")
@click.argument("entry_id", required=False)
@click.argument("document_id", required=False)
@click.option("--all", "apply_all", is_flag=True, help="Apply every pending proposal, oldest document first.")
@click.option("--until", default=None, help="With --all: only proposals of documents dated up to this Jalali date.")
@_USER
@click.pass_context
def apply(ctx: click.Context, entry_id: str | None, document_id: str | None, apply_all: bool,
          until: str | None, user: str) -> None:
    """Apply what DOCUMENT_ID proposes for ENTRY_ID, or with --all every pending proposal. Each
    change is recorded in the history under --user."""
    from indexer.metadata import parse_date
    from indexer.register import apply_all_proposals, apply_proposal

    library = _library(ctx)
    try:
        if apply_all:
            limit = parse_date(until).iso if until else None
            for applied_id, state, doc in apply_all_proposals(library, user, until=limit):
                click.echo(f"{applied_id}: {state} (from {doc})")
        elif entry_id and document_id:
            done = apply_proposal(library, entry_id, document_id, user)
            click.echo(f"{done.id}: {done.state} (from {document_id})")
        else:
            raise click.UsageError("give ENTRY_ID and DOCUMENT_ID, or --all")
    except RegisterError as exc:
        raise click.ClickException(f"{exc} | {exc.message_fa}") from exc
