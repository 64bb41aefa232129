"""Everything the dashboard page shows, in one call: the page stays a renderer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from altair import Chart
from sqlmodel import Session

from core.auth import Actor
from core.dashboard.charts import chart_notes, dashboard_charts
from core.dashboard.datasets import compute_dashboard
from core.dashboard.frames import DashboardFilters, load_frames, scope_frames
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
    """Admins only (load_frames checks). Filter choices come from the whole pilot, so a filter
    never hides its own alternatives."""
    everything = load_frames(actor, pilot_id, None, session=session, as_of=as_of)
    frames = scope_frames(everything, filters or DashboardFilters())
    data = compute_dashboard(frames)
    return DashboardView(
        content=ReportContent(data, compute_kpis(frames), highlights(data)),
        charts=dashboard_charts(data),
        notes=chart_notes(data),
        options=FilterOptions(
            departments=_choices(everything.participants["department"]),
            career_stages=_choices(everything.participants["career_stage"]),
            topic_categories=_choices(everything.topics["category"]),
        ),
    )
