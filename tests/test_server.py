"""search_web/server.py through `bayegan serve`: gunicorn worker processes, the watcher beside them."""
import os
import signal

import urllib.parse
import urllib.request

from conftest import poll_until, serving, write_config
import pytest
from indexer.pipeline.ingest import ingest_paths

pytestmark = [pytest.mark.slow, pytest.mark.both_engines]  # real processes killed and restarted


def _children(pid: int) -> dict[int, str]:
    """Child processes of ``pid``: pid -> command line."""
    found = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as fh:
                    ppid = int(fh.read().rsplit(b")", 1)[1].split()[1])
                if ppid == pid:
                    with open(f"/proc/{entry}/cmdline", "rb") as fh:
                        found[int(entry)] = fh.read().replace(b"\0", b" ").decode()
            except (OSError, ValueError):
                continue
    return found


def _gone(pids, timeout: float = 60.0) -> bool:
    return bool(poll_until(lambda: not any(os.path.exists(f"/proc/{pid}") and "Z" not in _state(pid)
                                           for pid in pids), timeout, 0.2))


def _state(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0].decode()
    except OSError:
        return "Z"


def test_two_worker_processes_and_a_watcher_all_end_with_a_killed_server(config, library, sample_dir, tmp_path):
    ingest_paths(library, [sample_dir / "circular.txt"])
    config_file = write_config(tmp_path, web={"anonymous_read": True})
    server = {}
    with serving(config_file, config.data_dir, tmp_path / "server.log", watch=True, args=("--workers", "2"),
                 on_ready=lambda proc: server.update(proc=proc)) as base:
        proc = server["proc"]
        children = _children(proc.pid)
        watchers = [pid for pid, cmd in children.items() if cmd.rstrip().endswith(" watch")]
        workers = [pid for pid in children if pid not in watchers]
        assert len(watchers) == 1 and len(workers) == 2, children
        for _ in range(10):
            url = base + "/api/search?" + urllib.parse.urlencode({"q": "بخشنامه"})
            with urllib.request.urlopen(url, timeout=30) as response:
                assert response.status == 200 and response.headers["Server"] == "gunicorn"
                assert b'"hits"' in response.read()
        os.kill(proc.pid, signal.SIGKILL)  # no clean-up runs in the server itself
        proc.wait(timeout=10)
        assert _gone(watchers + workers), _children(1)


def test_gunicorn_own_error_pages_carry_a_csp(server):
    import socket

    host, port = server.removeprefix("http://").split(":")
    for request in [b"GET /?q=" + b"a" * 5000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",   # 414
                    b"NOT A REQUEST\r\n\r\n"]:                                      # 400
        with socket.create_connection((host, int(port)), timeout=30) as sock:
            sock.sendall(request)
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
        head = answer.split(b"\r\n\r\n", 1)[0].decode("latin1")
        assert head.split()[1] in ("400", "414"), head
        assert "Content-Security-Policy: default-src 'none'" in head and "nosniff" in head, head
