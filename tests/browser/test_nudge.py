"""The admin clicks "Nudge both" on an at-risk pair in a real browser and both partners receive
the email at a real SMTP server; the card then shows when the pair was last nudged."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

from core.db import make_engine, migrate, unit_of_work
from core.models import PilotStatus, Role
from tests import builders
from tests.browser.conftest import shot, start_server
from tests.browser.test_accounts import sign_in
from tests.builders.tracking import make_pair

pytestmark = [pytest.mark.browser, pytest.mark.flaky(reruns=1)]


def seed(db_url: str) -> int:
    engine = make_engine(db_url)
    migrate(engine)
    with unit_of_work(engine) as session:
        admin = builders.staff(session)
        pilot = builders.pilot(session, admin, inactivity_days=7)
        _, mentee = builders.participant(
            session, admin, pilot, "lea@example.com", Role.MENTEE, name="Lea Leader"
        )
        _, mentor = builders.participant(
            session, admin, pilot, "jo@example.com", Role.MENTOR, name="Jo Junior"
        )
        builders.participant(
            session, admin, pilot, "sam@example.com", Role.MENTOR, name="Sam Bystander"
        )
        pilot.status = PilotStatus.RUNNING
        session.add(pilot)
        # Accepted 10 days ago, no session since: at risk with a 7-day limit.
        return make_pair(session, pilot.id, mentee.id, mentor.id, accepted_days_ago=10).id  # type: ignore[arg-type]


def test_admin_nudges_both_partners(tmp_path, page: Page, mailbox):
    # The mailbox fixture has set SMTP_* in os.environ; the server inherits them. The scheduled
    # job is off so that only the click sends mail.
    server, stop = start_server(tmp_path, env={"PORTAL_REMINDERS": "off"})
    try:
        pair_id = seed(server.db_url)
        mailbox.messages.clear()  # the invitations of the set-up
        page.goto(server)
        sign_in(page, "admin@example.com", builders.PASSWORD)
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="Pilot progress").click()
        page.get_by_role("tab", name="At risk (1)").click()
        card = page.locator(f".st-key-progress_nudge_{pair_id}")
        expect(card).to_be_visible()
        card.get_by_role("button", name="Nudge both").click()
        expect(page.get_by_text("Nudge sent to Lea Leader and Jo Junior.")).to_be_visible()
        deadline = time.monotonic() + 10
        while len(mailbox.messages) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        recipients = sorted(m["To"].split("<")[-1].rstrip(">") for m in mailbox.messages)
        assert recipients == ["jo@example.com", "lea@example.com"]
        assert all(
            m["Subject"].startswith("A note from the programme team") for m in mailbox.messages
        )
        page.get_by_role("tab", name="At risk (1)").click()
        expect(page.get_by_text("Last nudged on")).to_be_visible()
        shot(page, "progress-nudged")
    finally:
        stop()
