"""Every write bumps the data version of exactly the pilots it touches, in its own transaction."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, delete, select

from core.db import unit_of_work
from core.models import (
    CandourPulse,
    Enrollment,
    LearningGoal,
    MentoringSession,
    Pair,
    PairStatus,
    Person,
    Pilot,
)
from core.tracking.session_log import SessionInput, record_session
from core.versions.data_version import data_version
from core.versions.on_write import bump
from tests.builders.tracking import tracking_db_url, tracking_template, tracking_world  # noqa: F401


def other_pilot(session: Session) -> int:
    return session.exec(select(Pilot.id).where(Pilot.name == "Another pilot")).one()


def versions(engine, *pilot_ids: int) -> tuple[int, ...]:
    with Session(engine) as fresh:
        return tuple(data_version(p, session=fresh) for p in pilot_ids)


@pytest.fixture
def both(world, session, engine):
    return world, other_pilot(session), versions(engine, world.pilot_id, other_pilot(session))


def test_a_logged_session_bumps_its_pilot_once_and_no_other(both, engine):
    world, other, (mine, theirs) = both
    with unit_of_work(engine) as session:
        record_session(
            world.mentee_a,
            world.pair_a,
            SessionInput(held_on=date.today(), minutes=45, candour=4),
            session=session,
        )
    # Two flushes in one transaction (the entry, then its note and pulse): each bumps.
    after = versions(engine, world.pilot_id, other)
    assert after[0] > mine
    assert after[1] == theirs


def test_a_rolled_back_write_leaves_the_version(both, engine):
    world, other, before = both
    with pytest.raises(RuntimeError), unit_of_work(engine) as session:
        pair = session.get(Pair, world.pair_a)
        pair.status = PairStatus.PAUSED
        session.add(pair)
        session.flush()
        raise RuntimeError("the rest of the unit of work failed")
    assert versions(engine, world.pilot_id, other) == before


@pytest.mark.parametrize(
    "change",
    ["pulse via session", "goal via enrollment", "pilot itself", "delete a session"],
)
def test_rows_reach_their_pilot_through_their_parents(both, engine, change):
    world, other, (mine, theirs) = both
    with unit_of_work(engine) as session:
        entry = MentoringSession(
            pair_id=world.pair_b, author_id=world.mentor_b.person_id, held_on=date.today(),
            minutes=30,
        )  # fmt: skip
        session.add(entry)
    mine = versions(engine, world.pilot_id)[0]
    with unit_of_work(engine) as session:
        if change == "pulse via session":
            session.add(
                CandourPulse(session_id=entry.id, person_id=world.mentee_b.person_id, score=3)
            )
        elif change == "goal via enrollment":
            goal = session.exec(
                select(LearningGoal).where(
                    LearningGoal.enrollment_id == world.enrollments["mentee_a"]
                )
            ).first()
            goal.priority = 3 if goal.priority != 3 else 2
            session.add(goal)
        elif change == "pilot itself":
            pilot = session.get(Pilot, world.pilot_id)
            pilot.name = "Renamed pilot"
            session.add(pilot)
        else:
            session.delete(session.get(MentoringSession, entry.id))
    assert versions(engine, world.pilot_id, other) == (mine + 1, theirs)


def test_a_person_change_bumps_every_pilot_they_are_enrolled_in(both, engine):
    world, other, (mine, theirs) = both
    with unit_of_work(engine) as session:
        session.add(Enrollment(pilot_id=other, person_id=world.mentee_a.person_id, role="mentee"))
    theirs += 1
    with unit_of_work(engine) as session:
        person = session.get(Person, world.mentee_a.person_id)
        person.department = "Somewhere new"
        session.add(person)
    assert versions(engine, world.pilot_id, other) == (mine + 1, theirs + 1)


def test_an_unchanged_object_bumps_nothing(both, engine):
    world, other, before = both
    with unit_of_work(engine) as session:
        person = session.get(Person, world.mentee_a.person_id)
        person.department = person.department  # marked dirty, nothing changed
        session.add(person)
        session.flush()
    assert versions(engine, world.pilot_id, other) == before


def test_a_bulk_statement_bumps_every_pilot_at_commit(both, engine):
    world, other, (mine, theirs) = both
    with unit_of_work(engine) as session:
        session.exec(delete(Pair).where(Pair.id == world.pair_c))
    assert versions(engine, world.pilot_id, other) == (mine + 1, theirs + 1)
    with unit_of_work(engine) as session:
        session.connection().execute(
            Person.__table__.update()
            .where(Person.__table__.c.id == world.mentee_a.person_id)
            .values(location="Lisbon")
        )
    assert versions(engine, world.pilot_id, other) == (mine + 2, theirs + 2)


def test_a_bump_creates_the_counter_then_counts(engine):
    with unit_of_work(engine) as session:
        bump(session.connection(), [9001, 9001, 9002])
    with unit_of_work(engine) as session:
        bump(session.connection(), [9001])
    assert versions(engine, 9001, 9002, 9003) == (2, 1, 0)
