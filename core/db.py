"""Engines, sessions and schema upgrades.

The schema is owned by Alembic (migrations/): `migrate(url)` brings any database, new or old,
to the newest revision without dropping rows. Tests and the app go through the same path.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from core.settings import PROJECT_ROOT, database_url

MIGRATIONS_DIR = PROJECT_ROOT / "migrations"
# Execution option: on SQLite, open the connection's transactions with BEGIN IMMEDIATE.
SQLITE_IMMEDIATE = "sqlite_begin_immediate"


def make_engine(url: str | None = None) -> Engine:
    """One engine per database URL; SQLite gets foreign keys and a busy timeout."""
    url = url or database_url()
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # noqa: ANN001
            # pysqlite opens transactions lazily and commits on SAVEPOINT release, which would
            # let half of an all-or-nothing write through; take over BEGIN ourselves instead
            # (SQLAlchemy's documented recipe for SQLite savepoints).
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):  # noqa: ANN001
            # A job that must run alone (core.reminders) asks for the write lock up front.
            immediate = conn.get_execution_options().get(SQLITE_IMMEDIATE)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    return create_engine(url, pool_pre_ping=True)


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def migrate(engine_or_url: Engine | str, revision: str = "head") -> None:
    """Upgrade the schema to `revision`; safe to call on every start."""
    url = (
        engine_or_url
        if isinstance(engine_or_url, str)
        else engine_or_url.url.render_as_string(hide_password=False)
    )
    command.upgrade(alembic_config(url), revision)


@contextmanager
def unit_of_work(engine: Engine) -> Iterator[Session]:
    """A session that commits when the block succeeds and rolls everything back when it raises."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
