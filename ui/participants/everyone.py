"""Everyone in the pilot: filter, see what someone entered, withdraw or re-admit someone."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.auth import Actor
from core.models import EnrollmentStatus, Role
from core.people.participants import (
    ParticipantRow,
    readmit_participant,
    withdraw_participant,
)
from core.people.profiles import LEVEL_LABELS, PRIORITY_LABELS, participant_detail
from ui.cached import participants
from ui.confirm import ask, confirm
from ui.context import attempt, flash, load
from ui.participants.add_person import ROLE_CHOICES
from ui.plain import md
from ui.wording import people

COLUMNS = {
    "name": st.column_config.TextColumn("Name", pinned=True), "email": "Email", "role": "Role", "status": "Status",
    "department": "Department", "job_title": "Job title",
    "grade": st.column_config.NumberColumn("Grade"), "manager_email": "Manager",
    "goals": "Goals", "expertise": "Expertise", "capacity": "Capacity",
}  # fmt: skip
STATUSES = [
    "",
    EnrollmentStatus.INVITED,
    EnrollmentStatus.PENDING,
    EnrollmentStatus.ACTIVE,
    EnrollmentStatus.WITHDRAWN,
]


def everyone(actor: Actor, pilot_id: int) -> None:
    c1, c2, c3 = st.columns([1, 1, 2])
    role = c1.selectbox(
        "Role", ["", Role.MENTEE, Role.MENTOR, Role.ADMIN], key="participants_filter_role",
        format_func=lambda r: ROLE_CHOICES.get(r, "Any role"),
    )  # fmt: skip
    status = c2.selectbox(
        "Status", STATUSES, key="participants_filter_status",
        format_func=lambda s: s.capitalize() or "Any status",
    )  # fmt: skip
    search = c3.text_input("Search name, email, department or title", key="participants_search")
    rows = load(
        participants, actor, pilot_id, role=role or None, status=status or None,
        search=search,
    )  # fmt: skip
    st.caption(people(len(rows)))
    if not rows:
        return
    frame = pd.DataFrame([r.__dict__ for r in rows])
    st.dataframe(
        frame[list(COLUMNS)], hide_index=True, width="stretch", key="participants_table",
        column_config=COLUMNS,
    )  # fmt: skip
    _detail(actor, [r for r in rows if r.role != Role.ADMIN])
    _withdraw(actor, [r for r in rows if r.status != EnrollmentStatus.WITHDRAWN])
    _undo_withdrawal(actor, {r.enrollment_id: r for r in rows})
    if withdrawn := [r for r in rows if r.status == EnrollmentStatus.WITHDRAWN]:
        _readmit(actor, withdrawn)


def _detail(actor: Actor, rows: list[ParticipantRow]) -> None:
    names = {r.enrollment_id: f"{r.name} ({r.role})" for r in rows}
    who = st.selectbox(
        "See what someone entered", list(names), format_func=names.get, index=None,
        key="participants_detail_who",
    )  # fmt: skip
    if who is None:
        return
    detail = load(participant_detail, actor, who)
    for g in detail.goals:
        st.markdown(f"- **{md(g.topic)}** ({PRIORITY_LABELS[g.priority]}): {md(g.objective)}")
    for x in detail.expertise:
        st.markdown(f"- **{md(x.topic)}**: {LEVEL_LABELS[x.level]}")
    if not detail.goals and not detail.expertise:
        st.caption("Nothing entered yet.")


def _withdraw(actor: Actor, active: list[ParticipantRow]) -> None:
    names = {r.enrollment_id: f"{r.name} ({r.email})" for r in active}
    with st.form("participants_withdraw_form"):
        who = st.selectbox(
            "Withdraw someone", list(names), format_func=names.get, index=None,
            key="participants_withdraw_who",
        )  # fmt: skip
        if st.form_submit_button("Withdraw", key="participants_withdraw"):
            if who is None:
                st.error("Choose the person to withdraw.")
            else:
                ask("participants_withdraw", (who, names[who]))

    def withdraw(subject: tuple[int, str]) -> str | None:
        who, name = subject
        if attempt(withdraw_participant, actor, who) is None:
            return None
        st.session_state.participants_undo = who
        return f"Withdrawn: {name}. Every pair they were in has ended."

    confirm(
        "participants_withdraw", "Withdraw from the pilot?", _withdraw_consequences,
        "Withdraw", withdraw,
    )  # fmt: skip


def _withdraw_consequences(subject: tuple[int, str]) -> list[str]:
    return [
        f"**{md(subject[1])}** leaves the pilot.",
        "- Every pair they are in ends, running ones included; each partner can be matched again.",
        "- Their goals, expertise and profile answers are kept.",
        "- You can re-admit them afterwards; they are then matched afresh (ended pairs stay "
        "ended).",
    ]


def _undo_withdrawal(actor: Actor, by_id: dict[int, ParticipantRow]) -> None:
    """Right after a withdrawal, a way back: re-admit the person who was just withdrawn."""
    who = st.session_state.get("participants_undo")
    row = by_id.get(who) if who is not None else None
    if row is None or row.status != EnrollmentStatus.WITHDRAWN:
        return
    c1, c2 = st.columns([3, 1])
    c1.info(f"{md(row.name)} was withdrawn. Was that a mistake?")
    if c2.button(f"Re-admit {md(row.name)}", key="participants_undo_readmit"):
        if attempt(readmit_participant, actor, who) is not None:
            del st.session_state["participants_undo"]
            flash(f"Re-admitted: {row.name} ({row.email}); they can be matched once more.")
            st.rerun()


def _readmit(actor: Actor, withdrawn: list[ParticipantRow]) -> None:
    names = {r.enrollment_id: f"{r.name} ({r.email})" for r in withdrawn}
    with st.form("participants_readmit_form"):
        who = st.selectbox(
            "Re-admit someone who withdrew", list(names), format_func=names.get, index=None,
            key="participants_readmit_who",
        )  # fmt: skip
        if st.form_submit_button("Re-admit", key="participants_readmit"):
            if who is None:
                st.error("Choose the person to re-admit.")
            elif (done := attempt(readmit_participant, actor, who)) is not None:
                again = (
                    "takes part again"
                    if done.status == EnrollmentStatus.ACTIVE
                    else ("is invited again")
                )
                flash(f"Re-admitted: {names[who]} {again}; they can be matched once more.")
                st.rerun()
