"""Confidential concerns raised by mentors, and closing the pilot."""

from __future__ import annotations

import streamlit as st

from core.auth import Actor
from core.models import Pilot, PilotStatus
from core.pairs.exit import list_concerns, resolve_concern
from core.tracking.progress_overview import close_pilot
from ui.context import attempt, flash, load


def concerns_tab(actor: Actor, pilot_id: int) -> None:
    concerns = load(list_concerns, actor, pilot_id)
    if not concerns:
        st.info("No confidential concerns raised.")
    for c in concerns:
        with st.container(border=True):
            st.markdown(
                f"**{c.mentee_name} ↔ {c.mentor_name}** · raised by {c.raised_by} "
                f"on {c.created_at:%d %b}"
            )
            st.write(c.text)
            if c.resolved_at is None and st.button("Mark resolved", key=f"progress_resolve_{c.id}"):
                if attempt(resolve_concern, actor, c.id) is not None:
                    st.rerun()


def close_pilot_controls(actor: Actor, pilot: Pilot) -> None:
    if pilot.status != PilotStatus.RUNNING:
        return
    st.divider()
    sure = st.checkbox(
        "Close the pilot: no new sessions or milestone ticks; end check-ins stay open",
        key="progress_close_confirm",
    )
    if st.button("Close the pilot", key="progress_close", disabled=not sure):
        if attempt(close_pilot, actor, pilot.id) is not None:
            flash("The pilot is closed. Publish the results from the Dashboard.")
            st.rerun()
