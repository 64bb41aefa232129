"""Concurrent writers on one SQLite file queue instead of failing (core.db.transaction), and a
database that stays locked answers with one sentence, having written nothing."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
import time
from datetime import date, timedelta

import pytest
from sqlalchemy import text
from sqlmodel import Session, func, select

from core.auth import actor_for
from core.db import ATTEMPTS, make_engine, transaction, unit_of_work
from core.errors import PortalBusy
from core.models import Enrollment, MentoringSession, Person, Topic
from core.people.roster_import import import_roster
from core.tracking.session_log import SessionInput, record_session
from tests.builders.tracking import (  # noqa: F401
    EMAILS,
    tracking_db_url,
    tracking_template,
    tracking_world,
)

THREADS = 50
PROCESSES, PER_PROCESS = 2, 25


def _sessions(engine) -> int:
    with Session(engine) as s:
        return s.exec(select(func.count()).select_from(MentoringSession)).one()


def _a_session(topic_id: int, number: int) -> SessionInput:
    return SessionInput(
        held_on=date.today() - timedelta(days=1),
        minutes=30 + number % 60,
        topic_ids=[topic_id],
        takeaways=f"Writer {number} was here.",
        private_note=f"note {number}",
        candour=4,
    )


def _log_at_once(engine, actor, pair_id: int, topic_id: int, count: int, first: int) -> list:
    """`count` threads released together, each logging one session; what each was told."""
    barrier = threading.Barrier(count)
    outcomes: list = [None] * count

    def log(index: int) -> None:
        data = _a_session(topic_id, first + index)
        barrier.wait()
        try:
            view = transaction(engine, lambda s: record_session(actor, pair_id, data, session=s))
            outcomes[index] = view.id
        except Exception as exc:  # noqa: BLE001 - every failure is what the test counts
            outcomes[index] = exc

    threads = [threading.Thread(target=log, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_fifty_threads_logging_a_session_at_once_all_land(engine, world):
    before = _sessions(engine)
    started = time.perf_counter()
    outcomes = _log_at_once(
        engine, world.mentee_a, world.pair_a, world.topics["Generative AI basics"], THREADS, 0
    )
    elapsed = time.perf_counter() - started
    failures = [o for o in outcomes if isinstance(o, Exception)]
    assert failures == []
    assert len(set(outcomes)) == THREADS  # 50 distinct sessions, each told its own id
    assert _sessions(engine) == before + THREADS
    print(f"\n{THREADS} threads logging a session at once: {elapsed:.2f} s")


def _writer_process(url: str, email: str, pair_id: int, topic_id: int, first: int, start, out):
    """One of the processes: its own engine and PER_PROCESS threads, released with the other
    process through `start` (a barrier shared by both)."""
    engine = make_engine(url)
    with Session(engine) as s:
        actor = actor_for(s.exec(select(Person).where(Person.email == email)).one())
    start.wait()
    outcomes = _log_at_once(engine, actor, pair_id, topic_id, PER_PROCESS, first)
    out.put([o if isinstance(o, int) else repr(o) for o in outcomes])
    engine.dispose()


def test_two_processes_logging_at_once_all_land(engine, db_url, world):
    before = _sessions(engine)
    ctx = multiprocessing.get_context("spawn")
    start, out = ctx.Barrier(PROCESSES + 1), ctx.Queue()
    topic = world.topics["Generative AI basics"]
    procs = [
        ctx.Process(
            target=_writer_process,
            args=(db_url, EMAILS["mentee_a"], world.pair_a, topic, i * PER_PROCESS, start, out),
        )
        for i in range(PROCESSES)
    ]
    for p in procs:
        p.start()
    start.wait(timeout=60)  # both processes have imported everything and opened their engine
    started = time.perf_counter()
    results = [out.get(timeout=120) for _ in procs]
    elapsed = time.perf_counter() - started
    for p in procs:
        p.join(timeout=30)
    outcomes = [o for r in results for o in r]
    assert [o for o in outcomes if not isinstance(o, int)] == []
    assert len(set(outcomes)) == PROCESSES * PER_PROCESS
    assert _sessions(engine) == before + PROCESSES * PER_PROCESS
    print(f"\n{PROCESSES} processes × {PER_PROCESS} threads logging at once: {elapsed:.2f} s")


def _roster(prefix: str, count: int) -> bytes:
    lines = ["email,name,role"] + [
        f"{prefix}{i}@example.com,{prefix.title()} {i},{'mentee' if i % 2 else 'mentor'}"
        for i in range(count)
    ]
    return ("\n".join(lines) + "\n").encode()


def test_two_roster_imports_started_together_both_land(engine, world):
    rosters = {"hr": _roster("hr", 150), "ops": _roster("ops", 150)}
    barrier = threading.Barrier(len(rosters))
    told: dict[str, object] = {}

    def run_import(name: str) -> None:
        barrier.wait()
        try:
            told[name] = transaction(
                engine,
                lambda s: import_roster(
                    world.admin, world.pilot_id, rosters[name], f"{name}.csv", session=s
                ),
            )
        except Exception as exc:  # noqa: BLE001
            told[name] = exc

    threads = [threading.Thread(target=run_import, args=(n,)) for n in rosters]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert {n: getattr(r, "created", r) for n, r in told.items()} == {"hr": 150, "ops": 150}
    with Session(engine) as s:
        enrolled = s.exec(
            select(Person.email)
            .join(Enrollment, Enrollment.person_id == Person.id)
            .where(Enrollment.pilot_id == world.pilot_id)
        ).all()
    assert sum(e.startswith(("hr", "ops")) for e in enrolled) == 300


# --- the retry itself, against a lock held by another connection -------------------------------


def _hold_write_lock(path: str, seconds: float) -> threading.Thread:
    """Another writer (plain sqlite3, as a second server process would be) holding the lock."""
    locked = threading.Event()

    def hold() -> None:
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        locked.set()
        time.sleep(seconds)
        conn.execute("COMMIT")
        conn.close()

    thread = threading.Thread(target=hold)
    thread.start()
    locked.wait()
    return thread


def _add_topic(name: str, calls: list):
    def work(session: Session) -> int:
        calls.append(name)
        pilot_id = session.exec(select(Topic.pilot_id)).first()
        topic = Topic(pilot_id=pilot_id, name=name, category="Test", kind="learn")
        session.add(topic)
        session.flush()
        return topic.id

    return work


def _topics_named(engine, name: str) -> int:
    with Session(engine) as s:
        return s.exec(select(func.count()).select_from(Topic).where(Topic.name == name)).one()


def test_a_unit_refused_as_locked_is_run_again_from_the_start(db_url):
    short = make_engine(db_url, busy_seconds=0.05)  # gives up waiting long before the lock ends
    holder = _hold_write_lock(db_url.split("///", 1)[1], 0.3)
    calls: list = []
    topic_id = transaction(short, _add_topic("Queued topic", calls))
    holder.join()
    assert topic_id is not None
    assert len(calls) >= 2  # refused at least once, then the whole unit ran again
    assert _topics_named(short, "Queued topic") == 1
    short.dispose()


def test_a_database_that_stays_locked_gives_one_sentence_and_writes_nothing(db_url):
    short = make_engine(db_url, busy_seconds=0.05)
    holder = _hold_write_lock(db_url.split("///", 1)[1], 2.0)
    calls: list = []
    with pytest.raises(PortalBusy) as refused:
        transaction(short, _add_topic("Never saved", calls))
    holder.join()
    assert str(refused.value) == "The portal is busy; your entry was kept, try again in a moment."
    assert len(calls) == ATTEMPTS
    assert _topics_named(short, "Never saved") == 0
    short.dispose()


def test_a_read_only_unit_does_not_wait_for_a_writer(db_url):
    short = make_engine(db_url, busy_seconds=0.05)
    holder = _hold_write_lock(db_url.split("///", 1)[1], 3.0)
    calls: list = []
    count = transaction(
        short,
        lambda s: calls.append(1) or s.exec(select(func.count()).select_from(Topic)).one(),
        read_only=True,
    )
    # Answered while the writer still holds its lock: the read did not wait for it.
    writer_still_holding = holder.is_alive()
    holder.join()
    assert count > 0 and calls == [1] and writer_still_holding
    short.dispose()


def test_a_writing_unit_holds_the_write_lock_from_its_start(engine):
    """BEGIN IMMEDIATE: once a unit has begun, nobody else can take the write lock, even
    before the unit's first write (so it never fails half-way while upgrading)."""
    with unit_of_work(engine) as s:
        s.exec(select(Topic)).first()  # a read only
        other = sqlite3.connect(engine.url.database, timeout=0, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
        s.execute(text("SELECT 1"))
