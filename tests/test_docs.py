"""The documentation held to the code (model: Datasette's tests/test_docs.py).

- every ``bayegan`` command, subcommand and option is in docs/cli.md;
- every ``/api`` path of search_web/openapi.yaml is in docs/api.md;
- every relative link of README.md and docs/*.md points at a file (and heading) that exists.

(Every configuration key is checked against docs/configuration.md in tests/test_config.py.)

The commands are read from the program a user runs, not from a module: the top-level names from
``bayegan --help``, and the tree with its options from the click command behind the ``bayegan``
console script, so a command that moves to another module (``serve`` to search_web/cli.py) is still
found, and one that is added is still checked.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CLI_DOC = DOCS / "cli.md"
API_DOC = DOCS / "api.md"

# Run in a child process: the click command behind the `bayegan` console script, found through its
# entry point and caught as it starts, then walked; prints {"global": [...], "commands": {path: [...]}}.
_WALK = r"""
import json, sys
from importlib.metadata import entry_points
import click

script = next(iter(entry_points(group="console_scripts", name="bayegan")))
caught = []

def catch(self, *args, **kwargs):
    caught.append(self)
    raise SystemExit(0)

click.Command.main = catch
try:
    script.load()()
except SystemExit:
    pass
root = caught[0]

def options(command):
    return sorted(o for p in command.params if isinstance(p, click.Option)
                  for o in p.opts + p.secondary_opts if o.startswith("--"))

commands = {}
def walk(command, path):
    if path:
        commands[" ".join(path)] = options(command)
    if isinstance(command, click.Group):
        ctx = click.Context(command)
        for name in command.list_commands(ctx):
            walk(command.get_command(ctx, name), path + [name])

walk(root, [])
print(json.dumps({"global": options(root), "commands": commands}))
"""


def _bayegan() -> list[str]:
    script = Path(sys.executable).with_name("bayegan")
    return [str(script)] if script.exists() else [sys.executable, "-m", "indexer.cli"]


def _run(args: list[str]) -> str:
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def top_level_commands() -> list[str]:
    """The command names `bayegan --help` lists."""
    text = _run(_bayegan() + ["--help"])
    section = text.split("Commands:", 1)[1]
    names = re.findall(r"^  (\S+)", section, re.MULTILINE)
    assert len(names) >= 10, text
    return names


@pytest.fixture(scope="module")
def command_tree() -> dict:
    return json.loads(_run([sys.executable, "-c", _WALK]))


@pytest.fixture(scope="module")
def cli_doc() -> str:
    return CLI_DOC.read_text(encoding="utf-8")


def _headings(text: str) -> list[tuple[int, str, int]]:
    """(level, title, offset) of each Markdown heading outside fenced code."""
    found, fenced, offset = [], False, 0
    for line in text.splitlines(keepends=True):
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and (m := re.match(r"(#{1,6}) (.+)", line)):
            found.append((len(m.group(1)), m.group(2).strip(), offset))
        offset += len(line)
    return found


def _section(text: str, command: str) -> str:
    """The text under the heading that names `bayegan COMMAND`, up to the next heading of its level
    or above; empty when no heading names it."""
    heads = _headings(text)
    for i, (level, title, start) in enumerate(heads):
        if re.fullmatch(rf"`?bayegan {re.escape(command)}`?", title):
            end = next((o for lv, _, o in heads[i + 1:] if lv <= level), len(text))
            return text[start:end]
    return ""


def _mentions(text: str, phrase: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", text) is not None


def test_walk_sees_what_help_lists(top_level_commands, command_tree):
    top = {path for path in command_tree["commands"] if " " not in path}
    assert top == set(top_level_commands)


def test_every_command_has_its_heading(top_level_commands, cli_doc):
    missing = [name for name in top_level_commands if not _section(cli_doc, name)]
    assert not missing, f"docs/cli.md has no heading `bayegan NAME` for: {', '.join(missing)}"


def test_every_subcommand_is_documented(command_tree, cli_doc):
    missing = [path for path in command_tree["commands"] if " " in path
               and not _mentions(_section(cli_doc, path.split()[0]), f"bayegan {path}")]
    assert not missing, f"docs/cli.md does not show: {', '.join('bayegan ' + p for p in missing)}"


def test_every_option_is_documented(command_tree, cli_doc):
    missing = [f"bayegan {path} {option}" for path, options in command_tree["commands"].items()
               for option in options
               if option != "--help" and not _mentions(_section(cli_doc, path.split()[0]), option)]
    missing += [f"bayegan {option}" for option in command_tree["global"]
                if option != "--help" and not _mentions(cli_doc, option)]
    assert not missing, "options missing from docs/cli.md (under the command's heading): " + ", ".join(missing)


def _api_paths(text: str) -> set[str]:
    """/api paths written in the text, parameters (<id>, {doc_id}) made alike."""
    return {re.sub(r"<[^>]*>|\{[^}]*\}", "{}", p) for p in re.findall(r"/api/[^\s?`)\],|]*", text)}


def test_every_api_path_is_documented():
    spec = yaml.safe_load((ROOT / "search_web" / "openapi.yaml").read_text(encoding="utf-8"))
    described = {p for p in spec["paths"] if p.startswith("/api")}
    assert len(described) >= 10
    written = _api_paths(API_DOC.read_text(encoding="utf-8"))
    missing = sorted(p for p in described if _api_paths(p).pop() not in written)
    assert not missing, f"docs/api.md does not name: {', '.join(missing)}"


def _slug(title: str) -> str:
    """GitHub's anchor for a heading."""
    return re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")


def _documents() -> list[Path]:
    return [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]


@pytest.mark.parametrize("document", _documents(), ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_point_at_what_exists(document):
    text = document.read_text(encoding="utf-8")
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):  # http:, https:, mailto:
            continue
        path, _, anchor = target.partition("#")
        file = (document.parent / path).resolve() if path else document
        if not file.exists():
            broken.append(target)
        elif anchor and file.suffix == ".md":
            if anchor not in {_slug(title) for _, title, _ in _headings(file.read_text(encoding="utf-8"))}:
                broken.append(target)
    assert not broken, f"{document.relative_to(ROOT)}: broken links: {', '.join(broken)}"
