"""Each role lands on its home: the participant's next step, the admin's checklist."""

from __future__ import annotations

import pytest

from tests.builders.apptest import app, texts
from tests.builders.tracking import (  # noqa: F401
    tracking_db_url,
    tracking_template,
    tracking_world,
)


@pytest.fixture(autouse=True)
def _db(monkeypatch, db_url):
    monkeypatch.setenv("DATABASE_URL", db_url)


def test_an_admin_lands_on_the_pilots_checklist(world):
    at = app(world.admin, world.pilot_id).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Home · Pilot 2027"
    shown = texts(at)
    assert "The pilot, from set-up to closing" in shown
    assert "Needs attention today" in shown
    assert "**Check-ins** · to do" in shown
    page_text = [t.value for t in at.text]
    assert "3 of 4 mentees in the pilot have a pair." in page_text
    assert "1 mentee in the pilot without a pair" in shown
    at.button(key="home_action").click().run()
    assert at.title[0].value == "Pilot progress · Pilot 2027"


def test_an_attention_item_opens_its_page(world):
    at = app(world.admin, world.pilot_id).run()
    at.button(key="home_attention_unpaired").click().run()
    assert at.title[0].value == "Matching · Pilot 2027"


@pytest.mark.parametrize("who", ["mentee_a", "mentor_a"])
def test_a_participant_in_a_running_pair_lands_on_the_next_step(world, who):
    at = app(getattr(world, who), world.pilot_id).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Home · Pilot 2027"
    assert "**Meet with your pair** · now" in texts(at)
    assert at.button(key="home_action").label == "Do your start check-in"
    at.button(key="home_action").click().run()
    assert at.title[0].value == "My pair"


def test_a_mentee_without_a_pair_is_told_what_happens_next(world):
    at = app(world.lone_mentee, world.pilot_id).run()
    assert "**Read the orientation** · now" in texts(at)
    at.button(key="home_action").click().run()
    assert at.title[0].value == "My profile"


def test_going_home_after_a_change_lands_on_the_home(world):
    """A page that changes what the navigation offers (joining, a reset) asks for "home": the
    first page of the person's navigation, which is now their home."""
    at = app(world.mentee_a, world.pilot_id).run()
    at.switch_page("pages/my_goals.py").run()
    assert at.title[0].value != "Home · Pilot 2027"
    at.session_state["goto"] = "home"
    at.run()
    assert at.title[0].value == "Home · Pilot 2027"
