"""The engine's modules depend on each other in one direction only.

A cycle (even through an import hidden inside a function) means no module can be read, tested or
replaced on its own, and the import order decides whether a name exists yet.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[3] / "core" / "matching"


def engine_imports(path: Path) -> set[str]:
    """Sibling modules imported anywhere in the file, function bodies included."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[:2] == ["core", "matching"] and len(parts) > 2:
                if (PACKAGE / f"{parts[2]}.py").exists():
                    found.add(parts[2])
    return found - {path.stem}


def test_engine_modules_form_no_cycle():
    graph = {p.stem: engine_imports(p) for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    assert graph["instance"] == set()
    assert "scoring" not in graph["rules"]
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        assert module not in path, " -> ".join([*path, module])
        if module in done:
            return
        for target in graph[module]:
            visit(target, [*path, module])
        done.add(module)

    for module in graph:
        visit(module, [])
