"""A session planned by a mentor in Paris reaches the mentee in New York at her own time, with
an invitation her calendar reads as the same instant; moving and cancelling update that event."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar
from sqlmodel import select

from core.db import unit_of_work
from core.models import Person
from core.reminders.job import run_reminders
from core.tracking.calendar_export import cancel_planned_session, move_planned_session, plan_session

PARIS, NEW_YORK = ZoneInfo("Europe/Paris"), ZoneInfo("America/New_York")


def _day_six_hours_apart() -> date:
    """A day in the next weeks when Paris is six hours ahead of New York (not in the weeks when
    only one of them has changed to or from daylight saving)."""
    day = date.today() + timedelta(days=14)
    while True:
        noon = datetime.combine(day, time(12), tzinfo=UTC)
        gap = noon.astimezone(PARIS).utcoffset() - noon.astimezone(NEW_YORK).utcoffset()
        if gap == timedelta(hours=6):
            return day
        day += timedelta(days=7)


def _set_zone(session, actor, zone: str) -> None:
    person = session.get(Person, actor.person_id)
    person.time_zone = zone
    session.add(person)


def invitation(message) -> Calendar:
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return Calendar.from_ical(part.get_payload(decode=True))
    raise AssertionError("no calendar part")


def session_mails(mailbox, address: str):
    return [m for m in mailbox.to(address) if m["Subject"].startswith("Session ")]


def test_planned_moved_cancelled_in_each_persons_zone(engine, world, mailbox):
    day = _day_six_hours_apart()
    starts = datetime.combine(day, time(10), tzinfo=PARIS)
    with unit_of_work(engine) as s:
        _set_zone(s, world.mentor_a, "Europe/Paris")
        _set_zone(s, world.mentee_a, "America/New_York")
    with unit_of_work(engine) as s:
        planned = plan_session(world.mentor_a, world.pair_a, starts, 45, "Prompting", session=s)
    run_reminders(engine)

    [to_mentee] = session_mails(mailbox, "mia@example.com")
    [to_mentor] = session_mails(mailbox, "max@example.com")
    for other in ("nora@example.com", "ned@example.com", "cleo@example.com", "lou@example.com"):
        assert session_mails(mailbox, other) == []
    text = mailbox.text(to_mentee)
    assert "04:00 (America/New_York)" in text and "Mentor A planned" in text
    assert "10:00 (Europe/Paris)" in mailbox.text(to_mentor)
    assert "http://localhost:8501/my_pair" in text
    assert "/unsubscribe" not in text  # an invitation, not a reminder
    cal = invitation(to_mentee)
    assert cal["METHOD"] == "REQUEST"
    [event] = cal.walk("VEVENT")
    assert event.decoded("dtstart") == starts  # the same instant
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Paris"]
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(minutes=45)
    assert int(event["SEQUENCE"]) == 0
    assert str(event["ORGANIZER"]) == "mailto:max@example.com"
    assert str(event["ATTENDEE"]) == "mailto:mia@example.com"
    uid = str(event["UID"])

    run_reminders(engine)  # nothing new: nothing sent again
    assert len(session_mails(mailbox, "mia@example.com")) == 1

    later = starts + timedelta(hours=2)
    with unit_of_work(engine) as s:
        move_planned_session(world.mentee_a, planned.id, later, session=s)
    run_reminders(engine)
    moved = session_mails(mailbox, "mia@example.com")[-1]
    assert moved["Subject"].startswith("Session moved")
    assert "06:00 (America/New_York)" in mailbox.text(moved)
    [event] = invitation(moved).walk("VEVENT")
    assert (str(event["UID"]), int(event["SEQUENCE"])) == (uid, 1)
    assert event.decoded("dtstart") == later

    with unit_of_work(engine) as s:
        cancel_planned_session(world.mentor_a, planned.id, session=s)
    run_reminders(engine)
    cancelled = session_mails(mailbox, "max@example.com")[-1]
    assert cancelled["Subject"].startswith("Session cancelled")
    cal = invitation(cancelled)
    [event] = cal.walk("VEVENT")
    assert cal["METHOD"] == "CANCEL" and event["STATUS"] == "CANCELLED"
    assert (str(event["UID"]), int(event["SEQUENCE"])) == (uid, 2)
    assert len(session_mails(mailbox, "mia@example.com")) == 3


def test_fixed_offset_zone_is_written_in_utc(engine, world, mailbox):
    starts = datetime.combine(date.today() + timedelta(days=9), time(10), tzinfo=UTC)
    with unit_of_work(engine) as s:
        _set_zone(s, world.mentor_a, "UTC+2")
        _set_zone(s, world.mentee_a, "UTC-5:30")
        plan_session(world.mentor_a, world.pair_a, starts, 30, session=s)
    run_reminders(engine)
    [mail] = session_mails(mailbox, "mia@example.com")
    assert "04:30 (UTC-5:30)" in mailbox.text(mail)
    cal = invitation(mail)
    [event] = cal.walk("VEVENT")
    assert event.decoded("dtstart") == starts and cal.walk("VTIMEZONE") == []
    assert "TZID" not in event["DTSTART"].params


def test_planner_zone_is_stored_with_the_session(engine, world):
    starts = datetime.combine(date.today() + timedelta(days=9), time(10), tzinfo=NEW_YORK)
    with unit_of_work(engine) as s:
        view = plan_session(
            world.mentee_a, world.pair_a, starts, 30, time_zone="america/new_york", session=s
        )
    assert view.time_zone == "America/New_York" and view.starts_at.tzinfo == UTC
    with unit_of_work(engine) as s:
        assert (
            s.exec(select(Person.time_zone).where(Person.id == world.mentee_a.person_id)).one()
            == "UTC"
        )
