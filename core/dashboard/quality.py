"""How good the matches are: the spread of match scores and how much of each goal list is met."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from core.dashboard.frames import PilotFrames

SCORE_BINS = 10


def _score_scale(top: float) -> float:
    """Matching scores are either 0..1 or 0..100 depending on the weights; larger ones get a
    rounded-up scale so the bins stay readable."""
    if top <= 1:
        return 1.0
    if top <= 100:
        return 100.0
    return float(math.ceil(top))


def score_distribution(frames: PilotFrames, bins: int = SCORE_BINS) -> pd.DataFrame:
    """Matched pairs per score bin: bin_start, bin_end, label, pairs (every bin, even empty).

    Bins are equal-width from 0 to the score scale, closed on the left; the last bin also holds
    the top score.
    """
    facts = frames.pair_facts
    scores = facts.loc[facts["matched"], "score"].clip(lower=0).to_numpy(dtype=float)
    scale = _score_scale(scores.max() if len(scores) else 1.0)
    width = scale / bins
    # Rounding first keeps 0.3 out of the 0.2 bin despite 0.3 / 0.1 = 2.9999999999999996.
    index = np.minimum(np.floor(np.round(scores / width, 9)), bins - 1).astype(int)
    counts = np.bincount(index, minlength=bins)
    digits = 1 if scale <= 1 else 0
    starts = [round(i * width, 6) for i in range(bins)]
    ends = [round((i + 1) * width, 6) for i in range(bins)]
    return pd.DataFrame(
        {
            "bin_start": starts,
            "bin_end": ends,
            "label": [f"{s:.{digits}f}–{e:.{digits}f}" for s, e in zip(starts, ends, strict=True)],
            "pairs": counts.astype(int),
        }
    )


def goal_coverage(frames: PilotFrames) -> pd.DataFrame:
    """Per matched mentee (their latest matched pair): mentee_enrollment_id, pair_id, goals,
    uncovered, covered_share (0..1) = 1 - uncovered goals / goals. Mentees without goals in scope
    are left out: there is nothing to cover. Only uncovered topics that are still among the
    mentee's goals in scope count."""
    facts = frames.pair_facts
    latest = (
        facts.loc[facts["matched"], ["pair_id", "mentee_enrollment_id", "uncovered"]]
        .sort_values("pair_id")
        .drop_duplicates("mentee_enrollment_id", keep="last")
        .rename(columns={"mentee_enrollment_id": "enrollment_id"})
    )
    goals = frames.goals[["enrollment_id", "topic_id"]].drop_duplicates()
    missed = (
        latest.explode("uncovered")
        .rename(columns={"uncovered": "topic_id"})
        .dropna(subset=["topic_id"])
        .astype({"topic_id": int})
        .drop_duplicates()
        .merge(goals, on=["enrollment_id", "topic_id"])
        .groupby("enrollment_id")
        .size()
    )
    table = latest[["enrollment_id", "pair_id"]].join(
        goals.groupby("enrollment_id").size().rename("goals"), on="enrollment_id", how="inner"
    )
    table["uncovered"] = table["enrollment_id"].map(missed).fillna(0).astype(int)
    table["covered_share"] = (1 - table["uncovered"] / table["goals"]).astype(float)
    return table.rename(columns={"enrollment_id": "mentee_enrollment_id"}).reset_index(drop=True)
