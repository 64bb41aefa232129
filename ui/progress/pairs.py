"""Per-pair progress and check-in completion, from one table of the whole pilot."""

from __future__ import annotations

import pandas as pd
import streamlit as st

PHASE_COLUMNS = {
    "mentee_start": "Mentee: start check-in",
    "mentor_start": "Mentor: start check-in",
    "mentee_end": "Mentee: end check-in",
    "mentor_end": "Mentor: end check-in",
}


def pairs_tab(frame: pd.DataFrame) -> None:
    if frame.empty:
        st.info("No pairs yet: publish pairs on the Matching page.")
        return
    shown = frame.assign(
        completion=frame["milestones_done"] / frame["milestones_total"].clip(lower=1)
    )
    st.dataframe(
        shown[["mentee", "mentor", "at_risk", "status", "completion", "milestones_overdue",
               "sessions", "minutes", "last_session"]],
        hide_index=True,
        width="stretch",
        key="progress_pairs",
        column_config={
            "mentee": st.column_config.TextColumn("Mentee", pinned=True),
            "mentor": st.column_config.TextColumn("Mentor", pinned=True),
            "status": "Status",
            "completion": st.column_config.ProgressColumn(
                "Milestones done", min_value=0, max_value=1, format="percent"
            ),
            "milestones_overdue": st.column_config.NumberColumn("Milestones overdue"),
            "sessions": "Sessions",
            "minutes": "Minutes",
            "last_session": st.column_config.DateColumn("Last session"),
            "at_risk": st.column_config.CheckboxColumn("At risk"),
        },
    )  # fmt: skip


def checkins_tab(frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    done = frame[["mentee", "mentor", *PHASE_COLUMNS]]
    shares = {col: f"{done[col].mean():.0%}" for col in PHASE_COLUMNS}
    st.write(
        f"Start check-in: mentees {shares['mentee_start']}, mentors {shares['mentor_start']} · "
        f"End check-in: mentees {shares['mentee_end']}, mentors {shares['mentor_end']}"
    )
    st.dataframe(
        done, hide_index=True, width="stretch", key="progress_checkins",
        column_config={
            "mentee": st.column_config.TextColumn("Mentee", pinned=True),
            "mentor": st.column_config.TextColumn("Mentor", pinned=True),
            **{col: st.column_config.CheckboxColumn(label) for col, label in PHASE_COLUMNS.items()},
        },
    )  # fmt: skip
    st.caption("Answers stay private: you see completion only.")
