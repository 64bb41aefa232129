"""Pairs at risk, each with its history and the private reasons given; overdue milestones."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.auth import Actor
from core.reminders.nudges import NUDGEABLE, last_nudged, nudge_pair
from core.tracking.at_risk import AtRisk
from ui.cached import events_by_pair, overdue_pair_milestones
from ui.context import attempt, flash, load
from ui.paging import page_of
from ui.plain import md


def risks_tab(actor: Actor, pilot_id: int, risks: list[AtRisk]) -> None:
    if not risks:
        st.success("No pair is at risk.")
    history = load(events_by_pair, actor, pilot_id)
    nudged = load(last_nudged, actor, pilot_id) if risks else {}
    for r in page_of(risks, key="progress_risks_page", noun="pairs at risk"):
        with st.container(border=True):
            st.markdown(f"**{md(r.mentee_name)} ↔ {md(r.mentor_name)}** · {r.status}")
            for reason in r.reasons:
                st.markdown(f"- {md(reason)}")
            st.caption(f"Suggested action: {md(r.suggested_action)}")
            if r.pair_id in nudged:
                st.caption(f"Last nudged on {nudged[r.pair_id]:%d %b %Y at %H:%M} UTC")
            if any(k in NUDGEABLE for k in r.kinds):
                _nudge_button(actor, r)
            # Pauses and exits carry the member's private reason: the team needs it to help.
            if events := history.get(r.pair_id):
                with st.expander("History"):
                    for e in events:
                        note = f": {md(e.note)}" if e.note else ""
                        st.markdown(
                            f"- {e.created_at:%d %b} · {md(e.kind)} by {md(e.person_name)}{note}"
                        )
    overdue = load(overdue_pair_milestones, actor, pilot_id)
    if overdue:
        st.subheader("Overdue milestones")
        st.dataframe(
            pd.DataFrame([o.__dict__ for o in overdue])[
                ["mentee_name", "mentor_name", "milestone", "due_date", "days_overdue"]
            ],
            hide_index=True,
            width="stretch",
            key="progress_overdue",
            column_config={
                "mentee_name": st.column_config.TextColumn("Mentee", pinned=True),
                "mentor_name": st.column_config.TextColumn("Mentor", pinned=True),
                "milestone": "Milestone",
                "due_date": st.column_config.DateColumn("Due", format="D MMM YYYY"),
                "days_overdue": st.column_config.NumberColumn("Days overdue"),
            },
        )


def _nudge_button(actor: Actor, risk: AtRisk) -> None:
    if st.button("Nudge both", key=f"progress_nudge_{risk.pair_id}", icon=":material/send:"):
        result = attempt(nudge_pair, actor, risk.pair_id)
        if result is not None:
            note = (
                f" ({', '.join(result.opted_out)} turned these reminders off)"
                if result.opted_out
                else ""
            )
            flash(f"Nudge sent to {' and '.join(result.sent_to)}{note}.")
            st.rerun()
