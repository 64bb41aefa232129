"""Accounts in a real browser against `streamlit run server.py`: the HttpOnly session cookie
survives a reload and a deep link, a revoked session lands on sign-in, a reset email arrives
through SMTP and its link works once, and single sign-on against a local identity provider
signs in a known person and refuses an unknown one."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request

import pytest
from playwright.sync_api import Page, expect

from core.accounts.sessions import COOKIE_NAME, end_all_sessions
from core.db import make_engine, migrate, unit_of_work
from core.models import Role
from tests import builders
from tests.browser.conftest import shot, start_server
from tests.builders.smtp import free_port

pytestmark = [pytest.mark.browser, pytest.mark.flaky(reruns=1)]


def seed(db_url: str) -> dict:
    engine = make_engine(db_url)
    migrate(engine)  # the server migrates on its first page; the test writes before that
    with unit_of_work(engine) as session:
        admin = builders.staff(session)
        pilot = builders.pilot(session, admin)
        mentee, _ = builders.participant(session, admin, pilot, "lea@example.com", Role.MENTEE,
                                         name="Lea Leader")  # fmt: skip
        return {"mentee": mentee.person_id, "pilot": pilot.id}


def sign_in(page: Page, email: str, password: str) -> None:
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Work email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()


def session_cookie(page: Page) -> dict | None:
    return next((c for c in page.context.cookies() if c["name"] == COOKIE_NAME), None)


def wait_for_cookie(page: Page) -> dict:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if cookie := session_cookie(page):
            return cookie
        page.wait_for_timeout(200)
    raise AssertionError("the session cookie was never set")


def test_reload_and_deep_link_keep_a_mentee_on_my_pair(server, page: Page, browser):
    ids = seed(server.db_url)
    page.goto(server)
    sign_in(page, "lea@example.com", builders.PASSWORD)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="My pair").click()
    expect(page.get_by_role("heading", name="My pair")).to_be_visible()
    cookie = wait_for_cookie(page)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert len(cookie["value"]) >= 40

    page.reload()
    expect(page.get_by_role("heading", name="My pair")).to_be_visible()
    expect(page.get_by_role("heading", name="Sign in")).to_have_count(0)
    assert page.url.endswith("/my_pair")

    # A bookmark opened in a new tab of the same browser.
    other = page.context.new_page()
    other.goto(f"{server}/my_pair")
    expect(other.get_by_role("heading", name="My pair")).to_be_visible()
    other.close()

    # Revoked on the server (e.g. "sign out everywhere"): the next visit lands on sign-in.
    with unit_of_work(make_engine(server.db_url)) as session:
        assert end_all_sessions(ids["mentee"], session=session) >= 1
    page.reload()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    shot(page, "accounts-revoked-session")


def test_a_deep_link_while_signed_out_signs_in_then_shows_that_page(server, browser):
    seed(server.db_url)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(f"{server}/my_pair")
    sign_in(page, "lea@example.com", builders.PASSWORD)
    expect(page.get_by_role("heading", name="My pair")).to_be_visible()
    expect(page.get_by_text("Page not found")).to_have_count(0)
    context.close()


def test_an_invalid_cookie_lands_on_sign_in(server, browser):
    seed(server.db_url)
    context = browser.new_context()
    context.add_cookies([{"name": COOKIE_NAME, "value": "forged-" + "x" * 40, "url": server}])
    page = context.new_page()
    page.goto(f"{server}/my_pair")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    context.close()


def test_a_reset_email_arrives_and_its_link_works_once(mailbox, tmp_path, page: Page):
    running, stop = start_server(tmp_path)
    try:
        seed(running.db_url)
        page.goto(running)
        page.get_by_text("Forgot your password?").click()
        page.get_by_label("Email for the reset link").fill("lea@example.com")
        page.get_by_role("button", name="Send me a reset link").click()
        expect(page.get_by_text("If an account exists for this email")).to_be_visible()

        def resets():
            return [m for m in mailbox.to("lea@example.com") if "Reset" in m["Subject"]]

        deadline = time.monotonic() + 20
        while not resets() and time.monotonic() < deadline:
            time.sleep(0.2)
        (mail,) = resets()
        link = next(w for w in mailbox.text(mail).split() if "/reset_password?token=" in w)
        assert link.startswith(running + "/reset_password?token=")

        page.goto(link)
        page.get_by_label("New password (12+ characters)").fill("plum orchard at dusk")
        page.get_by_label("Repeat the new password").fill("plum orchard at dusk")
        page.get_by_role("button", name="Set the new password").click()
        expect(page.get_by_text("Your password is changed")).to_be_visible()

        page.goto(link)
        expect(page.get_by_text("This link is not valid any more")).to_be_visible()
    finally:
        stop()


def _identity_provider(port: int) -> subprocess.Popen:
    claims = [
        {
            "sub": "lea@example.com",
            "email": "lea@example.com",
            "email_verified": True,
            "name": "Lea",
        },
        {
            "sub": "eve@example.com",
            "email": "eve@example.com",
            "email_verified": True,
            "name": "Eve",
        },
    ]
    args = [sys.executable, "-m", "oidc_provider_mock", "--port", str(port)]
    for c in claims:
        args += ["--user-claims", json.dumps(c)]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/.well-known/openid-configuration"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the identity provider did not start")


def _sso_sign_in(page: Page, email: str) -> None:
    page.get_by_role("button", name="Sign in with SSO").click()
    page.get_by_placeholder("sub").fill(email)
    page.get_by_role("button", name="Authorize").click()


def test_sso_signs_in_a_known_person_and_refuses_an_unknown_one(tmp_path, browser):
    idp_port, app_port = free_port(), free_port()
    idp = _identity_provider(idp_port)
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{app_port}/oauth2callback"\n'
        'cookie_secret = "a-test-cookie-secret-of-enough-length"\n'
        'client_id = "portal"\nclient_secret = "portal-secret"\n'
        f'server_metadata_url = "http://127.0.0.1:{idp_port}/.well-known/openid-configuration"\n'
    )
    running, stop = start_server(
        tmp_path, env={"PORTAL_SECRETS_FILE": str(secrets)}, args=["--secrets.files", str(secrets)],
        port=app_port,
    )  # fmt: skip
    try:
        seed(running.db_url)
        known = browser.new_context()
        page = known.new_page()
        page.goto(running)
        _sso_sign_in(page, "lea@example.com")
        expect(page.get_by_text("lea@example.com")).to_be_visible()
        expect(page.get_by_text("Your pilot, step by step")).to_be_visible()  # her home
        shot(page, "accounts-sso-known")
        known.close()

        stranger = browser.new_context()
        page = stranger.new_page()
        page.goto(running)
        _sso_sign_in(page, "eve@example.com")
        expect(page.get_by_text("not invited to the portal")).to_be_visible()
        expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
        stranger.close()
    finally:
        stop()
        idp.terminate()
        idp.wait(timeout=10)
