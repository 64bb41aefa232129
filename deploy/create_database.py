"""Create (if missing) the PostgreSQL database a local deployment runs on and print its URL.

Used by deploy/run-local.sh:  python -m deploy.create_database ADMIN_URL NAME
"""

from __future__ import annotations

import re
import sys

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def create_database(admin_url: str, name: str) -> str:
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
        raise SystemExit(f"database name {name!r}: use lower-case letters, digits and _")
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
            ).first()
            if not exists:
                # A name cannot be a bound parameter; it was checked against the pattern above.
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit("usage: python -m deploy.create_database ADMIN_URL NAME")
    print(create_database(sys.argv[1], sys.argv[2]))
