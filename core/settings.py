"""One place that says where the database is, so the app, the CLI and the tests agree."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_ROOT / 'data' / 'portal.db'}"


def database_url() -> str:
    """`DATABASE_URL` wins (PostgreSQL in production); otherwise an SQLite file under data/."""
    return os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
