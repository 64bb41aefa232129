"""Everything the dashboard page shows, in one call: the page stays a renderer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from altair import Chart
from sqlmodel import Session

from core.access import require_pilot_admin
from core.auth import Actor
from core.dashboard.charts import chart_notes, dashboard_charts, empty_charts
from core.dashboard.datasets import compute_dashboard
from core.dashboard.frames import DashboardFilters, frames_of_pilot, scope_frames
from core.dashboard.kpis import compute_kpis
from core.dashboard.report import ReportContent, highlights


@dataclass(frozen=True)
class FilterOptions:
    departments: list[str]
    career_stages: list[str]
    topic_categories: list[str]


@dataclass(frozen=True)
class DashboardView:
    content: ReportContent
    charts: dict[str, Chart]
    notes: dict[str, str]
    empty: dict[str, str]  # chart key -> what to say instead of a chart with nothing to draw
    options: FilterOptions


def _choices(values) -> list[str]:  # noqa: ANN001 - a pandas Series
    return sorted({str(v) for v in values.dropna() if str(v).strip()})


def dashboard_view(
    actor: Actor,
    pilot_id: int,
    filters: DashboardFilters | None = None,
    *,
    session: Session,
    as_of: date | None = None,
) -> DashboardView:
    """Admins only. Filter choices come from the whole pilot, so a filter never hides its own
    alternatives."""
    require_pilot_admin(actor, pilot_id, session=session)
    return dashboard_view_of_pilot(pilot_id, filters, session=session, as_of=as_of)


def dashboard_view_of_pilot(
    pilot_id: int,
    filters: DashboardFilters | None = None,
    *,
    session: Session,
    as_of: date | None = None,
) -> DashboardView:
    """`dashboard_view` with no access check: callers check who acts first (ui.cached)."""
    everything = frames_of_pilot(pilot_id, session=session, as_of=as_of)
    frames = scope_frames(everything, filters or DashboardFilters())
    data = compute_dashboard(frames)
    return DashboardView(
        content=ReportContent(data, compute_kpis(frames), highlights(data)),
        charts=dashboard_charts(data),
        notes=chart_notes(data),
        empty=empty_charts(data),
        options=FilterOptions(
            departments=_choices(everything.participants["department"]),
            career_stages=_choices(everything.participants["career_stage"]),
            topic_categories=_choices(everything.topics["category"]),
        ),
    )
