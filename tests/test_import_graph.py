"""The house: which module may import which, read from the source with ``ast`` (nothing is imported).

The arrows run one way, from the top down (issue 20):

    core, extract  ←  org  ←  ledger  ←  rules and the practice modules  ←  documents, dashboard  ←  demo

``core`` (and ``extract``, the pure core beside it) knows no domain app: what it needs of the
organisation is registered by ``org`` (``core/units.py``). ``org`` knows nothing of the ledger, the
ledger nothing of the documents, and the documents read the practice modules through the registry
and their ``queries.py``, never their ``models.py``. No two apps import each other, and no circle of
files. Every import counts, at the top of a file or inside a function: a lazy import is still an arrow.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "taizhang"

# Bottom first; the apps of one layer may import each other one way.
LAYERS = (
    ("core", "extract"),
    ("org",),
    ("ledger",),
    ("rules", "reporting", "review", "risks", "channels", "campaigns"),
    ("documents", "dashboard"),
    ("demo",),
)
PRACTICE = ("reporting", "review", "risks", "channels", "campaigns")
# The project's own files (settings, URLs, the command line, the WSGI entry) stand above every app.
TOP = len(LAYERS)


def _layer(app: str) -> int:
    for index, apps in enumerate(LAYERS):
        if app in apps:
            return index
    return TOP


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def graph() -> dict[str, set[str]]:
    """module → the modules of the package it imports (a name imported from a package is its module
    when there is one: ``from taizhang.demo import county`` is ``taizhang.demo.county``)."""
    files = {
        _module_name(path): path for path in (SRC / PACKAGE).rglob("*.py") if "migrations" not in path.parts
    }

    def known(name: str) -> str:
        while name and name not in files:
            name = name.rpartition(".")[0]
        return name

    edges: dict[str, set[str]] = defaultdict(set)
    for module, path in files.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, *([node.module] if node.module else [])])
                targets = [
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in files else base
                    for alias in node.names
                ]
            else:
                continue
            for target in targets:
                found = known(target) if target.split(".")[0] == PACKAGE else ""
                if found and found != module:
                    edges[module].add(found)
        edges.setdefault(module, set())
    return dict(edges)


def app_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and (SRC / PACKAGE / parts[1]).is_dir()) else ""


def arrows(source, target) -> list[str]:
    """``source module → target module`` for every import from an app that ``source`` accepts into
    one that ``target`` accepts."""
    return sorted(
        f"{module} → {imported}"
        for module, imports in graph().items()
        for imported in imports
        if source(module) and target(imported) and app_of(module) != app_of(imported)
    )


def test_the_graph_reads_the_package():
    """The walk sees the modules and the arrows everyone knows are there, so an empty answer below
    means no arrow, not an unread tree."""
    edges = graph()
    assert len(edges) > 150
    assert "taizhang.core.registry" in edges["taizhang.ledger.record_types"]
    assert "taizhang.org.models" in edges["taizhang.ledger.models"]


def test_no_circle_of_files():
    edges = graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(module: str) -> None:  # Tarjan's strongly connected components
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in edges.get(module, ()):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            circle = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                circle.append(member)
                if member == module:
                    break
            if len(circle) > 1:
                circles.append(sorted(circle))

    for module in sorted(edges):
        if module not in index:
            visit(module)
    assert circles == []


def test_core_imports_no_domain_app():
    assert arrows(lambda m: _layer(app_of(m)) == 0, lambda m: _layer(app_of(m)) > 0) == []


def test_org_imports_nothing_of_the_ledger():
    assert arrows(lambda m: app_of(m) == "org", lambda m: app_of(m) == "ledger") == []


def test_the_ledger_imports_nothing_of_the_documents():
    assert arrows(lambda m: app_of(m) == "ledger", lambda m: app_of(m) == "documents") == []


def test_the_documents_read_no_practice_module_models():
    practice_models = {f"{PACKAGE}.{app}.models" for app in PRACTICE}
    assert arrows(lambda m: app_of(m) == "documents", lambda m: m in practice_models) == []


def test_no_app_imports_one_above_it():
    upward = [
        f"{module} → {imported}"
        for module, imports in graph().items()
        for imported in imports
        if _layer(app_of(imported)) > _layer(app_of(module))
    ]
    assert upward == []


@pytest.mark.parametrize("layer", [apps for apps in LAYERS if len(apps) > 1], ids=lambda apps: "+".join(apps))
def test_no_two_apps_of_a_layer_import_each_other(layer):
    pairs = defaultdict(set)
    for module, imports in graph().items():
        for imported in imports:
            if app_of(module) in layer and app_of(imported) in layer and app_of(module) != app_of(imported):
                pairs[app_of(module)].add(app_of(imported))
    both_ways = sorted((a, b) for a in pairs for b in pairs[a] if a < b and a in pairs.get(b, ()))
    if layer == LAYERS[0]:
        # extract reads its vocabulary's file and the upload limits from core; core's upload reader
        # runs extract's document reader in its sandbox. Both are below every domain app.
        both_ways = [pair for pair in both_ways if pair != ("core", "extract")]
    assert both_ways == []


def test_no_file_is_over_500_lines():
    """Issue 20's god files stay split: a module past 500 lines is split by concern (migrations apart)."""
    long = sorted(
        f"{path.relative_to(SRC)}: {lines}"
        for path in (SRC / PACKAGE).rglob("*.py")
        if "migrations" not in path.parts
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > 500
    )
    assert long == []
