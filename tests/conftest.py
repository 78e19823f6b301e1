"""Shared fixtures: a fresh data folder, a library on a real SQLite file and Whoosh index, and real
PDF, DOCX and text files built in tmp_path."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from archive import load_config
from indexer import Library
from scripts.docwriters import write_docx, write_pdf, write_text

ROOT = Path(__file__).resolve().parent.parent

PDF_TEXT = ("صورتجلسه هیأت‌مدیره سازمان حمل و نقل همگانی\n"
            "جلسه ۲۷ تاریخ: ۱۳۹۸/۰۳/۱۱ شماره: ۱۲۳۴/ص/۹۸\n"
            "مصوبه ۱: خرید بیست دستگاه اتوبوس برقی تصویب شد.\n"
            "مصوبه ۲: ساعات کار خطوط شبانه تمدید می‌شود.")
DOCX_LINES = ["صورتجلسه هیأت‌مدیره سازمان مدیریت پسماند",
              "مصوبه ۱: قرارداد جمع‌آوری پسماند تمدید شد.",
              "مصوبه ۲: طرح تفکیک زباله از مبدأ در ده محله اجرا می‌شود."]
TXT_TEXT = ("بخشنامه به کلیه سازمان‌ها\nموضوع: ارسال صورتجلسات\n"
            "صورتجلسات کمیسیون معاملات باید یک هفته پس از جلسه ارسال شود.")


@pytest.fixture
def config(tmp_path: Path):
    """The default config.yaml (organizations included) with its data folder in tmp_path."""
    data = tmp_path / "data"
    return load_config(ROOT / "config.yaml", env={"BAYEGAN_DATA_DIR": str(data)})


@pytest.fixture
def library(config):
    lib = Library(config)
    yield lib
    lib.close()


@pytest.fixture
def sample_dir(tmp_path: Path) -> Path:
    """A folder holding one Persian PDF, one DOCX and one TXT."""
    folder = tmp_path / "samples"
    folder.mkdir()
    write_pdf(folder / "minutes.pdf", PDF_TEXT)
    write_docx(folder / "waste.docx", DOCX_LINES)
    write_text(folder / "circular.txt", TXT_TEXT)
    return folder


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(config, tmp_path):
    """A real ``bayegan serve`` process (waitress) on a free port; yields its base URL."""
    port = free_port()
    env = {**os.environ, "BAYEGAN_DATA_DIR": str(config.data_dir)}
    log = open(tmp_path / "server.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "indexer.cli", "--config", str(ROOT / "config.yaml"),
                             "serve", "--port", str(port), "--no-watch"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(base + "/api/search?q=", timeout=2) as response:
                response.read()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError((tmp_path / "server.log").read_text())
            time.sleep(0.2)
    yield base
    proc.terminate()
    proc.wait(timeout=10)
    log.close()
