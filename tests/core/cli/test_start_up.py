"""`python -m core` answers `--help` without loading the database or the engine.

Importing SQLAlchemy, SQLModel, Alembic, numpy and OR-Tools costs well over a second on the
development machine; a command that only prints its usage must not pay for them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
HEAVY = ("sqlalchemy", "sqlmodel", "alembic", "pydantic", "numpy", "ortools", "pandas", "scipy")


def imported_modules(*args: str) -> set[str]:
    """Top-level packages a `python -m core ...` run imported, read from -X importtime."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "core", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "usage: python -m core" in done.stdout
    names = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and line.count("|") == 2:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    assert "core" in names  # the output was read correctly
    return names


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("match", "--help"),
        ("export", "--help"),
        ("audit", "--help"),
        ("export-person", "--help"),
        ("erase-person", "--help"),
        ("retention", "--help"),
    ],
)
def test_help_imports_no_heavy_package(args):
    assert imported_modules(*args) & set(HEAVY) == set()


def test_building_the_parser_imports_no_heavy_package():
    snippet = (
        "import sys\n"
        "from core.cli.main import build_parser\n"
        "build_parser()\n"
        f"print(sorted(name for name in {HEAVY!r} if name in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", snippet], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[]"


def test_command_line_choices_are_the_engines():
    from core.cli import match
    from core.matching import assignment

    assert match.OBJECTIVES == assignment.OBJECTIVES
    assert match.METHODS == assignment.METHODS
