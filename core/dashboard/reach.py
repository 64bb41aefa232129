"""Who met whom: how far the matched pairs reach across departments, grades and career stages.

Reverse mentoring is meant to connect people who would never otherwise meet; these datasets
show whether the matching did that. They use matched pairs (not only accepted ones) so the
programme team can see the reach of a matching round before pairs start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from core.dashboard.privacy import NOT_RECORDED, suppress_small_groups

if TYPE_CHECKING:
    from core.dashboard.frames import PilotFrames

ACROSS = "Across departments"
SAME = "Same department"
UNKNOWN = "Department not recorded"


def pair_reach(frames: PilotFrames) -> pd.DataFrame:
    """Per matched pair: pair_id, crossing (ACROSS / SAME / UNKNOWN), grade_gap (mentee grade −
    mentor grade, NA when either is unknown), mentee_stage, mentor_stage, and both enrollment
    ids. Kept inside core: it is per pair, so it is never shown as such."""
    facts = frames.pair_facts
    pairs = facts.loc[facts["matched"]]
    mentee, mentor = pairs["mentee_department"], pairs["mentor_department"]
    unknown = mentee.isna() | mentor.isna() | (mentee == NOT_RECORDED) | (mentor == NOT_RECORDED)
    crossing = np.where(unknown, UNKNOWN, np.where(mentee != mentor, ACROSS, SAME))
    return pd.DataFrame(
        {
            "pair_id": pairs["pair_id"].to_numpy(),
            "mentee_enrollment_id": pairs["mentee_enrollment_id"].to_numpy(),
            "mentor_enrollment_id": pairs["mentor_enrollment_id"].to_numpy(),
            "crossing": crossing,
            "grade_gap": (pairs["mentee_grade"] - pairs["mentor_grade"]).astype("Int64").to_numpy(),
            "mentee_stage": pairs["mentee_career_stage"].fillna(NOT_RECORDED).to_numpy(),
            "mentor_stage": pairs["mentor_career_stage"].fillna(NOT_RECORDED).to_numpy(),
        }
    )


def cross_department_share(frames: PilotFrames) -> float | None:
    """% of matched pairs whose members work in different departments, over the pairs where
    both departments are recorded; None when there are none."""
    crossing = pair_reach(frames)["crossing"]
    known = crossing[crossing != UNKNOWN]
    return float(100 * (known == ACROSS).mean()) if len(known) else None


def reach_by_grade_gap(frames: PilotFrames) -> pd.DataFrame:
    """Matched pairs per grade gap and department crossing: grade_gap, crossing, pairs. Pairs with
    an unknown grade are left out."""
    reach = pair_reach(frames).dropna(subset=["grade_gap"])
    table = reach.groupby(["grade_gap", "crossing"]).size().rename("pairs").reset_index()
    return table.astype({"grade_gap": int, "pairs": int})


def career_stage_pairs(frames: PilotFrames) -> pd.DataFrame:
    """Matched pairs per (mentor stage, mentee stage): mentor_stage, mentee_stage, label, pairs,
    people, hidden. A cell with fewer distinct people than the privacy threshold is hidden."""
    reach = pair_reach(frames)
    rows = []
    for (mentor_stage, mentee_stage), cell in reach.groupby(["mentor_stage", "mentee_stage"]):
        people = cell["mentee_enrollment_id"].nunique() + cell["mentor_enrollment_id"].nunique()
        rows.append(
            (mentor_stage, mentee_stage, f"{mentor_stage} → {mentee_stage}", len(cell), people)
        )
    table = pd.DataFrame(rows, columns=["mentor_stage", "mentee_stage", "label", "pairs", "people"])
    return suppress_small_groups(
        table,
        group_col="label",
        members_col="people",
        value_cols=["pairs"],
        threshold=frames.threshold,
    ).assign(
        mentor_stage=lambda d: d["mentor_stage"].where(~d["hidden"]),
        mentee_stage=lambda d: d["mentee_stage"].where(~d["hidden"]),
    )
