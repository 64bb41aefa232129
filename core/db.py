"""Engines, sessions, transactions and schema upgrades.

The schema is owned by Alembic (migrations/): `migrate(url)` brings any database, new or old,
to the newest revision without dropping rows. Tests and the app go through the same path.

Concurrent writers queue instead of failing: on SQLite every unit of work that may write starts
with `BEGIN IMMEDIATE`, so it takes the write lock before its first read and waits (busy
timeout) rather than failing half-way when it tries to upgrade a read lock; `transaction()` runs
a whole unit again, a few times with backoff, when the database still answers "locked" or
"busy" (or, on PostgreSQL, a serialisation failure or deadlock). Whatever remains becomes
`PortalBusy`, one sentence a person can act on.
"""

from __future__ import annotations

import logging
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, create_engine

import core.versions.on_write  # noqa: F401  (every write bumps its pilots' data version)
from core.errors import PortalBusy
from core.settings import PROJECT_ROOT, database_url, sqlite_busy_seconds

MIGRATIONS_DIR = PROJECT_ROOT / "migrations"
log = logging.getLogger(__name__)
T = TypeVar("T")

ATTEMPTS = 4  # whole-unit attempts in `transaction()`
BACKOFF_SECONDS = 0.05  # first pause between attempts; doubled each time, with jitter

# Execution option that `unit_of_work` sets on units that may write: on SQLite they start with
# `BEGIN IMMEDIATE`. Everything else (read-only units, a bare Session or connection, such as a
# test's fixture session or a WAL checkpoint) starts a deferred BEGIN, so readers never queue
# behind writers (WAL lets them read the last committed state) nor hold the write lock.
WRITES = "portal_writes"

# PostgreSQL SQLSTATEs that mean "the same unit would succeed if run again".
_PG_TRANSIENT = {"40001", "40P01", "55P03"}  # serialization failure, deadlock, lock not available
_SQLITE_TRANSIENT = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
# Asked for by jobs that must run alone (core.reminders); the same lock as WRITES.
SQLITE_IMMEDIATE = "sqlite_begin_immediate"


def make_engine(url: str | None = None, *, busy_seconds: float | None = None) -> Engine:
    """One engine per database URL; SQLite gets foreign keys, WAL, a busy timeout and
    `BEGIN IMMEDIATE` for units that may write."""
    url = url or database_url()
    busy_seconds = sqlite_busy_seconds() if busy_seconds is None else busy_seconds
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": busy_seconds}
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # noqa: ANN001
            # pysqlite opens transactions lazily and commits on SAVEPOINT release, which would
            # let half of an all-or-nothing write through; take over BEGIN ourselves instead
            # (SQLAlchemy's documented recipe for SQLite savepoints).
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            # Deleted rows are overwritten with zeros, not left in free pages: an erased
            # person's name must not be readable in the file (core.privacy.erasure).
            cur.execute("PRAGMA secure_delete=ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):  # noqa: ANN001
            # A unit that may write, or a job that must run alone (core.reminders), takes the
            # write lock first and waits for it: a deferred BEGIN that later writes cannot always
            # wait (SQLite answers "locked" at once rather than let two readers deadlock).
            options = conn.get_execution_options()
            writes = options.get(WRITES, False) or options.get(SQLITE_IMMEDIATE, False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")

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


AFTER_COMMIT = "portal_after_commit"


def after_commit(session: Session, effect: Callable[[], None]) -> bool:
    """Run `effect` once the unit this session belongs to has committed, and never if it rolls
    back or is run again: an email must not leave twice because a busy database made the unit
    retry. False when the session is not a unit of work (a caller's own session): the caller
    then acts at once."""
    pending = session.info.get(AFTER_COMMIT)
    if pending is None:
        return False
    pending.append(effect)
    return True


def _run_after_commit(session: Session, effects: list[Callable[[], None]]) -> None:
    # What the effects record (an outbox row's status) is saved in a second, short commit; a
    # failure there is logged: the effect itself has happened and must not be repeated.
    for effect in effects:
        try:
            effect()
        except Exception:  # noqa: BLE001 - one failed effect must not stop the others
            log.exception("an effect after commit failed")
    try:
        session.commit()
    except Exception:  # noqa: BLE001
        session.rollback()
        log.exception("the outcome of an effect after commit was not saved")


@contextmanager
def unit_of_work(engine: Engine, *, read_only: bool = False) -> Iterator[Session]:
    """A session that commits when the block succeeds and rolls everything back when it raises.
    One attempt only: a caller that can run its work again should use `transaction()`.
    Effects registered with `after_commit` run once the commit has succeeded."""
    bind = engine if read_only else engine.execution_options(**{WRITES: True})
    with Session(bind, expire_on_commit=False) as session:
        effects: list[Callable[[], None]] = []
        session.info[AFTER_COMMIT] = effects
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        if effects:
            _run_after_commit(session, effects)


def is_transient(exc: OperationalError) -> bool:
    """The database refused because of other writers at that moment, not because of the unit."""
    orig = exc.orig
    if isinstance(orig, sqlite3.OperationalError):
        code = getattr(orig, "sqlite_errorcode", None)
        if code is not None:
            return code & 0xFF in _SQLITE_TRANSIENT  # extended codes, e.g. BUSY_SNAPSHOT
        message = str(orig).lower()
        return "locked" in message or "busy" in message
    return getattr(orig, "sqlstate", None) in _PG_TRANSIENT


def transaction(
    engine: Engine,
    work: Callable[[Session], T],
    *,
    read_only: bool = False,
    attempts: int = ATTEMPTS,
) -> T:
    """Run `work(session)` in one unit of work; when the database is locked or busy, roll back
    and run the whole of it again (so every read it made is fresh), a few times with backoff.
    `work` must not have effects outside the database before it returns. A database that still
    refuses raises `PortalBusy`; the original error is logged for the operator."""
    for attempt in range(1, attempts + 1):
        try:
            with unit_of_work(engine, read_only=read_only) as session:
                return work(session)
        except OperationalError as exc:
            if is_transient(exc) and attempt < attempts:
                pause = BACKOFF_SECONDS * 2 ** (attempt - 1) * random.uniform(0.5, 1.5)
                log.info("database busy (attempt %d of %d): %s", attempt, attempts, exc.orig)
                time.sleep(pause)
                continue
            log.warning(
                "database refused a unit of work after %d attempt(s)", attempt, exc_info=exc
            )
            raise PortalBusy() from exc
    raise AssertionError("unreachable: the loop returns or raises")


def lock_pilot(session: Session, namespace: int, pilot_id: int) -> None:
    """Serialise one kind of work on one pilot across servers until the unit ends: a
    transaction-scoped advisory lock on PostgreSQL. SQLite needs none: `BEGIN IMMEDIATE`
    already lets one writer at a time through, on one server."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text(
                "SELECT pg_advisory_xact_lock(CAST(:namespace AS integer), CAST(:pilot_id AS integer))"
            ),
            {"namespace": namespace, "pilot_id": pilot_id},
        )
