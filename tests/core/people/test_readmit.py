"""A withdrawn participant can be taken back by the pilot's admins, keeping what they entered."""

from __future__ import annotations

import pytest

from core.errors import DomainError, NotAllowed
from core.models import EnrollmentStatus, Pair, PairStatus, PilotStatus, Role
from core.people.participants import (
    PersonInput,
    add_participant,
    list_participants,
    readmit_participant,
    withdraw_participant,
)
from core.people.profiles import my_goals
from core.people.roster_import import preview_roster
from tests import builders
from tests.builders.tracking import make_pair


@pytest.fixture
def pilot_world(session):
    admin = builders.staff(session)
    pilot = builders.pilot(session, admin)
    lea, lea_e = builders.participant(session, admin, pilot, "lea@x.com", Role.MENTEE, grade=12)
    builders.ready_mentee(session, lea, pilot, {"Generative AI basics": 1})
    _, max_e = builders.participant(session, admin, pilot, "max@x.com", Role.MENTOR, grade=3)
    return admin, pilot, lea, lea_e, max_e


def test_someone_who_had_joined_takes_part_again_with_their_goals(session, pilot_world):
    admin, pilot, lea, lea_e, max_e = pilot_world
    pair = make_pair(session, pilot.id, lea_e.id, max_e.id)
    withdraw_participant(admin, lea_e.id, session=session)
    with pytest.raises(NotAllowed):  # a withdrawn mentee no longer sees the pilot's pages
        my_goals(lea, pilot.id, session=session)

    back = readmit_participant(admin, lea_e.id, session=session)
    assert (back.status, back.withdrawn_at) == (EnrollmentStatus.ACTIVE, None)
    assert [g.topic for g in my_goals(lea, pilot.id, session=session)] == ["Generative AI basics"]
    # The pair the withdrawal ended stays ended: she is matched afresh.
    assert session.get(Pair, pair.id).status == PairStatus.ENDED
    active = list_participants(admin, pilot.id, status=EnrollmentStatus.ACTIVE, session=session)
    assert "lea@x.com" in {r.email for r in active}


def test_someone_invited_but_never_joined_is_invited_again(session, pilot_world):
    admin, pilot, *_ = pilot_world
    invited = add_participant(
        admin, pilot.id, PersonInput("new@x.com", "New Person", Role.MENTOR), session=session
    )
    withdraw_participant(admin, invited.id, session=session)
    assert readmit_participant(admin, invited.id, session=session).status == (
        EnrollmentStatus.INVITED
    )


def test_only_admins_readmit_and_only_the_withdrawn(session, pilot_world):
    admin, pilot, lea, lea_e, max_e = pilot_world
    with pytest.raises(DomainError, match="is active, not withdrawn"):
        readmit_participant(admin, lea_e.id, session=session)
    withdraw_participant(lea, lea_e.id, session=session)  # she leaves herself
    with pytest.raises(NotAllowed):
        readmit_participant(lea, lea_e.id, session=session)
    pilot.status = PilotStatus.CLOSED  # set-up: the pilot is over
    session.add(pilot)
    session.flush()
    with pytest.raises(DomainError, match="is closed"):
        readmit_participant(admin, lea_e.id, session=session)


def test_the_roster_import_points_at_the_readmit_and_it_holds(session, pilot_world):
    admin, pilot, lea, lea_e, _ = pilot_world
    withdraw_participant(admin, lea_e.id, session=session)
    roster = b"email,name,role\nlea@x.com,Lea,mentee\n"
    row = preview_roster(admin, pilot.id, roster, "roster.csv", session=session).rows[0]
    assert row.problems == [
        "email: lea@x.com is already in this pilot as mentee "
        "(withdrawn; re-admit them on the participants page)"
    ]
    readmit_participant(admin, lea_e.id, session=session)
    row = preview_roster(admin, pilot.id, roster, "roster.csv", session=session).rows[0]
    assert row.problems == ["email: lea@x.com is already in this pilot as mentee"]
