"""Every write bumps the data version of the pilots it touches, in the same transaction.

Registered on SQLAlchemy's Session class when this module is imported (core.db does), so no
service has to remember it:

- after each flush, every new, changed or deleted object is mapped to its pilot(s) through its
  foreign keys: a pilot id directly; a pair, enrollment, mentoring session or check-in through
  that row; a person through every pilot they are enrolled in; a pilot is its own;
- statements that write through the session's connection without the unit of work (bulk
  `delete(Pair)`, the directory import's batched updates of people) cannot be mapped to a
  pilot, so they bump every pilot when the session commits.

The bump rolls back with the transaction, so the version moves exactly when the data does.
Writes on a connection that no Session opened (Alembic, bulk loaders of benchmarks) are not
seen: they run before anyone looks at the pages.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from sqlalchemy import Connection, event, inspect, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key
from sqlalchemy.sql.dml import UpdateBase

from core.models import CheckIn, DataVersion, Enrollment, MentoringSession, Pair, Person, Pilot

VERSIONS = DataVersion.__table__
FLUSHING = "data_version_flushing"
UNMAPPED_WRITE = "data_version_unmapped_write"
# The tables a pilot can be reached through, and the ORM class of each.
PARENTS = {
    "pilot": Pilot,
    "pair": Pair,
    "enrollment": Enrollment,
    "mentoringsession": MentoringSession,
    "checkin": CheckIn,
}


@cache
def _parent_keys(cls: type) -> tuple[tuple[str, str], ...]:
    """(attribute, parent table) for each foreign key of the class towards a pilot's rows."""
    mapper = inspect(cls)
    found = []
    for prop in mapper.column_attrs:
        for column in prop.columns:
            for fk in getattr(column, "foreign_keys", ()):
                if fk.column.table.name in PARENTS:
                    found.append((prop.key, fk.column.table.name))
    return tuple(found)


def _values(obj: object, key: str) -> Iterable[int]:
    """The attribute's value now and, for a changed row, the value it had (a row that moves
    changes both its old and its new pilot)."""
    history = inspect(obj).attrs[key].history
    return (v for v in (*history.added, *history.unchanged, *history.deleted) if v is not None)


def _lookup(session: Session, cls: type, ids: set[int], column: str) -> set[int]:
    """`column` of the rows of `cls` with these ids: from objects the session already holds,
    else one query (a parent deleted in the same flush is already in the session)."""
    found, missing = set(), set()
    for row_id in ids:
        obj = session.identity_map.get(identity_key(cls, row_id))
        value = inspect(obj).dict.get(column) if obj is not None else None
        if value is None:
            missing.add(row_id)
        else:
            found.add(value)
    if missing:
        table = cls.__table__
        found.update(
            session.connection()
            .execute(select(table.c[column]).where(table.c.id.in_(sorted(missing))))
            .scalars()
        )
    return found


def pilots_touched(session: Session) -> set[int]:
    """The pilots whose data the pending flush changes (called after the flush, when new rows
    have their ids and foreign keys)."""
    changed = [
        *session.new,
        *(o for o in session.dirty if session.is_modified(o, include_collections=False)),
        *session.deleted,
    ]
    refs: dict[str, set[int]] = {name: set() for name in PARENTS}
    people: set[int] = set()
    for obj in changed:
        if isinstance(obj, DataVersion):
            continue
        if isinstance(obj, Pilot | Person):
            (refs["pilot"] if isinstance(obj, Pilot) else people).update(_values(obj, "id"))
        for key, parent in _parent_keys(type(obj)):
            refs[parent].update(_values(obj, key))
    refs["pair"] |= _lookup(session, CheckIn, refs["checkin"], "pair_id")
    refs["pair"] |= _lookup(session, MentoringSession, refs["mentoringsession"], "pair_id")
    pilots = refs["pilot"]
    pilots |= _lookup(session, Pair, refs["pair"], "pilot_id")
    pilots |= _lookup(session, Enrollment, refs["enrollment"], "pilot_id")
    if people:
        pilots.update(
            session.connection()
            .execute(
                select(Enrollment.pilot_id)
                .where(Enrollment.person_id.in_(sorted(people)))  # type: ignore[union-attr]
                .distinct()
            )
            .scalars()
        )
    return pilots


def bump(connection: Connection, pilot_ids: Iterable[int]) -> None:
    """One more for each pilot, creating its counter at 1; in id order, so two transactions
    bumping the same pilots take their row locks in the same order."""
    ids = sorted(set(pilot_ids))
    if not ids:
        return
    dialect = connection.dialect.name
    if dialect in ("sqlite", "postgresql"):
        insert = sqlite.insert if dialect == "sqlite" else postgresql.insert
        statement = insert(VERSIONS).values([{"pilot_id": p, "version": 1} for p in ids])
        connection.execute(
            statement.on_conflict_do_update(
                index_elements=[VERSIONS.c.pilot_id], set_={"version": VERSIONS.c.version + 1}
            )
        )
        return
    connection.execute(
        update(VERSIONS).where(VERSIONS.c.pilot_id.in_(ids)).values(version=VERSIONS.c.version + 1)
    )
    known = set(
        connection.execute(
            select(VERSIONS.c.pilot_id).where(VERSIONS.c.pilot_id.in_(ids))
        ).scalars()
    )
    if missing := [p for p in ids if p not in known]:
        connection.execute(VERSIONS.insert(), [{"pilot_id": p, "version": 1} for p in missing])


def bump_every_pilot(connection: Connection) -> None:
    bump(connection, connection.execute(select(Pilot.id)).scalars())  # type: ignore[arg-type]


@event.listens_for(Session, "before_flush")
def _flush_starts(session: Session, _context, _instances) -> None:  # noqa: ANN001
    session.info[FLUSHING] = True


@event.listens_for(Session, "after_flush")
def _bump_after_flush(session: Session, _context) -> None:  # noqa: ANN001
    bump(session.connection(), pilots_touched(session))


@event.listens_for(Session, "after_flush_postexec")
def _flush_ends(session: Session, _context) -> None:  # noqa: ANN001
    session.info.pop(FLUSHING, None)


@event.listens_for(Session, "after_begin")
def _watch_unmapped_writes(session: Session, _transaction, connection: Connection) -> None:  # noqa: ANN001
    """Statements that write on the session's connection outside a flush are noted, to bump
    every pilot at commit."""
    info = session.info

    def note(_conn, clause, *_args) -> None:  # noqa: ANN001, ANN002
        if (
            isinstance(clause, UpdateBase)
            and not info.get(FLUSHING)
            and getattr(clause, "table", None) is not VERSIONS
        ):
            info[UNMAPPED_WRITE] = True

    event.listen(connection, "before_execute", note)


@event.listens_for(Session, "before_commit")
def _bump_unmapped_writes(session: Session) -> None:
    if session.info.pop(UNMAPPED_WRITE, False):
        bump_every_pilot(session.connection())


@event.listens_for(Session, "after_rollback")
def _flush_failed(session: Session) -> None:
    session.info.pop(FLUSHING, None)


@event.listens_for(Session, "after_transaction_end")
def _forget_unmapped_writes(session: Session, transaction) -> None:  # noqa: ANN001
    if transaction.parent is None:  # the whole transaction ended: committed or rolled back
        session.info.pop(UNMAPPED_WRITE, None)
