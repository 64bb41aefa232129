"""The admin's checklist from set-up to closing, and what needs attention today."""

from __future__ import annotations

import pytest

from core.errors import NotAllowed
from core.models import EnrollmentStatus, Pilot, PilotStatus, Role
from core.pairs.exit import raise_concern
from core.pilots.settings import PilotInput, create_pilot
from core.tracking.checkins import submit_checkin
from core.tracking.pilot_checklist import (
    MATCHING,
    PARTICIPANTS,
    PILOT_SETUP,
    PROGRESS,
    admin_home,
)
from tests import builders
from tests.builders.tracking import (  # noqa: F401
    tracking_db_url,
    tracking_template,
    tracking_world,
)

ORDER = ["settings", "people", "profiles", "matching", "publish", "active", "checkins",
         "report", "close"]  # fmt: skip


def done(home) -> dict[str, bool]:
    return {item.key: item.done for item in home.checklist}


def test_a_new_pilot_starts_with_its_set_up(session, world):
    pilot = create_pilot(
        world.admin,
        PilotInput(name="Draft 2028", start_date=world.start, end_date=world.end, purpose="x"),
        session=session,
    )
    home = admin_home(world.admin, pilot.id, session=session)
    assert [i.key for i in home.checklist] == ORDER
    assert (home.status, home.next_item.key, home.next_item.page) == (
        PilotStatus.DRAFT, "settings", PILOT_SETUP,
    )  # fmt: skip
    assert not any(done(home).values())
    pilot.status = PilotStatus.RECRUITING
    session.add(pilot)
    home = admin_home(world.admin, pilot.id, session=session)
    assert (home.next_item.key, home.next_item.page) == ("people", PARTICIPANTS)
    assert home.attention == []


def test_a_running_pilot_has_its_counts_and_next_step(session, world):
    home = admin_home(world.admin, world.pilot_id, session=session)
    # Three accepted pairs, nobody checked in yet: set-up to "pairs start" is done.
    assert done(home) == {key: key in ORDER[:6] for key in ORDER}
    assert home.next_item.key == "checkins"
    counts = {item.key: item.counts for item in home.checklist}
    assert counts["people"] == "4 of 4 invited mentees and 2 of 2 invited mentors joined"
    assert counts["matching"] == "3 of 4 mentees in the pilot have a pair"
    assert counts["active"] == "3 active, 0 paused; 0 published pairs waiting for an answer"
    assert counts["checkins"] == "start check-ins 0 of 6; end check-ins 0 of 6"
    unpaired = [a for a in home.attention if a.key == "unpaired"]
    assert [(a.count, a.text, a.page) for a in unpaired] == [
        (1, "1 mentee in the pilot without a pair", MATCHING)
    ]


def test_attention_names_facts_not_answers(session, world):
    ratings = {world.topics["Data literacy"]: 1}
    submit_checkin(world.mentee_b, world.pair_b, "start", ratings, needs_help=True,
                   feedback="private words", session=session)  # fmt: skip
    raise_concern(
        world.mentor_b, world.pair_b, "My mentee keeps cancelling our sessions", session=session
    )
    pending, enrollment = builders.participant(
        session, world.admin, world.pilot(session), "pat@x.com", Role.MENTOR
    )
    enrollment.status = EnrollmentStatus.PENDING  # a volunteer nobody approved yet
    session.add(enrollment)
    home = admin_home(world.admin, world.pilot_id, session=session)
    by_key = {a.key: a for a in home.attention}
    assert by_key["concerns"].text == "1 confidential concern not resolved yet"
    assert by_key["volunteers"].text == "1 volunteer waiting for your approval"
    assert by_key["at_risk"].page == PROGRESS and by_key["at_risk"].count >= 1
    everything = " ".join(a.text for a in home.attention) + " ".join(
        i.counts for i in home.checklist
    )
    for private in ("private words", "cancelling", "rating", "satisf"):
        assert private not in everything
    counts = {item.key: item.counts for item in home.checklist}
    assert counts["checkins"] == "start check-ins 1 of 6; end check-ins 0 of 6"


def test_a_closed_pilot_has_every_step_done(session, world):
    pilot: Pilot = world.pilot(session)
    pilot.status = PilotStatus.CLOSED
    session.add(pilot)
    home = admin_home(world.admin, world.pilot_id, session=session)
    assert done(home)["close"] and done(home)["report"]


@pytest.mark.parametrize("who", ["mentee_a", "mentor_a", "outsider_admin"])
def test_only_the_pilots_admins_see_the_checklist(session, world, who):
    with pytest.raises(NotAllowed):
        admin_home(getattr(world, who), world.pilot_id, session=session)
