"""A participant on a phone (390 x 844, a phone's browser): after each navigation the sidebar
closes so the page shows, and the main pages fit the screen: nothing wider than the phone, no
sideways scrolling, the check-in form reachable and submit-able."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_accessibility import (  # noqa: F401  (a fixture)
    MENTEE,
    PHONE_DEVICE,
    SHOTS,
    open_sidebar,
    sample_server,
    settle,
    sidebar_open,
    sign_in,
    slug,
)

pytestmark = [pytest.mark.browser, pytest.mark.flaky(reruns=1)]

WIDTH, HEIGHT = 390, 844
PARTICIPANT_PAGES = ["My learning goals", "My profile", "My pair"]

# Elements of the main area wider than the phone's screen, or scrolling sideways.
TOO_WIDE = """(width) => {
  const main = document.querySelector('[data-testid=stMain]');
  const wide = [...main.querySelectorAll('[data-testid=stElementContainer]')]
    .filter((e) => e.checkVisibility() && e.getBoundingClientRect().right > width + 1)
    .map((e) => (e.innerText || e.getAttribute('class') || '').slice(0, 60));
  if (document.documentElement.scrollWidth > width + 1 || main.scrollWidth > width + 1)
    wide.push(`the page scrolls sideways (${Math.max(main.scrollWidth,
      document.documentElement.scrollWidth)} px)`);
  return wide;
}"""


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE_DEVICE, viewport={"width": WIDTH, "height": HEIGHT})
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def fits(page: Page) -> list[str]:
    return page.evaluate(TOO_WIDE, WIDTH)


def test_a_mentee_on_a_phone(sample_server, phone: Page):
    page = phone
    sign_in(page, sample_server, MENTEE, "sample-pilot-2027")
    # Signed in, the phone shows the first page, not the sidebar over it.
    assert not sidebar_open(page)
    home = page.get_by_role("heading", level=1).first
    expect(home).to_be_in_viewport()
    problems = {"home": fits(page)}
    (SHOTS / "phone").mkdir(parents=True, exist_ok=True)
    for title in PARTICIPANT_PAGES:
        open_sidebar(page)
        page.get_by_test_id("stSidebarNav").get_by_role("link", name=title, exact=True).click()
        settle(page)
        expect(page.get_by_test_id("stSidebar")).not_to_be_in_viewport()
        assert not sidebar_open(page), f"the sidebar stays open over {title}"
        expect(page.get_by_role("heading", level=1).first).to_be_in_viewport()
        problems[title] = fits(page)
        page.screenshot(path=str(SHOTS / "phone" / f"phone-mentee-{slug(title)}.png"))

    # The check-in: its tab, its questions and its button fit the screen.
    page.get_by_role("tab", name="Check-ins").click()
    settle(page)
    submit = page.get_by_role("button", name="Submit check-in")
    submit.scroll_into_view_if_needed()
    expect(submit).to_be_in_viewport()
    box = submit.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH
    assert box["height"] >= 24
    problems["My pair › Check-ins"] = fits(page)
    page.screenshot(path=str(SHOTS / "phone" / "phone-mentee-check-in.png"))
    assert {where: wide for where, wide in problems.items() if wide} == {}
