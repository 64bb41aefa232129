"""Typed text with a Markdown link, a Markdown image and HTML, in a real browser: the page shows
the characters, and the DOM holds no link, image or element made from them. An email with an
apostrophe is one piece of text in the sidebar, not a half link."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from core.db import make_engine, migrate, unit_of_work
from core.models import LearningGoal, Person, PilotStatus, Role
from core.pairs.exit import raise_concern
from core.tracking.session_log import SessionInput, record_session
from tests import builders
from tests.browser.conftest import shot, start_server
from tests.browser.test_accounts import sign_in
from tests.builders.tracking import make_pair

pytestmark = [pytest.mark.browser, pytest.mark.flaky(reruns=1)]

PAYLOAD = "<img src=x onerror=alert(1)> [x](http://evil.example) ![p](http://evil.example/p.png)"
NAME, TITLE, OBJECTIVE, TAKEAWAYS, CONCERN = (
    f"Lea {PAYLOAD}", f"Title {PAYLOAD}", f"Objective {PAYLOAD}", f"Takeaways {PAYLOAD}",
    f"Concern {PAYLOAD}",
)  # fmt: skip
MENTOR_EMAIL = "o'brien@example.com"


def seed(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate(engine)
    with unit_of_work(engine) as session:
        admin = builders.staff(session)
        pilot = builders.pilot(session, admin, name=f"Pilot {PAYLOAD}")
        lea, lea_e = builders.participant(session, admin, pilot, "lea@example.com", Role.MENTEE)
        builders.ready_mentee(session, lea, pilot, {"Generative AI basics": 1})
        jo, jo_e = builders.participant(session, admin, pilot, "jo@example.com", Role.MENTOR)
        pilot.status = PilotStatus.RUNNING
        goal = session.exec(
            select(LearningGoal).where(LearningGoal.enrollment_id == lea_e.id)
        ).one()
        goal.objective = OBJECTIVE
        person = session.get(Person, lea.person_id)
        person.name, person.job_title = NAME, TITLE
        mentor = session.get(Person, jo.person_id)
        mentor.email = MENTOR_EMAIL
        session.add_all([pilot, goal, person, mentor])
        pair = make_pair(session, pilot.id, lea_e.id, jo_e.id)  # type: ignore[arg-type]
        record_session(
            lea, pair.id,  # type: ignore[arg-type]
            SessionInput(held_on=date.today(), minutes=30, takeaways=TAKEAWAYS),
            session=session,
        )  # fmt: skip
        raise_concern(jo, pair.id, CONCERN, session=session)  # type: ignore[arg-type]
    engine.dispose()


def assert_shown_as_text(page: Page, *expected: str) -> None:
    """Each text is on the page as its characters (the word joiners that keep addresses from
    becoming links are invisible), and nothing typed became a link, an image or an element."""
    for text in expected:
        expect(
            page.get_by_text(text.split(" ", 1)[0] + " <img").filter(visible=True).first
        ).to_be_visible()
    shown = page.locator("body").inner_text().replace("\u2060", "")
    missing = [text.split(" ", 1)[0] for text in expected if text not in shown]
    assert not missing, f"not shown literally: {missing}"
    assert page.locator("a[href*='evil.example'], a[href^='mailto:']").count() == 0
    assert page.locator("img[src*='evil.example'], img[src='x'], [onerror]").count() == 0


def test_typed_markup_stays_text_in_the_browser(tmp_path, page: Page):
    server, stop = start_server(tmp_path, env={"PORTAL_REMINDERS": "off"})
    try:
        seed(server.db_url)
        page.goto(server)
        sign_in(page, MENTOR_EMAIL, builders.PASSWORD)
        sidebar = page.get_by_test_id("stSidebar")
        expect(sidebar.get_by_text(MENTOR_EMAIL)).to_be_visible()
        assert sidebar.locator("a").filter(has_text="brien").count() == 0
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="My pair").click()
        expect(page.get_by_role("heading", name="Your mentee")).to_be_visible()
        assert_shown_as_text(page, NAME, TITLE, OBJECTIVE)
        page.get_by_role("tab", name="Session log").click()
        assert_shown_as_text(page, TAKEAWAYS)
        shot(page, "plain-text-my-pair")

        page.get_by_test_id("stSidebarNav").get_by_role("link", name="Account").click()
        page.get_by_role("button", name="Sign out", exact=True).click()
        sign_in(page, "admin@example.com", builders.PASSWORD)
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="Pilot progress").click()
        expect(page.get_by_role("heading", name="Pilot progress")).to_be_visible()
        page.get_by_role("tab", name="Concerns").click()
        assert_shown_as_text(page, f"Pilot {PAYLOAD}", NAME, CONCERN)
        shot(page, "plain-text-progress")
    finally:
        stop()
