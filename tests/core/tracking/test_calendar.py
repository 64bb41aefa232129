from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlmodel import Session

from core.db import unit_of_work
from core.errors import NotAllowed, ValidationFailed
from core.models import PlannedSession
from core.tracking.calendar_export import (
    cancel_planned_session,
    pair_calendar_ics,
    plan_session,
    planned_sessions,
)
from tests.builders.tracking import (  # noqa: F401
    NOT_MEMBERS_OF_PAIR_A,
    count_rows,
    tracking_db_url,
    tracking_template,
    tracking_world,
)

PARIS = ZoneInfo("Europe/Paris")
NEXT_WEEK = date.today() + timedelta(days=7)
# 10:00 in Paris next week; in UTC that is 08:00 or 09:00 depending on daylight saving
STARTS = datetime.combine(NEXT_WEEK, time(10), tzinfo=PARIS)


@pytest.fixture
def planned(session, world) -> int:
    return plan_session(
        world.mentee_a, world.pair_a, STARTS, 45, "Prompting practice", session=session
    ).id


SERVICES = {
    "plan": lambda w, a, s, pid: plan_session(a, w.pair_a, STARTS, 45, session=s),
    "list": lambda w, a, s, pid: planned_sessions(a, w.pair_a, session=s),
    "cancel": lambda w, a, s, pid: cancel_planned_session(a, pid, session=s),
    "ics": lambda w, a, s, pid: pair_calendar_ics(a, w.pair_a, session=s),
}


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("who", NOT_MEMBERS_OF_PAIR_A)
def test_only_members_use_the_pairs_calendar(session, world, planned, service, who):
    with pytest.raises(NotAllowed):
        SERVICES[service](world, getattr(world, who), session, planned)
    assert count_rows(session, PlannedSession) == (1,)


def test_planned_session_is_stored_in_utc(engine, world):
    with unit_of_work(engine) as s:
        view = plan_session(world.mentor_a, world.pair_a, STARTS, 60, "  ", session=s)
    assert view.starts_at == STARTS.astimezone(UTC) and view.starts_at.tzinfo == UTC
    assert (view.title, view.minutes) == ("Reverse-mentoring session", 60)
    with Session(engine) as s:
        stored = planned_sessions(world.mentee_a, world.pair_a, session=s)
    assert [(p.starts_at, p.ends_at) for p in stored] == [
        (STARTS.astimezone(UTC), STARTS.astimezone(UTC) + timedelta(minutes=60))
    ]


@pytest.mark.parametrize(
    ("starts_at", "minutes", "title", "field", "message"),
    [
        (STARTS.replace(tzinfo=None), 45, "", "starts_at", "must include a time zone"),
        (datetime.now(UTC) - timedelta(hours=1), 45, "", "starts_at", "must be in the future"),
        (STARTS + timedelta(days=200), 45, "", "starts_at", "within the pilot's dates"),
        (None, 45, "", "starts_at", "is required"),
        (STARTS, 0, "", "minutes", "must be from 5 to 480 (got 0)"),
        (STARTS, 500, "", "minutes", "must be from 5 to 480 (got 500)"),
        (STARTS, "45", "", "minutes", "whole number"),
        (STARTS, 45, "t" * 121, "title", "at most 120 characters"),
    ],
)
def test_bad_plan_names_the_field(session, world, starts_at, minutes, title, field, message):
    with pytest.raises(ValidationFailed) as failure:
        plan_session(world.mentee_a, world.pair_a, starts_at, minutes, title, session=session)
    assert list(failure.value.errors) == [field] and message in failure.value.errors[field]
    assert count_rows(session, PlannedSession) == (0,)


def test_cancel(session, world, planned):
    cancel_planned_session(world.mentor_a, planned, session=session)
    assert planned_sessions(world.mentee_a, world.pair_a, session=session) == []


def test_ics_parses_back_with_sessions_and_milestones(session, world, planned):
    ics = pair_calendar_ics(world.mentor_a, world.pair_a, session=session)
    calendar = Calendar.from_ical(ics)
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    session_event = events[f"planned-session-{planned}@reverse-mentoring-portal"]
    assert str(session_event["summary"]) == "Prompting practice"
    assert session_event.decoded("dtstart") == STARTS.astimezone(UTC)
    assert session_event.decoded("dtend") == STARTS.astimezone(UTC) + timedelta(minutes=45)
    assert b"Reverse-mentoring session with Mentee A." in session_event.to_ical()
    assert "Z" in session_event["dtstart"].to_ical().decode()  # UTC form, not a local time
    all_day = [e for uid, e in events.items() if uid.startswith("milestone-")]
    assert len(all_day) == 7
    kickoff = next(e for e in all_day if str(e["summary"]) == "Milestone: Programme kickoff")
    assert kickoff.decoded("dtstart") == world.start
    assert kickoff.decoded("dtend") == world.start + timedelta(days=1)
    assert not isinstance(kickoff.decoded("dtstart"), datetime)


def test_uids_are_stable_between_exports(session, world, planned):
    def uids() -> list[str]:
        ics = pair_calendar_ics(world.mentee_a, world.pair_a, session=session)
        return sorted(str(e["uid"]) for e in Calendar.from_ical(ics).walk("VEVENT"))

    assert uids() == uids()
    assert len(uids()) == 8
