"""Whether pairs keep meeting: sessions per week, time spent per pair, milestones against plan."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from core.dashboard.frames import PilotFrames


def sessions_per_week(frames: PilotFrames) -> pd.DataFrame:
    """Per ISO week from the first to the last session (quiet weeks included as zeros):
    week_start (the Monday), week ("2027-W05"), sessions, minutes, pairs (that met)."""
    sessions = frames.sessions
    columns = ["week_start", "week", "sessions", "minutes", "pairs"]
    if sessions.empty:
        return pd.DataFrame(columns=columns).astype(
            {"week_start": "datetime64[us]", "sessions": int, "minutes": int, "pairs": int}
        )
    monday = sessions["held_on"] - pd.to_timedelta(sessions["held_on"].dt.day_of_week, unit="D")
    weekly = (
        sessions.assign(week_start=monday)
        .groupby("week_start")
        .agg(
            sessions=("session_id", "size"),
            minutes=("minutes", "sum"),
            pairs=("pair_id", "nunique"),
        )
    )
    weeks = pd.date_range(weekly.index.min(), weekly.index.max(), freq="7D", name="week_start")
    weekly = weekly.reindex(weeks, fill_value=0).reset_index()
    weekly["week_start"] = weekly["week_start"].astype("datetime64[us]")
    iso = weekly["week_start"].dt.isocalendar()
    weekly["week"] = [f"{y}-W{w:02d}" for y, w in zip(iso["year"], iso["week"], strict=True)]
    return weekly[columns].astype({"sessions": int, "minutes": int, "pairs": int})


def pair_activity(frames: PilotFrames) -> pd.DataFrame:
    """Per accepted pair: pair_id, status, sessions, minutes, minutes_per_session (NaN if none)."""
    facts = frames.pair_facts
    accepted = facts.loc[facts["accepted"], ["pair_id", "status", "sessions", "minutes"]]
    per_session = accepted["minutes"] / accepted["sessions"].where(accepted["sessions"] > 0)
    return accepted.assign(minutes_per_session=per_session.astype(float)).reset_index(drop=True)


def milestones_vs_plan(frames: PilotFrames) -> pd.DataFrame:
    """Cumulative pair milestones due (the plan) and completed, over the accepted pairs, at every
    date on which either changes: date, planned, completed, total, planned_pct, completed_pct.

    total = accepted pairs × pair milestones, so 100 % planned means every milestone is due.
    """
    columns = ["date", "planned", "completed", "total", "planned_pct", "completed_pct"]
    facts = frames.pair_facts
    accepted = facts.loc[facts["accepted"], "pair_id"]
    milestones = frames.milestones
    total = len(accepted) * len(milestones)
    if total == 0:
        return pd.DataFrame(columns=columns).astype({"date": "datetime64[us]"})
    done = frames.pair_milestones.loc[frames.pair_milestones["pair_id"].isin(accepted)]
    due_per_day = milestones.groupby("due_date").size() * len(accepted)
    done_per_day = done.groupby("completed_on").size()
    days = due_per_day.index.union(done_per_day.index).sort_values()
    table = pd.DataFrame(
        {
            "date": days.astype("datetime64[us]"),
            "planned": due_per_day.reindex(days, fill_value=0).cumsum().to_numpy(),
            "completed": done_per_day.reindex(days, fill_value=0).cumsum().to_numpy(),
        }
    )
    table["total"] = total
    table["planned_pct"] = (100 * table["planned"] / total).round(1)
    table["completed_pct"] = (100 * table["completed"] / total).round(1)
    return table[columns]
