"""A participant's current step and its one action, step by step through the pilot."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.errors import NotAllowed
from core.models import Role
from core.pairs.offers import respond_to_pair
from core.pairs.review import PairDecision, list_pairs, publish_pairs, review_pairs
from core.pairs.run import run_matching
from core.people.profiles import complete_orientation
from core.tracking.calendar_export import plan_session
from core.tracking.checkins import submit_checkin
from core.tracking.next_step import (
    CURRENT,
    DONE,
    END,
    LATER,
    MY_EXPERTISE,
    MY_GOALS,
    MY_PAIR,
    MY_PROFILE,
    ORIENTATION,
    PAIR,
    PARTNER,
    PROFILE,
    NextAction,
    participant_home,
)
from tests import builders
from tests.builders.tracking import (  # noqa: F401
    tracking_db_url,
    tracking_template,
    tracking_world,
)


def current(home) -> str:
    (step,) = [s.key for s in home.steps if s.state == CURRENT]
    return step


@pytest.fixture
def fresh(session, world):
    """A second, recruiting pilot that requires orientation: Lea (mentee) and Max (mentor)
    joined it."""
    admin = world.admin
    pilot = builders.pilot(session, admin, name="Pilot 2028", orientation_required=True)
    lea, _ = builders.participant(session, admin, pilot, "lea@x.com", Role.MENTEE, grade=12)
    max_, _ = builders.participant(session, admin, pilot, "max@x.com", Role.MENTOR, grade=3)
    return admin, pilot, lea, max_


def test_a_new_participant_starts_with_the_profile(session, fresh):
    _, pilot, lea, max_ = fresh
    home = participant_home(lea, pilot.id, session=session)
    assert current(home) == PROFILE
    assert home.action == NextAction("Complete your profile", MY_GOALS)
    assert [s.key for s in home.steps] == [PROFILE, ORIENTATION, PARTNER, PAIR, END]
    assert "at least one learning goal" in home.steps[0].detail
    mentor = participant_home(max_, pilot.id, session=session)
    assert mentor.action == NextAction("Complete your profile", MY_EXPERTISE)
    assert ORIENTATION not in [s.key for s in mentor.steps]  # mentee orientation only


def test_orientation_comes_after_the_profile_then_matching(session, fresh):
    _, pilot, lea, _ = fresh
    builders.ready_mentee(session, lea, pilot, {"Generative AI basics": 1})
    home = participant_home(lea, pilot.id, session=session)
    assert current(home) == ORIENTATION
    assert home.action == NextAction("Read the orientation", MY_PROFILE)
    assert home.steps[0].state == DONE
    complete_orientation(lea, pilot.id, session=session)
    home = participant_home(lea, pilot.id, session=session)
    # Waiting for the programme team: no button, a sentence that says so.
    assert (current(home), home.action) == (PARTNER, None)
    assert "The programme team is matching pairs" in home.headline


def test_the_suggested_partner_then_waiting_for_them(session, fresh):
    admin, pilot, lea, max_ = fresh
    builders.ready_mentee(session, lea, pilot, {"Generative AI basics": 1})
    complete_orientation(lea, pilot.id, session=session)
    builders.ready_mentor(session, max_, pilot, {"Generative AI basics": 3})
    run_matching(admin, pilot.id, session=session)
    (row,) = list_pairs(admin, pilot.id, session=session)
    review_pairs(admin, pilot.id, [PairDecision(row.pair_id, "approve")], session=session)
    # Approved but not published: the participants do not know yet.
    assert participant_home(lea, pilot.id, session=session).action is None
    publish_pairs(admin, pilot.id, session=session)
    home = participant_home(lea, pilot.id, session=session)
    assert current(home) == PARTNER
    assert home.action == NextAction("Accept or decline your partner", MY_PAIR)
    assert home.headline == "Max is your suggested partner."
    respond_to_pair(lea, row.pair_id, True, session=session)
    home = participant_home(lea, pilot.id, session=session)
    assert (current(home), home.action) == (PARTNER, None)
    assert home.headline == "You accepted. Waiting for Max to accept too."


def test_a_running_pair_leads_to_the_check_in_then_the_next_session(session, world):
    now = datetime.now(UTC)
    home = participant_home(world.mentee_a, world.pilot_id, session=session, now=now)
    assert current(home) == PAIR
    assert home.partner_name == "Mentor A"
    assert home.action == NextAction("Do your start check-in", MY_PAIR)
    ratings = {world.topics["Generative AI basics"]: 2, world.topics["Cybersecurity basics"]: 3}
    submit_checkin(world.mentee_a, world.pair_a, "start", ratings, session=session)
    home = participant_home(world.mentee_a, world.pilot_id, session=session, now=now)
    assert home.action == NextAction("Plan your next session", MY_PAIR)
    starts = (now + timedelta(days=2)).replace(microsecond=0)
    plan_session(world.mentee_a, world.pair_a, starts, 45, session=session)
    home = participant_home(world.mentee_a, world.pilot_id, session=session, now=now)
    assert home.action == NextAction("Open your pair", MY_PAIR)
    assert home.next_session == starts
    assert "next session" in home.steps[3].detail
    assert home.steps[-1].state == LATER


def test_the_end_check_in_opens_a_week_before_the_end(session, world):
    ratings = {world.topics["Generative AI basics"]: 4, world.topics["Cybersecurity basics"]: 4}
    near_end = datetime.combine(world.end - timedelta(days=3), datetime.min.time(), tzinfo=UTC)
    home = participant_home(world.mentee_a, world.pilot_id, session=session, now=near_end)
    assert current(home) == END
    assert home.action == NextAction("Do your end check-in", MY_PAIR)
    submit_checkin(
        world.mentee_a,
        world.pair_a,
        "end",
        ratings,
        satisfaction=4,
        would_recommend=True,
        session=session,
    )
    home = participant_home(world.mentee_a, world.pilot_id, session=session, now=near_end)
    assert home.action is None
    assert home.steps[-1].state == DONE
    assert "Thank you" in home.headline


def test_a_mentee_without_a_pair_waits_for_matching(session, world):
    # This pilot does not require the orientation: it is still the step to do first.
    home = participant_home(world.lone_mentee, world.pilot_id, session=session)
    assert (current(home), home.action.page) == (ORIENTATION, MY_PROFILE)
    assert home.steps[1].detail == "A short read on how reverse mentoring works."
    complete_orientation(world.lone_mentee, world.pilot_id, session=session)
    home = participant_home(world.lone_mentee, world.pilot_id, session=session)
    assert (current(home), home.action) == (PARTNER, None)


@pytest.mark.parametrize("who", ["admin", "outsider_admin"])
def test_only_the_pilots_participants_have_a_next_step(session, world, who):
    with pytest.raises(NotAllowed):
        participant_home(getattr(world, who), world.pilot_id, session=session)
