"""How people rated the pilot at the end, overall and by group (small groups hidden)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from core.dashboard.funnel import ROLE_LABELS
from core.dashboard.privacy import hidden_label, suppress_small_groups
from core.privacy.gate import gate

if TYPE_CHECKING:
    from core.dashboard.frames import PilotFrames

OVERALL = "Overall"
BREAKDOWNS = {"role": "Role", "department": "Department", "career_stage": "Career stage"}
COLUMNS = [
    "dimension",
    "group",
    "respondents",
    "responses",
    "mean_satisfaction",
    "pct_would_recommend",
    "hidden",
]


def end_answers(frames: PilotFrames) -> pd.DataFrame:
    """End check-ins of both mentees and mentors (one per person and pair)."""
    return frames.checkins.loc[frames.checkins["phase"] == "end"]


def _summary(answers: pd.DataFrame) -> dict:
    satisfaction = answers["satisfaction"].dropna().astype(float)
    recommend = answers["would_recommend"].dropna().astype(bool)
    return {
        "respondents": answers["person_id"].nunique(),
        "responses": len(answers),
        "mean_satisfaction": satisfaction.mean() if len(satisfaction) else float("nan"),
        "pct_would_recommend": 100 * recommend.mean() if len(recommend) else float("nan"),
    }


def satisfaction(frames: PilotFrames) -> pd.DataFrame:
    """dimension ("Overall", "Role", "Department", "Career stage"), group, respondents (distinct
    people), responses, mean_satisfaction (1-5), pct_would_recommend, hidden.

    The overall row goes through the privacy gate like any figure (a one-day date range may leave
    one respondent); groups with fewer respondents than the pilot's privacy threshold are hidden
    (see core.dashboard.privacy).
    """
    answers = end_answers(frames).assign(role=lambda d: d["role"].map(ROLE_LABELS))
    overall = pd.DataFrame(
        [{"dimension": OVERALL, "group": "All respondents", **_summary(answers)}]
    )
    rows = [
        {"dimension": label, "group": group, **_summary(part)}
        for column, label in BREAKDOWNS.items()
        for group, part in answers.groupby(column, sort=True)
    ]
    groups = pd.DataFrame(rows, columns=COLUMNS[:-1])
    groups = suppress_small_groups(
        groups,
        group_col="group",
        members_col="respondents",
        value_cols=["responses", "mean_satisfaction", "pct_would_recommend"],
        threshold=frames.threshold,
        within="dimension",
    )
    # Without any answer there is nothing to protect: the row says 0 respondents.
    overall["hidden"] = (
        len(answers) > 0 and not gate(None, answers["person_id"], frames.threshold).shown
    )
    if overall.loc[0, "hidden"]:
        overall.loc[0, "group"] = hidden_label(frames.threshold)
        overall.loc[0, ["respondents", "responses"]] = pd.NA
        overall.loc[0, ["mean_satisfaction", "pct_would_recommend"]] = float("nan")
    table = pd.concat([overall, groups], ignore_index=True) if len(groups) else overall
    return table[COLUMNS].astype(
        {
            "respondents": "Int64",
            "responses": "Int64",
            "mean_satisfaction": "Float64",
            "pct_would_recommend": "Float64",
        }
    )
