"""AppTest of the reminder choices on the Account page and of the unsubscribe page."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from core.db import unit_of_work
from core.models import ReminderPreference
from core.reminders.preferences import issue_unsubscribe
from tests.builders.apptest import app, texts
from tests.builders.tracking import tracking_db_url, tracking_template, tracking_world  # noqa: F401


@pytest.fixture(autouse=True)
def _db(monkeypatch, db_url):
    monkeypatch.setenv("DATABASE_URL", db_url)


def test_person_chooses_their_reminders_on_the_account_page(engine, world):
    at = app(world.mentee_a, world.pilot_id).run()
    at.switch_page("pages/account.py").run()
    assert not at.exception, at.exception
    assert at.radio(key="account_reminder_pair_updates").options == [
        "As it happens",
        "In a weekly digest",
    ]  # required: no "never"
    at.radio(key="account_reminder_no_session").set_value("never")
    at.radio(key="account_reminder_checkin_due").set_value("weekly")
    at.button(key="account_reminders_submit").click().run()
    assert "Reminder choices saved." in texts(at)
    with Session(engine) as s:
        saved = dict(s.exec(select(ReminderPreference.kind, ReminderPreference.frequency)).all())
    assert saved == {"no_session": "never", "checkin_due": "weekly"}


def test_unsubscribe_page_asks_then_turns_the_reminder_off(engine, world):
    with unit_of_work(engine) as s:
        token = issue_unsubscribe(world.mentor_a.person_id, "milestone_overdue", session=s)
    at = app()
    at.query_params["token"] = token
    at.run()
    at.switch_page("pages/unsubscribe.py").run()
    assert not at.exception, at.exception
    assert "A milestone of your pair is overdue" in texts(at)
    with Session(engine) as s:
        assert s.exec(select(ReminderPreference)).all() == []  # opening the link changes nothing
    at.button(key="unsubscribe_confirm").click().run()
    assert "you will not receive these reminders any more" in texts(at)
    with Session(engine) as s:
        row = s.exec(select(ReminderPreference)).one()
    assert (row.person_id, row.kind, row.frequency) == (
        world.mentor_a.person_id,
        "milestone_overdue",
        "never",
    )


def test_unsubscribe_page_refuses_a_made_up_token(world):
    at = app()
    at.query_params["token"] = "not-a-real-token"
    at.run()
    at.switch_page("pages/unsubscribe.py").run()
    assert "This unsubscribe link is not valid" in texts(at)
