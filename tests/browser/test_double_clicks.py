"""Every form that creates something, double-clicked in a real browser: the browser's dblclick
and two separate clicks about 100 ms apart, as a hurried person makes them. Each must leave
exactly one new row and show no error beside the success."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import text
from sqlmodel import Session

from core.db import make_engine, migrate
from core.models import PairStatus, Role
from tests import builders
from tests.browser.conftest import start_server
from tests.browser.test_journey import choose, nav, one, sign_in, tab
from tests.builders.tracking import make_pair

pytestmark = [pytest.mark.browser, pytest.mark.flaky(reruns=1)]

MODES = ("dblclick", "two clicks")
EMAILS = {
    "admin": "admin@example.com",
    "mia": "mia@example.com",  # mentee in an active pair: logs sessions and check-ins
    "max": "max@example.com",
    "gwen": "gwen@example.com",  # mentee with no goals yet
    "ed": "ed@example.com",  # mentor with no expertise yet
    "nora": "nora@example.com",  # ready to be matched
    "ned": "ned@example.com",
    "pia": "pia@example.com",  # an approved pair, waiting to be published
    "pete": "pete@example.com",
    "quinn": "quinn@example.com",  # approved later, for the second publish
    "quentin": "quentin@example.com",
}


class World:
    url: str
    db_url: str
    pilot_id: int
    invite_code: str
    engine = None

    def count(self, sql: str, **params) -> int:
        with self.engine.connect() as conn:
            return conn.execute(text(sql), params).scalar_one()


def _seed(db_url: str) -> tuple[tuple[int, str], tuple[int, int]]:
    engine = make_engine(db_url)
    migrate(engine)
    with Session(engine, expire_on_commit=False) as s:
        admin = builders.staff(s, EMAILS["admin"])
        pilot = builders.pilot(s, admin)
        people = {}
        for key, role, grade in (
            ("mia", Role.MENTEE, 12), ("max", Role.MENTOR, 3), ("gwen", Role.MENTEE, 12),
            ("ed", Role.MENTOR, 3), ("nora", Role.MENTEE, 12), ("ned", Role.MENTOR, 3),
            ("pia", Role.MENTEE, 12), ("pete", Role.MENTOR, 3), ("quinn", Role.MENTEE, 12),
            ("quentin", Role.MENTOR, 3),
        ):  # fmt: skip
            people[key] = builders.participant(
                s, admin, pilot, EMAILS[key], role, grade=grade, name=key.title()
            )
        builders.ready_mentee(s, people["mia"][0], pilot, {"Generative AI basics": 1})
        builders.ready_mentee(s, people["nora"][0], pilot, {"Cybersecurity basics": 1})
        builders.ready_mentor(s, people["ned"][0], pilot, {"Cybersecurity basics": 3})
        make_pair(s, pilot.id, people["mia"][1].id, people["max"][1].id)
        make_pair(s, pilot.id, people["pia"][1].id, people["pete"][1].id, status="approved")
        s.commit()
        found = (pilot.id, pilot.invite_code)
        quinn, quentin = people["quinn"][1].id, people["quentin"][1].id
    engine.dispose()
    return found, (quinn, quentin)


@pytest.fixture
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """A fresh database and server per test, so that a retried test starts from the same rows."""
    tmp: Path = tmp_path_factory.mktemp("double-clicks")
    db_url = f"sqlite:///{tmp / 'e2e.db'}"
    (pilot_id, code), later_pair = _seed(db_url)
    running, stop = start_server(tmp)
    assert running.db_url == db_url
    w = World()
    w.url, w.db_url, w.pilot_id, w.invite_code = str(running), db_url, pilot_id, code
    w.later_pair = later_pair
    w.engine = make_engine(db_url)
    try:
        yield w
    finally:
        w.engine.dispose()
        stop()


def settle(page: Page) -> None:
    """Wait until the server has finished every run the clicks started."""
    page.wait_for_timeout(300)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=30_000)
    page.wait_for_timeout(700)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=30_000)


def double_click(page: Page, locator, mode: str) -> None:
    button = one(locator)
    expect(button).to_be_enabled()
    if mode == "dblclick":
        button.dblclick()
        return
    button.scroll_into_view_if_needed()  # the mouse clicks where the button is on screen
    box = button.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.click(x, y)
    page.wait_for_timeout(100)
    page.mouse.click(x, y)


def no_error(page: Page) -> None:
    expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def signed_in(page: Page, world: World, who: str) -> None:
    page.goto(world.url)
    sign_in(page, EMAILS[who], builders.PASSWORD)
    expect(page.get_by_test_id("stSidebarNav")).to_be_visible()


def test_join(world: World, page: Page):
    for i, mode in enumerate(MODES):
        email = f"volunteer{i}@example.com"
        page.goto(f"{world.url}/join")
        page.get_by_label("Pilot code").fill(world.invite_code)
        page.get_by_label("Work email").fill(email)
        page.get_by_label("Full name").fill(f"Volunteer {i}")
        page.get_by_text("Mentor: a junior colleague").click()
        double_click(page, page.get_by_role("button", name="Send my request"), mode)
        expect(page.get_by_test_id("stAlertContentSuccess")).to_be_visible()
        settle(page)
        no_error(page)
        assert world.count("SELECT count(*) FROM person WHERE email = :e", e=email) == 1, mode
        assert world.count(
            "SELECT count(*) FROM enrollment JOIN person ON person.id = enrollment.person_id "
            "WHERE email = :e", e=email,
        ) == 1, mode  # fmt: skip
        assert world.count("SELECT count(*) FROM outboxmessage WHERE to_email = :e", e=email) == 1


def test_add_goal(world: World, page: Page):
    signed_in(page, world, "gwen")
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="My learning goals").click()
    expect(page.get_by_role("heading", name="My learning goals")).to_be_visible()
    gwen = "(SELECT enrollment.id FROM enrollment JOIN person ON person.id = person_id " \
        "WHERE email = 'gwen@example.com')"  # fmt: skip
    for i, (mode, topic) in enumerate(
        zip(
            MODES,
            ("AI and data · Data literacy", "Cybersecurity · Social engineering"),
            strict=True,
        )
    ):
        objective = page.get_by_label("Objective: what will you be able to do?")
        expect(objective).to_have_value("")
        page.wait_for_load_state("networkidle")
        choose(page, "Topic", topic)
        objective.fill(f"Read a dashboard without help, take {i}")
        double_click(page, page.get_by_role("button", name="Add goal"), mode)
        expect(page.get_by_text("Goal added.")).to_be_visible()
        settle(page)
        no_error(page)
        assert (
            world.count(f"SELECT count(*) FROM learninggoal WHERE enrollment_id = {gwen}") == i + 1
        )


def test_add_expertise(world: World, page: Page):
    signed_in(page, world, "ed")
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="My expertise").click()
    expect(page.get_by_role("heading", name="My expertise")).to_be_visible()
    ed = "(SELECT enrollment.id FROM enrollment JOIN person ON person.id = person_id " \
        "WHERE email = 'ed@example.com')"  # fmt: skip
    for i, (mode, topic) in enumerate(
        zip(
            MODES,
            ("AI and data · Data literacy", "Cybersecurity · Social engineering"),
            strict=True,
        )
    ):
        page.wait_for_load_state("networkidle")
        choose(page, "Topic", topic)
        double_click(page, page.get_by_role("button", name="Add topic"), mode)
        expect(page.get_by_text("Topic added.")).to_be_visible()
        settle(page)
        no_error(page)
        assert world.count(f"SELECT count(*) FROM expertise WHERE enrollment_id = {ed}") == i + 1


def test_log_session_and_check_in(world: World, page: Page):
    signed_in(page, world, "mia")
    nav(page, "My pair")
    tab(page, "Session log")
    for i, mode in enumerate(MODES):
        takeaways = one(page.get_by_label("Shared takeaways (your partner sees these)"))
        expect(takeaways).to_have_value("")
        takeaways.fill(f"Meeting {i}")
        double_click(page, page.get_by_role("button", name="Save session"), mode)
        expect(page.get_by_text("Session saved.")).to_be_visible()
        settle(page)
        no_error(page)
        assert world.count("SELECT count(*) FROM mentoringsession") == i + 1, mode
        assert world.count("SELECT count(*) FROM mentoringsession WHERE takeaways = ''") == 0
    tab(page, "Check-ins")
    for mode in MODES:
        double_click(page, page.get_by_role("button", name="Submit check-in"), mode)
        expect(page.get_by_text("Start check-in saved. Thank you!")).to_be_visible()
        settle(page)
        no_error(page)
        assert world.count("SELECT count(*) FROM checkin") == 1, mode


def test_add_milestone(world: World, page: Page):
    signed_in(page, world, "admin")
    nav(page, "Pilot progress")
    tab(page, "Milestones")
    due = date.today() + timedelta(days=20)
    form = page.get_by_test_id("stForm").filter(has_text="Add or re-date a milestone")
    for i, mode in enumerate(MODES):
        name = f"Show and tell {i}"
        one(form.get_by_label("Name")).fill(name)
        for part, value in (("year", due.year), ("month", due.month), ("day", due.day)):
            one(form.get_by_role("spinbutton", name=f"{part}, Due date")).fill(str(value))
        page.keyboard.press("Escape")  # closes the calendar, which would take the first click
        expect(page.get_by_role("grid")).to_have_count(0)
        double_click(page, form.get_by_role("button", name="Save milestone"), mode)
        expect(page.get_by_text("Milestone saved.")).to_be_visible()
        settle(page)
        no_error(page)
        assert world.count("SELECT count(*) FROM milestone WHERE name = :n", n=name) == 1, mode


def test_import_roster(world: World, page: Page, tmp_path: Path):
    signed_in(page, world, "admin")
    nav(page, "Participants")
    tab(page, "Import a roster")
    for i, mode in enumerate(MODES):
        roster = tmp_path / f"roster{i}.csv"
        roster.write_text(
            "email,name,role,grade\n"
            f"new{i}a@example.com,New {i}A,mentee,12\nnew{i}b@example.com,New {i}B,mentor,3\n"
        )
        page.locator("input[type=file]").set_input_files(str(roster))
        double_click(page, page.get_by_role("button", name="Import 2 people"), mode)
        expect(page.get_by_text("Imported 2 people.")).to_be_visible()
        settle(page)
        no_error(page)
        assert world.count(
            "SELECT count(*) FROM enrollment JOIN person ON person.id = enrollment.person_id "
            "WHERE email LIKE :p", p=f"new{i}%",
        ) == 2, mode  # fmt: skip


def test_run_matching_and_publish(world: World, page: Page):
    signed_in(page, world, "admin")
    nav(page, "Matching")
    for i, mode in enumerate(MODES):
        double_click(page, page.get_by_role("button", name="Run matching"), mode)
        expect(page.get_by_text("pairs suggested", exact=False)).to_be_visible()
        settle(page)
        no_error(page)
        assert world.count("SELECT count(*) FROM matchrun") == i + 1, mode
    published = "SELECT count(*) FROM pair WHERE status = 'published'"
    double_click(page, page.get_by_role("button", name="Publish 1 approved pairs"), MODES[0])
    expect(page.get_by_text("1 pairs published")).to_be_visible()
    settle(page)
    no_error(page)
    assert world.count(published) == 1
    with Session(world.engine) as s:
        make_pair(s, world.pilot_id, *world.later_pair, status=PairStatus.APPROVED)
        s.commit()
    nav(page, "Pilot progress")
    nav(page, "Matching")
    double_click(page, page.get_by_role("button", name="Publish 1 approved pairs"), MODES[1])
    expect(page.get_by_text("1 pairs published")).to_be_visible()
    settle(page)
    no_error(page)
    assert world.count(published) == 2


def test_new_pilot_and_add_person(world: World, page: Page):
    signed_in(page, world, "admin")
    for i, mode in enumerate(MODES):
        nav(page, "New pilot")
        settle(page)
        name = f"Second wave {i}"
        one(page.get_by_label("Pilot name")).fill(name)
        double_click(page, page.get_by_role("button", name="Create pilot"), mode)
        expect(page.get_by_text(f"Pilot '{name}' created.")).to_be_visible()
        settle(page)
        no_error(page)
        assert world.count("SELECT count(*) FROM pilot WHERE name = :n", n=name) == 1, mode
    for i, mode in enumerate(MODES):
        nav(page, "Participants")
        tab(page, "Add one person")
        settle(page)
        email = f"added{i}@example.com"
        one(page.get_by_label("Work email")).fill(email)
        one(page.get_by_label("Full name")).fill(f"Added {i}")
        page.keyboard.press("Tab")
        double_click(page, page.get_by_role("button", name="Add person"), mode)
        expect(page.get_by_text(f"Added {i} was added.")).to_be_visible()
        settle(page)
        no_error(page)
        assert world.count(
            "SELECT count(*) FROM enrollment JOIN person ON person.id = enrollment.person_id "
            "WHERE email = :e", e=email,
        ) == 1, mode  # fmt: skip


def test_plan_session_and_raise_concern(world: World, page: Page):
    signed_in(page, world, "max")
    nav(page, "My pair")
    day = date.today() + timedelta(days=7)
    for i, mode in enumerate(MODES):
        tab(page, "Calendar")
        settle(page)
        form = page.get_by_test_id("stForm").filter(has_text="Plan a session")
        for part, value in (("year", day.year), ("month", day.month), ("day", day.day)):
            one(form.get_by_role("spinbutton", name=f"{part}, Day")).fill(str(value))
        page.keyboard.press("Escape")  # closes the calendar, which would take the first click
        expect(page.get_by_role("grid")).to_have_count(0)
        double_click(page, form.get_by_role("button", name="Add to plan"), mode)
        expect(page.get_by_text("Session planned:")).to_be_visible()
        settle(page)
        no_error(page)
        assert world.count("SELECT count(*) FROM plannedsession") == i + 1, mode
    for i, mode in enumerate(MODES):
        tab(page, "Pause or end")
        settle(page)
        text_box = one(page.get_by_label("What is happening?"))
        expect(text_box).to_have_value("")
        text_box.fill(f"We keep missing each other, take {i}")
        page.keyboard.press("Tab")
        double_click(page, page.get_by_role("button", name="Send to the programme team"), mode)
        expect(page.get_by_text("Your concern was sent.")).to_be_visible()
        settle(page)
        no_error(page)
        assert world.count("SELECT count(*) FROM concern") == i + 1, mode
