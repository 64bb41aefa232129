"""Forms that keep their place: an error stays next to its field with the panel open, a save
keeps the person on the tab they were on, numeric inputs carry the service's own bounds, and
the wording speaks to the person reading it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block, Expander

from core.models import Enrollment, LearningGoal, MentoringSession, Role
from core.people.participants import MAX_MENTEES_PER_MENTOR, MIN_MENTEES_PER_MENTOR
from core.tracking.session_log import MAX_MINUTES, MIN_MINUTES
from tests import builders
from tests.builders.apptest import app, submit_button, texts
from tests.builders.tracking import tracking_db_url, tracking_template, tracking_world  # noqa: F401
from tests.pages.tabs import open_tab

ROSTER = Path(__file__).resolve().parents[2] / "docs" / "roster-example.csv"


@pytest.fixture(autouse=True)
def _db(monkeypatch, db_url):
    monkeypatch.setenv("DATABASE_URL", db_url)


def open_page(actor, pilot_id: int, page: str) -> AppTest:
    at = app(actor, pilot_id).run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def expander(at: AppTest, key: str) -> Expander:
    """An expander by its key (AppTest looks expanders up by label only)."""
    found = [e for e in at.expander if e.proto.id.endswith(f"-{key}")]
    if len(found) != 1:
        raise KeyError(f"{len(found)} expanders keyed {key!r}")
    return found[0]


def selected_tab(at: AppTest, key: str) -> str:
    """The label of the tab that the keyed st.tabs draws selected."""
    for node in at._tree:
        proto = getattr(node, "proto", None)
        if getattr(node, "type", "") == "tab_container" and proto.id.endswith(f"-{key}"):
            tabs = [child.label for child in node.children.values()]
            return tabs[proto.tab_container.default_tab_index]
    raise KeyError(f"no tabs keyed {key!r}")


def kinds_after(block: Block, key: str) -> list[str]:
    """The types of the elements that follow the widget `key` inside `block`, in order."""
    nodes = [n for n in block if n is not block]
    index = next(i for i, n in enumerate(nodes) if getattr(n, "key", None) == key)
    return [n.type for n in nodes[index + 1 :]]


def fresh_pilot(engine, world):  # noqa: ANN001, ANN201
    """A pilot of its own, recruiting, with nobody in it yet."""
    with Session(engine, expire_on_commit=False) as s:
        pilot = builders.pilot(s, world.admin, name="Fresh pilot")
        s.commit()
    return world.admin, pilot


def a_goal(session: Session, enrollment_id: int) -> LearningGoal:
    return session.exec(
        select(LearningGoal)
        .where(LearningGoal.enrollment_id == enrollment_id)
        .order_by(LearningGoal.id)
    ).first()


def test_an_invalid_objective_keeps_the_goal_open_with_the_error_under_the_field(engine, world):
    with Session(engine) as s:
        goal = a_goal(s, world.enrollments["mentee_a"])
        before = goal.objective
    at = open_page(world.mentee_a, world.pilot_id, "pages/my_goals.py")
    at.session_state[f"goals_panel_{goal.id}"] = True  # the mentee opens the goal
    at.run()
    at.text_area(key=f"goals_objective_{goal.id}").input("AI")
    at.button(key=f"goals_save_{goal.id}").click().run()

    panel = expander(at, f"goals_panel_{goal.id}")
    assert panel.proto.expanded
    following = kinds_after(panel, f"goals_objective_{goal.id}")
    assert following[0] == "error"
    assert "at least 15 characters" in panel.error[0].value
    assert at.text_area(key=f"goals_objective_{goal.id}").value == "AI"
    with Session(engine) as s:
        assert s.get(LearningGoal, goal.id).objective == before


def test_a_saved_goal_stays_open(engine, world):
    with Session(engine) as s:
        goal = a_goal(s, world.enrollments["mentee_a"])
    at = open_page(world.mentee_a, world.pilot_id, "pages/my_goals.py")
    at.session_state[f"goals_panel_{goal.id}"] = True
    at.run()
    # The panel's title carries the priority: saving a new one must not close it.
    at.radio(key=f"goals_priority_{goal.id}").set_value(3)
    at.button(key=f"goals_save_{goal.id}").click().run()
    assert "Goal saved." in texts(at)
    assert expander(at, f"goals_panel_{goal.id}").proto.expanded
    with Session(engine) as s:
        assert s.get(LearningGoal, goal.id).priority == 3


def test_session_saved_keeps_the_session_log_tab(engine, world):
    at = open_page(world.mentee_a, world.pilot_id, "pages/my_pair.py")
    at.session_state["pair_tabs"] = "Session log"  # the mentee opens the tab
    at.run()
    at.text_area(key="pair_session_takeaways_0").input("Set up a password manager together")
    submit_button(at, "pair_session_save").click().run()
    assert "Session saved." in texts(at)
    assert selected_tab(at, "pair_tabs") == "Session log"
    with Session(engine) as s:
        assert len(s.exec(select(MentoringSession)).all()) == 1


def test_a_roster_import_keeps_the_import_tab(engine, world):
    admin, pilot = fresh_pilot(engine, world)
    at = open_page(admin, pilot.id, "pages/participants.py")
    at.session_state["participants_tabs"] = "Import a roster"
    at.run()
    at.file_uploader(key="participants_roster_file").set_value(
        ("roster.csv", ROSTER.read_bytes(), "text/csv")
    ).run()
    [import_button] = [b for b in at.button if (b.key or "").startswith("participants_import")]
    import_button.click().run()
    assert "Imported 5 people." in texts(at)
    assert selected_tab(at, "participants_tabs") == "Import a roster"


def test_the_roster_preview_puts_the_problems_first(engine, world):
    admin, pilot = fresh_pilot(engine, world)
    bad = ROSTER.read_bytes() + b"not-an-email,Bo,boss,,,,,,,\n"
    at = open_tab(
        open_page(admin, pilot.id, "pages/participants.py"), "participants_tabs", "Import a roster"
    )
    at.file_uploader(key="participants_roster_file").set_value(("r.csv", bad, "text/csv")).run()
    [table] = [t for t in at.dataframe if "problems" in t.value.columns]
    assert list(table.proto.column_order)[0] == "problems"
    assert table.proto.row_height > 64  # the grid wraps text only in rows taller than 4rem
    # The bad row comes first, whatever its place in the file.
    assert table.value.iloc[0]["email"] == "not-an-email"
    assert table.value["status"].tolist() == ["To fix"] + ["Ready"] * 5


def test_minutes_are_bounded_by_the_session_rule(engine, world):
    at = open_page(world.mentee_a, world.pilot_id, "pages/my_pair.py")
    for key in ("pair_session_minutes_0", "pair_plan_minutes"):
        field = at.number_input(key=key)
        assert (field.min, field.max) == (MIN_MINUTES, MAX_MINUTES), key
    at.text_area(key="pair_session_takeaways_0").input("First meeting")
    submit_button(at, "pair_session_save").click().run()
    with Session(engine) as s:
        entry = s.exec(select(MentoringSession)).one()
    edit = at.number_input(key=f"pair_edit_minutes_{entry.id}")
    assert (edit.min, edit.max) == (MIN_MINUTES, MAX_MINUTES)


def test_the_orientation_button_goes_once_it_is_done(engine, world):
    at = open_page(world.mentee_a, world.pilot_id, "pages/my_profile.py")
    at.button(key="profile_orientation").click().run()
    assert "Orientation completed." in texts(at)
    assert "You have completed the orientation." in texts(at)
    assert "profile_orientation" not in [b.key for b in at.button]
    with Session(engine) as s:
        enrollment = s.get(Enrollment, world.enrollments["mentee_a"])
        assert enrollment.orientation_completed_at is not None


def test_the_capacity_field_says_what_it_is_and_keeps_the_rule(engine, world):
    admin, pilot = fresh_pilot(engine, world)
    at = open_page(admin, pilot.id, "pages/participants.py")
    field = at.number_input(key="participants_capacity")
    assert field.label == "Mentees a mentor takes"
    assert (field.min, field.max) == (MIN_MENTEES_PER_MENTOR, MAX_MENTEES_PER_MENTOR)


def test_one_participant_is_one_person(engine, world):
    admin, pilot = fresh_pilot(engine, world)
    with Session(engine, expire_on_commit=False) as s:
        builders.participant(s, admin, s.merge(pilot), "lea@example.com", Role.MENTEE)
        s.commit()
    at = open_tab(
        open_page(admin, pilot.id, "pages/participants.py"), "participants_tabs", "Everyone"
    )
    at.selectbox(key="participants_filter_role").set_value(Role.MENTEE).run()
    captions = [c.value for c in at.caption]
    assert "1 person" in captions
    assert not [c for c in captions if "1 people" in c]


def test_the_mentee_reads_your_goals_and_the_mentor_your_mentees_goals(engine, world):
    mentee = open_page(world.mentee_a, world.pilot_id, "pages/my_pair.py")
    assert "**Your goals** (confidence before → after)" in texts(mentee)
    mentor = open_page(world.mentor_a, world.pilot_id, "pages/my_pair.py")
    assert "**Your mentee's goals** (confidence before → after)" in texts(mentor)
    for at in (mentee, mentor):
        assert "The mentee's goals" not in texts(at)
