"""The sample pilot: a realistic organisation that fills every page."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from core.accounts.sign_in import authenticate
from core.errors import DomainError, NotAllowed
from core.models import Enrollment, LearningGoal, Pair, PairStatus, Person, Role
from core.sample.pilot import SAMPLE_PASSWORD, load_sample_pilot
from tests import builders


def test_sample_organisation_is_realistic(session):
    admin = builders.staff(session)
    pilot = load_sample_pilot(admin, session=session)
    people = session.exec(select(Person).where(Person.email.like("%sample.example.com"))).all()
    assert len(people) >= 60
    assert len({p.department for p in people}) >= 8
    assert len({p.career_stage for p in people}) == 4
    by_email = {p.email: p for p in people}
    # Every manager exists, and there is one root (the CEO).
    assert all(p.manager_email in by_email for p in people if p.manager_email)
    assert sum(1 for p in people if not p.manager_email) == 1
    roles = dict(
        session.exec(
            select(Enrollment.role, func.count())
            .where(Enrollment.pilot_id == pilot.id)
            .group_by(Enrollment.role)
        ).all()
    )
    assert roles[Role.MENTEE] >= 20 and roles[Role.MENTOR] >= 25
    mentees_with_goals = session.exec(
        select(func.count(func.distinct(LearningGoal.enrollment_id)))
    ).one()
    assert mentees_with_goals >= 20
    statuses = [p.status for p in session.exec(select(Pair).where(Pair.pilot_id == pilot.id)).all()]
    assert statuses.count(PairStatus.ACTIVE) >= 15
    assert PairStatus.DECLINED in statuses and PairStatus.PUBLISHED in statuses
    # Every active pair is a reverse pair: the mentor is at least two grades junior.
    for pair in session.exec(select(Pair).where(Pair.status == PairStatus.ACTIVE)).all():
        mentee = session.get(Person, session.get(Enrollment, pair.mentee_enrollment_id).person_id)
        mentor = session.get(Person, session.get(Enrollment, pair.mentor_enrollment_id).person_id)
        assert mentor.grade <= mentee.grade - 2


def test_sample_demo_accounts_sign_in_and_reload_is_refused(session):
    admin = builders.staff(session)
    load_sample_pilot(admin, session=session)
    demo = session.exec(
        select(Person).where(Person.password_hash.is_not(None), Person.is_staff.is_(False))
    ).all()
    assert len(demo) == 2
    for person in demo:
        assert (
            authenticate(person.email, SAMPLE_PASSWORD, session=session).actor.person_id
            == person.id
        )
    with pytest.raises(DomainError, match="already loaded"):
        load_sample_pilot(admin, session=session)


def test_only_staff_can_load_the_sample(session):
    admin = builders.staff(session)
    pilot = builders.pilot(session, admin)
    mentee, _ = builders.participant(session, admin, pilot, "m@x.com", Role.MENTEE)
    with pytest.raises(NotAllowed):
        load_sample_pilot(mentee, session=session)


def test_the_announced_size_is_the_number_of_people_the_sample_creates(session):
    from core.sample.pilot import DEPARTMENTS, sample_organisation_size

    admin = builders.staff(session)
    load_sample_pilot(admin, session=session)
    created = session.exec(
        select(func.count()).where(Person.email.like("%@sample.example.com"))
    ).one()
    # A CEO; per department a chief, a head, a director and a manager; four juniors per
    # department and a fifth in Engineering and in Marketing.
    assert created == 1 + 4 * len(DEPARTMENTS) + 4 * len(DEPARTMENTS) + 2 == 67
    assert sample_organisation_size() == created
