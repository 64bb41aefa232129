from datetime import UTC, date, datetime, time, timedelta

import pytest

from core.errors import NotAllowed
from core.models import PairStatus
from core.tracking.calendar_export import plan_session
from core.tracking.checkins import submit_checkin
from core.tracking.my_pair import CheckInStatus, GoalSummary, PartnerProfile, my_pair
from core.tracking.session_log import SessionInput, annotate_session, record_session
from tests.builders.tracking import (  # noqa: F401
    NOT_MEMBERS_OF_PAIR_A,
    make_pair,
    tracking_db_url,
    tracking_template,
    tracking_world,
)

YESTERDAY = date.today() - timedelta(days=1)


@pytest.mark.parametrize("who", NOT_MEMBERS_OF_PAIR_A)
def test_nobody_else_opens_pair_a(session, world, who):
    with pytest.raises(NotAllowed):
        my_pair(getattr(world, who), world.pilot_id, pair_id=world.pair_a, session=session)


def test_outsiders_of_the_pilot_are_refused_and_unpaired_mentees_get_nothing(session, world):
    with pytest.raises(NotAllowed):
        my_pair(world.outsider_admin, world.pilot_id, session=session)
    assert my_pair(world.lone_mentee, world.pilot_id, session=session) is None


def test_mentee_sees_everything_for_the_page_in_one_call(session, world):
    ai = world.topics["Generative AI basics"]
    logged = record_session(
        world.mentee_a,
        world.pair_a,
        SessionInput(YESTERDAY, 50, [ai], "Tried three prompts.", "my own note", 4),
        session=session,
    )
    annotate_session(world.mentor_a, logged.id, private_note="Max's note", session=session)
    submit_checkin(
        world.mentee_a, world.pair_a, "start",
        {ai: 2, world.topics["Cybersecurity basics"]: 4}, session=session,
    )  # fmt: skip
    view = my_pair(world.mentee_a, world.pilot_id, session=session)
    assert view is not None
    assert (view.pair.id, view.pair.my_role, view.pair.partner_name) == (
        world.pair_a,
        "mentee",
        "Mentor A",
    )
    assert view.partner == PartnerProfile("Mentor A", "", "", "UTC", ("mon-am",), "max@example.com")
    assert view.goals == [
        GoalSummary(
            ai, "Generative AI basics", 1, "Be able to use Generative AI basics in my weekly work"
        ),
        GoalSummary(
            world.topics["Cybersecurity basics"],
            "Cybersecurity basics",
            2,
            "Be able to use Cybersecurity basics in my weekly work",
        ),
    ]
    assert view.next_milestone is not None
    assert (view.next_milestone.key, view.next_milestone.status) == ("orientation", "upcoming")
    assert len(view.milestones) == 7
    assert [(s.minutes, s.my_note, s.my_candour) for s in view.sessions] == [(50, "my own note", 4)]
    assert view.total_minutes == 50
    assert view.checkins == [
        CheckInStatus("start", True, False),
        CheckInStatus("end", False, False),
    ]
    assert [(g.topic, g.before, g.after) for g in view.goal_progress] == [
        ("Generative AI basics", 2, None),
        ("Cybersecurity basics", 4, None),
    ]
    assert "Max's note" not in repr(view)


def test_mentor_sees_the_mentees_goals_and_own_side(session, world):
    starts = datetime.combine(date.today() + timedelta(days=3), time(9), tzinfo=UTC)
    plan_session(world.mentor_a, world.pair_a, starts, 30, "Prompt clinic", session=session)
    view = my_pair(world.mentor_a, world.pilot_id, session=session)
    assert view is not None
    assert view.pair.my_role == "mentor" and view.partner.name == "Mentee A"
    assert view.partner.email == "mia@example.com"
    assert [g.topic for g in view.goals] == ["Generative AI basics", "Cybersecurity basics"]
    assert view.sessions == []
    assert [(p.title, p.starts_at) for p in view.planned] == [("Prompt clinic", starts)]


def test_mentor_with_two_pairs_chooses_one(session, world):
    newest = my_pair(world.mentor_b, world.pilot_id, session=session)
    chosen = my_pair(world.mentor_b, world.pilot_id, pair_id=world.pair_b, session=session)
    assert (newest.pair.id, newest.partner.name) == (world.pair_c, "Mentee C")
    assert (chosen.pair.id, chosen.partner.name) == (world.pair_b, "Mentee B")
    assert [g.topic for g in chosen.goals] == ["Data literacy"]


def test_email_is_shared_only_once_both_accepted(session, world):
    make_pair(
        session,
        world.pilot_id,
        world.enrollments["lone_mentee"],
        world.enrollments["mentor_a"],
        status=PairStatus.PUBLISHED,
    )
    view = my_pair(world.lone_mentee, world.pilot_id, session=session)
    assert view is not None and view.pair.status == PairStatus.PUBLISHED
    assert (view.partner.name, view.partner.email) == ("Mentor A", "")
