"""AppTest of "My pair" (running pair) and the admin's "Pilot progress"."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from core.models import (
    CheckIn,
    Concern,
    MentoringSession,
    Milestone,
    Person,
    PlannedSession,
    SessionNote,
)
from tests.builders.apptest import app, metric, submit_button, texts
from tests.builders.tracking import tracking_db_url, tracking_template, tracking_world  # noqa: F401
from tests.pages.tabs import open_tab


@pytest.fixture(autouse=True)
def _db(monkeypatch, db_url):
    monkeypatch.setenv("DATABASE_URL", db_url)


def _my_pair(actor, pilot_id):
    at = app(actor, pilot_id).run()
    at.switch_page("pages/my_pair.py").run()
    assert not at.exception, at.exception
    return at


def test_mentee_logs_a_session_with_a_private_note(engine, world):
    at = _my_pair(world.mentee_a, world.pilot_id)
    assert "Your mentor: Mentor A" in texts(at)
    at.number_input(key="pair_session_minutes_0").set_value(50)
    at.text_area(key="pair_session_takeaways_0").input("Set up MFA on my phone together")
    at.text_area(key="pair_session_note_0").input("I was nervous to admit I reuse passwords")
    at.radio(key="pair_session_candour_0").set_value(4)
    submit_button(at, "pair_session_save").click().run()
    assert "Session saved." in texts(at)
    assert "Set up MFA on my phone together" in texts(at)
    assert "I was nervous to admit I reuse passwords" in texts(at)
    with Session(engine) as s:
        entry = s.exec(select(MentoringSession)).one()
        assert entry.minutes == 50
        assert s.exec(select(SessionNote)).one().text == "I was nervous to admit I reuse passwords"
    # The partner sees the shared takeaways but never the private note.
    partner = _my_pair(world.mentor_a, world.pilot_id)
    assert "Set up MFA on my phone together" in texts(partner)
    assert "reuse passwords" not in texts(partner)


def test_bad_session_keeps_what_was_typed(engine, world):
    at = _my_pair(world.mentee_a, world.pilot_id)
    at.date_input(key="pair_session_date_0").set_value(date.today() + timedelta(days=3))
    at.text_area(key="pair_session_takeaways_0").input("Planned ahead")
    submit_button(at, "pair_session_save").click().run()
    assert "**Held on**: cannot be in the future" in texts(at)
    assert at.text_area(key="pair_session_takeaways_0").value == "Planned ahead"
    with Session(engine) as s:
        assert s.exec(select(MentoringSession)).all() == []


def test_mentor_submits_start_checkin_and_raises_concern(engine, world):
    at = _my_pair(world.mentor_a, world.pilot_id)
    at.radio(key="pair_checkin_start_satisfaction").set_value(4)
    submit_button(at, "pair_checkin_submit").click().run()
    assert "Start check-in saved" in texts(at)
    at.text_area(key="pair_concern_text_0").input("My mentee keeps cancelling at the last minute")
    submit_button(at, "pair_concern_send").click().run()
    with Session(engine) as s:
        assert s.exec(select(CheckIn)).one().phase == "start"
        assert s.exec(select(Concern)).one().text.startswith("My mentee keeps cancelling")


def test_admin_progress_page_shows_pairs_and_concerns_but_no_private_text(engine, world):
    mentor = _my_pair(world.mentor_a, world.pilot_id)
    mentor.text_area(key="pair_session_note_0").input("secret mentor note")
    submit_button(mentor, "pair_session_save").click().run()
    at = app(world.admin, world.pilot_id).run()
    at.switch_page("pages/progress.py").run()
    assert not at.exception
    assert "Pilot progress" in texts(at)
    assert metric(at, "Pairs that started") == "3"
    # Mia, Nora and Cleo have a pair; Lou has none: the same count as on Matching.
    assert metric(at, "Mentees in the pilot with a pair") == "3 of 4"
    assert "3 of 4 mentees in the pilot have a pair" in texts(at)
    assert "secret mentor note" not in texts(at)
    open_tab(at, "progress_tabs", "Concerns")
    assert "No confidential concerns raised." in texts(at)
    assert "secret mentor note" not in texts(at)


def test_author_edits_own_session(engine, world):
    at = _my_pair(world.mentee_a, world.pilot_id)
    at.text_area(key="pair_session_takeaways_0").input("First draft of takeaways")
    submit_button(at, "pair_session_save").click().run()
    with Session(engine) as s:
        entry_id = s.exec(select(MentoringSession)).one().id
    at.text_area(key=f"pair_edit_takeaways_{entry_id}").input("We set up a password manager")
    at.number_input(key=f"pair_edit_minutes_{entry_id}").set_value(70)
    at.button(key=f"pair_edit_save_{entry_id}").click().run()
    assert "Session updated." in texts(at)
    assert f"pair_edit_save_{entry_id}" in {b.key for b in at.button}
    with Session(engine) as s:
        entry = s.exec(select(MentoringSession)).one()
        assert (entry.takeaways, entry.minutes) == ("We set up a password manager", 70)
    # The partner cannot edit it: no edit form is offered to them.
    partner = _my_pair(world.mentor_a, world.pilot_id)
    partner_keys = {b.key for b in partner.button}
    assert f"pair_edit_save_{entry_id}" not in partner_keys


def test_partner_adds_own_private_note_to_the_other_members_entry(engine, world):
    at = _my_pair(world.mentee_a, world.pilot_id)
    at.text_area(key="pair_session_takeaways_0").input("Passkeys on the phone")
    submit_button(at, "pair_session_save").click().run()
    with Session(engine) as s:
        entry_id = s.exec(select(MentoringSession)).one().id
    partner = _my_pair(world.mentor_a, world.pilot_id)
    partner.text_area(key=f"pair_note_text_{entry_id}").input("Explain passkeys more slowly")
    partner.radio(key=f"pair_note_candour_{entry_id}").set_value(5)
    partner.button(key=f"pair_note_save_{entry_id}").click().run()
    assert "Your note was saved." in texts(partner)
    assert "Your private note: Explain passkeys more slowly" in texts(partner)
    with Session(engine) as s:
        assert s.exec(select(SessionNote.text)).all() == ["Explain passkeys more slowly"]
    # The author never sees it.
    assert "Explain passkeys" not in texts(_my_pair(world.mentee_a, world.pilot_id))


def test_checkin_comes_back_with_the_earlier_answers(engine, world):
    at = _my_pair(world.mentor_a, world.pilot_id)
    at.radio(key="pair_checkin_start_satisfaction").set_value(2)
    at.text_area(key="pair_checkin_start_text").input("Slow start")
    submit_button(at, "pair_checkin_submit").click().run()
    again = _my_pair(world.mentor_a, world.pilot_id)
    assert again.radio(key="pair_checkin_start_satisfaction").value == 2
    assert again.text_area(key="pair_checkin_start_text").value == "Slow start"
    assert (
        again.radio(key="pair_checkin_phase").format_func("start")
        == "Start :green[:material/check_circle:] answered"
    )


def test_session_is_planned_in_the_planners_zone_then_cancelled(engine, world):
    with Session(engine) as s:
        me = s.get(Person, world.mentee_a.person_id)
        me.time_zone = "America/New_York"
        s.add(me)
        s.commit()
    day = date.today() + timedelta(days=7)
    at = _my_pair(world.mentee_a, world.pilot_id)
    assert at.time_input(key="pair_plan_time").label == "Time (America/New_York)"
    at.date_input(key="pair_plan_day").set_value(day)
    at.time_input(key="pair_plan_time").set_value(time(10))
    submit_button(at, "pair_plan_add").click().run()
    assert "Session planned: Mentor A receives an invitation by email." in texts(at)
    with Session(engine) as s:
        planned = s.exec(select(PlannedSession)).one()
    stored = planned.starts_at.replace(tzinfo=planned.starts_at.tzinfo or UTC)
    assert stored == datetime.combine(day, time(10), tzinfo=ZoneInfo("America/New_York"))
    assert planned.time_zone == "America/New_York"
    at.button(key=f"pair_plan_cancel_{planned.id}").click().run()
    assert "Planned session cancelled: both calendars receive the cancellation." in texts(at)
    with Session(engine) as s:
        kept = s.exec(select(PlannedSession)).one()
        assert kept.cancelled_at is not None and kept.sequence == 1
    assert f"pair_plan_cancel_{planned.id}" not in {b.key for b in at.button}


def _progress(world):
    at = app(world.admin, world.pilot_id).run()
    at.switch_page("pages/progress.py").run()
    assert not at.exception, at.exception
    return at


def test_admin_ticks_unticks_and_reorders_pilot_milestones(engine, world):
    with Session(engine) as s:
        plan = s.exec(
            select(Milestone)
            .where(Milestone.pilot_id == world.pilot_id)
            .order_by(Milestone.position)
        ).all()
        first, second = plan[0].id, plan[1].id
        pilot_wide = next(m.id for m in plan if m.scope == "pilot")
    at = open_tab(_progress(world), "progress_tabs", "Milestones")
    at.button(key=f"progress_tick_{pilot_wide}").click().run()
    with Session(engine) as s:
        assert s.get(Milestone, pilot_wide).completed_on == date.today()
    at.button(key=f"progress_untick_{pilot_wide}").click().run()
    with Session(engine) as s:
        assert s.get(Milestone, pilot_wide).completed_on is None
    at.button(key=f"progress_up_{second}").click().run()
    with Session(engine) as s:
        order = s.exec(
            select(Milestone.id)
            .where(Milestone.pilot_id == world.pilot_id)
            .order_by(Milestone.position)
        ).all()
    assert order[:2] == [second, first]
    assert f"progress_up_{second}" not in {b.key for b in at.button}  # now first: nothing above


def test_admin_sees_the_private_reason_of_a_pause_on_an_at_risk_pair(engine, world):
    from core.db import unit_of_work
    from core.pairs.exit import end_pair

    with unit_of_work(engine) as s:
        end_pair(world.mentor_a, world.pair_a, reason="Moving abroad next month", session=s)
    at = open_tab(_progress(world), "progress_tabs", "At risk")
    assert "ended by Mentor A: Moving abroad next month" in texts(at)
