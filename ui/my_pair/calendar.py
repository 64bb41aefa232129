"""Planning sessions ahead and taking them, with the milestones, into one's own calendar."""

from __future__ import annotations

from datetime import UTC, datetime, time

import streamlit as st

from core.auth import Actor
from core.tracking.calendar_export import cancel_planned_session, pair_calendar_ics, plan_session
from core.tracking.my_pair import MyPairView
from ui.context import attempt, flash, load


def calendar_tab(actor: Actor, view: MyPairView) -> None:
    pair_id = view.pair.id
    with st.form("pair_plan_form"):
        st.markdown("**Plan a session**")
        c1, c2, c3 = st.columns(3)
        day = c1.date_input("Day", value=None, key="pair_plan_day")
        at = c2.time_input("Time (UTC)", value=time(9, 0), key="pair_plan_time")
        length = c3.number_input("Minutes", 15, 240, 45, step=15, key="pair_plan_minutes")
        if st.form_submit_button("Add to plan", key="pair_plan_add"):
            starts = datetime.combine(day, at, tzinfo=UTC) if day else None
            if attempt(plan_session, actor, pair_id, starts, int(length)) is not None:
                flash("Session planned.")
                st.rerun()
    for p in view.planned:
        cols = st.columns([6, 1])
        cols[0].markdown(f"- {p.starts_at:%a %d %b %Y, %H:%M} UTC · {p.minutes} min · {p.title}")
        if cols[1].button("Cancel", key=f"pair_plan_cancel_{p.id}"):
            if attempt(cancel_planned_session, actor, p.id) is not None:
                flash("Planned session cancelled.")
                st.rerun()
    st.download_button(
        "Download calendar (.ics)",
        data=load(pair_calendar_ics, actor, pair_id),
        file_name="reverse-mentoring.ics",
        mime="text/calendar",
        key="pair_ics",
    )
