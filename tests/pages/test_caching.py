"""The admin pages' caches (ui/cached.py): a write shows at the next rerun, a rerun without a
write computes nothing, and cached figures never reach another pilot's admin or a participant.

Figures come from the tracking world (tests/builders/tracking.py): "Pilot 2027" has four
mentees, three of them in an active pair and none with a session yet; "Another pilot" (Olga's)
has nobody."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session

import ui.cached
from core.db import unit_of_work
from core.errors import NotAllowed
from core.models import Pair, PairStatus
from core.tracking.session_log import SessionInput, record_session
from tests.builders.apptest import app, metric, texts
from tests.builders.tracking import tracking_db_url, tracking_template, tracking_world  # noqa: F401

NO_SESSIONS = "0 sessions and 0 hours of mentoring across 3 pairs."
ONE_HOUR = "1 session and 1 hour of mentoring across 3 pairs."


@pytest.fixture(autouse=True)
def _db(monkeypatch, db_url):
    monkeypatch.setenv("DATABASE_URL", db_url)


@pytest.fixture
def computed(monkeypatch):
    """How many times the dashboard was computed (a miss), by pilot id."""
    counts: dict[int, int] = {}
    real = ui.cached.dashboard_view_of_pilot

    def counting(pilot_id, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        counts[pilot_id] = counts.get(pilot_id, 0) + 1
        return real(pilot_id, *args, **kwargs)

    monkeypatch.setattr(ui.cached, "dashboard_view_of_pilot", counting)
    return counts


def dashboard(actor, pilot_id=None):  # noqa: ANN001
    at = app(actor, pilot_id).run()
    at.switch_page("pages/dashboard.py").run()
    assert not at.exception, at.exception
    return at


def test_a_logged_session_shows_on_the_dashboard_at_the_next_rerun(engine, world, computed):
    at = dashboard(world.admin, world.pilot_id)
    assert NO_SESSIONS in texts(at)
    assert computed == {world.pilot_id: 1}  # the first render computes once, not twice
    at.run()
    assert computed == {world.pilot_id: 1}  # nothing written: the rerun reads the cache
    with unit_of_work(engine) as session:
        record_session(
            world.mentee_a,
            world.pair_a,
            SessionInput(held_on=date.today(), minutes=60),
            session=session,
        )
    at.run()
    # One session of 60 minutes over the pilot's three pairs.
    assert ONE_HOUR in texts(at)
    assert "Pairs met 0.3 times on average." in texts(at)
    assert computed == {world.pilot_id: 2}


def test_one_pilots_figures_never_reach_another_pilots_admin(world, computed):
    first = dashboard(world.admin, world.pilot_id)
    assert metric(first, ":orange[:material/warning:] Mentees matched") == "75.0%"  # 3 of 4 mentees
    other = dashboard(world.outsider_admin)
    assert "Dashboard · Another pilot" in texts(other)
    assert metric(other, "Mentees matched") == "Not yet"  # nobody to match
    assert NO_SESSIONS not in texts(other)
    assert len(computed) == 2  # each pilot computed its own


SERVICES = [
    ui.cached.dashboard_view,
    ui.cached.dashboard_filter_options,
    ui.cached.coverage_summary,
    ui.cached.list_pairs,
    ui.cached.latest_run,
    ui.cached.pilot_progress,
    ui.cached.at_risk_pairs,
    ui.cached.events_by_pair,
    ui.cached.overdue_pair_milestones,
    ui.cached.pilot_concerns,
]


@pytest.mark.parametrize("who", ["mentee_a", "mentor_a", "outsider_admin"])
@pytest.mark.parametrize("service", SERVICES, ids=lambda f: f.__name__)
def test_nobody_but_the_pilots_admins_gets_its_cached_figures(engine, world, who, service):
    with Session(engine) as session:
        service(world.admin, world.pilot_id, session=session)  # the admin fills the cache
        with pytest.raises(NotAllowed):
            service(getattr(world, who), world.pilot_id, session=session)


def test_a_mentee_cannot_reach_the_dashboard_page(world):
    at = app(world.mentee_a, world.pilot_id).run()
    with pytest.raises(Exception, match="dashboard"):
        at.switch_page("pages/dashboard.py").run()
    assert "Success criteria" not in texts(at)


def test_the_matching_and_progress_pages_follow_writes(engine, world):
    at = app(world.admin, world.pilot_id).run()
    at.switch_page("pages/progress.py").run()
    assert not at.exception, at.exception
    assert metric(at, "Sessions logged") == "0"
    with unit_of_work(engine) as session:
        record_session(
            world.mentor_b,
            world.pair_b,
            SessionInput(held_on=date.today(), minutes=30),
            session=session,
        )
    at.run()
    assert metric(at, "Sessions logged") == "1"
    at.switch_page("pages/matching.py").run()
    assert not at.exception, at.exception
    assert metric(at, "Mentees in the pilot with a pair") == "3 of 4"
    with unit_of_work(engine) as session:
        pair = session.get(Pair, world.pair_c)
        pair.status = PairStatus.ENDED
        session.add(pair)
    at.run()
    assert (
        metric(at, "Mentees in the pilot with a pair") == "2 of 4"
    )  # an ended pair no longer holds its mentee


def test_the_admins_home_follows_writes_and_a_participant_gets_their_own(engine, world):
    at = app(world.admin, world.pilot_id).run()
    assert not at.exception, at.exception
    assert "1 mentee in the pilot without a pair" in texts(at)
    with unit_of_work(engine) as session:
        pair = session.get(Pair, world.pair_c)
        pair.status = PairStatus.ENDED
        session.add(pair)
    at.run()
    assert "2 mentees in the pilot without a pair" in texts(at)
    # The admin filled the cache; the mentee's home is still their own path, not the checklist.
    mentee = app(world.mentee_a, world.pilot_id).run()
    assert "Needs attention today" not in texts(mentee)
    assert "**Meet with your pair** · now" in texts(mentee)
    with Session(engine) as session, pytest.raises(NotAllowed):
        ui.cached.home_of(world.outsider_admin, world.pilot_id, session=session)
