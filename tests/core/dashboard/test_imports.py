"""The dashboard package imports one way (no cycles), and its catalogue loads without pandas."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import core.dashboard

PACKAGE = Path(core.dashboard.__file__).parent


def _imports_inside_the_package(path: Path) -> set[str]:
    """Modules of core.dashboard this file imports, type-checking-only imports included: a
    cycle hidden behind TYPE_CHECKING is still a cycle for a reader and for a type checker."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        for name in names:
            if name.startswith("core.dashboard."):
                found.add(name.split(".")[2])
    return found


def test_no_module_of_the_dashboard_imports_itself_back():
    graph = {p.stem: _imports_inside_the_package(p) for p in PACKAGE.glob("*.py")}
    assert graph["funnel"] == {"frames"} and "datasets" in graph["report"]  # the reader works

    def cycle_from(start: str) -> list[str] | None:
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in graph.get(node, ()):
                if nxt == start:
                    return [*path, nxt]
                if nxt not in path:
                    stack.append((nxt, [*path, nxt]))
        return None

    cycles = {m: c for m in graph if (c := cycle_from(m))}
    assert cycles == {}


def test_the_frame_modules_import_the_frames_not_the_gatherer():
    for name in ("funnel", "quality", "momentum", "learning", "satisfaction", "reach"):
        imports = _imports_inside_the_package(PACKAGE / f"{name}.py")
        assert "frames" in imports and "datasets" not in imports, name


def test_the_metric_catalogue_imports_without_pandas():
    code = (
        "import sys; import core.dashboard.metrics as m; "
        "assert m.METRICS and m.DEFAULT_CRITERIA; "
        "heavy = sorted({'pandas', 'numpy', 'altair', 'sqlmodel'} & set(sys.modules)); "
        "print(heavy)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=PACKAGE.parent.parent,
    )
    assert done.stdout.strip() == "[]"


def test_pilot_settings_and_the_form_read_the_catalogue_from_metrics():
    root = PACKAGE.parent.parent
    for path in (root / "core/pilots/settings.py", root / "ui/pilot_form.py"):
        text = path.read_text()
        assert "core.dashboard.metrics import" in text and "core.dashboard.kpis" not in text
