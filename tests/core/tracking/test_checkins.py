from dataclasses import fields

import pytest
from sqlmodel import Session

from core.db import unit_of_work
from core.errors import DomainError, NotAllowed, ValidationFailed
from core.models import CheckIn, PairStatus
from core.tracking.checkins import (
    GoalProgress,
    goal_progress,
    my_checkins,
    submit_checkin,
)
from core.tracking.progress_overview import PairProgress, pilot_progress
from tests.builders.tracking import (  # noqa: F401
    NOT_ADMINS,
    NOT_MEMBERS_OF_PAIR_A,
    count_rows,
    tracking_db_url,
    tracking_template,
    tracking_world,
)

FEEDBACK = "Max explained things patiently; I would do it again."


def mia_ratings(world, ai: int = 2, cyber: int = 3) -> dict[int, int]:
    return {world.topics["Generative AI basics"]: ai, world.topics["Cybersecurity basics"]: cyber}


MEMBER_SERVICES = {
    "submit": lambda w, a, s: submit_checkin(a, w.pair_a, "start", {}, session=s),
    "mine": lambda w, a, s: my_checkins(a, w.pair_a, session=s),
    "goal progress": lambda w, a, s: goal_progress(a, w.pair_a, session=s),
}


@pytest.mark.parametrize("service", MEMBER_SERVICES)
@pytest.mark.parametrize("who", NOT_MEMBERS_OF_PAIR_A)
def test_member_services_refuse_everyone_else(session, world, service, who):
    with pytest.raises(NotAllowed):
        MEMBER_SERVICES[service](world, getattr(world, who), session)


def test_mentee_start_and_end_give_goal_progress_to_both(session, world):
    submit_checkin(world.mentee_a, world.pair_a, "start", mia_ratings(world, 2, 3), session=session)
    end = submit_checkin(
        world.mentee_a,
        world.pair_a,
        "end",
        mia_ratings(world, 5, 3),
        satisfaction=5,
        would_recommend=True,
        take_part_again=True,
        feedback=FEEDBACK,
        share_feedback=True,
        session=session,
    )
    assert (end.satisfaction, end.would_recommend, end.share_feedback) == (5, True, True)
    expected = [
        GoalProgress(
            world.topics["Generative AI basics"],
            "Generative AI basics",
            1,
            "Be able to use Generative AI basics in my weekly work",
            2,
            5,
            3,
        ),
        GoalProgress(
            world.topics["Cybersecurity basics"],
            "Cybersecurity basics",
            2,
            "Be able to use Cybersecurity basics in my weekly work",
            3,
            3,
            0,
        ),
    ]
    assert goal_progress(world.mentee_a, world.pair_a, session=session) == expected
    assert goal_progress(world.mentor_a, world.pair_a, session=session) == expected


def test_goal_progress_before_any_checkin_has_no_numbers(session, world):
    rows = goal_progress(world.mentor_b, world.pair_b, session=session)
    assert [(r.topic, r.before, r.after, r.change) for r in rows] == [
        ("Data literacy", None, None, None)
    ]


def test_my_checkins_are_my_own(session, world):
    submit_checkin(world.mentee_a, world.pair_a, "start", mia_ratings(world), session=session)
    strategy = world.topics["Strategy and big picture"]
    submit_checkin(world.mentor_a, world.pair_a, "start", {strategy: 4}, session=session)
    mine = my_checkins(world.mentor_a, world.pair_a, session=session)
    assert [(c.phase, c.ratings) for c in mine] == [("start", {strategy: 4})]


def test_string_topic_keys_are_accepted_and_resubmitting_updates(session, world):
    as_strings = {str(k): v for k, v in mia_ratings(world, 1, 1).items()}
    submit_checkin(world.mentee_a, world.pair_a, "start", as_strings, session=session)
    again = submit_checkin(
        world.mentee_a, world.pair_a, "start", mia_ratings(world, 2, 2), satisfaction=4,
        session=session,
    )  # fmt: skip
    assert again.ratings == mia_ratings(world, 2, 2) and again.satisfaction == 4
    assert count_rows(session, CheckIn) == (1,)


def test_mentor_without_learn_back_topics_rates_nothing(session, world):
    view = submit_checkin(world.mentor_b, world.pair_b, "start", {}, session=session)
    assert view.ratings == {}


def test_mentor_rates_each_learn_back_topic(session, world):
    with pytest.raises(ValidationFailed) as failure:
        submit_checkin(world.mentor_a, world.pair_a, "start", {}, session=session)
    assert failure.value.errors == {
        "ratings": "rate every topic from 1 to 5; missing: Strategy and big picture"
    }


@pytest.mark.parametrize(
    ("phase", "ratings", "extra", "field", "message"),
    [
        ("start", "missing cyber", {}, "ratings", "missing: Cybersecurity basics"),
        ("start", "zero", {}, "ratings", "each rating must be 1 to 5; fix: Generative AI basics"),
        ("start", "six", {}, "ratings", "each rating must be 1 to 5; fix: Generative AI basics"),
        ("start", "extra topic", {}, "ratings", "not yours to rate"),
        ("start", "ok", {"satisfaction": 0}, "satisfaction", "choose 1 (not at all) to 5"),
        ("start", "ok", {"satisfaction": 6}, "satisfaction", "choose 1 (not at all) to 5"),
        ("end", "ok", {"would_recommend": True}, "satisfaction", "is required at the end"),
        ("end", "ok", {"satisfaction": 4}, "would_recommend", "is required at the end"),
        ("start", "ok", {"feedback": "f" * 5001}, "feedback", "at most 5000 characters"),
        ("middle", "ok", {}, "phase", "must be 'start' or 'end'"),
    ],
)
def test_bad_checkin_names_the_field_and_saves_nothing(
    engine, world, phase, ratings, extra, field, message
):
    ai, cyber = world.topics["Generative AI basics"], world.topics["Cybersecurity basics"]
    given = {
        "ok": {ai: 3, cyber: 3},
        "missing cyber": {ai: 3},
        "zero": {ai: 0, cyber: 3},
        "six": {ai: 6, cyber: 3},
        "extra topic": {ai: 3, cyber: 3, world.topics["Data literacy"]: 3},
    }[ratings]
    with pytest.raises(ValidationFailed) as failure, unit_of_work(engine) as s:
        submit_checkin(world.mentee_a, world.pair_a, phase, given, **extra, session=s)
    assert list(failure.value.errors) == [field] and message in failure.value.errors[field]
    with Session(engine) as s:
        assert count_rows(s, CheckIn) == (0,)


def test_ended_pair_can_still_do_the_end_checkin_but_not_the_start(session, world):
    pair = world.pair(session, world.pair_a)
    pair.status = PairStatus.ENDED
    session.add(pair)
    with pytest.raises(DomainError, match="start check-in is for active or paused pairs"):
        submit_checkin(world.mentee_a, world.pair_a, "start", mia_ratings(world), session=session)
    view = submit_checkin(
        world.mentee_a, world.pair_a, "end", mia_ratings(world), satisfaction=3,
        would_recommend=False, session=session,
    )  # fmt: skip
    assert (view.phase, view.would_recommend) == ("end", False)


def test_completion_shows_who_did_which_phase_and_nothing_they_wrote(session, world):
    submit_checkin(
        world.mentee_a, world.pair_a, "start", mia_ratings(world), satisfaction=2,
        feedback=FEEDBACK, session=session,
    )  # fmt: skip
    submit_checkin(world.mentor_b, world.pair_c, "start", {}, session=session)
    rows = pilot_progress(world.admin, world.pilot_id, session=session)
    assert [
        (r.pair_id, r.mentee_start, r.mentee_end, r.mentor_start, r.mentor_end) for r in rows
    ] == [
        (world.pair_a, True, False, False, False),
        (world.pair_b, False, False, False, False),
        (world.pair_c, False, False, True, False),
    ]
    assert {f.name for f in fields(PairProgress)}.isdisjoint(
        {"ratings", "feedback", "satisfaction"}
    )
    assert FEEDBACK not in repr(rows)


def test_an_edit_keeps_the_first_submission_time_and_stores_the_edit_time(session, world):
    first = submit_checkin(
        world.mentee_a, world.pair_a, "start", mia_ratings(world, 1, 2), satisfaction=3,
        session=session,
    )  # fmt: skip
    assert first.edited_at is None
    edited = submit_checkin(
        world.mentee_a, world.pair_a, "start", mia_ratings(world, 2, 2), satisfaction=4,
        session=session,
    )  # fmt: skip
    assert edited.submitted_at == first.submitted_at
    assert edited.edited_at is not None and edited.edited_at >= first.submitted_at
    (stored,) = my_checkins(world.mentee_a, world.pair_a, session=session)
    assert stored.submitted_at == first.submitted_at and stored.edited_at == edited.edited_at


def test_unanswered_questions_in_an_edit_keep_the_earlier_answers(session, world):
    submit_checkin(
        world.mentee_a, world.pair_a, "start", mia_ratings(world, 1, 2), satisfaction=5,
        would_recommend=True, take_part_again=False, feedback=FEEDBACK, session=session,
    )  # fmt: skip
    edited = submit_checkin(
        world.mentee_a, world.pair_a, "start", mia_ratings(world, 3, 3), feedback=FEEDBACK,
        session=session,
    )  # fmt: skip
    assert (edited.satisfaction, edited.would_recommend, edited.take_part_again) == (5, True, False)
    assert edited.ratings == mia_ratings(world, 3, 3)
    assert count_rows(session, CheckIn) == (1,)
