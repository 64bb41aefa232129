"""AppTest of the dashboard on the hand-built pilot of tests/builders/dashboard.py: every figure
expected here is worked out from that module's table, not read back from the dashboard code."""

from __future__ import annotations

import pytest

from core.dashboard.view import dashboard_view
from core.errors import NotAllowed
from tests.builders.apptest import app, texts
from tests.builders.dashboard import dashboard_template, world  # noqa: F401

CHARTS = 9  # the page's four sections: 3 + 2 + 2 + 2 charts


@pytest.fixture
def opened(world, monkeypatch):  # noqa: F811
    session, built, url = world
    monkeypatch.setenv("DATABASE_URL", url)
    at = app(built.admin, built.pilot_id).run()
    at.switch_page("pages/dashboard.py").run()
    assert not at.exception, at.exception
    return at, built


def tiles(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_dashboard_shows_the_pilots_criteria_charts_and_downloads(opened):
    at, _ = opened
    # Accepted pairs p1-p4 met 5, 4, 2 and 4 times: 3 of 4 reached four sessions.
    # Mentees' end-minus-start confidence: m1 +2 +1, m2 +2 0, m4 +1 +1 -> 7 / 6.
    # End check-ins (m1, t1, m2, m4, t4): 4 of 5 would recommend; satisfaction 5+4+4+3+4 = 20.
    # Mentees in the pilot m1-m6: m1, m4 active, m2 ended after the pilot's end, m5 published
    # have a pair; m3's ended early and m6 never joined: 4 of 6.
    assert tiles(at) == {
        ":orange[:material/warning:] Pairs that met 4+ times": "75.0%",
        ":green[:material/check_circle:] Confidence gain": "+1.17 points",
        ":green[:material/check_circle:] Would recommend": "80.0%",
        ":green[:material/check_circle:] Satisfaction": "4.00 / 5",
        ":orange[:material/warning:] Mentees matched": "66.7%",
    }
    assert "4 of 6 mentees in the pilot have a pair." in texts(at)
    deltas = {m.label: m.delta for m in at.metric}
    assert deltas[":orange[:material/warning:] Pairs that met 4+ times"] == "Target: at least 80.0%"
    assert len(at.get("vega_lite_chart")) == CHARTS
    assert "Publish the results" in texts(at)
    labels = [b.label for b in at.get("download_button")]
    assert labels == [
        "Report (HTML)",
        "Report (PDF)",
        "Recognition letters",
        "Data (XLSX)",
        "Data (CSV)",
    ]


def test_department_filter_recomputes_every_tile(opened):
    at, _ = opened
    assert set(at.multiselect(key="dashboard_departments").options) == {
        "Finance",
        "Technology",
        "Legal",
        "HR",
    }
    at.multiselect(key="dashboard_departments").set_value(["Finance"]).run()
    # Finance: mentees m1, m2 (m6 never joined), mentors t1, t2, t3; their accepted pairs are
    # p1 (5 sessions), p2 (4) and p3 (2). End check-ins: m1, t1, m2.
    assert tiles(at) == {
        ":orange[:material/warning:] Pairs that met 4+ times": "66.7%",  # 2 of 3
        ":green[:material/check_circle:] Confidence gain": "+1.25 points",  # m1 +2 +1, m2 +2 0
        ":green[:material/check_circle:] Would recommend": "100.0%",  # 3 of 3
        ":green[:material/check_circle:] Satisfaction": "4.33 / 5",  # (5 + 4 + 4) / 3
        # m1 and m2 of m1, m2, m6 (invited, in the pilot)
        ":orange[:material/warning:] Mentees matched": "66.7%",
    }


def test_a_filter_that_singles_someone_out_shows_no_figures(opened):
    at, _ = opened
    # Legal executives: m4 alone, below the pilot's privacy threshold of 2.
    at.multiselect(key="dashboard_departments").set_value(["Legal"])
    at.multiselect(key="dashboard_stages").set_value(["Executive"]).run()
    assert not at.exception
    assert "only 1 participants match these filters" in texts(at)
    assert tiles(at) == {}
    assert len(at.get("vega_lite_chart")) == 0
    # Widening the filter again brings Legal's two people back (m4 and t4, pair p4: 4 sessions).
    at.multiselect(key="dashboard_stages").set_value([]).run()
    assert tiles(at)[":green[:material/check_circle:] Pairs that met 4+ times"] == "100.0%"


def test_participants_cannot_open_the_dashboard_service(world):  # noqa: F811
    session, built, _ = world
    with pytest.raises(NotAllowed):
        dashboard_view(built.actors["m1"], built.pilot_id, session=session)
