"""Confidential concerns raised by mentors, and closing the pilot."""

from __future__ import annotations

import streamlit as st

from core.auth import Actor
from core.models import Pilot, PilotStatus
from core.pairs.exit import resolve_concern
from core.tracking.progress_overview import close_pilot
from ui.cached import pilot_concerns
from ui.confirm import ask, confirm
from ui.context import attempt, load
from ui.paging import page_of
from ui.plain import md, paragraph


def concerns_tab(actor: Actor, pilot_id: int) -> None:
    concerns = load(pilot_concerns, actor, pilot_id)
    if not concerns:
        st.info("No confidential concerns raised.")
    for c in page_of(concerns, key="progress_concerns_page", noun="concerns"):
        with st.container(border=True):
            st.markdown(
                f"**{md(c.mentee_name)} ↔ {md(c.mentor_name)}** · raised by {md(c.raised_by)} "
                f"on {c.created_at:%d %b}"
            )
            paragraph(c.text)
            if c.resolved_at is None and st.button("Mark resolved", key=f"progress_resolve_{c.id}"):
                if attempt(resolve_concern, actor, c.id) is not None:
                    st.rerun()


def close_pilot_controls(actor: Actor, pilot: Pilot) -> None:
    if pilot.status != PilotStatus.RUNNING:
        return
    st.divider()
    if st.button("Close the pilot", key="progress_close"):
        ask("progress_close", pilot.id)
    confirm(
        "progress_close", "Close the pilot?", lambda _: closing_consequences(pilot),
        "Close the pilot",
        lambda pid: (
            "The pilot is closed. Publish the results from the Dashboard."
            if attempt(close_pilot, actor, pid) is not None
            else None
        ),
    )  # fmt: skip


def closing_consequences(pilot: Pilot) -> list[str]:
    """What closing a pilot does, for every place that offers to close one."""
    return [
        f"**{md(pilot.name)}** closes for everyone in it.",
        "- No new sessions, plans or milestone ticks; pairs keep their status and history.",
        "- End check-ins stay open, so people can still say how it went.",
        "- Nobody can be re-admitted to a closed pilot. You can re-open it from Pilot set-up.",
    ]
