"""The pilot's milestone plan: tick the pilot-wide ones, reorder, delete, add or re-date."""

from __future__ import annotations

from datetime import date

import streamlit as st

from core.auth import Actor
from core.tracking.milestone_progress import (
    MilestoneInput,
    MilestoneView,
    add_milestone,
    delete_milestone,
    list_milestones,
    reorder_milestones,
    tick_pilot_milestone,
    untick_pilot_milestone,
    update_milestone,
)
from ui.confirm import ask, confirm
from ui.context import attempt, flash, load
from ui.once import submit_key, submit_once
from ui.plain import md
from ui.status_marks import MET_ICON

SCOPES = {"pair": "Each pair", "pilot": "The programme team"}


def milestones_tab(actor: Actor, pilot_id: int) -> None:
    milestones = load(list_milestones, actor, pilot_id)
    for i, m in enumerate(milestones):
        _row(actor, pilot_id, milestones, i, m)
    confirm(
        "progress_delete", "Delete this milestone?", _delete_consequences, "Delete",
        lambda m: f"'{m.name}' deleted." if attempt(delete_milestone, actor, m.id) else None,
    )  # fmt: skip
    _form(actor, pilot_id, milestones)


def _row(
    actor: Actor, pilot_id: int, milestones: list[MilestoneView], i: int, m: MilestoneView
) -> None:
    cols = st.columns([5, 2, 2, 1, 1])
    name = md(m.name)
    cols[0].markdown(f"**{name}** · pilot-wide" if m.scope == "pilot" else f"**{name}**")
    cols[1].write(f"due {m.due_date:%d %b %Y}")
    if m.scope == "pilot":
        if m.completed_on is None:
            if cols[2].button("Mark done", key=f"progress_tick_{m.id}"):
                if attempt(tick_pilot_milestone, actor, m.id, date.today()) is not None:
                    st.rerun()
        elif cols[2].button(
            f"{m.completed_on:%d %b} · undo", icon=MET_ICON, key=f"progress_untick_{m.id}"
        ):
            if attempt(untick_pilot_milestone, actor, m.id) is not None:
                st.rerun()
    if i > 0 and cols[3].button("↑", key=f"progress_up_{m.id}", help="Move up"):
        order = [x.id for x in milestones]
        order[i - 1], order[i] = order[i], order[i - 1]
        if attempt(reorder_milestones, actor, pilot_id, order) is not None:
            st.rerun()
    if cols[4].button(
        ":material/delete:", key=f"progress_delete_{m.id}", help="Delete this milestone"
    ):
        ask("progress_delete", m)


def _delete_consequences(m: MilestoneView) -> list[str]:
    who = "the programme team ticks" if m.scope == "pilot" else "each pair ticks"
    return [
        f"**{md(m.name)}** (due {m.due_date:%d %b %Y}; {who} it) leaves the plan of the pilot and "
        "of every pair.",
        "A milestone that pairs have already ticked is not deleted: their ticks are their "
        "record of progress. Rename it or change its date instead.",
    ]


def _form(actor: Actor, pilot_id: int, milestones: list[MilestoneView]) -> None:
    names = {m.id: m.name for m in milestones}
    with st.form("progress_milestone_form"):
        st.markdown("**Add or re-date a milestone**")
        existing = st.selectbox(
            "Milestone", [None, *names], key="progress_ms_existing",
            format_func=lambda i: "New milestone" if i is None else names[i],
        )  # fmt: skip
        name = st.text_input("Name", key="progress_ms_name")
        due = st.date_input("Due date", value=None, key="progress_ms_due")
        scope = st.radio(
            "Who ticks it", list(SCOPES), horizontal=True, key="progress_ms_scope",
            format_func=SCOPES.get,
        )  # fmt: skip
        if st.form_submit_button("Save milestone", key=submit_key("progress_ms_save")):
            data = MilestoneInput(name=name, due_date=due, scope=scope)
            result = (
                submit_once("progress_ms_save", actor, add_milestone, actor, pilot_id, data)
                if existing is None
                else attempt(update_milestone, actor, existing, data)
            )
            if result is not None:
                flash("Milestone saved.")
                st.rerun()
