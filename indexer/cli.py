"""The ``bayegan`` command: a thin click group over the library functions.

Exit codes: 0 success, 2 usage or configuration error, 3 when some file failed to ingest,
1 for other errors (unknown document, bad query).
"""
from __future__ import annotations

import json
import logging
import sys

import click

from archive import ConfigError, DocumentNotFound, load_config


class ConfigProblem(click.ClickException):
    exit_code = 2


def _library(ctx: click.Context):
    from indexer.library import Library

    obj = ctx.ensure_object(dict)
    if "library" not in obj:
        try:
            config = load_config(obj.get("config_path"))
        except ConfigError as exc:
            raise ConfigProblem(str(exc)) from exc
        obj["library"] = Library(config)
        ctx.call_on_close(obj["library"].close)
    return obj["library"]


@click.group()
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              help="Configuration file (default: $BAYEGAN_CONFIG, else ./config.yaml).")
@click.option("-v", "--verbose", is_flag=True, help="Log progress to stderr.")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None, verbose: bool) -> None:
    """Bayegan (بایگان): archive and full-text search for Persian government documents."""
    ctx.ensure_object(dict)["config_path"] = config_path
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of results.")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.pass_context
def ingest(ctx: click.Context, as_json: bool, paths: tuple[str, ...]) -> None:
    """Archive and index files and folders (recursively). Sources are copied, never moved."""
    from indexer.ingest import ingest_paths

    library = _library(ctx)

    def report(result) -> None:
        if not as_json:
            detail = result.id if result.status != "failed" else f"{result.error} | {result.error_fa}"
            click.echo(f"{result.status:9} {result.path}  {detail}")

    results = ingest_paths(library, paths, on_result=report)
    counts = {s: sum(1 for r in results if r.status == s) for s in ("indexed", "duplicate", "failed")}
    if as_json:
        click.echo(json.dumps([r.to_json() for r in results], ensure_ascii=False, indent=2))
    else:
        click.echo(f"{len(results)} files: {counts['indexed']} indexed, {counts['duplicate']} duplicate, "
                   f"{counts['failed']} failed")
    if counts["failed"]:
        ctx.exit(3)


@cli.command()
@click.option("--once", is_flag=True, help="Process what is in the inbox now, then exit.")
@click.pass_context
def watch(ctx: click.Context, once: bool) -> None:
    """Process the inbox: files leave it only once archived (or moved to the failed folder)."""
    from indexer.watch import InboxWatcher

    library = _library(ctx)
    watcher = InboxWatcher(library, on_result=lambda r: click.echo(
        f"{r.status:9} {r.path}  {r.id or r.error}"))
    if once:
        watcher.run_once()
    else:
        try:
            watcher.run_forever()
        except KeyboardInterrupt:
            watcher.stop()


@cli.command()
@click.option("--host", default=None, help="Address to listen on (default from config).")
@click.option("--port", type=int, default=None, help="Port (default from config).")
@click.option("--no-watch", is_flag=True, help="Do not run the inbox watcher beside the server.")
@click.option("--threads", type=int, default=8, show_default=True, help="Server worker threads.")
@click.pass_context
def serve(ctx: click.Context, host: str | None, port: int | None, no_watch: bool, threads: int) -> None:
    """Serve the web UI and API on a production WSGI server (waitress)."""
    import threading

    import waitress

    from indexer.watch import InboxWatcher
    from search_web import create_app

    library = _library(ctx)
    app = create_app(library.config, library=library)
    if not no_watch:
        watcher = InboxWatcher(library)
        threading.Thread(target=watcher.run_forever, name="inbox-watcher", daemon=True).start()
    host = host or library.config.web.host
    port = port or library.config.web.port
    click.echo(f"Bayegan on http://{host}:{port}/", err=True)
    waitress.serve(app, host=host, port=port, threads=threads, ident="bayegan",
                   max_request_body_size=library.config.web.max_upload_mb * 1024 * 1024)


@cli.command()
@click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@click.argument("query", nargs=-1, required=True)
@click.pass_context
def search(ctx: click.Context, limit: int, as_json: bool, query: tuple[str, ...]) -> None:
    """Search the archive."""
    from indexer.errors import QueryError

    library = _library(ctx)
    try:
        results = library.search(" ".join(query), page_size=limit)
    except QueryError as exc:
        raise click.ClickException(f"{exc} | {exc.message_fa}") from exc
    if as_json:
        click.echo(json.dumps({"query": results.query, "total": results.total, "hits": [
            {"id": h.doc_id, "title": h.title, "kind": h.kind, "date": h.date,
             "organization": h.organization, "number": h.number, "anchor": h.anchor,
             "score": h.score} for h in results.hits]}, ensure_ascii=False, indent=2))
        return
    click.echo(f"{results.total} results")
    for h in results.hits:
        where = f"#{h.anchor}" if h.anchor else ""
        click.echo(f"{h.doc_id}{where}  {h.date or '-':10}  {h.kind:10}  {h.title}")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the document as JSON.")
@click.argument("doc_id")
@click.pass_context
def show(ctx: click.Context, as_json: bool, doc_id: str) -> None:
    """Show one document's metadata and text."""
    library = _library(ctx)
    try:
        doc = library.document(doc_id)
    except DocumentNotFound as exc:
        raise click.ClickException(str(exc)) from exc
    data = {"id": doc.id, "title": doc.title, "kind": doc.kind, "date": doc.date_jalali,
            "organization": doc.organization, "number": doc.number, "filename": doc.filename,
            "sha256": doc.sha256, "pages": len(doc.pages),
            "resolutions": [{"number": r.number, "text": r.text, "anchor": r.anchor}
                            for r in doc.resolutions], "text": doc.text}
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for key in ("id", "title", "kind", "date", "organization", "number", "filename", "sha256", "pages"):
        click.echo(f"{key:13} {data[key] if data[key] is not None else '-'}")
    click.echo("")
    click.echo(doc.text)


@cli.command()
@click.pass_context
def reindex(ctx: click.Context) -> None:
    """Rebuild the search index from the archive and catalog."""
    count = _library(ctx).reindex()
    click.echo(f"reindexed {count} documents")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@click.pass_context
def status(ctx: click.Context, as_json: bool) -> None:
    """Documents in the catalog and the index, files waiting in the inbox and failed."""
    from dataclasses import asdict

    st = _library(ctx).status()
    if as_json:
        click.echo(json.dumps(asdict(st)))
    else:
        for key, value in asdict(st).items():
            click.echo(f"{key:10} {value}")


def main() -> None:
    cli(obj={}, prog_name="bayegan")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
