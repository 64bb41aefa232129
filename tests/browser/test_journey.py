"""The whole first journey in a real browser: first run → pilot → roster → a mentee joins and
enters goals → the admin sees them."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import shot

pytestmark = pytest.mark.browser

ADMIN = ("dana@example.com", "Dana DEI", "programme-secret-1")
ROSTER = (
    "email,name,role,job_title,grade,department,manager_email\n"
    "lea@example.com,Lea Leader,mentee,VP Finance,12,Finance,\n"
    "max@example.com,Max Mentor,mentor,Analyst,4,Engineering,\n"
    "sam@example.com,Sam Senior,mentee,Director Sales,11,Sales,lea@example.com\n"
)


def nav(page: Page, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title, exact=True).click()


def choose(page: Page, label: str, option: str) -> None:
    page.get_by_test_id("stSelectbox").filter(has_text=label).first.click()
    page.get_by_role("option", name=option).click()


def sign_out(page: Page) -> None:
    nav(page, "Account")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def sign_in(page: Page, email: str, password: str) -> None:
    page.get_by_label("Work email").fill(email)
    page.get_by_label("Password", exact=True).first.fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_first_run_to_goals_seen_by_admin(server: str, page: Page, tmp_path):
    page.goto(server)
    expect(page.get_by_text("Welcome to the reverse-mentoring portal")).to_be_visible()
    page.get_by_label("Work email").fill(ADMIN[0])
    page.get_by_label("Full name").fill(ADMIN[1])
    page.get_by_label("Password (10+ characters)").fill(ADMIN[2])
    page.get_by_label("Repeat password").fill(ADMIN[2])
    page.get_by_role("button", name="Create administrator").click()

    expect(page.get_by_role("heading", name="Launch a new pilot")).to_be_visible()
    page.get_by_label("Pilot name").fill("Digital leadership 2027")
    page.get_by_role("button", name="Create pilot").click()
    expect(page.get_by_text("Pilot set-up · Digital leadership 2027")).to_be_visible()
    page.get_by_role("button", name="Move to recruiting").click()
    expect(page.get_by_text("The pilot is now recruiting.")).to_be_visible()

    nav(page, "Participants")
    page.get_by_role("tab", name="Import a roster").click()
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER)
    page.locator("input[type=file]").set_input_files(str(roster))
    page.get_by_role("button", name="Import 3 people").click()
    expect(page.get_by_text("Imported 3 people.")).to_be_visible()
    caption = page.get_by_text(re.compile(r"Invite code: [A-Z0-9]{4}-[A-Z0-9]{4}")).inner_text()
    code = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}", caption).group(0)
    sign_out(page)

    nav(page, "Join a pilot")
    expect(page.get_by_role("heading", name="Join a pilot")).to_be_visible()
    page.get_by_label("Invite code").fill(code)
    page.get_by_label("Work email").fill("lea@example.com")
    page.get_by_label("Password (10+ characters)").fill("lea-password-1")
    page.get_by_label("Repeat password").fill("lea-password-1")
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_role("heading", name="My learning goals")).to_be_visible()
    for topic, objective in (
        ("AI and data · Generative AI basics", "Draft my monthly update with an AI assistant"),
        ("Cybersecurity · Cybersecurity basics", "Spot a phishing email aimed at executives"),
    ):
        choose(page, "Topic", topic)
        page.get_by_label("Objective: what will you be able to do?").fill(objective)
        page.get_by_role("button", name="Add goal").click()
        expect(page.get_by_text("Goal added.")).to_be_visible()
    expect(page.get_by_text("2 of 5 goals entered")).to_be_visible()
    sign_out(page)

    sign_in(page, ADMIN[0], ADMIN[2])
    nav(page, "Participants")
    page.get_by_role("tab", name="Everyone").click()
    choose(page, "See what someone entered", "Lea Leader (mentee)")
    expect(page.get_by_text("Draft my monthly update with an AI assistant")).to_be_visible()
    expect(page.get_by_text("Spot a phishing email aimed at executives")).to_be_visible()
    assert shot(page, "journey-admin-sees-goals").exists()
