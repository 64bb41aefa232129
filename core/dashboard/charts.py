"""Altair charts of the dashboard datasets, one function per chart.

Each function takes the DataFrame its dataset function returns and draws only what may be shown:
rows hidden by the privacy rule are dropped and counted in the subtitle. Charts have a fixed
width so the report renders them the same way as the page; a page can still stretch them with
`st.altair_chart(chart, use_container_width=True)`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import altair as alt
import pandas as pd

from core.dashboard.funnel import FUNNEL_STEPS, ROLE_LABELS
from core.dashboard.privacy import hidden_note, visible
from core.dashboard.reach import ACROSS, SAME, UNKNOWN
from core.dashboard.satisfaction import BREAKDOWNS, OVERALL
from core.models import Role

if TYPE_CHECKING:
    from core.dashboard.datasets import DashboardData

WIDTH = 560
# Colour-blind-safe pairs (Okabe-Ito): blue/orange for the two roles and demand vs supply.
MENTEE_COLOUR, MENTOR_COLOUR = "#0072B2", "#E69F00"
DEMAND_COLOUR, SUPPLY_COLOUR = "#D55E00", "#009E73"
PLAN_COLOUR, DONE_COLOUR = "#999999", "#009E73"
START_COLOUR, END_COLOUR = "#999999", "#0072B2"

Chart = alt.Chart | alt.LayerChart


def _title(text: str, subtitle: str | list[str] | None = None) -> alt.Title:
    return alt.Title(text, subtitle=subtitle or [], anchor="start")


def _count_axis() -> alt.Axis:
    """Whole numbers only on axes that count people, pairs or sessions."""
    return alt.Axis(tickMinStep=1, format="d")


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """Nullable pandas numbers as floats: Vega wants numbers or nulls, not pd.NA."""
    nullable = [
        column
        for column in df.columns
        if isinstance(df[column].dtype, pd.api.extensions.ExtensionDtype)
        and pd.api.types.is_numeric_dtype(df[column])
    ]
    return df.astype(dict.fromkeys(nullable, float))


def chart_funnel(df: pd.DataFrame) -> alt.Chart:
    """People per funnel step, mentees and mentors side by side."""
    return (
        alt.Chart(df, title=_title("From invitation to completion", "People at each step"))
        .mark_bar()
        .encode(
            y=alt.Y("step:N", sort=list(FUNNEL_STEPS), title=None),
            yOffset=alt.YOffset("role_label:N", sort=list(ROLE_LABELS.values())),
            x=alt.X("people:Q", title="People", axis=_count_axis()),
            color=alt.Color(
                "role_label:N",
                title="Role",
                scale=alt.Scale(
                    domain=[ROLE_LABELS[Role.MENTEE], ROLE_LABELS[Role.MENTOR]],
                    range=[MENTEE_COLOUR, MENTOR_COLOUR],
                ),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("step:N", title="Step"),
                alt.Tooltip("role_label:N", title="Role"),
                alt.Tooltip("people:Q", title="People"),
                alt.Tooltip("pct_of_invited:Q", title="% of invited", format=".1f"),
            ],
        )
        .properties(width=WIDTH)
    )


def chart_topic_supply_demand(df: pd.DataFrame) -> alt.LayerChart:
    """Demand (weighted goals) against supply (mentor expertise) per topic that has either;
    topics nobody can teach are labelled."""
    used = df.loc[(df["demand"] > 0) | (df["supply"] > 0)]
    order = used["topic"].tolist()
    measures = {"demand": "Demand (weighted goals)", "supply": "Supply (mentor expertise)"}
    long = used.melt(
        id_vars=["topic", "category", "mentees", "mentors", "no_one_can_teach"],
        value_vars=list(measures),
        var_name="measure",
        value_name="value",
    ).assign(measure=lambda d: d["measure"].map(measures))
    gaps = used.loc[used["no_one_can_teach"]].assign(note="no one can teach")
    tooltip = [
        alt.Tooltip("topic:N", title="Topic"),
        alt.Tooltip("category:N", title="Category"),
        alt.Tooltip("measure:N", title="Measure"),
        alt.Tooltip("value:Q", title="Value"),
        alt.Tooltip("mentees:Q", title="Mentees wanting it"),
        alt.Tooltip("mentors:Q", title="Mentors offering it"),
    ]
    bars = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y("topic:N", sort=order, title=None),
            yOffset=alt.YOffset("measure:N", sort=list(measures.values())),
            x=alt.X("value:Q", title="Weighted goals / expertise levels"),
            color=alt.Color(
                "measure:N",
                title=None,
                scale=alt.Scale(
                    domain=list(measures.values()), range=[DEMAND_COLOUR, SUPPLY_COLOUR]
                ),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=tooltip,
        )
    )
    labels = (
        alt.Chart(gaps)
        .mark_text(align="left", dx=4, color=DEMAND_COLOUR, fontWeight="bold")
        .encode(
            y=alt.Y("topic:N", sort=order),
            x=alt.X("demand:Q"),
            text=alt.Text("note:N"),
        )
    )
    title = _title(
        "What mentees want to learn vs what mentors can teach",
        "Demand: must-have goal 3, important 2, nice to have 1. Supply: sum of expertise levels.",
    )
    return alt.layer(bars, labels, title=title).properties(width=WIDTH)


def chart_score_distribution(df: pd.DataFrame) -> alt.Chart:
    """Matched pairs per match-score bin."""
    return (
        alt.Chart(df, title=_title("Match quality", "Matched pairs by match score"))
        .mark_bar(color=MENTEE_COLOUR)
        .encode(
            x=alt.X(
                "label:O",
                sort=df["label"].tolist(),
                title="Match score",
                axis=alt.Axis(labelAngle=0),
            ),
            y=alt.Y("pairs:Q", title="Pairs", axis=_count_axis()),
            tooltip=[
                alt.Tooltip("label:O", title="Score"),
                alt.Tooltip("pairs:Q", title="Pairs"),
            ],
        )
        .properties(width=WIDTH)
    )


def chart_sessions_per_week(df: pd.DataFrame) -> alt.Chart:
    """Sessions held per ISO week."""
    return (
        alt.Chart(df, title=_title("Momentum", "Sessions held per week"))
        .mark_bar(color=MENTEE_COLOUR)
        .encode(
            x=alt.X(
                "week:O", sort=df["week"].tolist(), title="ISO week", axis=alt.Axis(labelAngle=-45)
            ),
            y=alt.Y("sessions:Q", title="Sessions", axis=_count_axis()),
            tooltip=[
                alt.Tooltip("week:N", title="Week"),
                alt.Tooltip("week_start:T", title="Starting", format="%d %b %Y"),
                alt.Tooltip("sessions:Q", title="Sessions"),
                alt.Tooltip("minutes:Q", title="Minutes"),
                alt.Tooltip("pairs:Q", title="Pairs that met"),
            ],
        )
        .properties(width=WIDTH)
    )


def chart_milestones_vs_plan(df: pd.DataFrame) -> alt.Chart:
    """Cumulative share of pair milestones completed against the share due by each date."""
    series = {"planned_pct": "Due (plan)", "completed_pct": "Completed"}
    long = df.melt(
        id_vars=["date", "total"],
        value_vars=list(series),
        var_name="series",
        value_name="pct",
    ).assign(series=lambda d: d["series"].map(series))
    return (
        alt.Chart(long, title=_title("Milestones against plan", "Share of all pair milestones"))
        .mark_line(interpolate="step-after", point=True)
        .encode(
            x=alt.X("date:T", title="Date"),
            y=alt.Y("pct:Q", title="Pair milestones (%)", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(domain=list(series.values()), range=[PLAN_COLOUR, DONE_COLOUR]),
                legend=alt.Legend(orient="bottom"),
            ),
            strokeDash=alt.StrokeDash(
                "series:N",
                scale=alt.Scale(domain=list(series.values()), range=[[4, 4], [1, 0]]),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("date:T", title="Date"),
                alt.Tooltip("series:N", title="Series"),
                alt.Tooltip("pct:Q", title="%", format=".1f"),
            ],
        )
        .properties(width=WIDTH)
    )


def _before_after(df: pd.DataFrame, title: str, subtitle: str, what: str) -> alt.LayerChart:
    shown = _plain(visible(df))
    phases = {"mean_start": "Start", "mean_end": "End"}
    long = shown.melt(
        id_vars=["topic", "respondents", "gain"],
        value_vars=list(phases),
        var_name="phase",
        value_name="rating",
    ).assign(phase=lambda d: d["phase"].map(phases))
    order = shown["topic"].tolist()
    scale = alt.Scale(domain=[1, 5])
    rule = (
        alt.Chart(shown)
        .mark_rule(color=PLAN_COLOUR, strokeWidth=2)
        .encode(
            y=alt.Y("topic:N", sort=order, title=None),
            x=alt.X("mean_start:Q", scale=scale, title="Average rating (1-5)"),
            x2="mean_end:Q",
        )
    )
    points = (
        alt.Chart(long)
        .mark_circle(size=120, opacity=1)
        .encode(
            y=alt.Y("topic:N", sort=order),
            x=alt.X("rating:Q", scale=scale),
            color=alt.Color(
                "phase:N",
                title="Check-in",
                scale=alt.Scale(domain=["Start", "End"], range=[START_COLOUR, END_COLOUR]),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("topic:N", title="Topic"),
                alt.Tooltip("phase:N", title="Check-in"),
                alt.Tooltip("rating:Q", title="Average rating", format=".2f"),
                alt.Tooltip("gain:Q", title="Average gain", format="+.2f"),
                alt.Tooltip("respondents:Q", title="Respondents"),
            ],
        )
    )
    note = hidden_note(df, what)
    return alt.layer(
        rule, points, title=_title(title, [subtitle, note] if note else subtitle)
    ).properties(width=WIDTH)


def chart_confidence_before_after(df: pd.DataFrame) -> alt.LayerChart:
    """Mentees' average confidence per goal topic at the start and at the end check-in."""
    return _before_after(
        df,
        "Mentees' confidence, start to end",
        "Average self-rated confidence per topic, mentees who rated it at both check-ins",
        "topics",
    )


def chart_learned_back(df: pd.DataFrame) -> alt.LayerChart:
    """What mentors learned back on leadership topics, start to end: the two-way benefit."""
    return _before_after(
        df,
        "What mentors learned back",
        "Average rating per leadership topic, mentors who rated it at both check-ins",
        "topics",
    )


def chart_satisfaction_by_group(df: pd.DataFrame) -> alt.Chart:
    """Average end-of-pilot satisfaction, overall and per group large enough to show."""
    shown = _plain(visible(df)).assign(
        row=lambda d: [
            g if dim == OVERALL else f"{dim}: {g}"
            for dim, g in zip(d["dimension"], d["group"], strict=True)
        ]
    )
    note = hidden_note(df, "groups")
    subtitle = "End check-ins, mentees and mentors (1-5)"
    return (
        alt.Chart(shown, title=_title("Satisfaction", [subtitle, note] if note else subtitle))
        .mark_bar()
        .encode(
            y=alt.Y("row:N", sort=shown["row"].tolist(), title=None),
            x=alt.X(
                "mean_satisfaction:Q",
                title="Average satisfaction (1-5)",
                scale=alt.Scale(domain=[0, 5]),
            ),
            color=alt.Color(
                "dimension:N",
                title="Breakdown",
                scale=alt.Scale(
                    domain=[OVERALL, *BREAKDOWNS.values()],
                    range=["#333333", MENTEE_COLOUR, MENTOR_COLOUR, SUPPLY_COLOUR],
                ),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("dimension:N", title="Breakdown"),
                alt.Tooltip("group:N", title="Group"),
                alt.Tooltip("mean_satisfaction:Q", title="Average satisfaction", format=".2f"),
                alt.Tooltip("pct_would_recommend:Q", title="% would recommend", format=".0f"),
                alt.Tooltip("respondents:Q", title="Respondents"),
            ],
        )
        .properties(width=WIDTH)
    )


def chart_reach(df: pd.DataFrame) -> alt.Chart:
    """Matched pairs by grade gap, split by whether they cross departments."""
    crossings = [ACROSS, SAME, UNKNOWN]
    return (
        alt.Chart(df, title=_title("Reach", "Matched pairs by grade gap and department"))
        .mark_bar()
        .encode(
            x=alt.X(
                "grade_gap:O",
                title="Grade gap (mentee grade − mentor grade)",
                axis=alt.Axis(labelAngle=0),
            ),
            y=alt.Y("pairs:Q", title="Pairs", stack="zero", axis=_count_axis()),
            color=alt.Color(
                "crossing:N",
                title=None,
                scale=alt.Scale(domain=crossings, range=[SUPPLY_COLOUR, PLAN_COLOUR, "#CCCCCC"]),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("grade_gap:O", title="Grade gap"),
                alt.Tooltip("crossing:N", title="Departments"),
                alt.Tooltip("pairs:Q", title="Pairs"),
            ],
        )
        .properties(width=WIDTH)
    )


def dashboard_charts(data: DashboardData) -> dict[str, Chart]:
    """Every chart of the dashboard, in the order the report shows them."""
    return {
        "funnel": chart_funnel(data.funnel),
        "supply_demand": chart_topic_supply_demand(data.supply_demand),
        "score_distribution": chart_score_distribution(data.score_distribution),
        "sessions_per_week": chart_sessions_per_week(data.sessions_per_week),
        "milestones_vs_plan": chart_milestones_vs_plan(data.milestones_vs_plan),
        "confidence": chart_confidence_before_after(data.confidence),
        "learned_back": chart_learned_back(data.learned_back),
        "satisfaction": chart_satisfaction_by_group(data.satisfaction),
        "reach": chart_reach(data.reach_by_grade_gap),
    }


def chart_notes(data: DashboardData) -> dict[str, str]:
    """The privacy line under each chart that had groups hidden (dashboard and report alike)."""
    notes = {
        "confidence": hidden_note(data.confidence, "topics"),
        "learned_back": hidden_note(data.learned_back, "topics"),
        "satisfaction": hidden_note(data.satisfaction, "groups"),
    }
    return {key: note for key, note in notes.items() if note}
