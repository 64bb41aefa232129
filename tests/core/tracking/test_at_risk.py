from datetime import date, timedelta

import pytest
from sqlalchemy import event
from sqlmodel import select

from core.errors import NotAllowed
from core.models import Enrollment, EnrollmentStatus, Milestone, PairStatus, Person, Role
from core.pairs.exit import pause_pair
from core.people.participants import withdraw_participant
from core.tracking.at_risk import (
    ASKED_FOR_HELP,
    INACTIVE,
    MILESTONE_OVERDUE,
    PAUSED_TOO_LONG,
    AtRisk,
    at_risk_by_pair,
    at_risk_pairs,
)
from core.tracking.checkins import submit_checkin
from core.tracking.milestone_progress import tick_pair_milestone
from core.tracking.session_log import SessionInput, record_session
from tests.builders.tracking import (  # noqa: F401
    NOT_ADMINS,
    days_ago,
    make_pair,
    tracking_db_url,
    tracking_template,
    tracking_world,
)

TODAY = date.today()


def risks(session, world, days_from_now: int = 0) -> dict[int, AtRisk]:
    today = TODAY + timedelta(days=days_from_now)
    return {
        r.pair_id: r
        for r in at_risk_pairs(world.admin, world.pilot_id, session=session, today=today)
    }


def started_long_ago(session, world, *pair_ids: int, days: int = 30) -> None:
    """Set-up: the pairs were accepted `days` ago."""
    for pair_id in pair_ids:
        pair = world.pair(session, pair_id)
        pair.accepted_at = days_ago(days)
        session.add(pair)
    session.flush()


@pytest.mark.parametrize("service", [at_risk_pairs, at_risk_by_pair])
@pytest.mark.parametrize("who", NOT_ADMINS)
def test_only_the_pilots_admins_see_pairs_at_risk(session, world, who, service):
    with pytest.raises(NotAllowed):
        service(getattr(world, who), world.pilot_id, session=session)


def test_fresh_pairs_are_fine(session, world):
    assert risks(session, world) == {}


def test_no_session_since_the_pair_started(session, world):
    started_long_ago(session, world, world.pair_a)
    assert risks(session, world) == {
        world.pair_a: AtRisk(
            world.pair_a,
            "Mentee A",
            "Mentor A",
            ["No session logged in the 30 days since the pair started (limit 21)"],
            "Nudge both to book a session",
            (INACTIVE,),
            PairStatus.ACTIVE,
        )
    }


def test_days_since_the_last_session_count_from_the_session(session, world):
    started_long_ago(session, world, world.pair_a)
    held = TODAY - timedelta(days=3)
    record_session(world.mentee_a, world.pair_a, SessionInput(held, 30), session=session)
    assert world.pair_a not in risks(session, world)
    assert INACTIVE not in risks(session, world, 17)[world.pair_a].kinds  # 20 days: fine
    flagged = risks(session, world, 18)[world.pair_a]  # 21 days
    assert flagged.reasons == [
        "No session for 21 days (limit 21)",
        "Overdue milestone: Mentee orientation (14 days late)",
    ]
    assert (flagged.kinds, flagged.suggested_action) == (
        (INACTIVE, MILESTONE_OVERDUE),
        "Nudge both to book a session",
    )


def test_overdue_pair_milestone(session, world):
    orientation = session.exec(
        select(Milestone.id).where(
            Milestone.pilot_id == world.pilot_id, Milestone.key == "orientation"
        )
    ).one()
    tick_pair_milestone(world.mentee_a, world.pair_a, orientation, TODAY, session=session)
    found = risks(session, world, 5)  # orientation was due 4 days from now
    assert set(found) == {world.pair_b, world.pair_c}
    assert found[world.pair_b].reasons == ["Overdue milestone: Mentee orientation (1 day late)"]
    assert found[world.pair_b].suggested_action == "Remind the pair of the overdue milestone"


def test_a_request_for_help_flags_the_pair_and_no_rating_ever_does(session, world):
    strategy = world.topics["Strategy and big picture"]
    # Pair a: the mentor rates the pair 1 of 5 but does not ask for help. Pair b: the mentor
    # is satisfied (5 of 5) and asks the programme team for help.
    submit_checkin(
        world.mentor_a, world.pair_a, "start", {strategy: 3}, satisfaction=1, session=session
    )
    submit_checkin(
        world.mentor_b, world.pair_b, "start", {}, satisfaction=5, needs_help=True,
        session=session,
    )  # fmt: skip
    found = risks(session, world)
    assert list(found) == [world.pair_b]
    assert found[world.pair_b].reasons == [
        "The mentor asked the programme team for help in the start check-in"
    ]
    assert found[world.pair_b].kinds == (ASKED_FOR_HELP,)
    assert found[world.pair_b].suggested_action == (
        "Talk to each member privately about how the pair is going"
    )


def test_the_at_risk_list_shows_no_rating(session, world):
    strategy = world.topics["Strategy and big picture"]
    submit_checkin(
        world.mentor_a, world.pair_a, "start", {strategy: 2}, satisfaction=2, needs_help=True,
        session=session,
    )  # fmt: skip
    flagged = at_risk_pairs(world.admin, world.pilot_id, session=session, today=TODAY)
    (row,) = flagged
    text = " ".join(row.reasons).lower() + " " + row.suggested_action.lower()
    assert "satisf" not in text and "out of 5" not in text and "rated" not in text
    assert not any(ch.isdigit() for ch in text)


def test_paused_too_long(session, world):
    pause_pair(world.mentee_a, world.pair_a, reason="busy quarter", session=session)
    assert world.pair_a not in risks(session, world, 20)
    flagged = risks(session, world, 21)[world.pair_a]
    assert (flagged.reasons, flagged.kinds, flagged.suggested_action) == (
        ["Paused for 21 days (limit 21)"],
        (PAUSED_TOO_LONG,),
        "Ask both whether to resume or end the pair",
    )
    assert "busy quarter" not in repr(flagged)


def test_withdrawn_mentor_leaves_the_mentee_waiting_until_rematched(session, world):
    withdraw_participant(world.admin, world.enrollments["mentor_a"], session=session)
    found = risks(session, world)
    assert found[world.pair_a].reasons == ["The mentor withdrew; the mentee has no new pair"]
    assert found[world.pair_a].suggested_action == "Offer a re-match"
    make_pair(
        session,
        world.pilot_id,
        world.enrollments["mentee_a"],
        world.enrollments["mentor_b"],
        status=PairStatus.SUGGESTED,
    )
    assert world.pair_a not in risks(session, world)


def test_withdrawn_mentee_leaves_the_mentor_waiting(session, world):
    withdraw_participant(world.mentee_b, world.enrollments["mentee_b"], session=session)
    found = risks(session, world)
    assert found[world.pair_b].reasons == ["The mentee withdrew; the mentor has no new pair"]


def test_declined_match_without_a_new_pair(session, world):
    e = world.enrollments
    older = make_pair(
        session, world.pilot_id, e["lone_mentee"], e["mentor_a"], status=PairStatus.DECLINED
    )
    newer = make_pair(
        session, world.pilot_id, e["lone_mentee"], e["mentor_b"], status=PairStatus.DECLINED
    )
    found = risks(session, world)
    assert older.id not in found
    assert (found[newer.id].mentee_name, found[newer.id].reasons) == (
        "Lone Mentee",
        ["The match was declined; the mentee has no new pair"],
    )
    make_pair(session, world.pilot_id, e["lone_mentee"], e["mentor_a"], status=PairStatus.PUBLISHED)
    assert newer.id not in risks(session, world)


def test_most_urgent_first(session, world):
    started_long_ago(session, world, world.pair_a, world.pair_b)
    withdraw_participant(world.admin, world.enrollments["mentee_c"], session=session)
    assert [r.pair_id for r in at_risk_pairs(world.admin, world.pilot_id, session=session)] == [
        world.pair_c,  # re-match first
        world.pair_a,
        world.pair_b,
    ]


def test_by_pair_gives_the_same_answers(session, world):
    started_long_ago(session, world, world.pair_a)
    by_pair = at_risk_by_pair(world.admin, world.pilot_id, session=session, today=TODAY)
    assert list(by_pair.values()) == at_risk_pairs(
        world.admin, world.pilot_id, session=session, today=TODAY
    )


def test_query_count_does_not_grow_with_the_number_of_pairs(engine, session, world):
    def statements_for_assessment() -> int:
        seen: list[str] = []

        def count(conn, cursor, statement, *args):  # noqa: ANN001
            seen.append(statement)

        event.listen(engine, "before_cursor_execute", count)
        try:
            at_risk_pairs(world.admin, world.pilot_id, session=session, today=TODAY)
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(seen)

    few = statements_for_assessment()
    for i in range(30):  # one mentee each: a mentee holds one pair at a time
        person = Person(email=f"mentee{i}@example.com", name=f"Mentee {i}")
        session.add(person)
        session.flush()
        mentee = Enrollment(
            pilot_id=world.pilot_id,
            person_id=person.id,
            role=Role.MENTEE,
            status=EnrollmentStatus.ACTIVE,
        )
        session.add(mentee)
        session.flush()
        pair = make_pair(session, world.pilot_id, mentee.id, world.enrollments["mentor_a"])
        record_session(world.mentor_a, pair.id, SessionInput(TODAY, 30), session=session)
    assert (
        len(
            at_risk_pairs(
                world.admin, world.pilot_id, session=session, today=TODAY + timedelta(days=30)
            )
        )
        == 33
    )
    assert statements_for_assessment() == few


def test_a_pair_ended_early_leaves_the_mentee_waiting_but_not_at_the_pilots_end(session, world):
    from core.pairs.exit import end_pair

    end_pair(world.mentor_a, world.pair_a, reason="We stopped clicking", session=session)
    flagged = risks(session, world)[world.pair_a]
    assert flagged.reasons == ["The pair ended early; the mentee has no new pair"]
    assert flagged.suggested_action == "Offer a re-match"
    # The same end two weeks before the pilot's end is the natural finish: nothing to do.
    pilot = world.pilot(session)
    pair = world.pair(session, world.pair_a)
    pilot.end_date = pair.ended_at.date() + timedelta(days=10)
    session.add(pilot)
    session.flush()
    assert world.pair_a not in risks(session, world)
