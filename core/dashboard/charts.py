"""Altair charts of the dashboard datasets, one function per chart.

Each function takes the DataFrame its dataset function returns and draws only what may be shown:
rows hidden by the privacy rule are dropped; `chart_notes` says how many, once, under the chart.
Charts have a fixed width so the report renders them the same way as the page; the page
stretches them to its column (`st.altair_chart(chart, width="stretch")`).

Labels are never cut: Streamlit's theme limits axis labels to 100 pixels ("Prompting for ev…"),
so every axis and legend here sets `labelLimit=0` and long labels wrap onto lines instead
(`wrapped`), as do titles. A chart with nothing to draw yet is replaced by a sentence saying
what will fill it (`empty_charts`), never an empty frame.
"""

from __future__ import annotations

import textwrap
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

DATE_FORMAT = "%-d %b %Y"  # "3 Aug 2026": read the same way in every country, unlike 03/08
LABEL_CHARS = 20  # an axis label wraps after this many characters (about 120 px at 12 px)
TITLE_CHARS, SUBTITLE_CHARS = 42, 58  # lines that fit a half-width column
LINE_BREAK = "\n"
# Streamlit's theme fits the whole chart, legend and labels included, into 300 pixels of height,
# squeezing the plot of a chart with a legend to a sliver: fit the width only, and let the
# height follow the content.
FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")
ROW_STEP = 44  # pixels per row of a bar chart whose labels may take two or three lines
# Vega draws an array of strings as lines: the label column holds its lines joined by "\n".
MULTI_LINE = "split(datum.label, '\\n')"

Chart = alt.Chart | alt.LayerChart


def wrapped(text: str, width: int = LABEL_CHARS) -> str:
    """`text` with line breaks between words so that no line is longer than `width` (a single
    longer word stays whole): the chart shows every word of the label."""
    return LINE_BREAK.join(textwrap.wrap(str(text), width, break_long_words=False)) or str(text)


def _lines(text: str, width: int) -> str | list[str]:
    """One string when it fits on a line, else its lines (Vega draws a list as lines)."""
    lines = textwrap.wrap(text, width, break_long_words=False) or [text]
    return lines[0] if len(lines) == 1 else lines


def _title(text: str, subtitle: str | None = None) -> alt.Title:
    return alt.Title(
        _lines(text, TITLE_CHARS),
        subtitle=_lines(subtitle, SUBTITLE_CHARS) if subtitle else [],
        anchor="start",
    )


def _label_axis(**kwargs) -> alt.Axis:
    """An axis of category names: whole and on as many lines as they need. Each row has room
    for its lines, so no label is dropped as overlapping (Streamlit's theme drops them)."""
    return alt.Axis(labelLimit=0, labelExpr=MULTI_LINE, labelOverlap=False, **kwargs)


def _legend(**kwargs) -> alt.Legend:
    """Below the chart, one entry a line, so a narrow column never cuts an entry off."""
    return alt.Legend(orient="bottom", direction="vertical", labelLimit=0, **kwargs)


def _count_axis() -> alt.Axis:
    """Whole numbers only on axes that count people, pairs or sessions."""
    return alt.Axis(tickMinStep=1, format="d", labelLimit=0)


def _value_axis() -> alt.Axis:
    return alt.Axis(labelLimit=0)


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """Nullable pandas numbers as floats: Vega wants numbers or nulls, not pd.NA."""
    nullable = [
        column
        for column in df.columns
        if isinstance(df[column].dtype, pd.api.extensions.ExtensionDtype)
        and pd.api.types.is_numeric_dtype(df[column])
    ]
    return df.astype(dict.fromkeys(nullable, float))


def _with_lines(df: pd.DataFrame, column: str) -> pd.DataFrame:
    """`df` with `<column>_lines`: the label wrapped for an axis (tooltips keep `column`)."""
    return df.assign(**{f"{column}_lines": [wrapped(v) for v in df[column]]})


def chart_funnel(df: pd.DataFrame) -> alt.Chart:
    """People per funnel step, mentees and mentors side by side."""
    return (
        alt.Chart(df, title=_title("From invitation to completion", "People at each step"))
        .mark_bar()
        .encode(
            y=alt.Y("step:N", sort=list(FUNNEL_STEPS), title=None, axis=_label_axis()),
            yOffset=alt.YOffset("role_label:N", sort=list(ROLE_LABELS.values())),
            x=alt.X("people:Q", title="People", axis=_count_axis()),
            color=alt.Color(
                "role_label:N",
                title="Role",
                scale=alt.Scale(
                    domain=[ROLE_LABELS[Role.MENTEE], ROLE_LABELS[Role.MENTOR]],
                    range=[MENTEE_COLOUR, MENTOR_COLOUR],
                ),
                legend=_legend(),
            ),
            tooltip=[
                alt.Tooltip("step:N", title="Step"),
                alt.Tooltip("role_label:N", title="Role"),
                alt.Tooltip("people:Q", title="People"),
                alt.Tooltip("pct_of_invited:Q", title="% of invited", format=".1f"),
            ],
        )
        .properties(width=WIDTH, autosize=FIT_WIDTH)
    )


def chart_topic_supply_demand(df: pd.DataFrame) -> alt.LayerChart:
    """Demand (weighted goals) against supply (mentor expertise) per topic that has either;
    topics nobody can teach are labelled."""
    used = _with_lines(df.loc[(df["demand"] > 0) | (df["supply"] > 0)], "topic")
    order = used["topic_lines"].tolist()
    measures = {"demand": "Demand (weighted goals)", "supply": "Supply (mentor expertise)"}
    long = used.melt(
        id_vars=["topic", "topic_lines", "category", "mentees", "mentors", "no_one_can_teach"],
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
            y=alt.Y("topic_lines:N", sort=order, title=None, axis=_label_axis()),
            yOffset=alt.YOffset("measure:N", sort=list(measures.values())),
            x=alt.X("value:Q", title="Weighted goals / expertise levels", axis=_value_axis()),
            color=alt.Color(
                "measure:N",
                title=None,
                scale=alt.Scale(
                    domain=list(measures.values()), range=[DEMAND_COLOUR, SUPPLY_COLOUR]
                ),
                legend=_legend(),
            ),
            tooltip=tooltip,
        )
    )
    labels = (
        alt.Chart(gaps)
        .mark_text(align="left", dx=4, color=DEMAND_COLOUR, fontWeight="bold")
        .encode(
            y=alt.Y("topic_lines:N", sort=order),
            x=alt.X("demand:Q"),
            text=alt.Text("note:N"),
        )
    )
    title = _title(
        "What mentees want to learn vs what mentors can teach",
        "Demand: must-have goal 3, important 2, nice to have 1. Supply: sum of expertise levels.",
    )
    return alt.layer(bars, labels, title=title).properties(width=WIDTH, autosize=FIT_WIDTH)


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
                axis=alt.Axis(labelAngle=-45, labelLimit=0),
            ),
            y=alt.Y("pairs:Q", title="Pairs", axis=_count_axis()),
            tooltip=[
                alt.Tooltip("label:O", title="Score"),
                alt.Tooltip("pairs:Q", title="Pairs"),
            ],
        )
        .properties(width=WIDTH, autosize=FIT_WIDTH)
    )


def chart_sessions_per_week(df: pd.DataFrame) -> alt.Chart:
    """Sessions held per week, one bar per week labelled with the date of its Monday."""
    return (
        alt.Chart(df, title=_title("Momentum", "Sessions held per week"))
        .mark_bar(color=MENTEE_COLOUR)
        .encode(
            x=alt.X(
                "week_start:O",
                timeUnit="yearmonthdate",
                title="Week starting",
                axis=alt.Axis(format=DATE_FORMAT, labelAngle=-45, labelLimit=0),
            ),
            y=alt.Y("sessions:Q", title="Sessions", axis=_count_axis()),
            tooltip=[
                alt.Tooltip("week_start:T", title="Week starting", format=DATE_FORMAT),
                alt.Tooltip("sessions:Q", title="Sessions"),
                alt.Tooltip("minutes:Q", title="Minutes"),
                alt.Tooltip("pairs:Q", title="Pairs that met"),
            ],
        )
        .properties(width=WIDTH, autosize=FIT_WIDTH)
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
            x=alt.X(
                "date:T",
                title="Date",
                axis=alt.Axis(format=DATE_FORMAT, labelAngle=-45, labelLimit=0),
            ),
            y=alt.Y(
                "pct:Q",
                title="Pair milestones (%)",
                scale=alt.Scale(domain=[0, 100]),
                axis=_value_axis(),
            ),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(domain=list(series.values()), range=[PLAN_COLOUR, DONE_COLOUR]),
                legend=_legend(),
            ),
            strokeDash=alt.StrokeDash(
                "series:N",
                scale=alt.Scale(domain=list(series.values()), range=[[4, 4], [1, 0]]),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("date:T", title="Date", format=DATE_FORMAT),
                alt.Tooltip("series:N", title="Series"),
                alt.Tooltip("pct:Q", title="%", format=".1f"),
            ],
        )
        .properties(width=WIDTH, autosize=FIT_WIDTH)
    )


def _before_after(df: pd.DataFrame, title: str, subtitle: str) -> alt.LayerChart:
    shown = _with_lines(_plain(visible(df)), "topic")
    phases = {"mean_start": "Start", "mean_end": "End"}
    long = shown.melt(
        id_vars=["topic", "topic_lines", "respondents", "gain"],
        value_vars=list(phases),
        var_name="phase",
        value_name="rating",
    ).assign(phase=lambda d: d["phase"].map(phases))
    order = shown["topic_lines"].tolist()
    scale = alt.Scale(domain=[1, 5])
    rule = (
        alt.Chart(shown)
        .mark_rule(color=PLAN_COLOUR, strokeWidth=2)
        .encode(
            y=alt.Y("topic_lines:N", sort=order, title=None, axis=_label_axis()),
            x=alt.X("mean_start:Q", scale=scale, title="Average rating (1-5)", axis=_value_axis()),
            x2="mean_end:Q",
        )
    )
    points = (
        alt.Chart(long)
        .mark_circle(size=120, opacity=1)
        .encode(
            y=alt.Y("topic_lines:N", sort=order),
            x=alt.X("rating:Q", scale=scale),
            color=alt.Color(
                "phase:N",
                title="Check-in",
                scale=alt.Scale(domain=["Start", "End"], range=[START_COLOUR, END_COLOUR]),
                legend=_legend(),
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
    return alt.layer(rule, points, title=_title(title, subtitle)).properties(
        width=WIDTH, height=alt.Step(ROW_STEP), autosize=FIT_WIDTH
    )


def chart_confidence_before_after(df: pd.DataFrame) -> alt.LayerChart:
    """Mentees' average confidence per goal topic at the start and at the end check-in."""
    return _before_after(
        df,
        "Mentees' confidence, start to end",
        "Average self-rated confidence per topic, mentees who rated it at both check-ins",
    )


def chart_learned_back(df: pd.DataFrame) -> alt.LayerChart:
    """What mentors learned back on leadership topics, start to end: the two-way benefit."""
    return _before_after(
        df,
        "What mentors learned back",
        "Average rating per leadership topic, mentors who rated it at both check-ins",
    )


def _answered_satisfaction(df: pd.DataFrame) -> pd.DataFrame:
    """The rows with a satisfaction figure to draw: shown by the privacy rule and answered."""
    shown = _plain(visible(df))
    return shown.loc[shown["mean_satisfaction"].notna()]


def chart_satisfaction_by_group(df: pd.DataFrame) -> alt.Chart:
    """Average end-of-pilot satisfaction, overall and per group large enough to show."""
    shown = _answered_satisfaction(df).assign(
        row=lambda d: [
            g if dim == OVERALL else f"{dim}: {g}"
            for dim, g in zip(d["dimension"], d["group"], strict=True)
        ]
    )
    shown = _with_lines(shown, "row")
    return (
        alt.Chart(shown, title=_title("Satisfaction", "End check-ins, mentees and mentors (1-5)"))
        .mark_bar()
        .encode(
            y=alt.Y(
                "row_lines:N", sort=shown["row_lines"].tolist(), title=None, axis=_label_axis()
            ),
            x=alt.X(
                "mean_satisfaction:Q",
                title="Average satisfaction (1-5)",
                scale=alt.Scale(domain=[0, 5]),
                axis=_value_axis(),
            ),
            color=alt.Color(
                "dimension:N",
                title="Breakdown",
                scale=alt.Scale(
                    domain=[OVERALL, *BREAKDOWNS.values()],
                    range=["#333333", MENTEE_COLOUR, MENTOR_COLOUR, SUPPLY_COLOUR],
                ),
                legend=_legend(),
            ),
            tooltip=[
                alt.Tooltip("dimension:N", title="Breakdown"),
                alt.Tooltip("group:N", title="Group"),
                alt.Tooltip("mean_satisfaction:Q", title="Average satisfaction", format=".2f"),
                alt.Tooltip("pct_would_recommend:Q", title="% would recommend", format=".0f"),
                alt.Tooltip("respondents:Q", title="Respondents"),
            ],
        )
        .properties(width=WIDTH, autosize=FIT_WIDTH, height=alt.Step(ROW_STEP))
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
                axis=alt.Axis(labelAngle=0, labelLimit=0),
            ),
            y=alt.Y("pairs:Q", title="Pairs", stack="zero", axis=_count_axis()),
            color=alt.Color(
                "crossing:N",
                title=None,
                scale=alt.Scale(domain=crossings, range=[SUPPLY_COLOUR, PLAN_COLOUR, "#CCCCCC"]),
                legend=_legend(),
            ),
            tooltip=[
                alt.Tooltip("grade_gap:O", title="Grade gap"),
                alt.Tooltip("crossing:N", title="Departments"),
                alt.Tooltip("pairs:Q", title="Pairs"),
            ],
        )
        .properties(width=WIDTH, autosize=FIT_WIDTH)
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


# What each chart's title says, for the line that stands in for a chart with nothing to draw.
CHART_TITLES = {
    "funnel": "From invitation to completion",
    "supply_demand": "What mentees want to learn vs what mentors can teach",
    "score_distribution": "Match quality",
    "sessions_per_week": "Momentum",
    "milestones_vs_plan": "Milestones against plan",
    "confidence": "Mentees' confidence, start to end",
    "learned_back": "What mentors learned back",
    "satisfaction": "Satisfaction",
    "reach": "Reach",
}


def _nothing_to_draw(data: DashboardData) -> dict[str, bool]:
    return {
        "funnel": int(data.funnel["people"].sum()) == 0,
        "supply_demand": not (
            (data.supply_demand["demand"] > 0) | (data.supply_demand["supply"] > 0)
        ).any(),
        "score_distribution": int(data.score_distribution["pairs"].sum()) == 0,
        "sessions_per_week": int(data.sessions_per_week["sessions"].sum()) == 0,
        "milestones_vs_plan": data.milestones_vs_plan.empty,
        "confidence": visible(data.confidence).empty,
        "learned_back": visible(data.learned_back).empty,
        "satisfaction": _answered_satisfaction(data.satisfaction).empty,
        "reach": int(data.reach_by_grade_gap["pairs"].sum()) == 0,
    }


# Said instead of a blank frame, before there is anything to draw: what will fill the chart.
EMPTY_MESSAGES = {
    "funnel": "Nobody has been invited yet. The funnel fills in as people are invited and join.",
    "supply_demand": "No learning goals or mentor expertise yet. Topics appear here as "
    "mentees enter goals and mentors enter what they can teach.",
    "score_distribution": "No pairs matched yet. Match quality appears once pairs are suggested "
    "on the Matching page.",
    "sessions_per_week": "No sessions logged yet. Each week's sessions appear here as pairs "
    "log them.",
    "milestones_vs_plan": "Nothing to track yet: this needs accepted pairs and milestones in "
    "the pilot set-up.",
    "confidence": "No mentee has rated a topic at both the start and the end check-in yet.",
    "learned_back": "No mentor has rated a leadership topic at both check-ins yet.",
    "satisfaction": "No end-of-pilot check-ins yet.",
    "reach": "No matched pairs yet. Their grade gap and departments appear here once pairs "
    "are matched.",
}


def empty_charts(data: DashboardData) -> dict[str, str]:
    """The sentence to show instead of each chart that has nothing to draw yet. A chart emptied
    by the privacy rule alone gets its privacy note instead (from `chart_notes`), so the page
    says why once."""
    notes = chart_notes(data)
    return {
        key: notes.get(key, EMPTY_MESSAGES[key])
        for key, empty in _nothing_to_draw(data).items()
        if empty
    }


def chart_notes(data: DashboardData) -> dict[str, str]:
    """The one privacy line for each chart that had groups hidden (dashboard and report alike):
    shown under the chart, never also inside it."""
    notes = {
        "confidence": hidden_note(data.confidence, "topics"),
        "learned_back": hidden_note(data.learned_back, "topics"),
        "satisfaction": hidden_note(data.satisfaction, "groups"),
    }
    return {key: note for key, note in notes.items() if note}
