"""The profile view: what a participant still has to do, orientation included."""

from __future__ import annotations

import pytest

from core.errors import ValidationFailed
from core.models import Role
from core.people.participants import MAX_MENTEES_PER_MENTOR, capacity_problem
from core.people.profiles import ProfileInput, complete_orientation, my_profile, save_profile
from tests import builders


def test_the_profile_says_whether_the_mentee_is_oriented(session):
    admin = builders.staff(session)
    pilot = builders.pilot(session, admin)
    mentee, _ = builders.participant(session, admin, pilot, "lea@example.com", Role.MENTEE)
    assert my_profile(mentee, pilot.id, session=session).oriented is False
    complete_orientation(mentee, pilot.id, session=session)
    assert my_profile(mentee, pilot.id, session=session).oriented is True


def test_a_mentor_is_never_reported_oriented(session):
    admin = builders.staff(session)
    pilot = builders.pilot(session, admin)
    mentor, _ = builders.participant(session, admin, pilot, "max@example.com", Role.MENTOR)
    assert my_profile(mentor, pilot.id, session=session).oriented is False


def test_one_capacity_rule_for_the_form_the_roster_and_the_profile(session):
    assert capacity_problem(MAX_MENTEES_PER_MENTOR) is None
    assert capacity_problem(MAX_MENTEES_PER_MENTOR + 1) == "a mentor takes 1 to 3 mentees"
    admin = builders.staff(session)
    pilot = builders.pilot(session, admin)
    mentor, _ = builders.participant(session, admin, pilot, "max@example.com", Role.MENTOR)
    with pytest.raises(ValidationFailed) as refused:
        save_profile(mentor, pilot.id, ProfileInput(capacity=4, consent=True), session=session)
    assert refused.value.errors["capacity"] == "a mentor takes 1 to 3 mentees"
