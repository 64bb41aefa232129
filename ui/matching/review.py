"""The suggested pairs in one table: decide per pair, approve all, publish."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.auth import Actor
from core.models import PairStatus
from core.pairs.review import PairDecision, PairRow, publish_pairs, review_pairs
from core.people.participants import list_participants
from ui.context import attempt, flash, load
from ui.notifications import send_now
from ui.once import long_work_button, submit_once

ACTIONS = {
    "keep": "—",
    "approve": "Approve",
    "reject": "Reject (never suggest again)",
    "lock": "Lock (keep on re-run)",
    "unlock": "Unlock",
    "swap": "Swap mentor",
}
BY_LABEL = {label: action for action, label in ACTIONS.items()}


def _row(p: PairRow) -> dict:
    alternatives = ", ".join(f"{a['name']} ({a['score']:.0f})" for a in p.alternatives[:3])
    return {
        "pair_id": p.pair_id,
        "Mentee": f"{p.mentee} · {p.mentee_department or '—'}",
        "Mentor": f"{p.mentor} · {p.mentor_department or '—'}",
        "Score": p.score,
        "Status": p.status + (" · locked" if p.locked else ""),
        "Why this pair": " · ".join(p.reasons),
        "Goals not covered": ", ".join(p.uncovered) or "—",
        "Alternatives": alternatives or "—",
        "Action": ACTIONS["keep"],
        "New mentor": None,
    }


def review_table(actor: Actor, pilot_id: int, pairs: list[PairRow]) -> None:
    mentors = load(list_participants, actor, pilot_id, role="mentor", status="active")
    mentor_choice = {
        f"{m.name} · {m.department or '—'} (#{m.enrollment_id})": m.enrollment_id for m in mentors
    }
    frame = pd.DataFrame([_row(p) for p in pairs])
    st.subheader("Review")
    edited = st.data_editor(
        frame,
        key=f"matching_review_{st.session_state.matching_review_version}",
        hide_index=True,
        width="stretch",
        disabled=[c for c in frame.columns if c not in ("Action", "New mentor")],
        column_config={
            "pair_id": None,
            "Score": st.column_config.ProgressColumn(
                "Score", min_value=0, max_value=100, format="%.1f"
            ),
            "Why this pair": st.column_config.TextColumn(width="large"),
            "Action": st.column_config.SelectboxColumn(
                options=list(ACTIONS.values()), required=True
            ),
            "New mentor": st.column_config.SelectboxColumn(options=list(mentor_choice)),
        },
    )
    decisions = [
        PairDecision(
            int(row["pair_id"]),
            BY_LABEL[row["Action"]],
            mentor_choice.get(row["New mentor"]) if row["New mentor"] else None,
        )
        for row in edited.to_dict("records")
        if BY_LABEL.get(row["Action"], "keep") != "keep"
    ]
    suggested = [p.pair_id for p in pairs if p.status == PairStatus.SUGGESTED]
    approved = sum(1 for p in pairs if p.status == PairStatus.APPROVED)
    c1, c2, c3 = st.columns(3)
    if c1.button(f"Apply {len(decisions)} decisions", disabled=not decisions, key="matching_apply"):
        _decide(actor, pilot_id, decisions, f"{len(decisions)} decisions applied.")
    if c2.button(
        f"Approve all {len(suggested)} suggestions", disabled=not suggested,
        key="matching_approve_all",
    ):  # fmt: skip
        approve = [PairDecision(i, "approve") for i in suggested]
        _decide(actor, pilot_id, approve, f"{len(suggested)} pairs approved.")
    with c3:
        publish = long_work_button(
            f"Publish {approved} approved pairs", "matching_publish", type="primary",
            disabled=not approved,
        )  # fmt: skip
    if publish:
        published = submit_once(
            "matching_publish", actor, publish_pairs, actor, pilot_id,
            describe=lambda count: {"published": count}, long_work=True,
        )  # fmt: skip
        if published is not None:
            send_now(pilot_ids={pilot_id})
            st.session_state.matching_review_version += 1
            flash(
                f"{published['published']} pairs published: both members now see their partner "
                "and can accept."
            )
            st.rerun()


def _decide(actor: Actor, pilot_id: int, decisions: list[PairDecision], done: str) -> None:
    if attempt(review_pairs, actor, pilot_id, decisions) is not None:
        st.session_state.matching_review_version += 1
        flash(done)
        st.rerun()
