"""A database that stays locked by another writer: the page says so in one sentence, keeps what
the person typed, saves nothing, and the same click works once the lock is gone."""

from __future__ import annotations

import sqlite3

import pytest
from sqlmodel import Session, select

from core.models import MentoringSession
from tests.builders.apptest import app, submit_button, texts
from tests.builders.tracking import tracking_db_url, tracking_template, tracking_world  # noqa: F401

BUSY = "The portal is busy; your entry was kept, try again in a moment."


@pytest.fixture(autouse=True)
def _db(monkeypatch, db_url):
    monkeypatch.setenv("DATABASE_URL", db_url)
    # Each statement gives up after 50 ms, so the page's retries are used up in well under a
    # second while the other writer below holds the lock.
    monkeypatch.setenv("PORTAL_SQLITE_BUSY_SECONDS", "0.05")


def test_saving_while_another_writer_holds_the_database(engine, db_url, world):
    import streamlit as st

    st.cache_resource.clear()  # the page's engine is made with this test's busy timeout
    at = app(world.mentee_a, world.pilot_id).run()
    at.switch_page("pages/my_pair.py").run()
    at.number_input(key="pair_session_minutes_0").set_value(50)
    at.text_area(key="pair_session_takeaways_0").input("Set up MFA on my phone together")

    other = sqlite3.connect(db_url.split("///", 1)[1], isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # a second server process in the middle of a long write
    try:
        submit_button(at, "pair_session_save").click().run()
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [BUSY]
    assert at.text_area(key="pair_session_takeaways_0").value == "Set up MFA on my phone together"
    assert at.number_input(key="pair_session_minutes_0").value == 50
    with Session(engine) as s:
        assert s.exec(select(MentoringSession)).all() == []

    submit_button(at, "pair_session_save").click().run()
    assert "Session saved." in texts(at)
    with Session(engine) as s:
        assert s.exec(select(MentoringSession.minutes)).all() == [50]
