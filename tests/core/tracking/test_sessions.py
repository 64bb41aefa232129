from datetime import date, timedelta

import pytest
from sqlmodel import Session

from core.db import unit_of_work
from core.errors import DomainError, NotAllowed, ValidationFailed
from core.models import CandourPulse, MentoringSession, PairStatus, PilotStatus, SessionNote
from core.pairs.exit import list_concerns, pair_events
from core.tracking.at_risk import at_risk_pairs
from core.tracking.progress_overview import pilot_progress
from core.tracking.pulse import candour_summary
from core.tracking.session_log import (
    SessionInput,
    annotate_session,
    delete_session,
    list_sessions,
    record_session,
    update_session,
)
from tests.builders.tracking import (  # noqa: F401
    NOT_MEMBERS_OF_PAIR_A,
    count_rows,
    tracking_db_url,
    tracking_template,
    tracking_world,
)

YESTERDAY = date.today() - timedelta(days=1)
SECRET = "Mia's private worry about her own team"
LOG_TABLES = (MentoringSession, SessionNote, CandourPulse)


def a_session(world, **changes) -> SessionInput:
    data = {
        "held_on": YESTERDAY,
        "minutes": 45,
        "topic_ids": [world.topics["Generative AI basics"]],
        "takeaways": "Drafted a memo with an AI assistant.",
        "private_note": SECRET,
        "candour": 4,
    }
    data.update(changes)
    return SessionInput(**data)


@pytest.fixture
def logged(session, world) -> int:
    return record_session(world.mentee_a, world.pair_a, a_session(world), session=session).id


SERVICES = {
    "record": lambda w, a, s, sid: record_session(a, w.pair_a, a_session(w), session=s),
    "update": lambda w, a, s, sid: update_session(a, sid, a_session(w), session=s),
    "annotate": lambda w, a, s, sid: annotate_session(a, sid, private_note="x", session=s),
    "delete": lambda w, a, s, sid: delete_session(a, sid, session=s),
    "list": lambda w, a, s, sid: list_sessions(a, w.pair_a, session=s),
}


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("who", NOT_MEMBERS_OF_PAIR_A)
def test_only_members_of_the_pair_may_use_the_log(session, world, logged, service, who):
    with pytest.raises(NotAllowed):
        SERVICES[service](world, getattr(world, who), session, logged)
    assert count_rows(session, *LOG_TABLES) == (1, 1, 1)


def test_recorded_session_is_shared_but_the_note_is_not(session, world, logged):
    mine = list_sessions(world.mentee_a, world.pair_a, session=session)
    theirs = list_sessions(world.mentor_a, world.pair_a, session=session)
    assert [(v.held_on, v.minutes, v.topics, v.author_name, v.mine) for v in mine] == [
        (YESTERDAY, 45, ("Generative AI basics",), "Mentee A", True)
    ]
    assert (mine[0].my_note, mine[0].my_candour) == (SECRET, 4)
    assert (theirs[0].takeaways, theirs[0].mine) == ("Drafted a memo with an AI assistant.", False)
    assert (theirs[0].my_note, theirs[0].my_candour) == ("", None)
    assert SECRET not in repr(theirs)


def test_partner_adds_their_own_note_and_pulse_without_seeing_the_authors(session, world, logged):
    view = annotate_session(
        world.mentor_a, logged, private_note="Max: slow down next time", candour=5, session=session
    )
    assert (view.my_note, view.my_candour, view.mine) == ("Max: slow down next time", 5, False)
    mine = list_sessions(world.mentee_a, world.pair_a, session=session)[0]
    assert (mine.my_note, mine.my_candour) == (SECRET, 4)
    assert "Max: slow down" not in repr(mine)


def test_private_notes_never_reach_the_admins(session, world, logged):
    annotate_session(world.mentor_a, logged, private_note="Max's own secret", session=session)
    reports = [
        pilot_progress(world.admin, world.pilot_id, session=session),
        at_risk_pairs(world.admin, world.pilot_id, session=session),
        candour_summary(world.admin, world.pilot_id, session=session),
        list_concerns(world.admin, world.pilot_id, session=session),
        pair_events(world.admin, world.pair_a, session=session),
    ]
    text = repr(reports)
    assert SECRET not in text and "Max's own secret" not in text
    with pytest.raises(NotAllowed):
        list_sessions(world.admin, world.pair_a, session=session)


def test_only_the_author_edits_or_deletes(session, world, logged):
    with pytest.raises(NotAllowed, match="Only the person who logged this session"):
        update_session(world.mentor_a, logged, a_session(world), session=session)
    with pytest.raises(NotAllowed, match="Only the person who logged this session"):
        delete_session(world.mentor_a, logged, session=session)


def test_update_changes_shared_fields_and_clears_own_note_and_pulse(session, world, logged):
    view = update_session(
        world.mentee_a,
        logged,
        a_session(world, minutes=60, topic_ids=[], private_note="  ", candour=None),
        session=session,
    )
    assert (view.minutes, view.topics, view.my_note, view.my_candour) == (60, (), "", None)
    assert count_rows(session, *LOG_TABLES) == (1, 0, 0)


def test_delete_removes_both_members_notes_and_pulses(session, world, logged):
    annotate_session(world.mentor_a, logged, private_note="mine", candour=3, session=session)
    assert count_rows(session, *LOG_TABLES) == (1, 2, 2)
    delete_session(world.mentee_a, logged, session=session)
    assert count_rows(session, *LOG_TABLES) == (0, 0, 0)
    assert list_sessions(world.mentor_a, world.pair_a, session=session) == []


def test_whole_float_minutes_are_accepted(session, world):
    view = record_session(
        world.mentor_a, world.pair_a, a_session(world, minutes=30.0), session=session
    )
    assert view.minutes == 30


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"held_on": date.today() + timedelta(days=1)}, "held_on", "cannot be in the future"),
        ({"held_on": None}, "held_on", "is required"),
        ({"held_on": date.today() - timedelta(days=11)}, "held_on", "before the pilot started"),
        ({"minutes": -30}, "minutes", "whole number of minutes from 5 to 480"),
        ({"minutes": 4}, "minutes", "from 5 to 480 (got 4)"),
        ({"minutes": 481}, "minutes", "from 5 to 480 (got 481)"),
        ({"minutes": 45.5}, "minutes", "whole number"),
        ({"minutes": None}, "minutes", "whole number"),
        ({"topic_ids": [999_999]}, "topic_ids", "not among the mentee's learning goals"),
        ({"takeaways": "x" * 5001}, "takeaways", "at most 5000 characters (now 5,001)"),
        ({"private_note": "n" * 100_000}, "private_note", "at most 5000 characters (now 100,000)"),
        ({"candour": 0}, "candour", "choose 1 (not at all) to 5"),
        ({"candour": 6}, "candour", "choose 1 (not at all) to 5"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(engine, world, changes, field, message):
    with Session(engine) as s:
        before = count_rows(s, *LOG_TABLES)
    with pytest.raises(ValidationFailed) as failure, unit_of_work(engine) as s:
        record_session(world.mentee_a, world.pair_a, a_session(world, **changes), session=s)
    assert list(failure.value.errors) == [field]
    assert message in failure.value.errors[field]
    with Session(engine) as s:
        assert count_rows(s, *LOG_TABLES) == before == (0, 0, 0)


def test_topic_of_another_mentee_is_refused(session, world):
    with pytest.raises(ValidationFailed) as failure:
        record_session(
            world.mentee_a,
            world.pair_a,
            a_session(world, topic_ids=[world.topics["Data literacy"]]),
            session=session,
        )
    assert "Generative AI basics, Cybersecurity basics" in failure.value.errors["topic_ids"]


def test_session_after_the_pilot_ended_is_refused(session, world):
    pilot = world.pilot(session)
    pilot.end_date = YESTERDAY  # set-up: a pilot that ended yesterday
    session.add(pilot)
    with pytest.raises(ValidationFailed) as failure:
        record_session(
            world.mentee_a, world.pair_a, a_session(world, held_on=date.today()), session=session
        )
    assert failure.value.errors == {
        "held_on": f"cannot be after the pilot ended ({YESTERDAY:%d %b %Y})"
    }


def test_a_failed_update_keeps_the_original(engine, world):
    with unit_of_work(engine) as s:
        sid = record_session(world.mentee_a, world.pair_a, a_session(world), session=s).id
    with pytest.raises(ValidationFailed), unit_of_work(engine) as s:
        update_session(world.mentee_a, sid, a_session(world, minutes=90, candour=9), session=s)
    with Session(engine) as s:
        view = list_sessions(world.mentee_a, world.pair_a, session=s)[0]
        assert (view.minutes, view.my_candour, view.my_note) == (45, 4, SECRET)


@pytest.mark.parametrize("status", [PairStatus.ENDED])
def test_no_logging_on_an_ended_pair(session, world, status):
    pair = world.pair(session, world.pair_a)
    pair.status = status
    session.add(pair)
    with pytest.raises(DomainError, match="This pair has ended"):
        record_session(world.mentee_a, world.pair_a, a_session(world), session=session)


def test_no_logging_once_the_pilot_is_closed(session, world):
    pilot = world.pilot(session)
    pilot.status = PilotStatus.CLOSED
    session.add(pilot)
    with pytest.raises(DomainError, match="is closed"):
        record_session(world.mentee_a, world.pair_a, a_session(world), session=session)
    # reading the history still works
    assert list_sessions(world.mentee_a, world.pair_a, session=session) == []
