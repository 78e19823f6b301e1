"""The production server: gunicorn's pre-fork workers, each with a few threads.

Whoosh ranks in pure Python, so in one process the GIL lets one search run at a time and a second core
sits idle (bench/load.py: one process served 2.6 searches a second on two cores). Each worker is a
process of its own, forked before the app is built: every worker opens its own catalog connections,
index searchers and hazm, and none inherits a thread or an open file from the master. The index is
written by one process only, the inbox watcher, which the caller runs beside the server.
"""
from __future__ import annotations

import threading

from gunicorn.app.base import BaseApplication
from gunicorn.workers.gthread import ThreadWorker

from archive import Config
from archive import per_core

# gunicorn's own error pages (a request line or headers too long, a malformed request) never reach the
# app, so they get these headers here
ERROR_PAGE_HEADERS = (b"Content-Security-Policy: default-src 'none'; base-uri 'none'; frame-ancestors 'none'\r\n"
                      b"X-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\n")
WORKER_TIMEOUT_S = 120      # a worker silent this long is restarted (an extraction runs in its own child)
GRACEFUL_TIMEOUT_S = 30     # on stop, requests in flight get this long to finish


def web_workers(config: Config, requested: int | None = None) -> int:
    """``requested``, else ``web.workers``; 0 means one worker per CPU core."""
    return per_core(requested if requested is not None else config.web.workers)


class _ErrorPageSocket:
    """The client socket as gunicorn's error page writer sees it: the security headers are added
    after the status line of what it sends; everything else goes to the real socket."""

    def __init__(self, sock):
        self._sock = sock

    def __getattr__(self, name):
        return getattr(self._sock, name)

    def sendall(self, data: bytes, *args):
        if data.startswith(b"HTTP/1.1 "):
            status_line, _, rest = data.partition(b"\r\n")
            data = status_line + b"\r\n" + ERROR_PAGE_HEADERS + rest
        return self._sock.sendall(data, *args)


class SecureThreadWorker(ThreadWorker):
    """gunicorn's threaded worker whose own error pages (400, 414, 431...) carry a CSP too."""

    def handle_error(self, req, client, addr, exc):
        super().handle_error(req, _ErrorPageSocket(client) if client is not None else client, addr, exc)


class Server(BaseApplication):
    """gunicorn running :func:`search_web.create_app` for one configuration."""

    def __init__(self, config: Config, *, host: str, port: int, workers: int, threads: int):
        self.bayegan_config = config
        self.options = {
            "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "worker_class": "search_web.server.SecureThreadWorker",
            "timeout": WORKER_TIMEOUT_S,
            "graceful_timeout": GRACEFUL_TIMEOUT_S,
            "proc_name": "bayegan",
            "accesslog": None,
            "errorlog": "-",
            "loglevel": "warning",
            "preload_app": False,   # each worker builds the app after the fork
        }
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from indexer.search import preload
        from search_web import create_app

        app = create_app(self.bayegan_config)
        # known words are analyzed from the word memo at once; hazm, for new spellings, loads meanwhile
        threading.Thread(target=preload, name="hazm-preload", daemon=True).start()
        return app
