"""AppTest of the participants page: withdraw someone, then re-admit them from the same tab."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from core.models import Enrollment, EnrollmentStatus, Role
from tests import builders
from tests.builders.apptest import app, texts
from tests.pages.tabs import open_tab


@pytest.fixture(autouse=True)
def _db(monkeypatch, db_url):
    monkeypatch.setenv("DATABASE_URL", db_url)


def test_withdrawn_person_is_readmitted_from_the_participants_page(engine):
    with Session(engine, expire_on_commit=False) as s:
        admin = builders.staff(s)
        pilot = builders.pilot(s, admin)
        _, lea = builders.participant(s, admin, pilot, "lea@example.com", Role.MENTEE)
        s.commit()
    at = app(admin, pilot.id).run()
    at.switch_page("pages/participants.py").run()
    open_tab(at, "participants_tabs", "Everyone")
    at.selectbox(key="participants_withdraw_who").set_value(lea.id)
    at.button(key="participants_withdraw").click().run()
    at.button(key="participants_withdraw_confirm").click().run()
    assert "Withdrawn: Lea" in texts(at)

    at.button(key="participants_readmit").click().run()
    assert "Choose the person to re-admit." in texts(at)
    at.selectbox(key="participants_readmit_who").set_value(lea.id)
    at.button(key="participants_readmit").click().run()
    assert not at.exception, at.exception
    assert "Re-admitted: Lea (lea@example.com) takes part again" in texts(at)
    with Session(engine) as s:
        assert s.get(Enrollment, lea.id).status == EnrollmentStatus.ACTIVE
    # Nobody is withdrawn any more, so the re-admit form is gone.
    assert "participants_readmit_who" not in [w.key for w in at.selectbox]
