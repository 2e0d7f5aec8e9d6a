"""The architecture holds: layers (import-linter), no import cycle, modules under 400 lines.

DESIGN §3: ``households`` < ``coordination`` < ``experiments`` < ``app``; ``data`` and
``benchmarks`` beside ``app``. The contracts are in ``pyproject.toml``; ``.ci/run`` runs
``lint-imports`` too, so a violation fails CI and the README's test command.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import grimp
import networkx as nx

ROOT = Path(__file__).parents[1]
PACKAGES = ("app", "households", "coordination", "experiments", "data", "benchmarks")
MAX_LINES = 400


def test_import_linter_contracts_are_kept():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    run = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stdout + run.stderr


def import_cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Every import cycle among the graph's modules (each as a sorted list of modules).

    >>> g = grimp.ImportGraph()
    >>> g.add_import(importer="p.a", imported="p.b")
    >>> g.add_import(importer="p.b", imported="p.a")
    >>> g.add_import(importer="p.c", imported="p.a")
    >>> import_cycles(g)
    [['p.a', 'p.b']]
    """
    directed = nx.DiGraph()
    for module in graph.modules:
        directed.add_node(module)
        for imported in graph.find_modules_directly_imported_by(module):
            directed.add_edge(module, imported)
    return sorted(sorted(c) for c in nx.simple_cycles(directed))


def test_no_import_cycle_between_first_party_modules():
    # Function-level imports count too: a lazy import hides a cycle, it does not remove it.
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    assert import_cycles(graph) == []


def _module_level_imports(path: Path) -> set[str]:
    """Top-level packages imported in the module body (not inside a function)."""
    names = set()
    for node in ast.parse(path.read_text("utf-8")).body:
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_app_imports_data_and_benchmarks_only_lazily():
    # Only `kiss demo` and `kiss bench` need them; the pages and the CLI's start do not.
    offenders = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "app").rglob("*.py"))
        if _module_level_imports(path) & {"data", "benchmarks"}
    ]
    assert offenders == []


def _first_party_modules() -> list[Path]:
    folders = (*PACKAGES, "tests")
    return sorted(
        p
        for f in folders
        for p in (ROOT / f).rglob("*.py")
        if not {"migrations", "versions"} <= set(p.parts)
    )


def test_no_module_over_400_lines():
    # The generated Alembic migration (households/migrations/versions) is exempt.
    lengths = {p: len(p.read_text("utf-8").splitlines()) for p in _first_party_modules()}
    offenders = [f"{p.relative_to(ROOT)}: {n}" for p, n in lengths.items() if n > MAX_LINES]
    assert offenders == []
