"""The privacy page: reachable signed out and by every role, generated from the catalogue, with
the chosen pilot's own threshold and retention period."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from core.models import Pilot
from tests.builders.apptest import app, texts
from tests.builders.tracking import tracking_db_url, tracking_template, tracking_world  # noqa: F401


@pytest.fixture(autouse=True)
def _db(monkeypatch, db_url):
    monkeypatch.setenv("DATABASE_URL", db_url)


def _privacy(actor=None, pilot_id=None):
    at = app(actor, pilot_id).run()
    at.switch_page("pages/privacy.py").run()
    assert not at.exception, at.exception
    return at


def _who_sees_what(at) -> dict[str, dict[str, str]]:
    frame = at.table[0].value
    return {data: dict(row) for data, row in frame.iterrows()}


def test_signed_out_visitors_read_the_defaults(world):
    at = _privacy()
    shown = texts(at)
    assert "Privacy" in [t.value for t in at.title]
    assert "(default 5)" in shown and "(default 90)" in shown
    assert "at least 5 different people stand behind them" in shown
    table = _who_sees_what(at)
    assert list(table) == [
        "Profile", "Taking part", "Learning goals", "Expertise", "Pairs", "Shared session log",
        "Private notes", "Candour pulses", "Check-ins", "Concerns you raised", "Sign-ins",
        "Messages sent to you", "Audit trail",
    ]  # fmt: skip
    assert table["Private notes"] == {
        "You": "all of it (also after you withdrew)",
        "Your pair partner": "—",
        "The pilot's admins": "—",
        "The programme team": "—",
    }
    assert table["Shared session log"]["The pilot's admins"] == (
        "dates and lengths, never the takeaways"
    )
    assert table["Candour pulses"]["The pilot's admins"] == (
        "only as totals over at least 5 people (the pilot's threshold)"
    )
    assert "Deleted 90 days after the pilot closes" in shown


@pytest.mark.parametrize("who", ["admin", "mentee_a", "mentor_a"])
def test_every_role_reaches_it(world, who):
    at = _privacy(getattr(world, who), world.pilot_id)
    assert "For **Pilot 2027**" in texts(at)
    assert len(_who_sees_what(at)) == 13


def test_a_pilots_own_threshold_and_retention_replace_the_defaults(engine, world):
    with Session(engine) as s:
        pilot = s.get(Pilot, world.pilot_id)
        pilot.privacy_threshold, pilot.retention_days = 7, 30
        s.add(pilot)
        s.commit()
    at = _privacy(world.mentee_a, world.pilot_id)
    shown = texts(at)
    assert (
        "For **Pilot 2027**: figures from check-ins, pulses and feedback need at least 7 people, "
        "and private notes and free text are deleted 30 days after the pilot closes."
    ) in shown
    assert "at least 7 different people stand behind them" in shown
    assert "Deleted 30 days after the pilot closes" in shown
    assert "90 days" not in shown and "at least 5" not in shown
    assert _who_sees_what(at)["Check-ins"]["The pilot's admins"].count("at least 7 people") == 1
