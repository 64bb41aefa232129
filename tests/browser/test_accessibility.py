"""WCAG 2.2 AA in a real browser: axe-core (the npm package pinned in tests/browser/axe) runs on
every page each role's navigation offers, with every tab and expander opened, at a desktop and a
phone size. What Streamlit itself draws (navigation, sidebar, date inputs) counts too: it is this
app's page. Any serious or critical violation fails, listed with its rule, page and element. The
same pass fails on any emoji left on a rendered page: status is drawn with icons.

Screenshots of each page land in tests/artifacts/a11y/<viewport>/, and a summary per role and
viewport in tests/artifacts/a11y/<role>-<viewport>.json."""

from __future__ import annotations

import contextlib
import json
import re
from collections import Counter
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from sqlmodel import select

from tests.browser.conftest import ARTIFACTS, ROOT, start_server
from tests.ui.test_status_marks import emoji_in

pytestmark = [pytest.mark.browser, pytest.mark.flaky(reruns=1)]

AXE_JS = ROOT / "tests" / "browser" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
BLOCKING = {"serious", "critical"}
VIEWPORTS = {"desktop": (1400, 900), "phone": (390, 844)}
# A phone's browser: Streamlit decides from the user agent, not the width, whether it runs on a
# phone (and then closes the sidebar after each navigation).
PHONE_DEVICE = {
    "user_agent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
ADMIN = ("dana@example.com", "Dana DEI", "programme secret lighthouse")
MENTEE = "lucas.jensen@sample.example.com"
MENTOR = "hiroshi.adeyemi@sample.example.com"
SHOTS = ARTIFACTS / "a11y"

# Streamlit has finished a run when the script is idle and no element is left over from the
# previous run; checked twice in a row because a run may start right after another ends.
SETTLED = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const idle = app && app.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-stale="true"]')
    && !document.querySelector('[data-testid="stSkeleton"]');
  const was = window.__portalIdle === true;
  window.__portalIdle = idle;
  return idle && was;
}"""


@pytest.fixture(scope="module")
def sample_server(tmp_path_factory):
    """One server for the module, on a database holding the sample pilot, plus a reset and an
    invitation link so the signed-out pages behind them show their forms."""
    from core.accounts.tokens import issue_token
    from core.auth import create_admin
    from core.db import make_engine, migrate, unit_of_work
    from core.models import Enrollment, EnrollmentStatus, Person, TokenPurpose
    from core.sample.pilot import load_sample_pilot

    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: `make axe` (part of `make test`) installs axe-core")
    tmp = tmp_path_factory.mktemp("a11y")
    engine = make_engine(f"sqlite:///{tmp / 'e2e.db'}")
    migrate(engine)
    with unit_of_work(engine) as session:
        admin = create_admin(*ADMIN, session=session)
        load_sample_pilot(admin, session=session)
        mentee = session.exec(select(Person).where(Person.email == MENTEE)).one()
        reset, _ = issue_token(TokenPurpose.RESET, mentee.id, timedelta(hours=2), session=session)
        invited = session.exec(
            select(Enrollment).where(Enrollment.status == EnrollmentStatus.INVITED)
        ).first()
        invite, _ = issue_token(
            TokenPurpose.INVITE, invited.person_id, timedelta(days=1),
            pilot_id=invited.pilot_id, session=session,
        )  # fmt: skip
    engine.dispose()
    running, stop = start_server(tmp)
    running.links = {
        "Reset your password": f"/reset_password?token={reset}",
        "Accept your invitation": f"/accept_invitation?token={invite}",
    }
    try:
        yield running
    finally:
        stop()


def settle(page: Page) -> None:
    page.wait_for_function(SETTLED, polling=250, timeout=60_000)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def is_phone(page: Page) -> bool:
    return page.viewport_size["width"] < 768


def sidebar_open(page: Page) -> bool:
    """Whether the sidebar shows (a collapsed one is moved off-screen, not hidden)."""
    box = page.get_by_test_id("stSidebar").bounding_box()
    return box is not None and box["width"] > 0 and box["x"] + box["width"] > 0


SIDEBAR_CLOSED = """() => { const box = document.querySelector('[data-testid=stSidebar]')
    .getBoundingClientRect(); return box.right <= 0 || box.width === 0; }"""


def close_sidebar_on_phone(page: Page) -> None:
    """On a phone the sidebar overlays the content: Streamlit closes it after navigating (it
    slides away), and a person closes it by hand after signing in."""
    if not is_phone(page):
        return
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_function(SIDEBAR_CLOSED, timeout=2_000)
    if sidebar_open(page):
        page.get_by_test_id("stSidebarCollapseButton").get_by_role("button").click()
        page.wait_for_function(SIDEBAR_CLOSED)


def open_sidebar(page: Page) -> None:
    if not sidebar_open(page):
        page.get_by_test_id("stExpandSidebarButton").click()
    expect(page.get_by_test_id("stSidebarNav")).to_be_in_viewport()


def nav_titles(page: Page) -> list[str]:
    """The titles of the pages the navigation offers, in its order."""
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav).to_be_attached()
    view_more = nav.get_by_test_id("stSidebarNavViewButton")
    if view_more.count() and "more" in view_more.inner_text().lower():
        view_more.click()
    links = nav.get_by_test_id("stSidebarNavLink")
    return [t.strip() for t in links.locator("[data-testid=stMarkdownContainer]").all_inner_texts()]


def go_to(page: Page, title: str) -> None:
    open_sidebar(page)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title, exact=True).click()
    settle(page)


def open_expanders(page: Page) -> None:
    """Open every visible, closed expander (opening one may reveal others inside it)."""
    for _ in range(5):
        opened = page.evaluate(
            """() => {
              const closed = [...document.querySelectorAll(
                '[data-testid=stExpander] details:not([open]) > summary')]
                .filter((s) => s.checkVisibility());
              closed.forEach((s) => s.click());
              return closed.length;
            }"""
        )
        if not opened:
            return
        settle(page)


def animations_done(page: Page) -> None:
    """An expander that is still sliding open has buttons that are briefly too close together:
    axe measures the page as a person sees it once it has stopped moving."""
    page.evaluate(
        """() => Promise.all(document.getAnimations()
             .filter((a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
             .map((a) => a.finished.catch(() => null)))"""
    )
    page.wait_for_timeout(200)


def run_axe(page: Page) -> list[dict]:
    animations_done(page)
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        """(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags},
                                         resultTypes: ['violations']})""",
        WCAG_22_AA,
    )
    return [
        {
            "rule": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "target": " ".join(map(str, node["target"])),
            "html": node["html"][:160],
        }
        for v in result["violations"]
        for node in v["nodes"]
        if (node.get("impact") or v["impact"]) in BLOCKING
    ]


def check_page(page: Page, role: str, viewport: str, title: str) -> list[dict]:
    """Screenshot the page as it opens, then axe it once per tab with its expanders open."""
    close_sidebar_on_phone(page)
    shot_dir = SHOTS / viewport
    shot_dir.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shot_dir / f"{role}-{slug(title)}.png"))
    found: dict[tuple[str, str], dict] = {}
    tabs = page.locator("[data-testid=stTabs] [role=tab]")
    names = [None, *(t.strip() for t in tabs.all_inner_texts())]
    for name in names:
        if name is not None:
            tab = tabs.filter(has_text=name).first
            if not tab.is_visible():
                continue
            tab.click()
            settle(page)
        open_expanders(page)
        where = title if name is None else f"{title} › {name}"
        if shown := emoji_in(page.locator("body").inner_text()):
            found[("emoji", where)] = {
                "rule": "emoji", "impact": "serious", "help": "status shown by emoji",
                "target": "body", "html": " ".join(sorted(set(shown))), "page": where,
            }  # fmt: skip
        for problem in run_axe(page):
            found.setdefault((problem["rule"], problem["target"]), {**problem, "page": where})
    return list(found.values())


def sign_in(page: Page, server: str, email: str, password: str) -> None:
    page.goto(server)
    page.get_by_label("Work email").fill(email)
    page.locator(".st-key-sign_in_password input").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_test_id("stSidebarNav").get_by_role("link", name="Account")).to_be_attached()
    settle(page)


def report(role: str, viewport: str, pages: list[str], problems: list[dict]) -> str:
    summary = {
        "role": role,
        "viewport": viewport,
        "pages": {
            title: dict(Counter(p["rule"] for p in problems if p["page"].split(" › ")[0] == title))
            for title in pages
        },
        "violations": problems,
    }
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / f"{role}-{viewport}.json").write_text(json.dumps(summary, indent=2))
    lines = [f"{len(problems)} serious or critical WCAG 2.2 AA violation(s) for {role}:"]
    lines += [
        f"  [{p['impact']}] {p['rule']} on {p['page']}: {p['target']}  ({p['help']}) {p['html']}"
        for p in problems
    ]
    return "\n".join(lines)


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def sized_page(request, browser):
    width, height = VIEWPORTS[request.param]
    # The phone is a phone's browser (its user agent, touch), not a narrow desktop window.
    device = PHONE_DEVICE if request.param == "phone" else {}
    context = browser.new_context(**device, viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.viewport_name = request.param
    yield page
    context.close()


@pytest.mark.parametrize(
    "role, email, password",
    [
        ("admin", ADMIN[0], ADMIN[2]),
        ("mentee", MENTEE, "sample-pilot-2027"),
        ("mentor", MENTOR, "sample-pilot-2027"),
    ],
)
def test_every_page_of_a_role_passes_axe(sample_server, sized_page, role, email, password):
    page = sized_page
    sign_in(page, sample_server, email, password)
    open_sidebar(page)
    titles = nav_titles(page)
    assert "Account" in titles
    problems = []
    for title in titles:
        go_to(page, title)
        problems += check_page(page, role, page.viewport_name, title)
    message = report(role, page.viewport_name, titles, problems)
    assert not problems, message


def test_signed_out_pages_pass_axe(sample_server, sized_page):
    page = sized_page
    page.goto(sample_server)
    settle(page)
    open_sidebar(page)
    titles = nav_titles(page)
    assert titles == ["Sign in", "Volunteer for a pilot", "Privacy"]
    problems = []
    for title in titles:
        go_to(page, title)
        problems += check_page(page, "signed-out", page.viewport_name, title)
    for title, link in sample_server.links.items():
        page.goto(sample_server + link)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        settle(page)
        problems += check_page(page, "signed-out", page.viewport_name, title)
    titles += list(sample_server.links)
    message = report("signed-out", page.viewport_name, titles, problems)
    assert not problems, message


def tab_to(page: Page, target, limit: int = 120) -> None:  # noqa: ANN001
    """Press Tab until the target has the keyboard focus, as a person without a mouse does."""
    for _ in range(limit):
        if target.evaluate("(e) => e === document.activeElement"):
            return
        page.keyboard.press("Tab")
    where = page.evaluate("() => document.activeElement.outerHTML.slice(0, 120)")
    raise AssertionError(f"{limit} presses of Tab never reached {target}; focus is on {where}")


def test_a_mentee_by_keyboard_only(sample_server, browser):
    """Sign in, open My pair, switch to the check-in tab and submit it: keys only."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    try:
        page.goto(sample_server)
        settle(page)
        tab_to(page, page.get_by_label("Work email"))
        page.keyboard.type(MENTEE)
        page.keyboard.press("Tab")
        page.keyboard.type("sample-pilot-2027")
        page.keyboard.press("Enter")
        my_pair = page.get_by_test_id("stSidebarNav").get_by_role("link", name="My pair")
        expect(my_pair).to_be_attached()
        settle(page)
        tab_to(page, my_pair)
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="My pair", level=1)).to_be_visible()
        settle(page)
        tab_to(page, page.get_by_role("tab", selected=True))
        checkins = page.get_by_role("tab", name="Check-ins")
        for _ in range(6):
            if checkins.evaluate("(e) => e === document.activeElement"):
                break
            page.keyboard.press("ArrowRight")
        page.keyboard.press("Enter")
        expect(checkins).to_have_attribute("aria-selected", "true")
        settle(page)
        tab_to(page, page.get_by_role("button", name="Submit check-in"))
        page.keyboard.press("Enter")
        expect(page.get_by_text("check-in saved. Thank you!")).to_be_visible()
    finally:
        context.close()
