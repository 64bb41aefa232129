"""Rules the database keeps by itself, whatever code writes the rows (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from core.db import make_engine, migrate
from core.models import (
    CheckIn,
    CheckInRating,
    Enrollment,
    EnrollmentStatus,
    Pair,
    PairStatus,
    Person,
    Pilot,
    Role,
    Topic,
)


def _mentee_and_mentors(session: Session) -> tuple[int, int, int, int]:
    """(pilot id, mentee enrollment id, two mentor enrollment ids)."""
    pilot = Pilot(
        name="Pilot", start_date=date(2026, 1, 5), end_date=date(2026, 6, 26), invite_code="AB-CD"
    )
    session.add(pilot)
    session.flush()
    ids = []
    for email, role in (("mia@x.com", Role.MENTEE), ("tom@x.com", Role.MENTOR), ("una@x.com", Role.MENTOR)):  # fmt: skip
        person = Person(email=email, name=email.split("@")[0])
        session.add(person)
        session.flush()
        enrollment = Enrollment(
            pilot_id=pilot.id, person_id=person.id, role=role, status=EnrollmentStatus.ACTIVE
        )
        session.add(enrollment)
        session.flush()
        ids.append(enrollment.id)
    return pilot.id, *ids  # type: ignore[return-value]


def _pair(session: Session, pilot_id: int, mentee: int, mentor: int, status: str) -> Pair:
    pair = Pair(
        pilot_id=pilot_id, mentee_enrollment_id=mentee, mentor_enrollment_id=mentor, status=status
    )
    session.add(pair)
    session.flush()
    return pair


def _second_holding_pair_is_refused(engine) -> None:  # noqa: ANN001
    with Session(engine) as session:
        pilot_id, mia, tom, una = _mentee_and_mentors(session)
        _pair(session, pilot_id, mia, tom, PairStatus.ACTIVE)
        session.commit()
        for status in sorted(PairStatus.HOLDING):
            with pytest.raises(IntegrityError):
                with session.begin_nested():
                    _pair(session, pilot_id, mia, una, status)
        # Pairs that no longer hold the mentee may stay beside the holding one.
        for status in (PairStatus.ENDED, PairStatus.DECLINED, PairStatus.REJECTED):
            _pair(session, pilot_id, mia, una, status)
        session.commit()
        statuses = sorted(p.status for p in session.exec(select(Pair)).all())
        assert statuses == ["active", "declined", "ended", "rejected"]
        # Moving a second pair back into a holding status is refused as well.
        ended = session.exec(select(Pair).where(Pair.status == PairStatus.ENDED)).one()
        ended.status = PairStatus.PAUSED
        session.add(ended)
        with pytest.raises(IntegrityError):
            session.flush()


def test_the_database_refuses_a_second_holding_pair_for_a_mentee(engine):
    _second_holding_pair_is_refused(engine)


@pytest.mark.postgres
def test_the_database_refuses_a_second_holding_pair_for_a_mentee_on_postgres(pg_url):
    engine = make_engine(pg_url)
    migrate(engine)
    try:
        _second_holding_pair_is_refused(engine)
    finally:
        engine.dispose()


def test_a_rating_is_one_to_five_and_goes_with_its_checkin(engine):
    with Session(engine) as session:
        pilot_id, mia, tom, _una = _mentee_and_mentors(session)
        pair = _pair(session, pilot_id, mia, tom, PairStatus.ACTIVE)
        topic = Topic(pilot_id=pilot_id, name="Data literacy")
        mia_person = session.get(Enrollment, mia).person_id  # type: ignore[union-attr]
        checkin = CheckIn(pair_id=pair.id, person_id=mia_person, phase="start")
        session.add_all([topic, checkin])
        session.flush()
        with pytest.raises(IntegrityError), session.begin_nested():
            session.add(CheckInRating(checkin_id=checkin.id, topic_id=topic.id, rating=6))
        session.add(CheckInRating(checkin_id=checkin.id, topic_id=topic.id, rating=5))
        session.commit()
        session.delete(checkin)
        session.commit()
        assert session.exec(select(CheckInRating)).all() == []
