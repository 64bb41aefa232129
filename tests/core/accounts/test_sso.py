"""Who single sign-on signs in: known people by verified email; an unknown or org-chart-only
email only with a valid personal invitation."""

from __future__ import annotations

import pytest

from core.accounts.sso import sign_in_with_sso
from core.errors import NotAllowed
from core.models import EnrollmentStatus, Person, Role
from core.people.participants import PersonInput, add_participant
from tests import builders


@pytest.fixture
def world(session):
    admin = builders.staff(session)
    pilot = builders.pilot(session, admin)
    mentee, _ = builders.participant(session, admin, pilot, "lea@example.com", Role.MENTEE)
    session.add(Person(email="olga@example.com", name="Olga Orgchart"))
    invited = add_participant(
        admin, pilot.id, PersonInput("ivo@example.com", "Ivo Invited", Role.MENTOR), session=session
    )
    session.flush()
    return admin, mentee, invited


def test_a_known_person_signs_in_by_verified_email(session, world):
    _, mentee, _ = world
    assert sign_in_with_sso("Lea@Example.com", email_verified=True, session=session) == mentee


@pytest.mark.parametrize("email", ["stranger@example.com", "olga@example.com", "ivo@example.com"])
def test_unknown_org_chart_only_and_not_yet_sent_invitations_are_refused(session, world, email):
    with pytest.raises(NotAllowed, match="not invited"):
        sign_in_with_sso(email, email_verified=True, session=session)


def test_a_valid_invitation_lets_sso_in_and_activates_the_enrollment(session, world):
    admin, _, invited = world
    builders.invitation_token(session, admin, invited.id)
    actor = sign_in_with_sso("ivo@example.com", email_verified=True, session=session)
    assert actor.email == "ivo@example.com"
    session.refresh(invited)
    assert invited.status == EnrollmentStatus.ACTIVE


def test_an_unverified_email_is_refused(session, world):
    with pytest.raises(NotAllowed, match="not verified"):
        sign_in_with_sso("lea@example.com", email_verified=False, session=session)
