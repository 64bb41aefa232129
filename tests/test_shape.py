"""The project's layout rules, checked on the source files so a change that breaks one fails here
rather than in review: core/ has no import cycles and no Streamlit, its root holds only the
shared pieces, pages stay thin, and pages and widgets never use `assert` to steer."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE = ROOT / "core"
PAGE_LINES = 120
CORE_ROOT_MODULES = {
    "__init__",
    "__main__",
    "models",
    "db",
    "settings",
    "errors",
    "auth",
    "access",
    "timezones",
    "wording",  # counts in words, for e-mails, reports and pages alike
}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def core_modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(CORE.rglob("*.py"))}


def imported_core_modules(path: Path, modules: dict[str, Path]) -> set[str]:
    """The core modules a file imports, anywhere in it. Imports inside functions and under
    `if TYPE_CHECKING:` count too: deferring an import hides a dependency, it does not remove
    it, and the two modules still cannot be understood or moved one without the other.
    `from core.x import y` is an edge to core.x.y when that is a module, else to core.x."""
    tree = ast.parse(path.read_text(), str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in modules)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                target = f"{node.module}.{alias.name}"
                if target in modules:
                    found.add(target)
                elif node.module in modules:
                    found.add(node.module)
    return found - {"core"}


def import_graph() -> dict[str, set[str]]:
    modules = core_modules()
    return {name: imported_core_modules(path, modules) - {name} for name, path in modules.items()}


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle through each group of modules that import each other (Tarjan's strongly
    connected components), written as a path that returns to its start."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [_cycle_in(graph, group) for group in groups]


def _cycle_in(graph: dict[str, set[str]], group: set[str]) -> list[str]:
    """A shortest cycle through the group's first module, by breadth-first search."""
    start = min(group)
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for nxt in sorted(graph[node] & group):
                if nxt == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return [*reversed(path), start]
                if nxt not in previous:
                    previous[nxt] = node
                    following.append(nxt)
        frontier = following
    raise AssertionError(f"no cycle in {group}")  # a strongly connected group always has one


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 else "(root)"


def cycles_touching(package: str) -> list[list[str]]:
    return [c for c in import_cycles(import_graph()) if package in {_package(m) for m in c}]


PACKAGES = sorted(p.name for p in CORE.iterdir() if (p / "__init__.py").exists())


def test_the_cycle_finder_finds_a_cycle_and_only_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert import_cycles(graph) == [["a", "b", "c", "a"]]
    assert import_cycles({"a": {"b"}, "b": set()}) == []


@pytest.mark.parametrize("package", [*PACKAGES, "(root)"])
def test_no_import_cycle(package):
    cycles = cycles_touching(package)
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_the_core_root_holds_only_the_shared_pieces():
    modules = {p.stem for p in CORE.glob("*.py")}
    assert modules <= CORE_ROOT_MODULES, (
        f"move into a package: {sorted(modules - CORE_ROOT_MODULES)}"
    )


def test_core_imports_no_streamlit():
    offenders = []
    for name, path in core_modules().items():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n == "streamlit" or n.startswith("streamlit.") for n in names):
                offenders.append(f"{name}:{node.lineno}")
    assert not offenders, f"core must not import streamlit: {offenders}"


@pytest.mark.parametrize("page", sorted((ROOT / "pages").glob("*.py")), ids=lambda p: p.name)
def test_pages_are_thin(page):
    lines = len(page.read_text().splitlines())
    assert lines <= PAGE_LINES, f"{page.name} has {lines} lines: move its rendering into ui/"


def test_pages_and_widgets_never_assert():
    """`assert` vanishes under `python -O` and shows a traceback when it fires: a page checks
    explicitly and tells the person what to do instead."""
    files = [*(ROOT / "pages").glob("*.py"), *(ROOT / "ui").rglob("*.py"), ROOT / "app.py"]
    found = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in files
        for node in ast.walk(ast.parse(path.read_text(), str(path)))
        if isinstance(node, ast.Assert)
    ]
    assert not found, f"replace with an explicit check and a message: {found}"
