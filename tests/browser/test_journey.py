"""The whole journey in a real browser: first run → pilot → roster → a mentee joins and enters
goals → the admin sees them → a mentor joins → matching → publish → both accept → the mentee
logs a session and a check-in."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.browser.conftest import metric_value, shot

# A real browser against a real server: one retry absorbs a slow repaint, a real bug fails twice.
pytestmark = [pytest.mark.browser, pytest.mark.flaky(reruns=1)]

ADMIN = ("dana@example.com", "Dana DEI", "programme secret lighthouse")
LEA_PASSWORD = "lea walks the harbour"
MAX_PASSWORD = "max rides a green bicycle"
ROSTER = (
    "email,name,role,job_title,grade,department,manager_email\n"
    "lea@example.com,Lea Leader,mentee,VP Finance,12,Finance,\n"
    "max@example.com,Max Mentor,mentor,Analyst,4,Engineering,\n"
    "sam@example.com,Sam Senior,mentee,Director Sales,11,Sales,lea@example.com\n"
)


def one(locator):
    """Streamlit briefly keeps the previous render's elements while a rerun paints: wait until
    exactly one matches before acting on it."""
    expect(locator).to_have_count(1)
    return locator


def tab(page: Page, name: str) -> None:
    one(page.get_by_role("tab", name=name)).click()


def nav(page: Page, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title, exact=True).click()


def choose(page: Page, label: str, option: str) -> None:
    """Pick an option of a selectbox. Long option lists are virtualised, so type to filter
    first; a rerun that repaints the widget mid-way gets the pick retried."""
    for attempt in range(3):
        box = one(page.get_by_test_id("stSelectbox").filter(has_text=label))
        box.get_by_role("combobox").fill(option.split(" · ")[-1])
        wanted = page.get_by_role("option", name=option)
        try:
            wanted.click(timeout=5_000)
            return
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")


def sign_out(page: Page) -> None:
    nav(page, "Account")
    page.get_by_role("button", name="Sign out", exact=True).click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def join(page: Page, link: str, password: str) -> None:
    """Follow a personal invitation link and choose a password."""
    page.goto(link)
    expect(page.get_by_role("heading", name="Accept your invitation")).to_be_visible()
    page.get_by_role("textbox", name="Choose a password (12+ characters)").fill(password)
    page.get_by_label("Repeat the password").fill(password)
    page.get_by_role("button", name="Join the pilot").click()


def sign_in(page: Page, email: str, password: str) -> None:
    page.get_by_label("Work email").fill(email)
    page.locator(".st-key-sign_in_password input").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_pilot_journey(server: str, page: Page, tmp_path):
    page.goto(server)
    expect(page.get_by_text("Welcome to the reverse-mentoring portal")).to_be_visible()
    page.get_by_label("Work email").fill(ADMIN[0])
    page.get_by_label("Full name").fill(ADMIN[1])
    page.get_by_label("Password (12+ characters)").fill(ADMIN[2])
    page.get_by_label("Repeat password").fill(ADMIN[2])
    page.get_by_role("button", name="Create administrator").click()

    expect(page.get_by_role("heading", name="Launch a new pilot")).to_be_visible()
    page.get_by_label("Pilot name").fill("Digital leadership 2027")
    page.get_by_role("button", name="Create pilot").click()
    expect(page.get_by_text("Pilot set-up · Digital leadership 2027")).to_be_visible()
    page.get_by_role("button", name="Move to recruiting").click()
    expect(page.get_by_text("The pilot is now recruiting.")).to_be_visible()

    nav(page, "Participants")
    tab(page, "Import a roster")
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER)
    page.locator("input[type=file]").set_input_files(str(roster))
    page.get_by_role("button", name="Import 3 people").click()
    expect(page.get_by_text("Imported 3 people.")).to_be_visible()
    tab(page, "Invitations")
    page.get_by_role("button", name="Send a personal link to all 3 invited").click()
    expect(page.get_by_text("3 personal links created")).to_be_visible()
    expect(page.get_by_test_id("stCode")).to_have_count(3)
    expect(page.get_by_test_id("stText").filter(has_text="<")).to_have_count(3)
    shown = [s.strip() for s in page.get_by_test_id("stCode").all_inner_texts()]
    names = [n for n in page.get_by_test_id("stText").all_inner_texts() if "<" in n]
    by_person = {n.split("<")[1].split("@")[0]: link for n, link in zip(names, shown, strict=True)}
    assert set(by_person) == {"lea", "max", "sam"}
    assert all(link.startswith(server + "/accept_invitation?token=") for link in shown)
    sign_out(page)

    join(page, by_person["lea"], LEA_PASSWORD)
    # A new mentee lands on her home, whose one action is her profile: her goals first.
    expect(page.get_by_role("heading", name="Home · Digital leadership 2027")).to_be_visible()
    one(page.get_by_role("button", name="Complete your profile")).click()
    expect(page.get_by_role("heading", name="My learning goals")).to_be_visible()
    for topic, objective in (
        ("AI and data · Generative AI basics", "Draft my monthly update with an AI assistant"),
        ("Cybersecurity · Cybersecurity basics", "Spot a phishing email aimed at executives"),
    ):
        objective_box = page.get_by_label("Objective: what will you be able to do?")
        expect(objective_box).to_have_count(1)  # the previous run's render has settled
        expect(objective_box).to_have_value("")  # ...and the form came back empty
        page.wait_for_load_state("networkidle")
        choose(page, "Topic", topic)
        objective_box.fill(objective)
        expect(objective_box).to_have_value(objective)
        page.get_by_role("button", name="Add goal").click()
        expect(page.get_by_text("Goal added.")).to_be_visible()
    expect(page.get_by_text("2 of 5 goals entered")).to_be_visible()
    nav(page, "My profile")
    page.get_by_text("I am open to being mentored by someone more junior than me").click()
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Profile saved.")).to_be_visible()
    sign_out(page)

    sign_in(page, ADMIN[0], ADMIN[2])
    nav(page, "Participants")
    tab(page, "Everyone")
    choose(page, "See what someone entered", "Lea Leader (mentee)")
    expect(page.get_by_text("Draft my monthly update with an AI assistant")).to_be_visible()
    expect(page.get_by_text("Spot a phishing email aimed at executives")).to_be_visible()
    shot(page, "journey-admin-sees-goals")
    sign_out(page)

    join(page, by_person["max"], MAX_PASSWORD)
    one(page.get_by_role("button", name="Complete your profile")).click()
    expect(page.get_by_role("heading", name="My expertise")).to_be_visible()
    choose(page, "Topic", "AI and data · Generative AI basics")
    page.get_by_role("button", name="Add topic").click()
    expect(page.get_by_text("Topic added.")).to_be_visible()
    nav(page, "My profile")
    page.get_by_text("I volunteer to take part and may be paired with a senior leader").click()
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Profile saved.")).to_be_visible()
    sign_out(page)

    sign_in(page, ADMIN[0], ADMIN[2])
    nav(page, "Matching")
    page.get_by_role("button", name="Run matching").click()
    expect(page.get_by_text("1 pairs suggested (proved optimal)")).to_be_visible()
    page.get_by_role("button", name="Approve all 1 suggestions").click()
    expect(page.get_by_text("1 pairs approved.")).to_be_visible()
    page.get_by_role("button", name="Publish 1 approved pairs").click()
    expect(page.get_by_text("1 pairs published")).to_be_visible()
    # Lea and Sam are the mentees in the pilot (Sam was invited only); Max teaches one of Lea's
    # 2 goals.
    expect(metric_value(page, "Mentees in the pilot with a pair")).to_have_text("1 of 2")
    expect(metric_value(page, "Their goals covered")).to_have_text("1 of 2")
    expect(metric_value(page, "Active mentors with a mentee")).to_have_text("1 of 1")
    expect(metric_value(page, "Last run")).to_have_text("Best possible")
    shot(page, "journey-matching")
    sign_out(page)

    for email, password in (
        ("lea@example.com", LEA_PASSWORD),
        ("max@example.com", MAX_PASSWORD),
    ):
        sign_in(page, email, password)
        nav(page, "My pair")
        expect(page.get_by_text("Why this pair")).to_be_visible()
        page.get_by_role("button", name="Accept").click()
        expect(page.get_by_text("Accepted. Your pair starts")).to_be_visible()
        sign_out(page)

    sign_in(page, "lea@example.com", LEA_PASSWORD)
    nav(page, "My pair")
    expect(page.get_by_text("Your mentor: Max Mentor")).to_be_visible()
    tab(page, "Session log")
    one(page.get_by_label("Shared takeaways (your partner sees these)")).fill(
        "Max showed me how to turn on phishing-resistant MFA"
    )
    page.get_by_label("Private note (only you will ever see this)").fill("Admit: I reuse passwords")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text("Session saved.")).to_be_visible()
    tab(page, "Check-ins")
    one(page.get_by_role("button", name="Submit check-in")).click()
    expect(page.get_by_text("Start check-in saved. Thank you!")).to_be_visible()
    tab(page, "Session log")
    logged = page.get_by_role("paragraph").filter(has_text="Max showed me how to turn on phishing")
    expect(logged).to_be_visible()
    expect(page.get_by_text("Your private note: Admit: I reuse passwords")).to_be_visible()
    expect(metric_value(page, "Sessions")).to_have_text("1")
    expect(metric_value(page, "Minutes together")).to_have_text("45")  # the form's default
    shot(page, "journey-my-pair")
