"""Running `python -m core ...` for real: a subprocess on a given database, as a script would."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def core_command() -> Callable[..., subprocess.CompletedProcess]:
    """`core_command(db_url, "audit", "Pilot 1")`: the finished process, its output as text."""

    def run(db_url: str, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "core", *args],
            cwd=ROOT, capture_output=True, text=True, timeout=300,
            env={**os.environ, "DATABASE_URL": db_url},
        )  # fmt: skip

    return run
