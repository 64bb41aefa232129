"""Pilot progress: milestone completion per pair, at-risk pairs, check-ins, concerns, closing."""

from datetime import date

import pandas as pd
import streamlit as st

from core.models import PilotStatus
from core.pairs.exit import list_concerns, resolve_concern
from core.pilots.settings import pilot_for_admin
from core.tracking.at_risk import at_risk_pairs
from core.tracking.milestone_progress import (
    MilestoneInput,
    add_milestone,
    delete_milestone,
    list_milestones,
    overdue_milestones,
    tick_pilot_milestone,
    update_milestone,
)
from core.tracking.progress_overview import close_pilot, pilot_progress
from core.tracking.pulse import candour_summary
from ui.context import attempt, flash, load, require_actor, require_pilot_id

actor = require_actor()
pilot_id = require_pilot_id()
pilot = load(pilot_for_admin, actor, pilot_id)
st.title(f"Pilot progress · {pilot.name}")

rows = load(pilot_progress, actor, pilot_id)
risks = load(at_risk_pairs, actor, pilot_id)
frame = pd.DataFrame([r.__dict__ for r in rows])
c1, c2, c3, c4 = st.columns(4)
c1.metric("Pairs", len(rows))
c2.metric("At risk", len(risks))
c3.metric("Sessions logged", int(frame["sessions"].sum()) if not frame.empty else 0)
pulse = load(candour_summary, actor, pilot_id)
c4.metric(
    "Could speak candidly",
    f"{pulse.overall.mean:.1f} / 5" if pulse.overall.shown else "hidden",
    help=pulse.overall.message or "Average of the private post-session pulse (1–5).",
)

pairs_tab, risk_tab, checkin_tab, plan_tab, concern_tab = st.tabs(
    ["Pairs", f"At risk ({len(risks)})", "Check-ins", "Milestones", "Concerns"]
)

with pairs_tab:
    if frame.empty:
        st.info("No pairs yet: publish pairs on the Matching page.")
    else:
        frame["completion"] = frame["milestones_done"] / frame["milestones_total"].clip(lower=1)
        st.dataframe(
            frame[["mentee", "mentor", "status", "completion", "milestones_overdue", "sessions",
                   "minutes", "last_session", "at_risk"]],
            hide_index=True,
            width="stretch",
            key="progress_pairs",
            column_config={
                "mentee": "Mentee",
                "mentor": "Mentor",
                "status": "Status",
                "completion": st.column_config.ProgressColumn(
                    "Milestones done", min_value=0, max_value=1, format="percent"
                ),
                "milestones_overdue": st.column_config.NumberColumn("Overdue"),
                "sessions": "Sessions",
                "minutes": "Minutes",
                "last_session": st.column_config.DateColumn("Last session"),
                "at_risk": st.column_config.CheckboxColumn("At risk"),
            },
        )  # fmt: skip

with risk_tab:
    if not risks:
        st.success("No pair is at risk.")
    for r in risks:
        with st.container(border=True):
            st.markdown(f"**{r.mentee_name} ↔ {r.mentor_name}** · {r.status}")
            for reason in r.reasons:
                st.markdown(f"- {reason}")
            st.caption(f"Suggested action: {r.suggested_action}")
    overdue = load(overdue_milestones, actor, pilot_id)
    if overdue:
        st.subheader("Overdue milestones")
        st.dataframe(
            pd.DataFrame([o.__dict__ for o in overdue])[
                ["mentee_name", "mentor_name", "milestone", "due_date", "days_overdue"]
            ],
            hide_index=True,
            width="stretch",
            key="progress_overdue",
        )

with checkin_tab:
    if not frame.empty:
        done = frame[
            ["mentee", "mentor", "mentee_start", "mentor_start", "mentee_end", "mentor_end"]
        ]
        shares = {
            col: f"{done[col].mean():.0%}"
            for col in ("mentee_start", "mentor_start", "mentee_end", "mentor_end")
        }
        st.write(
            f"Start check-in: mentees {shares['mentee_start']}, mentors {shares['mentor_start']} · "
            f"End check-in: mentees {shares['mentee_end']}, mentors {shares['mentor_end']}"
        )
        st.dataframe(done, hide_index=True, width="stretch", key="progress_checkins")
        st.caption("Answers stay private: you see completion only.")

with plan_tab:
    milestones = load(list_milestones, actor, pilot_id)
    for m in milestones:
        cols = st.columns([5, 2, 2, 1])
        cols[0].markdown(
            f"**{m.name}** · {m.scope}-wide" if m.scope == "pilot" else f"**{m.name}**"
        )
        cols[1].write(f"due {m.due_date:%d %b %Y}")
        if m.scope == "pilot":
            if m.completed_on:
                cols[2].write(f"✅ {m.completed_on:%d %b}")
            elif cols[2].button("Mark done", key=f"progress_tick_{m.id}"):
                if attempt(tick_pilot_milestone, actor, m.id, date.today()) is not None:
                    st.rerun()
        if cols[3].button("🗑", key=f"progress_delete_{m.id}", help="Delete this milestone"):
            if attempt(delete_milestone, actor, m.id) is not None:
                flash(f"'{m.name}' deleted.")
                st.rerun()
    with st.form("progress_milestone_form"):
        st.markdown("**Add or re-date a milestone**")
        existing = st.selectbox(
            "Milestone", [None, *[m.id for m in milestones]], key="progress_ms_existing",
            format_func=lambda i: "New milestone" if i is None else next(m.name for m in milestones if m.id == i),
        )  # fmt: skip
        name = st.text_input("Name", key="progress_ms_name")
        due = st.date_input("Due date", value=None, key="progress_ms_due")
        scope = st.radio("Who ticks it", ["pair", "pilot"], horizontal=True, key="progress_ms_scope",
                         format_func={"pair": "Each pair", "pilot": "The programme team"}.get)  # fmt: skip
        if st.form_submit_button("Save milestone"):
            data = MilestoneInput(name=name, due_date=due, scope=scope)
            result = (
                attempt(add_milestone, actor, pilot_id, data)
                if existing is None
                else attempt(update_milestone, actor, existing, data)
            )
            if result is not None:
                flash("Milestone saved.")
                st.rerun()

with concern_tab:
    concerns = load(list_concerns, actor, pilot_id)
    if not concerns:
        st.info("No confidential concerns raised.")
    for c in concerns:
        with st.container(border=True):
            st.markdown(
                f"**{c.mentee_name} ↔ {c.mentor_name}** · raised by {c.raised_by} on {c.created_at:%d %b}"
            )
            st.write(c.text)
            if c.resolved_at is None and st.button("Mark resolved", key=f"progress_resolve_{c.id}"):
                if attempt(resolve_concern, actor, c.id) is not None:
                    st.rerun()

if pilot.status == PilotStatus.RUNNING:
    st.divider()
    sure = st.checkbox(
        "Close the pilot: no new sessions or milestone ticks; end check-ins stay open",
        key="progress_close_confirm",
    )
    if st.button("Close the pilot", key="progress_close", disabled=not sure):
        if attempt(close_pilot, actor, pilot_id) is not None:
            flash("The pilot is closed. Publish the results from the Dashboard.")
            st.rerun()
