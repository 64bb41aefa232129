"""The success-criteria catalogue: every measure a pilot can be judged by, with its label, unit
and direction.

`Pilot.success_criteria` stores the chosen ones as [{"metric": key, "target": number}]. Pilot
settings and the set-up form read this module, so it imports nothing heavier than the standard
library (no pandas: core.dashboard.kpis computes the values).
"""

from __future__ import annotations

from typing import NamedTuple


class Metric(NamedTuple):
    label: str
    unit: str  # "%", "points", "/5" or "sessions"
    comparison: str  # ">=": the value should reach the target; "<=": stay below it
    description: str


METRICS: dict[str, Metric] = {
    "pct_mentees_matched": Metric(
        "Mentees matched",
        "%",
        ">=",
        "Mentees in the pilot (invited or joined) who have a pair now.",
    ),
    "pct_pairs_accepted": Metric(
        "Matches accepted", "%", ">=", "Published pairs that both members accepted."
    ),
    "pct_pairs_met_4_times": Metric(
        "Pairs that met 4+ times", "%", ">=", "Accepted pairs that held at least 4 sessions."
    ),
    "avg_sessions_per_pair": Metric(
        "Sessions per pair", "sessions", ">=", "Sessions held per accepted pair, on average."
    ),
    "pct_milestones_on_track": Metric(
        "Milestones on track",
        "%",
        ">=",
        "Pair milestones due so far that the pairs completed.",
    ),
    "pct_pairs_completed": Metric(
        "Pairs that completed", "%", ">=", "Accepted pairs that completed the pilot."
    ),
    "avg_confidence_gain": Metric(
        "Confidence gain",
        "points",
        ">=",
        "Mentees' confidence on their goal topics (1-5), end minus start check-in, on average.",
    ),
    "pct_mentees_more_confident": Metric(
        "Mentees more confident",
        "%",
        ">=",
        "Mentees whose average confidence on their goal topics rose.",
    ),
    "avg_learned_back_gain": Metric(
        "Mentors' learning back",
        "points",
        ">=",
        "Mentors' ratings of what they learned on leadership topics (1-5), end minus start.",
    ),
    "avg_satisfaction": Metric(
        "Satisfaction", "/5", ">=", "Satisfaction at the end check-in (1-5), mentees and mentors."
    ),
    "pct_would_recommend": Metric(
        "Would recommend", "%", ">=", "End check-ins saying they would recommend the programme."
    ),
    "pct_take_part_again": Metric(
        "Would take part again", "%", ">=", "End check-ins saying they would take part again."
    ),
    "pct_mentees_oriented": Metric(
        "Mentees oriented", "%", ">=", "Mentees who joined and completed the orientation."
    ),
    "pct_pairs_cross_department": Metric(
        "Pairs across departments",
        "%",
        ">=",
        "Matched pairs whose members work in different departments.",
    ),
    "pct_sessions_candid": Metric(
        "Candid conversations",
        "%",
        ">=",
        "After-session answers of 4 or 5 (of 5) to 'Could I speak candidly?'.",
    ),
}

DEFAULT_CRITERIA: tuple[dict, ...] = (
    {"metric": "pct_mentees_matched", "target": 90.0},
    {"metric": "pct_pairs_met_4_times", "target": 80.0},
    {"metric": "avg_confidence_gain", "target": 1.0},
    {"metric": "avg_satisfaction", "target": 4.0},
    {"metric": "pct_would_recommend", "target": 80.0},
)

DIGITS = {"%": 1, "points": 2, "/5": 2, "sessions": 1}


def format_kpi(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    digits = DIGITS.get(unit, 1)
    if unit == "%":
        return f"{value:.{digits}f}%"
    if unit == "/5":
        return f"{value:.{digits}f} / 5"
    sign = "+" if unit == "points" and value > 0 else ""
    return f"{sign}{value:.{digits}f} {unit}"
