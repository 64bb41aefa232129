"""The audit log page: an admin's action appears with who, what, about whom and the fields
before and after; filters narrow it; the CSV holds the same rows; a mentee is refused by the
service, not only by the navigation."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.db import unit_of_work
from core.people.participants import withdraw_participant
from core.privacy.audit import audit_csv, audit_log
from tests.builders.apptest import app, texts
from tests.builders.tracking import tracking_db_url, tracking_template, tracking_world  # noqa: F401

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "audit.py")


@pytest.fixture(autouse=True)
def _db(monkeypatch, db_url):
    monkeypatch.setenv("DATABASE_URL", db_url)


@pytest.fixture
def withdrawn(engine, world):
    """The admin withdrew Lou, the unpaired mentee."""
    with unit_of_work(engine) as session:
        withdraw_participant(world.admin, world.enrollments["lone_mentee"], session=session)
    return world


def _audit(actor, pilot_id) -> AppTest:
    at = app(actor, pilot_id).run()
    at.switch_page("pages/audit.py").run()
    assert not at.exception, at.exception
    return at


def _table(at):
    # A read-only st.dataframe carries no key in the element tree: found by its columns.
    return next(df.value for df in at.dataframe if list(df.value.columns)[:1] == ["When (UTC)"])


def test_an_admins_withdrawal_shows_who_what_about_whom_before_and_after(withdrawn):
    at = _audit(withdrawn.admin, withdrawn.pilot_id)
    table = _table(at)
    assert list(table.columns) == [
        "When (UTC)", "Who acted", "Action", "Pilot", "About whom", "Before", "After",
    ]  # fmt: skip
    row = table[table["Action"] == "Participant withdrawn"].iloc[0]
    assert row["Who acted"] == "admin@example.com"
    assert row["About whom"] == "lou@example.com"
    assert row["Pilot"] == "Pilot 2027"
    assert row["Before"] == '{"status": "active"}'
    assert '"status": "withdrawn"' in row["After"]
    # Newest first: the withdrawal is the latest write.
    assert table.iloc[0]["Action"] == "Participant withdrawn"


def test_filters_narrow_the_trail_by_action_actor_and_dates(withdrawn):
    at = _audit(withdrawn.admin, withdrawn.pilot_id)
    everything = len(_table(at))
    assert everything > 1
    at.selectbox(key="audit_action").set_value("participant.withdrawn").run()
    assert list(_table(at)["Action"]) == ["Participant withdrawn"]
    at.selectbox(key="audit_action").set_value("participant.").run()
    actions = set(_table(at)["Action"])
    assert "Participant withdrawn" in actions and "Participant added" in actions
    assert all(a.startswith("Participant") for a in actions)

    at.selectbox(key="audit_action").set_value(None)
    at.selectbox(key="audit_actor").set_value("admin@example.com").run()
    assert set(_table(at)["Who acted"]) == {"admin@example.com"}

    past = date.today() - timedelta(days=400)
    at.date_input(key="audit_dates").set_value((past, past + timedelta(days=1))).run()
    assert "Nothing in the audit log under these filters." in texts(at)
    at.date_input(key="audit_dates").set_value((date.today(), date.today())).run()
    assert len(_table(at)) >= 1


def test_the_csv_holds_the_rows_the_table_shows(engine, withdrawn):
    at = _audit(withdrawn.admin, withdrawn.pilot_id)
    at.selectbox(key="audit_action").set_value("participant.withdrawn").run()
    assert [b.label for b in at.get("download_button")] == ["Download as CSV"]
    with unit_of_work(engine) as session:
        rows = audit_log(
            withdrawn.admin, withdrawn.pilot_id, action="participant.withdrawn", session=session
        )
    lines = list(csv.DictReader(io.StringIO(audit_csv(rows).decode("utf-8-sig"))))
    assert [(r["actor"], r["action"], r["about"]) for r in lines] == [
        ("admin@example.com", "participant.withdrawn", "lou@example.com")
    ]


def test_a_mentee_opening_the_page_is_refused_by_the_service(withdrawn):
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.session_state["actor"] = withdrawn.mentee_a
    at.session_state["pilot_id"] = withdrawn.pilot_id
    at.run()
    assert not at.exception, at.exception
    assert "Only administrators of the pilot 'Pilot 2027' can do this." in texts(at)
    assert not at.get("arrow_data_frame") and not at.get("download_button")


def test_the_audit_log_is_not_in_a_mentees_navigation(withdrawn):
    at = app(withdrawn.mentee_a, withdrawn.pilot_id).run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/audit.py")
