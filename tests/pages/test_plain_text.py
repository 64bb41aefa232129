"""Whatever a person typed is shown as text on every page that shows it: a Markdown link, a
Markdown image (a tracking pixel) and HTML appear as those very characters, and nothing a person
typed reaches the screen as a link, an image or HTML.

AppTest hands over what Streamlit renders: Markdown sources (titles, captions, alerts, labels,
radio options, metric values) and plain values (st.text, options, tables, inputs). A Markdown
source renders a link, an image or HTML through an unescaped `](`, `][`, `]:` or `<tag` (the
parser sees those, so a backslash defuses them), or through a bare URL or email address: GFM
autolinks are found in the parsed text, escapes resolved, so only a character that breaks the
address defuses them. `live_markup` checks both (tests/browser/test_plain_text.py shows the
same in Chromium's DOM).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from core.auth import actor_for
from core.db import unit_of_work
from core.models import LearningGoal, Milestone, Person, Pilot, Topic
from core.pairs.exit import raise_concern
from core.tracking.session_log import SessionInput, record_session
from tests.builders.apptest import app, seen
from tests.builders.tracking import tracking_db_url, tracking_template, tracking_world  # noqa: F401
from tests.pages.tabs import open_tab

PAYLOAD = "<img src=x onerror=alert(1)> [x](http://evil.example) ![p](http://evil.example/p.png)"
APOSTROPHE_EMAIL = "o'brien@example.com"
PAGES = Path(__file__).resolve().parents[2] / "pages"


def hostile(field: str) -> str:
    return f"{field} {PAYLOAD}"


MIA, MAX = hostile("Mia"), hostile("Max")
TITLE, DEPARTMENT = hostile("Title"), hostile("Department")
PILOT, TOPIC, MILESTONE = hostile("Pilot"), hostile("Topic"), hostile("Milestone")
OBJECTIVE, TAKEAWAYS, NOTE, CONCERN = (
    hostile("Objective"), hostile("Takeaways"), hostile("Note"), hostile("Concern"),
)  # fmt: skip

ESCAPED = re.compile(r"\\[!-/:-@\[-`{-~]")
STRUCTURE = re.compile(r"\]\(|\]\[|\]:|<[A-Za-z/!?]")
AUTOLINK = re.compile(r"(?i)https?://|www\.|[-.\w+]@[-\w]")


def live_markup(source: str) -> str | None:
    """The first piece of `source` that Markdown would turn into a link, an image or HTML."""
    found = STRUCTURE.search(ESCAPED.sub("\x00", source)) or AUTOLINK.search(
        ESCAPED.sub(lambda m: m.group(0)[1], source)
    )
    return found.group() if found else None


MARKDOWN_VALUES = ("markdown", "caption", "title", "header", "subheader", "error", "warning",
                   "info", "success", "toast")  # fmt: skip
LABELLED = ("button", "form_submit_button", "checkbox", "toggle", "radio", "selectbox",
            "multiselect", "slider", "select_slider", "text_input", "text_area", "number_input",
            "date_input", "time_input", "download_button", "expander", "tabs", "metric")  # fmt: skip


def markdown_sources(at: AppTest) -> list[str]:
    """Every string of the page that Streamlit renders as Markdown."""
    sources = [str(el.value) for kind in MARKDOWN_VALUES for el in getattr(at, kind)]
    sources += [str(el.label) for kind in LABELLED for el in getattr(at, kind)]
    sources += [str(option) for radio in at.radio for option in radio.options]
    sources += [str(m.value) for m in at.metric]
    return sources


def plain_values(at: AppTest) -> list[str]:
    """Every string drawn as it is: st.text, options of select boxes, inputs, tables."""
    values = [str(el.value) for el in at.text] + [str(el.value) for el in at.code]
    values += [str(o) for kind in ("selectbox", "multiselect") for w in getattr(at, kind)
               for o in w.options]  # fmt: skip
    values += [str(w.value) for kind in ("text_input", "text_area") for w in getattr(at, kind)]
    for frame in [*at.dataframe, *at.table]:
        values += [str(cell) for cell in frame.value.astype(str).to_numpy().ravel()]
    return values


def assert_shown_as_text(at: AppTest, *expected: str, absent: tuple[str, ...] = ()) -> None:
    assert not at.exception, at.exception
    sources = markdown_sources(at)
    for source in sources:
        assert live_markup(source) is None, f"{live_markup(source)!r} is live in {source!r}"
    plain = plain_values(at)
    # Escaping belongs to Markdown only: plain text shows no backslashes before the payload.
    assert not [v for v in plain if "\\[x\\]" in v or "\\<img" in v]
    everything = "\n".join([*(seen(s) for s in sources), *plain])
    missing = [value.split(" ", 1)[0] for value in expected if value not in everything]
    assert not missing, f"not shown literally: {missing}"
    for value in absent:
        assert value not in everything


@pytest.fixture(autouse=True)
def _db(monkeypatch, db_url):
    monkeypatch.setenv("DATABASE_URL", db_url)


@pytest.fixture
def typed(engine, world):
    """Pair A (Mia and Max) and their pilot, with a payload in every field a person types;
    Max's email has an apostrophe. Returns the world and the two members' fresh actors."""
    with Session(engine) as s:
        mia = s.get(Person, world.mentee_a.person_id)
        max_ = s.get(Person, world.mentor_a.person_id)
        mia.name, max_.name, max_.email = MIA, MAX, APOSTROPHE_EMAIL
        for person in (mia, max_):
            person.job_title, person.department = TITLE, DEPARTMENT
        pilot = s.get(Pilot, world.pilot_id)
        pilot.name = PILOT
        topic = s.get(Topic, world.topics["Generative AI basics"])
        topic.name = TOPIC
        goal = s.exec(
            select(LearningGoal).where(
                LearningGoal.enrollment_id == world.enrollments["mentee_a"],
                LearningGoal.topic_id == topic.id,
            )
        ).one()
        goal.objective = OBJECTIVE
        milestone = s.exec(
            select(Milestone)
            .where(Milestone.pilot_id == world.pilot_id)
            .order_by(Milestone.position)
        ).first()
        milestone.name = MILESTONE
        s.add_all([mia, max_, pilot, topic, goal, milestone])
        s.commit()
        mia_actor, max_actor = actor_for(mia), actor_for(max_)
    with unit_of_work(engine) as session:
        record_session(
            mia_actor, world.pair_a,
            SessionInput(held_on=date.today(), minutes=45, topic_ids=[world.topics["Generative AI basics"]],
                         takeaways=TAKEAWAYS, private_note=NOTE),
            session=session,
        )  # fmt: skip
        raise_concern(max_actor, world.pair_a, CONCERN, session=session)
    return world, mia_actor, max_actor


def _open(actor, pilot_id, page: str) -> AppTest:
    at = app(actor, pilot_id).run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def test_the_mentees_own_pages(typed):
    world, mia, _ = typed
    at = _open(mia, world.pilot_id, "pages/my_goals.py")
    assert_shown_as_text(at, TOPIC, OBJECTIVE, MIA, PILOT)
    at = _open(mia, world.pilot_id, "pages/my_profile.py")
    assert_shown_as_text(at, MIA, TITLE, DEPARTMENT)
    at = _open(mia, world.pilot_id, "pages/account.py")
    assert_shown_as_text(at, MIA)


def test_my_pair_for_the_mentee_who_wrote_the_session(typed):
    world, mia, _ = typed
    at = _open(mia, world.pilot_id, "pages/my_pair.py")
    # Header, overview (goals, milestones), session log (takeaways, own note), check-in sliders.
    assert_shown_as_text(
        at, MAX, TITLE, DEPARTMENT, TOPIC, OBJECTIVE, MILESTONE, TAKEAWAYS, NOTE, MIA
    )


def test_my_pair_for_the_partner_shows_the_shared_text_but_not_the_private_note(typed):
    world, _, max_ = typed
    at = _open(max_, world.pilot_id, "pages/my_pair.py")
    assert_shown_as_text(at, MIA, TITLE, DEPARTMENT, TOPIC, OBJECTIVE, TAKEAWAYS, absent=(NOTE,))
    at = _open(max_, world.pilot_id, "pages/my_expertise.py")
    assert_shown_as_text(at, TOPIC)


def test_an_email_with_an_apostrophe_is_one_piece_of_text_in_the_sidebar(typed):
    world, _, max_ = typed
    at = _open(max_, world.pilot_id, "pages/account.py")
    assert any(APOSTROPHE_EMAIL in t.value for t in at.sidebar.text)
    # Nowhere on the page is it Markdown that could link "brien@example.com" alone.
    assert_shown_as_text(at, APOSTROPHE_EMAIL)
    assert not [s for s in markdown_sources(at.sidebar) if "brien" in s]


def test_the_admins_participant_pages(typed):
    world, *_ = typed
    at = _open(world.admin, world.pilot_id, "pages/participants.py")
    open_tab(at, "participants_tabs", "Everyone")
    at.selectbox(key="participants_detail_who").set_value(world.enrollments["mentee_a"]).run()
    assert_shown_as_text(at, PILOT, MIA, TITLE, DEPARTMENT, TOPIC, OBJECTIVE)
    at.selectbox(key="participants_withdraw_who").set_value(world.enrollments["mentee_a"])
    at.button(key="participants_withdraw").click().run()
    assert any(b.key == "participants_withdraw_confirm" for b in at.button)  # the dialog is open
    assert_shown_as_text(at, MIA)
    # The flash after the write, and the offer to re-admit (an alert and a button label).
    at.button(key="participants_withdraw_confirm").click().run()
    assert any(f"Withdrawn: {MIA} (mia@example.com)." in seen(s.value) for s in at.success)
    assert any(b.key == "participants_undo_readmit" for b in at.button)
    assert_shown_as_text(at, MIA)


def test_a_refusal_that_quotes_a_pilots_name(typed):
    world, mia, _ = typed
    at = AppTest.from_file(str(PAGES / "audit.py"), default_timeout=30)
    at.session_state["actor"], at.session_state["pilot_id"] = mia, world.pilot_id
    at.run()
    assert [seen(e.value) for e in at.error] == [
        f"Only administrators of the pilot '{PILOT}' can do this. "
        "Ask one of them to add you as an administrator."
    ]
    assert_shown_as_text(at, PILOT)


def test_the_admins_progress_page(typed):
    world, *_ = typed
    at = _open(world.admin, world.pilot_id, "pages/progress.py")
    # Pairs table, the concern (names and text), the milestone plan: each tab as it is opened.
    assert_shown_as_text(at, PILOT, MIA, MAX)
    assert_shown_as_text(open_tab(at, "progress_tabs", "Concerns"), PILOT, MIA, MAX, CONCERN)
    assert_shown_as_text(open_tab(at, "progress_tabs", "Milestones"), PILOT, MILESTONE)
    for tab in ("At risk", "Check-ins"):
        assert_shown_as_text(open_tab(at, "progress_tabs", tab), PILOT)


def test_the_admins_other_pages_and_the_closing_dialog(typed):
    world, *_ = typed
    for page in ("pages/dashboard.py", "pages/matching.py", "pages/audit.py", "pages/privacy.py"):
        assert_shown_as_text(_open(world.admin, world.pilot_id, page), PILOT)
    at = _open(world.admin, world.pilot_id, "pages/pilot_setup.py")
    at.button(key="setup_status_closed").click().run()
    assert any(b.key == "setup_close_confirm" for b in at.button)
    assert_shown_as_text(at, PILOT, TOPIC)


def test_the_checker_sees_live_markup_and_ignores_escaped_markup():
    from ui.plain import md

    assert live_markup(PAYLOAD) == "<i"
    assert live_markup(f"**{PAYLOAD}**") is not None
    assert live_markup(f"a {APOSTROPHE_EMAIL}") == "n@e"
    # Backslashes alone defuse links and HTML, not addresses: those are found after parsing.
    assert live_markup(r"http\:\/\/evil\.example") == "http://"
    assert live_markup(r"o\'brien\@example\.com") == "n@e"
    assert (
        live_markup(f"**{md(PAYLOAD)}** · {md(APOSTROPHE_EMAIL)} {md('www.evil.example')}") is None
    )
    assert seen(md(PAYLOAD)) == PAYLOAD


def _paragraph_app() -> None:
    from ui.plain import paragraph

    paragraph(
        "# Not a heading\n  - not a list\n1. not numbered\n> not a quote\nhttp://evil.example"
    )


def test_a_paragraph_keeps_each_line_as_typed_and_parses_none():
    at = AppTest.from_function(_paragraph_app).run()
    (source,) = [m.value for m in at.markdown]
    assert live_markup(source) is None
    lines = seen(source).split("  \n")
    assert lines == [
        "# Not a heading", "- not a list", "1. not numbered", "> not a quote", "http://evil.example",
    ]  # fmt: skip
    # Each line starts with an escaped character, so none opens a heading, list or quote.
    assert [line[:2] for line in source.split("  \n")[:4]] == ["\\#", "\\-", "1\\", "\\>"]
