"""AppTest of the dashboard on the sample pilot, and the report it publishes."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from core.dashboard.view import dashboard_view
from core.db import unit_of_work
from core.models import Role
from core.sample.pilot import load_sample_pilot
from tests import builders
from tests.builders.apptest import app, texts


@pytest.fixture(autouse=True)
def _db(monkeypatch, db_url):
    monkeypatch.setenv("DATABASE_URL", db_url)


@pytest.fixture
def sample(engine):
    with unit_of_work(engine) as s:
        admin = builders.staff(s)
        pilot = load_sample_pilot(admin, session=s)
    return admin, pilot


def test_dashboard_shows_kpis_charts_and_downloads(engine, sample):
    admin, pilot = sample
    at = app(admin, pilot.id).run()
    at.switch_page("pages/dashboard.py").run()
    assert not at.exception, at.exception
    with Session(engine) as s:
        view = dashboard_view(admin, pilot.id, session=s)
    shown = {m.label: m.value for m in at.metric}
    for tile in view.content.tiles:
        mark = {True: "✅ ", False: "⚠️ ", None: ""}[tile.met]
        assert shown[f"{mark}{tile.label}"] == tile.display_value
    assert len(at.get("vega_lite_chart")) == len(view.charts) == 9
    assert "Publish the results" in texts(at)
    labels = [b.label for b in at.get("download_button")]
    assert labels == [
        "Report (HTML)",
        "Report (PDF)",
        "Recognition letters",
        "Data (XLSX)",
        "Data (CSV)",
    ]


def test_dashboard_filter_by_department_and_too_narrow_filter(engine, sample):
    admin, pilot = sample
    at = app(admin, pilot.id).run()
    at.switch_page("pages/dashboard.py").run()
    departments = at.multiselect(key="dashboard_departments").options
    assert "Engineering" in departments and len(departments) >= 8
    at.multiselect(key="dashboard_departments").set_value(["Engineering"]).run()
    from core.dashboard.frames import DashboardFilters

    with Session(engine) as s:
        narrowed = dashboard_view(
            admin, pilot.id, DashboardFilters(departments=("Engineering",)), session=s
        )
    shown = {m.label.removeprefix("✅ ").removeprefix("⚠️ "): m.value for m in at.metric}
    assert {t.label: t.display_value for t in narrowed.content.tiles} == {
        t.label: shown[t.label] for t in narrowed.content.tiles
    }
    # A filter that leaves fewer people than the privacy threshold is refused, with a reason.
    at.multiselect(key="dashboard_departments").set_value(["Legal"])
    at.multiselect(key="dashboard_stages").set_value(["Executive"]).run()
    assert "**Filters**:" in texts(at)
    assert not at.exception


def test_participants_cannot_open_the_dashboard_service(engine, sample):
    admin, pilot = sample
    from core.errors import NotAllowed

    with unit_of_work(engine) as s:
        mentee, _ = builders.participant(s, admin, pilot, "late@x.com", Role.MENTEE)
    with Session(engine) as s, pytest.raises(NotAllowed):
        dashboard_view(mentee, pilot.id, session=s)
