"""Two people acting on the same pairs at the same moment, on a real PostgreSQL server (several
app servers share one database there, so nothing but the database can order them).

Each race is run ROUNDS times: two threads, released together by a barrier, each in its own
unit of work through core.db.transaction, as two servers would. `.ci/run` starts the server
and sets TEST_POSTGRES_URL; without it these tests are skipped.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import create_engine, func, text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, col, delete, select, update

from core.auth import Actor
from core.db import make_engine, migrate, transaction, unit_of_work
from core.errors import DomainError
from core.models import Pair, PairEvent, PairStatus, Role
from core.pairs.offers import respond_to_pair
from core.pairs.review import PairDecision, review_pairs
from core.pairs.run import run_matching
from tests import builders
from tests.builders.tracking import make_pair

ADMIN_URL = os.environ.get("TEST_POSTGRES_URL")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not ADMIN_URL, reason="TEST_POSTGRES_URL is not set (see .ci/run)"),
]
ROUNDS = 20

MENTEES = [  # email, grade, department, goals
    ("cfo@x.com", 14, "Finance", {"Generative AI basics": 1}),
    ("cmo@x.com", 13, "Marketing", {"LinkedIn presence": 1, "Generative AI basics": 2}),
    ("coo@x.com", 13, "Operations", {"Cybersecurity basics": 1}),
]
MENTORS = [  # email, grade, department, expertise
    ("ana@x.com", 4, "IT", {"Generative AI basics": 3, "Cybersecurity basics": 2}),
    ("ben@x.com", 5, "Digital", {"LinkedIn presence": 2, "Generative AI basics": 2}),
    ("cat@x.com", 4, "Security", {"Cybersecurity basics": 3, "Generative AI basics": 1}),
]


@dataclass(frozen=True)
class World:
    admin: Actor
    pilot_id: int
    mentees: dict[str, tuple[Actor, int]]  # email -> actor, enrollment id
    mentors: dict[str, tuple[Actor, int]]


def _admin_engine() -> Engine:
    return create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")  # type: ignore[arg-type]


def _url(name: str) -> str:
    return make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)  # type: ignore[arg-type]


def _build(session: Session) -> World:
    admin = builders.staff(session)
    pilot = builders.pilot(session, admin)
    mentees, mentors = {}, {}
    for email, grade, dept, goals in MENTEES:
        actor, e = builders.participant(
            session, admin, pilot, email, Role.MENTEE, grade=grade, department=dept
        )
        builders.ready_mentee(session, actor, pilot, goals)
        mentees[email] = (actor, e.id)
    for email, grade, dept, expertise in MENTORS:
        actor, e = builders.participant(
            session, admin, pilot, email, Role.MENTOR, grade=grade, department=dept
        )
        builders.ready_mentor(session, actor, pilot, expertise)
        mentors[email] = (actor, e.id)
    return World(admin, pilot.id, mentees, mentors)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def template() -> Iterator[tuple[str, World]]:
    """One migrated database holding the pilot, copied for each test (CREATE ... TEMPLATE)."""
    name = f"portal_races_{uuid.uuid4().hex[:10]}"
    admin = _admin_engine()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(_url(name))
    migrate(engine)
    with unit_of_work(engine) as s:
        world = _build(s)
    engine.dispose()
    try:
        yield name, world
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def pg(template) -> Iterator[tuple[Engine, World]]:
    source, world = template
    name = f"portal_test_{uuid.uuid4().hex[:10]}"
    admin = _admin_engine()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{source}"'))
    engine = make_engine(_url(name))
    try:
        yield engine, world
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _at_once(engine: Engine, *works: Callable[[Session], object]) -> list[object]:
    """Run each unit in its own thread, released together; what each was told (result or the
    refusal it raised)."""
    barrier = threading.Barrier(len(works))
    told: list[object] = [None] * len(works)

    def go(index: int) -> None:
        barrier.wait()
        try:
            told[index] = transaction(engine, works[index])
        except DomainError as exc:
            told[index] = exc

    threads = [threading.Thread(target=go, args=(i,)) for i in range(len(works))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return told


def _pair(engine: Engine, pair_id: int) -> Pair:
    with Session(engine) as s:
        pair = s.get(Pair, pair_id)
        assert pair is not None
        return pair


def _double_holders(engine: Engine, pilot_id: int) -> dict[int, int]:
    """Mentees holding more than one pair (suggested, approved, published, active or paused)."""
    with Session(engine) as s:
        rows = s.exec(
            select(Pair.mentee_enrollment_id, func.count())
            .where(Pair.pilot_id == pilot_id, col(Pair.status).in_(PairStatus.HOLDING))
            .group_by(Pair.mentee_enrollment_id)
            .having(func.count() > 1)
        ).all()
    return dict(rows)


def _published_pair(engine: Engine, world: World) -> tuple[int, Actor, Actor]:
    mentee, mentee_e = world.mentees["cfo@x.com"]
    mentor, mentor_e = world.mentors["ben@x.com"]
    with unit_of_work(engine) as s:
        pair = make_pair(s, world.pilot_id, mentee_e, mentor_e, status=PairStatus.PUBLISHED)
        return pair.id, mentee, mentor  # type: ignore[return-value]


def _republish(engine: Engine, pair_id: int) -> None:
    """Set-up for the next round: the same pair, published again and unanswered."""
    with unit_of_work(engine) as s:
        s.exec(delete(PairEvent).where(PairEvent.pair_id == pair_id))
        s.exec(
            update(Pair)
            .where(Pair.id == pair_id)
            .values(
                status=PairStatus.PUBLISHED,
                mentee_response="pending",
                mentor_response="pending",
                accepted_at=None,
                decline_reason="",
                declined_by_id=None,
            )
        )


def _answer(actor: Actor, pair_id: int, accept: bool) -> Callable[[Session], object]:
    return lambda s: respond_to_pair(actor, pair_id, accept, session=s).status


def test_both_members_accepting_at_once_start_the_pair(pg):
    engine, world = pg
    pair_id, mentee, mentor = _published_pair(engine, world)
    for round_ in range(ROUNDS):
        if round_:
            _republish(engine, pair_id)
        told = _at_once(engine, _answer(mentee, pair_id, True), _answer(mentor, pair_id, True))
        assert not [t for t in told if isinstance(t, Exception)], (round_, told)
        pair = _pair(engine, pair_id)
        assert (pair.status, pair.mentee_response, pair.mentor_response) == (
            PairStatus.ACTIVE,
            "accepted",
            "accepted",
        ), round_
        assert pair.accepted_at is not None
        # Exactly one of them was told the pair has started: the one who answered second.
        assert sorted(told) == sorted([PairStatus.PUBLISHED, PairStatus.ACTIVE]), (round_, told)


def test_accept_and_decline_at_once_end_in_one_consistent_state(pg):
    engine, world = pg
    pair_id, mentee, mentor = _published_pair(engine, world)
    for round_ in range(ROUNDS):
        if round_:
            _republish(engine, pair_id)
        accepted, declined = _at_once(
            engine, _answer(mentee, pair_id, True), _answer(mentor, pair_id, False)
        )
        pair = _pair(engine, pair_id)
        assert declined == PairStatus.DECLINED, round_  # a decline always goes through
        assert (pair.status, pair.mentor_response) == (PairStatus.DECLINED, "declined")
        if isinstance(accepted, Exception):  # the decline came first: nothing to answer
            assert "declined" in str(accepted) and pair.mentee_response == "pending", round_
        else:  # the acceptance came first and was kept; the pair still never started
            assert (accepted, pair.mentee_response) == (PairStatus.PUBLISHED, "accepted"), round_
        assert pair.accepted_at is None
        with Session(engine) as s:
            kinds = s.exec(select(PairEvent.kind).where(PairEvent.pair_id == pair_id)).all()
        # The decline is recorded; an acceptance that came first is recorded too (the partner
        # is told of it), and nothing else.
        assert "declined" in kinds and set(kinds) <= {"accepted", "declined"}, round_


def _run(world: World) -> Callable[[Session], object]:
    return lambda s: run_matching(world.admin, world.pilot_id, session=s).suggested


def _clear_pairs(engine: Engine, pilot_id: int) -> None:
    with unit_of_work(engine) as s:
        s.exec(delete(Pair).where(Pair.pilot_id == pilot_id))


def test_two_matching_runs_at_once_give_each_mentee_one_pair(pg):
    engine, world = pg
    for round_ in range(ROUNDS):
        told = _at_once(engine, _run(world), _run(world))
        assert told == [3, 3], (round_, told)  # both runs succeeded, each suggesting 3 pairs
        assert _double_holders(engine, world.pilot_id) == {}, round_
        with Session(engine) as s:
            held = s.exec(
                select(func.count()).select_from(Pair).where(Pair.pilot_id == world.pilot_id)
            ).one()
        assert held == 3, round_  # the second run replaced the first run's suggestions


def test_approving_while_another_admin_runs_matching_keeps_one_pair_per_mentee(pg):
    engine, world = pg
    for round_ in range(ROUNDS):
        _clear_pairs(engine, world.pilot_id)
        transaction(engine, _run(world))
        with Session(engine) as s:
            chosen = s.exec(
                select(Pair.id).where(Pair.pilot_id == world.pilot_id).order_by(Pair.id)
            ).first()
        approve = PairDecision(chosen, "approve")  # type: ignore[arg-type]
        approved, suggested = _at_once(
            engine,
            lambda s, d=approve: review_pairs(world.admin, world.pilot_id, [d], session=s),
            _run(world),
        )
        assert _double_holders(engine, world.pilot_id) == {}, (round_, approved, suggested)
        with Session(engine) as s:
            kept = s.get(Pair, chosen)
        if isinstance(approved, Exception):  # the run came first and replaced the suggestion
            assert kept is None and "no longer exists" in str(approved), round_
            assert suggested == 3, round_
        else:  # the approval came first: the run kept that pair and matched the others
            assert approved == 1 and kept is not None, round_
            assert kept.status == PairStatus.APPROVED, round_
            assert suggested == 2, round_
