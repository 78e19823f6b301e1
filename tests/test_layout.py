"""The layout's arrows, read from the code: every import of every module (inside functions too) points
down the layers ``search_web → indexer (its faces) → archive``; inside ``indexer`` the command line and
the register stand over the Library, the Library over the pipeline, and the pipeline over metadata,
extraction and search; and no module reaches itself again through its imports.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("archive", "indexer", "search_web")

# Top to bottom: a module may import from its own unit and the units below it, never above.
UNITS = (
    "search_web",
    "indexer.cli",
    "indexer.register",
    "indexer.library",
    "indexer.pipeline",
    "indexer.extract",
    "indexer.metadata",
    "indexer.search",
    "indexer.tablecache",
    "indexer.logsetup",
    "indexer.states",
    "indexer.errors",
    "archive",
)
# The package faces the web may import (each __init__ names its public names in __all__).
WEB_MAY_IMPORT = ("indexer", "indexer.cli", "indexer.extract", "indexer.search", "indexer.pipeline", "indexer.metadata", "indexer.register",
                  "archive")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                found[_module_name(path)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The project modules ``name`` imports, wherever the import statement stands."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:  # ``from indexer.search import persian`` imports a module
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in MODULES else base)
    return {m for m in found if m.split(".")[0] in PACKAGES}


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _unit(module: str) -> int:
    if module == "indexer":  # the face stands with the Library it exports
        return UNITS.index("indexer.library")
    for i, unit in enumerate(UNITS):
        if module == unit or module.startswith(unit + "."):
            return i
    raise AssertionError(f"{module} belongs to no unit of the layout: add it to UNITS")


def test_every_module_has_a_place():
    for module in MODULES:
        _unit(module)


def test_imports_point_down():
    wrong = sorted(f"{m} imports {t}" for m, targets in GRAPH.items() for t in targets
                   if _unit(t) < _unit(m))
    assert not wrong, "imports against the layers:\n" + "\n".join(wrong)


def test_the_web_imports_only_faces():
    wrong = sorted(f"{m} imports {t}" for m, targets in GRAPH.items() if m.startswith("search_web")
                   for t in targets if not t.startswith("search_web") and t not in WEB_MAY_IMPORT)
    assert not wrong, "the web reaches past a package face:\n" + "\n".join(wrong)


def test_no_import_circles():
    circles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(GRAPH.get(module, ())):
            if target == module:
                continue
            if state.get(target) == 1:
                circles.append(path[path.index(target):] + [target])
            elif target not in state:
                visit(target, path + [target])
        state[module] = 2

    for module in sorted(GRAPH):
        if module not in state:
            visit(module, [module])
    assert not circles, "import circles:\n" + "\n".join(" → ".join(c) for c in circles)


@pytest.mark.parametrize("face", ["indexer", "indexer.search", "indexer.pipeline", "indexer.metadata",
                                  "indexer.extract", "indexer.register", "archive"])
def test_faces_name_their_public_names(face):
    tree = ast.parse(MODULES[face].read_text(encoding="utf-8"))
    names = [n for n in tree.body if isinstance(n, ast.Assign)
             and any(isinstance(t, ast.Name) and t.id == "__all__" for t in n.targets)]
    assert names, f"{face}/__init__.py has no __all__"


def test_the_checker_sees_a_wrong_import(tmp_path):
    """The graph is read from the code: an import inside a function of a lower module counts."""
    source = "def f():\n    from search_web.server import main\n"
    path = ROOT / "indexer" / "search" / "index.py"
    tree_imports = _imports("indexer.search.index", path)
    assert "search_web.server" not in tree_imports
    fake = tmp_path / "mod.py"
    fake.write_text(source)
    found = set()
    for node in ast.walk(ast.parse(fake.read_text())):
        if isinstance(node, ast.ImportFrom):
            found.add(node.module)
    assert "search_web.server" in found and _unit("search_web.server") < _unit("indexer.search.index")
