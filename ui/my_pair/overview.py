"""The pair's goals with the mentee's confidence, the partner's free slots, and milestones."""

from __future__ import annotations

from datetime import date

import streamlit as st

from core.auth import Actor
from core.models import Role
from core.people.availability import SLOT_LABELS
from core.people.profiles import PRIORITY_LABELS
from core.tracking.milestone_progress import (
    PairMilestoneView,
    tick_pair_milestone,
    untick_pair_milestone,
)
from core.tracking.my_pair import MyPairView
from ui.context import attempt, flash
from ui.plain import md
from ui.status_marks import MET, NOT_MET, UPCOMING

STATUS_ICONS = {"done": MET, "overdue": f"{NOT_MET} overdue ·", "upcoming": UPCOMING}


def goals_heading(my_role: str) -> str:
    """The pair's goals are the mentee's: "your" goals to the mentee, not "the mentee's"."""
    return "Your goals" if my_role == Role.MENTEE else "Your mentee's goals"


def overview_tab(actor: Actor, view: MyPairView) -> None:
    st.markdown(f"**{goals_heading(view.pair.my_role)}** (confidence before → after)")
    progress = {g.topic_id: g for g in view.goal_progress}
    for goal in view.goals:
        g = progress.get(goal.topic_id)
        change = ""
        if g is not None and g.before is not None:
            after = "…" if g.after is None else str(g.after)
            change = f" — confidence {g.before} → {after}"
        st.markdown(
            f"- **{md(goal.topic)}** ({PRIORITY_LABELS[goal.priority]}): "
            f"{md(goal.objective)}{change}"
        )
    partner = view.partner
    if partner.availability:
        st.caption(
            f"{md(partner.name)} is usually free: "
            + ", ".join(SLOT_LABELS.get(s, s) for s in partner.availability)
        )
    st.markdown("**Milestones**")
    for m in view.milestones:
        _milestone(actor, view.pair.id, m)


def _milestone(actor: Actor, pair_id: int, m: PairMilestoneView) -> None:
    cols = st.columns([6, 2])
    when = f"done {m.done_on:%d %b}" if m.done_on else f"due {m.due_date:%d %b %Y}"
    cols[0].markdown(
        f"{STATUS_ICONS[m.status]} **{md(m.name)}** · {when}"
        + ("" if m.can_tick else " · pilot-wide")
    )
    if not m.can_tick:
        return
    if m.status != "done":
        if cols[1].button("Mark done", key=f"pair_tick_{m.milestone_id}"):
            if (
                attempt(tick_pair_milestone, actor, pair_id, m.milestone_id, date.today())
                is not None
            ):
                flash(f"'{m.name}' marked done.")
                st.rerun()
    elif cols[1].button("Undo", key=f"pair_untick_{m.milestone_id}"):
        if attempt(untick_pair_milestone, actor, pair_id, m.milestone_id) is not None:
            st.rerun()
