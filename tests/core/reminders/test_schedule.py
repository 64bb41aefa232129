"""Each kind of reminder reaches the right people only, with the link to the page where they act,
and follows each person's choices."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlmodel import select

from core.db import unit_of_work
from core.errors import NotAllowed, ValidationFailed
from core.models import OutboxMessage, Pilot, Role, UnsubscribeLink
from core.pairs.offers import respond_to_pair
from core.reminders.job import run_reminders
from core.reminders.preferences import set_preference, unsubscribe, unsubscribe_offer
from core.reminders.schedule import week_start
from core.tracking.checkins import submit_checkin
from core.tracking.milestone_progress import MilestoneInput, add_milestone, tick_pair_milestone
from core.tracking.session_log import SessionInput, record_session
from tests import builders
from tests.builders.tracking import make_pair

MEMBERS = {
    "mia@example.com", "max@example.com", "nora@example.com", "ned@example.com",
    "cleo@example.com",
}  # fmt: skip
BASE = "http://localhost:8501"


def at(days: int) -> datetime:
    """Noon UTC, `days` from today."""
    return datetime.combine(date.today() + timedelta(days=days), time(12), tzinfo=UTC)


def received(mailbox, subject_start: str) -> set[str]:
    return {
        m["To"].split("<")[-1].rstrip(">")
        for m in mailbox.messages
        if m["Subject"].startswith(subject_start)
    }


def mail_to(mailbox, address: str, subject_start: str):
    [mail] = [m for m in mailbox.to(address) if m["Subject"].startswith(subject_start)]
    return mail


def test_start_checkin_goes_to_members_who_have_not_done_it(engine, world, mailbox):
    with unit_of_work(engine) as s:
        ratings = {world.topics["Generative AI basics"]: 2, world.topics["Cybersecurity basics"]: 3}
        submit_checkin(world.mentee_a, world.pair_a, "start", ratings, session=s)
    run_reminders(engine)
    assert received(mailbox, "Your start check-in") == MEMBERS - {"mia@example.com"}
    text = mailbox.text(mail_to(mailbox, "max@example.com", "Your start check-in"))
    assert f"{BASE}/my_pair" in text and f"{BASE}/unsubscribe?token=" in text
    html = mailbox.html(mail_to(mailbox, "max@example.com", "Your start check-in"))
    assert f'<a href="{BASE}/my_pair">' in html


def test_admins_get_their_weekly_summary_once(engine, world, mailbox):
    with unit_of_work(engine) as s:
        s.get(Pilot, world.pilot_id).inactivity_days = 3
    run_reminders(engine)
    run_reminders(engine)
    summaries = [m for m in mailbox.messages if m["Subject"].startswith("Weekly summary")]
    assert sorted(m["To"].split("<")[-1].rstrip(">") for m in summaries) == [
        "admin@example.com",
        "olga@example.com",
    ]
    mine = mail_to(mailbox, "admin@example.com", "Weekly summary")
    assert mine["Subject"] == 'Weekly summary of "Pilot 2027": 3 at risk'
    text = mailbox.text(mine)
    assert f"{BASE}/progress" in text and "Mentee A and Mentor A: No session logged" in text
    assert "6 invited, 6 joined" in text  # five members of pairs and Lou


def test_no_session_for_the_pilots_number_of_days(engine, world, mailbox):
    with unit_of_work(engine) as s:
        record_session(world.mentee_b, world.pair_b, SessionInput(date.today(), 30), session=s)
    # Pairs were accepted 5 days ago: 21 days without a session is reached in 16 days.
    run_reminders(engine, now=at(15))
    assert received(mailbox, "Plan your next session") == set()
    run_reminders(engine, now=at(16))
    # Nora's pair B met today; Ned is also in pair C, which did not.
    assert received(mailbox, "Plan your next session") == MEMBERS - {"nora@example.com"}
    text = mailbox.text(mail_to(mailbox, "mia@example.com", "Plan your next session"))
    assert "started 21 days ago and no session is logged yet" in text
    assert not [m for m in mailbox.to("nora@example.com") if "next session" in m["Subject"]]
    run_reminders(engine, now=at(17))  # the same 21 days: not again
    assert len([m for m in mailbox.messages if "next session" in m["Subject"]]) == 4


def test_overdue_milestone_reaches_pairs_that_did_not_tick_it(engine, world, mailbox):
    due = date.today() + timedelta(days=2)
    with unit_of_work(engine) as s:
        milestone = add_milestone(
            world.admin, world.pilot_id, MilestoneInput("Demo day", due), session=s
        )
        tick_pair_milestone(world.mentor_a, world.pair_a, milestone.id, date.today(), session=s)
    run_reminders(engine, now=at(2))
    assert received(mailbox, "Milestone overdue: Demo day") == set()
    run_reminders(engine, now=at(3))
    assert received(mailbox, "Milestone overdue: Demo day") == {
        "nora@example.com", "ned@example.com", "cleo@example.com",
    }  # fmt: skip
    assert f"{BASE}/my_pair" in mailbox.text(mail_to(mailbox, "cleo@example.com", "Milestone"))


def test_match_published_then_the_partners_answers(engine, world, mailbox):
    with unit_of_work(engine) as s:
        pat, pat_e = builders.participant(
            s, world.admin, world.pilot(s), "pat@example.com", Role.MENTOR, name="Pat Mentor"
        )
        pair = make_pair(
            s, world.pilot_id, world.enrollments["lone_mentee"], pat_e.id, status="published"
        )
    run_reminders(engine)
    assert received(mailbox, "Your ") - received(mailbox, "Your start") == {
        "lou@example.com", "pat@example.com",
    }  # fmt: skip
    assert mail_to(mailbox, "lou@example.com", "Your mentor")["Subject"] == (
        'Your mentor in "Pilot 2027": Pat Mentor'
    )
    with unit_of_work(engine) as s:
        respond_to_pair(world.lone_mentee, pair.id, True, session=s)
    run_reminders(engine)
    assert received(mailbox, "Lone Mentee accepted") == {"pat@example.com"}
    with unit_of_work(engine) as s:
        respond_to_pair(pat, pair.id, False, "I am too busy this quarter", session=s)
    run_reminders(engine)
    assert received(mailbox, "Your suggested match") == {"lou@example.com"}
    text = mailbox.text(mail_to(mailbox, "lou@example.com", "Your suggested match"))
    assert "too busy" not in text and "Pat Mentor is not able" in text


def test_profile_incomplete_a_week_after_joining(engine, world, mailbox):
    with unit_of_work(engine) as s:
        admin = world.admin
        other = builders.pilot(s, admin, name="Autumn pilot")
        builders.participant(s, admin, other, "ivy@example.com", Role.MENTEE, name="Ivy")
        ready, _ = builders.participant(s, admin, other, "rey@example.com", Role.MENTEE, name="Rey")
        builders.ready_mentee(s, ready, other, {"Data literacy": 1})
    run_reminders(engine, now=at(6))
    assert received(mailbox, "Finish your profile") == set()
    run_reminders(engine, now=at(7))
    assert received(mailbox, "Finish your profile") == {"ivy@example.com"}
    text = mailbox.text(mail_to(mailbox, "ivy@example.com", "Finish your profile"))
    assert "- at least one learning goal" in text and f"{BASE}/my_profile" in text


def test_never_and_weekly_digest(engine, world, mailbox):
    with unit_of_work(engine) as s:
        set_preference(world.mentee_a, "checkin_due", "never", session=s)
        set_preference(world.mentor_a, "checkin_due", "weekly", session=s)
    run_reminders(engine)
    assert received(mailbox, "Your start check-in") == MEMBERS - {
        "mia@example.com",
        "max@example.com",
    }
    # The start check-in was due 5 days ago: it is in the digest of the week after that.
    monday = week_start(date.today() - timedelta(days=5)) + timedelta(days=7)
    run_reminders(engine, now=datetime.combine(monday, time(9), tzinfo=UTC))
    assert received(mailbox, "Your reverse-mentoring reminders") == {"max@example.com"}
    text = mailbox.text(mail_to(mailbox, "max@example.com", "Your reverse-mentoring reminders"))
    assert "Your start check-in with Mentee A" in text and "Turn off all optional reminders" in text


def test_unsubscribe_link_turns_that_reminder_off(engine, world, mailbox):
    run_reminders(engine)
    text = mailbox.text(mail_to(mailbox, "nora@example.com", "Your start check-in"))
    token = text.split("/unsubscribe?token=", 1)[1].split()[0]
    with unit_of_work(engine) as s:
        stored = s.exec(select(UnsubscribeLink.token_hash)).all()
        assert token not in stored and len(stored[0]) == 64
        outbox = s.exec(
            select(OutboxMessage.body_text).where(OutboxMessage.to_email == "nora@example.com")
        ).all()
        assert all(token not in body for body in outbox)
        offer = unsubscribe_offer(token, session=s)
        assert offer.kinds == ("checkin_due",)
        unsubscribe(token, session=s)
    with unit_of_work(engine) as s:
        for row in s.exec(select(OutboxMessage)).all():
            s.delete(row)  # forget what was sent: only the choice can keep her out now
    mailbox.messages.clear()
    run_reminders(engine)
    assert "nora@example.com" not in received(mailbox, "Your start check-in")
    assert "ned@example.com" in received(mailbox, "Your start check-in")


def test_only_the_person_changes_their_choices(session, world):
    with pytest.raises(NotAllowed):
        set_preference(
            world.admin,
            "no_session",
            "immediately",
            person_id=world.mentee_a.person_id,
            session=session,
        )
    with pytest.raises(ValidationFailed) as refused:
        set_preference(world.mentee_a, "pair_updates", "never", session=session)
    assert "frequency" in refused.value.errors
