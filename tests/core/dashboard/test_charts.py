"""Chart specs: the mark, what each channel encodes, and that hidden groups are not drawn."""

from __future__ import annotations

import html
import json
import re

import pandas as pd
import pytest
import vl_convert as vlc

from core.dashboard.charts import (
    chart_confidence_before_after,
    chart_funnel,
    chart_learned_back,
    chart_milestones_vs_plan,
    chart_notes,
    chart_reach,
    chart_satisfaction_by_group,
    chart_score_distribution,
    chart_sessions_per_week,
    chart_topic_supply_demand,
    dashboard_charts,
    empty_charts,
    wrapped,
)
from core.dashboard.datasets import compute_dashboard
from core.dashboard.frames import load_frames
from core.dashboard.funnel import FUNNEL_STEPS
from tests import builders
from tests.builders.dashboard import (
    AS_OF,
    GENAI,
    RESP_AI,
    dashboard_template,  # noqa: F401
    open_copy,
    set_privacy_threshold,
)


@pytest.fixture
def data(dashboard_template, tmp_path):
    with open_copy(dashboard_template, tmp_path) as (session, built, _):
        frames = load_frames(built.admin, built.pilot_id, session=session, as_of=AS_OF)
        yield compute_dashboard(frames)


def channels(spec: dict) -> dict[str, tuple[str | None, str | None]]:
    return {
        name: (value.get("field"), value.get("type"))
        for name, value in spec["encoding"].items()
        if isinstance(value, dict)
    }


def tooltip_fields(spec: dict) -> list[str]:
    return [t["field"] for t in spec["encoding"]["tooltip"]]


def rows(spec: dict, part: dict | None = None) -> list[dict]:
    return spec["datasets"][(part or spec)["data"]["name"]]


def svg_texts(svg: str) -> list[str]:
    """Every text the SVG draws, a multi-line label as its lines joined by a space."""
    texts = []
    for inner in re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S):
        lines = re.findall(r"<tspan[^>]*>(.*?)</tspan>", inner) or [inner]
        texts.append(" ".join(html.unescape(line) for line in lines))
    return texts


def test_funnel_chart(data):
    spec = chart_funnel(data.funnel).to_dict()
    assert spec["mark"]["type"] == "bar"
    assert channels(spec) == {
        "y": ("step", "nominal"),
        "yOffset": ("role_label", "nominal"),
        "x": ("people", "quantitative"),
        "color": ("role_label", "nominal"),
    }
    assert spec["encoding"]["y"]["sort"] == list(FUNNEL_STEPS)
    assert spec["encoding"]["x"]["title"] == "People"
    assert tooltip_fields(spec) == ["step", "role_label", "people", "pct_of_invited"]
    assert spec["title"]["text"] == "From invitation to completion"
    assert len(rows(spec)) == 14


def test_supply_demand_chart_labels_topics_no_one_can_teach(data):
    spec = chart_topic_supply_demand(data.supply_demand).to_dict()
    bars, labels = spec["layer"]
    assert bars["mark"]["type"] == "bar" and labels["mark"]["type"] == "text"
    assert channels(bars) == {
        "y": ("topic_lines", "nominal"),
        "yOffset": ("measure", "nominal"),
        "x": ("value", "quantitative"),
        "color": ("measure", "nominal"),
    }
    assert bars["encoding"]["color"]["scale"]["domain"] == [
        "Demand (weighted goals)",
        "Supply (mentor expertise)",
    ]
    assert "mentors" in tooltip_fields(bars)
    # Only topics with demand or supply are drawn, most wanted first.
    assert bars["encoding"]["y"]["sort"][0] == GENAI  # 20 characters: one line
    assert len(bars["encoding"]["y"]["sort"]) == 5
    assert [(r["topic"], r["note"]) for r in rows(spec, labels)] == [(RESP_AI, "no one can teach")]


def test_score_distribution_chart(data):
    spec = chart_score_distribution(data.score_distribution).to_dict()
    assert spec["mark"]["type"] == "bar"
    assert channels(spec) == {"x": ("label", "ordinal"), "y": ("pairs", "quantitative")}
    assert spec["encoding"]["x"]["title"] == "Match score"
    assert [r["pairs"] for r in rows(spec)] == [0, 0, 0, 1, 1, 1, 0, 1, 0, 1]


def test_sessions_per_week_chart_shows_weeks_as_dates(data):
    spec = chart_sessions_per_week(data.sessions_per_week).to_dict()
    assert spec["mark"]["type"] == "bar"
    assert channels(spec) == {"x": ("week_start", "ordinal"), "y": ("sessions", "quantitative")}
    assert spec["encoding"]["x"]["timeUnit"] == "yearmonthdate"
    assert spec["encoding"]["x"]["axis"]["format"] == "%-d %b %Y"
    assert tooltip_fields(spec) == ["week_start", "sessions", "minutes", "pairs"]
    assert rows(spec)[0]["week_start"] == "2026-01-12T00:00:00"
    # The first session was in the week of Monday 12 January 2026 (tests/builders/dashboard.py).
    labels = svg_texts(vlc.vegalite_to_svg(spec))
    assert "12 Jan 2026" in labels
    assert not any(re.search(r"\d{4}-W\d{2}", label) for label in labels)


def test_milestones_chart_draws_plan_and_completion(data):
    spec = chart_milestones_vs_plan(data.milestones_vs_plan).to_dict()
    assert spec["mark"]["type"] == "line" and spec["mark"]["interpolate"] == "step-after"
    assert channels(spec) == {
        "x": ("date", "temporal"),
        "y": ("pct", "quantitative"),
        "color": ("series", "nominal"),
        "strokeDash": ("series", "nominal"),
    }
    assert spec["encoding"]["y"]["scale"]["domain"] == [0, 100]
    last = [r for r in rows(spec) if r["date"].startswith("2026-06-12")]
    assert sorted((r["series"], r["pct"]) for r in last) == [
        ("Completed", 35.0),
        ("Due (plan)", 100.0),
    ]


def test_confidence_chart_draws_only_shown_topics(data):
    spec = chart_confidence_before_after(data.confidence).to_dict()
    rule, points = spec["layer"]
    assert rule["mark"]["type"] == "rule" and points["mark"]["type"] == "circle"
    assert channels(rule) == {
        "y": ("topic_lines", "nominal"),
        "x": ("mean_start", "quantitative"),
        "x2": ("mean_end", None),
    }
    assert channels(points) == {
        "y": ("topic_lines", "nominal"),
        "x": ("rating", "quantitative"),
        "color": ("phase", "nominal"),
    }
    assert [(r["topic"], r["phase"]) for r in rows(spec, points)] == [
        (GENAI, "Start"),
        (GENAI, "End"),
    ]
    # The privacy note is said once, under the chart (chart_notes), not also in its title.
    assert "not shown" not in json.dumps(spec["title"])
    assert chart_notes(data)["confidence"] == (
        "3 topics with fewer than 2 people not shown, to protect privacy."
    )


def test_learned_back_chart(data):
    spec = chart_learned_back(data.learned_back).to_dict()
    assert spec["title"]["text"] == "What mentors learned back"
    points = spec["layer"][1]
    assert sorted(r["rating"] for r in rows(spec, points)) == [1.5, 3.5]


def test_satisfaction_chart_has_overall_and_group_bars(data):
    spec = chart_satisfaction_by_group(data.satisfaction).to_dict()
    assert spec["mark"]["type"] == "bar"
    assert channels(spec) == {
        "y": ("row_lines", "nominal"),
        "x": ("mean_satisfaction", "quantitative"),
        "color": ("dimension", "nominal"),
    }
    assert [r["row"] for r in rows(spec)][:4] == [
        "All respondents",
        "Role: Mentees (senior leaders)",
        "Role: Mentors (junior volunteers)",
        "Department: Finance",
    ]


def test_reach_chart_stacks_department_crossing_per_grade_gap(data):
    spec = chart_reach(data.reach_by_grade_gap).to_dict()
    assert spec["mark"]["type"] == "bar"
    assert channels(spec) == {
        "x": ("grade_gap", "ordinal"),
        "y": ("pairs", "quantitative"),
        "color": ("crossing", "nominal"),
    }
    assert sum(r["pairs"] for r in rows(spec)) == 5


def test_every_chart_renders_even_for_an_empty_pilot(session):
    admin = builders.staff(session)
    pilot = builders.pilot(session, admin, name="Empty pilot")
    data = compute_dashboard(load_frames(admin, pilot.id, session=session))
    for chart in dashboard_charts(data).values():
        assert vlc.vegalite_to_svg(chart.to_dict()).startswith("<svg")


# What Streamlit's theme sets for every chart (streamlit 1.67, CustomTheme): a label longer
# than 100 pixels is cut to "Prompting for ev…" unless the chart itself lifts the limit.
STREAMLIT_THEME = {"axis": {"labelLimit": 100}, "legend": {"labelLimit": 100}}


def limits(spec: object) -> list[object]:
    """Every labelLimit set anywhere in the spec."""
    if isinstance(spec, dict):
        found = [spec["labelLimit"]] if "labelLimit" in spec else []
        return found + [v for value in spec.values() for v in limits(value)]
    if isinstance(spec, list):
        return [v for value in spec for v in limits(value)]
    return []


def test_no_chart_cuts_a_label_even_under_streamlits_theme(data):
    for key, chart in dashboard_charts(data).items():
        spec = chart.to_dict()
        assert limits(spec) and set(limits(spec)) == {0}, key  # 0: no limit at all
        texts = svg_texts(vlc.vegalite_to_svg(spec, config=STREAMLIT_THEME))
        assert not [t for t in texts if "…" in t], key
    topics = svg_texts(
        vlc.vegalite_to_svg(
            chart_topic_supply_demand(data.supply_demand).to_dict(), config=STREAMLIT_THEME
        )
    )
    # Every topic with demand or supply is drawn whole, long ones on two lines.
    assert {GENAI, "LinkedIn presence", RESP_AI, "Demand (weighted goals)"} <= set(topics)


def test_long_labels_wrap_between_words():
    assert wrapped("Prompting for everyday work") == "Prompting for\neveryday work"
    assert wrapped("Role: Mentors (junior volunteers)") == "Role: Mentors\n(junior volunteers)"
    assert wrapped("Data literacy") == "Data literacy"
    assert wrapped("Supercalifragilisticexpialidocious") == "Supercalifragilisticexpialidocious"


def test_a_pilot_with_data_has_a_chart_in_every_place(data):
    assert empty_charts(data) == {}


def test_an_empty_pilot_gets_a_sentence_for_every_chart(session):
    admin = builders.staff(session)
    pilot = builders.pilot(session, admin, name="Empty pilot")
    data = compute_dashboard(load_frames(admin, pilot.id, session=session))
    empty = empty_charts(data)
    assert list(empty) == list(dashboard_charts(data))
    assert empty["sessions_per_week"] == (
        "No sessions logged yet. Each week's sessions appear here as pairs log them."
    )
    assert empty["funnel"].startswith("Nobody has been invited yet.")


def test_a_chart_the_privacy_rule_empties_says_why_once(dashboard_template, tmp_path):
    with open_copy(dashboard_template, tmp_path) as (session, built, _):
        # With a threshold of 10 no topic has enough raters: the confidence chart has nothing.
        set_privacy_threshold(session, built.pilot_id, 10)
        frames = load_frames(built.admin, built.pilot_id, session=session, as_of=AS_OF)
        data = compute_dashboard(frames)
    note = "4 topics with fewer than 10 people not shown, to protect privacy."
    assert chart_notes(data)["confidence"] == note
    assert empty_charts(data)["confidence"] == note


def test_a_long_topic_name_is_drawn_whole_on_two_lines():
    long_name = "Prompting for everyday work"  # "Prompting for every…" under the theme's limit
    topics = pd.DataFrame(
        {
            "topic_id": [1, 2],
            "topic": [long_name, "Data literacy"],
            "category": ["AI and data", "AI and data"],
            "demand": [6, 2],
            "mentees": [3, 1],
            "supply": [0, 4],
            "mentors": [0, 2],
            "no_one_can_teach": [True, False],
        }
    )
    spec = chart_topic_supply_demand(topics).to_dict()
    svg = vlc.vegalite_to_svg(spec, config=STREAMLIT_THEME)
    assert "Prompting for everyday work" in svg_texts(svg)  # both lines, nothing cut
    assert "…" not in svg
    assert [r["topic"] for r in rows(spec, spec["layer"][1])] == [long_name]
