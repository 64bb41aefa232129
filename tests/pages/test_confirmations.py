"""Withdrawing someone, deleting a milestone, ending a pair and closing the pilot each ask in a
dialog that says what will happen; cancelling changes nothing, confirming does it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select

from core.db import unit_of_work
from core.models import Enrollment, EnrollmentStatus, Milestone, Pair, PairStatus, Pilot
from core.models import PilotStatus as PS
from core.tracking.milestone_progress import tick_pair_milestone
from tests.builders.apptest import app, texts
from tests.builders.tracking import tracking_db_url, tracking_template, tracking_world  # noqa: F401
from tests.pages.tabs import open_tab


@pytest.fixture(autouse=True)
def _db(monkeypatch, db_url):
    monkeypatch.setenv("DATABASE_URL", db_url)


def _page(actor, pilot_id, page):
    at = app(actor, pilot_id).run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def _open(at) -> bool:
    """Whether a confirmation is on screen (its buttons exist only inside the dialog)."""
    return any(b.key.endswith("_confirm") for b in at.button)


def _status(engine, model, row_id) -> str:
    with Session(engine) as s:
        return s.get(model, row_id).status


def test_withdraw_asks_first_then_offers_to_re_admit(engine, world):
    lou = world.enrollments["lone_mentee"]
    at = open_tab(
        _page(world.admin, world.pilot_id, "pages/participants.py"), "participants_tabs", "Everyone"
    )
    at.selectbox(key="participants_withdraw_who").set_value(lou)
    at.button(key="participants_withdraw").click().run()
    shown = texts(at)
    assert "**Lone Mentee (lou@example.com)** leaves the pilot." in shown
    assert "Every pair they are in ends" in shown and "re-admit them afterwards" in shown
    assert _status(engine, Enrollment, lou) == EnrollmentStatus.ACTIVE

    at.button(key="participants_withdraw_cancel").click().run()
    assert not _open(at)
    assert _status(engine, Enrollment, lou) == EnrollmentStatus.ACTIVE

    at.selectbox(key="participants_withdraw_who").set_value(lou)
    at.button(key="participants_withdraw").click().run()
    at.button(key="participants_withdraw_confirm").click().run()
    assert not at.exception, at.exception
    assert not _open(at)
    assert _status(engine, Enrollment, lou) == EnrollmentStatus.WITHDRAWN
    assert "Withdrawn: Lone Mentee" in texts(at)

    at.button(key="participants_undo_readmit").click().run()
    assert _status(engine, Enrollment, lou) == EnrollmentStatus.ACTIVE
    assert "participants_undo_readmit" not in {b.key for b in at.button}


def test_withdrawing_ends_the_pair_only_after_confirming(engine, world):
    at = open_tab(
        _page(world.admin, world.pilot_id, "pages/participants.py"), "participants_tabs", "Everyone"
    )
    at.selectbox(key="participants_withdraw_who").set_value(world.enrollments["mentee_a"])
    at.button(key="participants_withdraw").click().run()
    assert _status(engine, Pair, world.pair_a) == PairStatus.ACTIVE
    at.button(key="participants_withdraw_confirm").click().run()
    assert _status(engine, Pair, world.pair_a) == PairStatus.ENDED


def _plan(engine, world) -> list[Milestone]:
    with Session(engine) as s:
        return s.exec(
            select(Milestone)
            .where(Milestone.pilot_id == world.pilot_id, Milestone.scope == "pair")
            .order_by(Milestone.position)
        ).all()


def test_deleting_a_milestone_asks_first(engine, world):
    doomed = _plan(engine, world)[-1]
    at = open_tab(
        _page(world.admin, world.pilot_id, "pages/progress.py"), "progress_tabs", "Milestones"
    )
    at.button(key=f"progress_delete_{doomed.id}").click().run()
    shown = texts(at)
    assert f"**{doomed.name}** (due {doomed.due_date:%d %b %Y}; each pair ticks it)" in shown
    assert "leaves the plan of the pilot and of every pair" in shown

    at.button(key="progress_delete_cancel").click().run()
    assert not _open(at)
    with Session(engine) as s:
        assert s.get(Milestone, doomed.id) is not None

    at.button(key=f"progress_delete_{doomed.id}").click().run()
    at.button(key="progress_delete_confirm").click().run()
    assert not at.exception, at.exception
    assert f"'{doomed.name}' deleted." in texts(at)
    with Session(engine) as s:
        assert s.get(Milestone, doomed.id) is None


def test_a_ticked_milestone_is_refused_inside_the_dialog(engine, world):
    ticked = _plan(engine, world)[0]
    with unit_of_work(engine) as s:
        tick_pair_milestone(world.mentee_a, world.pair_a, ticked.id, date.today(), session=s)
    at = open_tab(
        _page(world.admin, world.pilot_id, "pages/progress.py"), "progress_tabs", "Milestones"
    )
    at.button(key=f"progress_delete_{ticked.id}").click().run()
    at.button(key="progress_delete_confirm").click().run()
    assert "1 pair has ticked" in "\n".join(e.value for e in at.error)
    assert _open(at)  # still asking: the person reads why and cancels
    with Session(engine) as s:
        assert s.get(Milestone, ticked.id) is not None


def test_ending_a_pair_asks_first(engine, world):
    at = _page(world.mentee_a, world.pilot_id, "pages/my_pair.py")
    at.text_input(key="pair_exit_reason").input("We never find a slot")
    at.button(key="pair_end").click().run()
    shown = texts(at)
    assert "Your pair with **Mentor A** ends for both of you. This cannot be undone." in shown
    assert "never why. Your reason goes to the programme team only." in shown

    at.button(key="pair_end_cancel").click().run()
    assert not _open(at)
    assert _status(engine, Pair, world.pair_a) == PairStatus.ACTIVE

    at.button(key="pair_end").click().run()
    at.button(key="pair_end_confirm").click().run()
    assert not at.exception, at.exception
    assert _status(engine, Pair, world.pair_a) == PairStatus.ENDED
    assert "The pair has ended." in texts(at)


@pytest.mark.parametrize(
    ("page", "opener", "key"),
    [
        ("pages/progress.py", "progress_close", "progress_close"),
        ("pages/pilot_setup.py", "setup_status_closed", "setup_close"),
    ],
)
def test_closing_the_pilot_asks_first(engine, world, page, opener, key):
    at = _page(world.admin, world.pilot_id, page)
    at.button(key=opener).click().run()
    shown = texts(at)
    assert "**Pilot 2027** closes for everyone in it." in shown
    assert "End check-ins stay open" in shown and "re-open it from Pilot set-up" in shown

    at.button(key=f"{key}_cancel").click().run()
    assert not _open(at)
    assert _status(engine, Pilot, world.pilot_id) == PS.RUNNING

    at.button(key=opener).click().run()
    at.button(key=f"{key}_confirm").click().run()
    assert not at.exception, at.exception
    assert _status(engine, Pilot, world.pilot_id) == PS.CLOSED
