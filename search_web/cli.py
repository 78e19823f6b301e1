"""The ``bayegan`` command as installed: the archive's commands (:mod:`indexer.cli`) and ``serve``.

``serve`` lives here, in the web package, so that the arrows point one way: the web stands on the
indexer, and the indexer's command line knows nothing of the web (``python -m indexer.cli`` works
without Flask or gunicorn being importable).

This module imports nothing of the archive until :func:`main` runs: for the commands that read files
(``ingest``, ``watch``) ``main`` first starts the extraction forkserver, whose preload (the extractors,
hazm's parts and word lists: over a second) then runs beside this process's own imports of the archive
(most of a second) instead of after them; an import of a few files ends a second sooner.
"""
from __future__ import annotations

import logging
import subprocess
import sys

import click

log = logging.getLogger(__name__)

# What indexer.extract.worker has its forkserver import for the files' readers when this module is the
# main one (tests/test_cli_start.py holds the two lists equal)
READER_MODULES = ("indexer.extract.preload", "indexer.pipeline.reading", "indexer.metadata.preload",
                  "search_web.cli")
READING_COMMANDS = frozenset({"ingest", "watch"})


def _end_with_parent() -> None:
    """In a child process before it runs: the kernel sends it SIGTERM if its parent dies, however
    (Linux's PR_SET_PDEATHSIG), so a server killed with -9 leaves no watcher behind."""
    import ctypes
    import signal

    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG


@click.command()
@click.option("--host", default=None, help="Address to listen on (default from config).")
@click.option("--port", type=int, default=None, help="Port (default from config).")
@click.option("--no-watch", is_flag=True, help="Do not run the inbox watcher beside the server.")
@click.option("--workers", type=click.IntRange(0), default=None,
              help="Server processes (default web.workers; 0: one per CPU core).")
@click.option("--threads", type=click.IntRange(1), default=8, show_default=True, help="Threads per server process.")
@click.pass_context
def serve(ctx: click.Context, host: str | None, port: int | None, no_watch: bool, workers: int | None,
          threads: int) -> None:
    """Serve the web UI and API on a production WSGI server (gunicorn), the inbox watcher beside it."""
    # Flask and gunicorn are imported by this command only: the others (an ingest's extraction
    # forkserver imports this module too) start without them
    from indexer.cli import library_of
    from search_web.server import Server, web_workers
    from search_web.session import secret_key

    config = library_of(ctx).config
    secret_key(config)  # made once here, before the workers start
    library_of(ctx).catalog  # noqa: B018 -- the schema migrated once here, not by workers racing each other
    watcher = None
    if not no_watch:  # its own process: the one writer of the index, beside the server's readers
        config_args = ["--config", ctx.obj["config_path"]] if ctx.obj.get("config_path") else []
        watcher = subprocess.Popen([sys.executable, "-m", "indexer.cli", *config_args, "watch"],
                                   preexec_fn=_end_with_parent)
    host = host or config.web.host
    port = port or config.web.port
    click.echo(f"Bayegan on http://{host}:{port}/", err=True)
    try:
        Server(config, host=host, port=port, workers=web_workers(config, workers), threads=threads).run()
    finally:
        if watcher is not None:
            watcher.terminate()  # the watcher ends its current pass, index commit included
            try:
                watcher.wait(timeout=60)
            except subprocess.TimeoutExpired:
                watcher.kill()


def command_of(argv: list[str]) -> str | None:
    """The command ``bayegan ARGV`` runs: the first word after the group's options."""
    words = iter(argv)
    for word in words:
        if word == "--config":
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def start_readers_early() -> None:
    """Start the extraction forkserver now, with the modules its children need (see the module
    docstring); the extraction worker finds it running. A forkserver that cannot start here is
    started by the worker when the first file is read."""
    import multiprocessing
    import multiprocessing.forkserver

    try:
        multiprocessing.get_context("forkserver").set_forkserver_preload(list(READER_MODULES))
        multiprocessing.forkserver.ensure_running()
    except OSError:
        log.warning("the extraction forkserver could not be started ahead", exc_info=True)


def main() -> None:
    if command_of(sys.argv[1:]) in READING_COMMANDS:
        start_readers_early()
    from indexer.cli import cli
    from indexer.cli import main as archive_main

    cli.add_command(serve)
    archive_main()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
