"""Pausing, resuming or ending the pair, and the mentor's confidential concern."""

from __future__ import annotations

import streamlit as st

from core.auth import Actor
from core.models import PairStatus, Role
from core.pairs.exit import end_pair, pause_pair, raise_concern, resume_pair
from core.tracking.my_pair import MyPairView
from ui.confirm import ask, confirm
from ui.context import attempt, flash
from ui.once import submit_key, submit_once
from ui.plain import md


def pause_end_tab(actor: Actor, view: MyPairView) -> None:
    pair_id, status = view.pair.id, view.pair.status
    st.write(
        "You can pause or end the pair at any time without giving a reason to your partner. "
        "A reason you add here is seen by the programme team only."
    )
    reason = st.text_input("Reason (optional, private)", max_chars=500, key="pair_exit_reason")
    c1, c2 = st.columns(2)
    if status == PairStatus.ACTIVE and c1.button("Pause the pair", key="pair_pause"):
        if attempt(pause_pair, actor, pair_id, reason=reason) is not None:
            flash("Paused.")
            st.rerun()
    if status == PairStatus.PAUSED and c1.button("Resume the pair", key="pair_resume"):
        if attempt(resume_pair, actor, pair_id, reason=reason) is not None:
            flash("Resumed.")
            st.rerun()
    if c2.button("End the pair", key="pair_end"):
        ask("pair_end", pair_id)
    confirm(
        "pair_end", "End the pair?", lambda _: _end_consequences(view, reason), "End the pair",
        lambda pid: (
            "The pair has ended. The programme team can match you again."
            if attempt(end_pair, actor, pid, reason=reason) is not None
            else None
        ),
    )  # fmt: skip
    if view.pair.my_role == Role.MENTOR:
        _concern_form(actor, pair_id)


def _end_consequences(view: MyPairView, reason: str) -> list[str]:
    said = "Your reason goes to the programme team only." if reason.strip() else ""
    return [
        f"Your pair with **{md(view.partner.name)}** ends for both of you. This cannot be undone.",
        "- Your sessions, notes and check-ins stay; the end check-in stays open.",
        f"- {md(view.partner.name)} sees that the pair ended, never why. {said}",
        "- The programme team can match each of you again.",
    ]


def _concern_form(actor: Actor, pair_id: int) -> None:
    v = st.session_state.pair_form_version
    with st.form("pair_concern_form"):
        st.markdown("**Raise a confidential concern** (seen by the programme team only)")
        concern = st.text_area("What is happening?", max_chars=5000, key=f"pair_concern_text_{v}")
        if st.form_submit_button("Send to the programme team", key=submit_key("pair_concern_send")):
            if (
                submit_once("pair_concern_send", actor, raise_concern, actor, pair_id, concern)
                is not None
            ):
                st.session_state.pair_form_version += 1
                flash("Your concern was sent. The programme team will contact you.")
                st.rerun()
