"""The sample pilot in a real browser: each role lands on its home, and Matching, Pilot progress
and the Dashboard show the same count of mentees with a pair, the one the database holds."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ROOT, metric_value, shot, start_server

# A real browser against a real server: one retry absorbs a slow repaint, a real bug fails twice.
pytestmark = [pytest.mark.browser, pytest.mark.flaky(reruns=1)]

ADMIN = ("admin@example.com", "Ada Admin", "programme secret lighthouse")
SAMPLE_PASSWORD = "sample-pilot-2027"
MENTEE = "lucas.jensen@sample.example.com"
MENTOR = "hiroshi.adeyemi@sample.example.com"
PILOT = "Sample · Reverse mentoring pilot"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1400, "height": 900}


def _core(db: Path, *args: str) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}"}
    subprocess.run([sys.executable, "-m", "core", *args], cwd=ROOT, env=env, check=True)


def _counted_by_hand(db: Path) -> tuple[int, int]:
    """(with a pair, in the pilot) by plain SQL: mentees invited or joined, and those holding a
    suggested, approved, published, active or paused pair, or one that ended after the end."""
    with sqlite3.connect(db) as conn:
        in_pilot = conn.execute(
            "SELECT id FROM enrollment WHERE role = 'mentee' AND status IN ('invited', 'active')"
        ).fetchall()
        paired = conn.execute(
            "SELECT DISTINCT p.mentee_enrollment_id FROM pair p JOIN pilot ON pilot.id = p.pilot_id "
            "WHERE p.status IN ('suggested', 'approved', 'published', 'active', 'paused') "
            "OR (p.status = 'ended' AND date(p.ended_at) >= pilot.end_date)"
        ).fetchall()
    mentees = {row[0] for row in in_pilot}
    return len(mentees & {row[0] for row in paired}), len(mentees)


def _nav(page: Page, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title, exact=True).click()


def _sign_in(page: Page, server: str, email: str, password: str) -> None:
    page.goto(server)
    page.get_by_label("Work email").fill(email)
    page.locator(".st-key-sign_in_password input").fill(password)
    page.get_by_role("button", name="Sign in").click()


def _sign_out(page: Page) -> None:
    _nav(page, "Account")
    page.get_by_role("button", name="Sign out", exact=True).click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def _home_shots(page: Page, role: str) -> None:
    for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        expect(page.locator(".st-key-home_now")).to_be_visible()
        shot(page, f"home-{role}-{name}")
    page.set_viewport_size(DESKTOP)


@pytest.fixture
def sample_server(tmp_path: Path):
    db = tmp_path / "e2e.db"
    _core(db, "migrate")
    _core(db, "create-admin", ADMIN[0], ADMIN[1], "--password", ADMIN[2])
    _core(db, "load-sample")
    running, stop = start_server(tmp_path)
    try:
        yield running, db
    finally:
        stop()


def test_counts_agree_and_each_role_lands_on_its_home(sample_server, page: Page):
    server, db = sample_server
    with_pair, in_pilot = _counted_by_hand(db)
    assert 0 < with_pair < in_pilot  # the sample keeps mentees without a pair on purpose
    sentence = f"{with_pair} of {in_pilot} mentees in the pilot have a pair"
    without = f"{in_pilot - with_pair} mentees in the pilot without a pair"
    home = page.get_by_role("heading", name=f"Home · {PILOT}")

    _sign_in(page, server, ADMIN[0], ADMIN[2])
    expect(home).to_be_visible()
    expect(page.get_by_text("The pilot, from set-up to closing")).to_be_visible()
    expect(page.get_by_text(f"{sentence}.", exact=True)).to_be_visible()
    expect(page.get_by_text(without)).to_be_visible()
    _home_shots(page, "admin")

    _nav(page, "Matching")
    expect(metric_value(page, "Mentees in the pilot with a pair")).to_have_text(
        f"{with_pair} of {in_pilot}"
    )
    expect(page.get_by_text(f"{without}, and why")).to_be_visible()
    expect(page.get_by_text(sentence).first).to_be_visible()
    # The score in words, not "Total score 1269.0".
    expect(page.get_by_text(re.compile(r"Total score \(|\d+\.\d / \d"))).to_have_count(0)
    expect(page.get_by_text("Of the ", exact=False).filter(has_text="good match")).to_be_visible()
    shot(page, "matching-counts")

    _nav(page, "Pilot progress")
    expect(metric_value(page, "Mentees in the pilot with a pair")).to_have_text(
        f"{with_pair} of {in_pilot}"
    )
    expect(page.get_by_text(sentence).first).to_be_visible()

    _nav(page, "Dashboard")
    share = f"{100 * with_pair / in_pilot:.1f}%"
    tile = page.get_by_test_id("stMetric").filter(has_text="Mentees matched")
    expect(tile.get_by_test_id("stMetricValue")).to_have_text(share)
    expect(page.get_by_text(f"{sentence}.", exact=True).filter(visible=True)).to_be_visible()
    # A reload keeps the person on the page they were on.
    page.reload()
    expect(page.get_by_role("heading", name="Success criteria")).to_be_visible()
    _sign_out(page)

    for email, role, step in ((MENTEE, "mentee", "Meet with your pair"),
                              (MENTOR, "mentor", "Meet with your pair")):  # fmt: skip
        _sign_in(page, server, email, SAMPLE_PASSWORD)
        expect(home).to_be_visible()
        expect(page.get_by_text("Your pilot, step by step")).to_be_visible()
        expect(page.get_by_text(f"{step} · now")).to_be_visible()
        _home_shots(page, role)
        page.locator(".st-key-home_action button").click()
        expect(page.get_by_role("heading", name="My pair")).to_be_visible()
        page.reload()
        expect(page.get_by_role("heading", name="My pair")).to_be_visible()
        _sign_out(page)
