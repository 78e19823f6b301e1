"""Moving an archive from one search engine to the other, and the advice on when to.

A switch is a reindex: the other engine's index is built from the catalog in its own folder, beside
the live one (searches go on meanwhile), and only then does the config file name the new engine. The
processes running (``bayegan serve``, the watcher) keep the engine they started with until they are
restarted; at its start the watcher indexes whatever the catalog gained during the build.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from archive import Config, load_config
from archive.config import DEFAULT_CONFIG_NAME
from indexer.errors import IndexerError

# docs/scaling.md: past about this many documents Whoosh's search p95 passes the targets (150 ms a
# word, 300 ms a phrase) and a reindex takes most of an hour; Tantivy stays far below them.
SWITCH_AT_DOCUMENTS = 10_000

_TOP_KEY = re.compile(r"^[^\s#][^:]*:")
_SEARCH = re.compile(r"^search:\s*(#.*)?$")
_ENGINE = re.compile(r"^(\s+)engine:[^#\n]*?(\s*#.*)?$")


def config_file(named: str | os.PathLike | None, env=None) -> Path:
    """The file ``load_config`` reads for this name (the option, ``$BAYEGAN_CONFIG``, ``./config.yaml``)."""
    env = os.environ if env is None else env
    named = named or env.get("BAYEGAN_CONFIG")
    return Path(named) if named else Path.cwd() / DEFAULT_CONFIG_NAME


def with_engine(text: str, engine: str) -> str:
    """The YAML text of a config file with ``search.engine`` set to ``engine``, every other line kept."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if _SEARCH.match(line)), None)
    if start is None:
        return text + ("" if not text or text.endswith("\n") else "\n") + f"search:\n  engine: {engine}\n"
    end = next((i for i in range(start + 1, len(lines)) if _TOP_KEY.match(lines[i])), len(lines))
    indent = "  "
    for i in range(start + 1, end):
        found = _ENGINE.match(lines[i])
        if found:
            lines[i] = f"{found.group(1)}engine: {engine}{found.group(2) or ''}"
            return "\n".join(lines) + "\n"
        if lines[i].strip() and not lines[i].lstrip().startswith("#"):
            indent = lines[i][:len(lines[i]) - len(lines[i].lstrip())]
    lines.insert(start + 1, f"{indent}engine: {engine}")
    return "\n".join(lines) + "\n"


def write_engine(path: Path, engine: str) -> None:
    """Set ``search.engine`` in the config file at ``path`` (created when missing), atomically, and
    check that the file now loads with it.

    :raises IndexerError: when the file would not say so afterwards.
    """
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(with_engine(text, engine), encoding="utf-8")
    if load_config(tmp, env={}).search.engine != engine:
        tmp.unlink()
        raise IndexerError(f"could not set search.engine in {path}; set it by hand to {engine}",
                           f"تنظیم search.engine در {path} ممکن نشد؛ آن را خودتان {engine} کنید.")
    os.replace(tmp, path)


def advice(config: Config, documents: int) -> str:
    """What to do about the engine at this size, or "" when nothing (English; see ``advice_fa``)."""
    if config.search.engine == "whoosh" and documents > SWITCH_AT_DOCUMENTS:
        return (f"{documents:,} documents: past {SWITCH_AT_DOCUMENTS:,} Whoosh answers slowly; switch with "
                "`bayegan reindex --engine tantivy` (docs/scaling.md)")
    return ""


def advice_fa(config: Config, documents: int) -> str:
    if config.search.engine == "whoosh" and documents > SWITCH_AT_DOCUMENTS:
        return (f"بایگانی از {SWITCH_AT_DOCUMENTS:,} سند گذشته است و جست‌وجو با Whoosh کند می‌شود؛ "
                "با `bayegan reindex --engine tantivy` به Tantivy بروید.")
    return ""


__all__ = ["SWITCH_AT_DOCUMENTS", "advice", "advice_fa", "config_file", "with_engine", "write_engine"]
