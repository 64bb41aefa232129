"""Every dataset of the dashboard at once, computed from one set of frames (core.dashboard.frames).

Each dataset lives in its own module (funnel, supply_demand, quality, momentum, learning,
satisfaction, reach, commitment), reading `PilotFrames` from core.dashboard.frames; this module
only gathers them, so imports run one way: frames <- dataset modules <- datasets.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core.dashboard.commitment import leadership_commitment
from core.dashboard.frames import PilotFrames
from core.dashboard.funnel import funnel
from core.dashboard.learning import confidence_change, learned_back
from core.dashboard.momentum import milestones_vs_plan, pair_activity, sessions_per_week
from core.dashboard.quality import goal_coverage, score_distribution
from core.dashboard.reach import career_stage_pairs, reach_by_grade_gap
from core.dashboard.satisfaction import satisfaction
from core.dashboard.supply_demand import topic_supply_demand


@dataclass(frozen=True)
class DashboardData:
    """Every dataset of the dashboard, computed from one set of frames (see each function)."""

    frames: PilotFrames
    funnel: pd.DataFrame
    supply_demand: pd.DataFrame
    score_distribution: pd.DataFrame
    goal_coverage: pd.DataFrame
    sessions_per_week: pd.DataFrame
    pair_activity: pd.DataFrame
    milestones_vs_plan: pd.DataFrame
    confidence: pd.DataFrame
    learned_back: pd.DataFrame
    satisfaction: pd.DataFrame
    reach_by_grade_gap: pd.DataFrame
    career_stage_pairs: pd.DataFrame
    commitment: pd.DataFrame


def compute_dashboard(frames: PilotFrames) -> DashboardData:
    return DashboardData(
        frames=frames,
        funnel=funnel(frames),
        supply_demand=topic_supply_demand(frames),
        score_distribution=score_distribution(frames),
        goal_coverage=goal_coverage(frames),
        sessions_per_week=sessions_per_week(frames),
        pair_activity=pair_activity(frames),
        milestones_vs_plan=milestones_vs_plan(frames),
        confidence=confidence_change(frames),
        learned_back=learned_back(frames),
        satisfaction=satisfaction(frames),
        reach_by_grade_gap=reach_by_grade_gap(frames),
        career_stage_pairs=career_stage_pairs(frames),
        commitment=leadership_commitment(frames),
    )
