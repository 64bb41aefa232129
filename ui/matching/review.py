"""The suggested pairs in one table: decide per pair, approve all, publish."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.auth import Actor
from core.models import PairStatus
from core.pairs.coverage import GOOD_FROM, STRONG_FROM
from core.pairs.review import PairDecision, PairRow, publish_pairs, review_pairs
from ui.cached import participants
from ui.context import attempt, flash, load
from ui.notifications import send_now
from ui.once import long_work_button, submit_once
from ui.tables import WRAPPING_ROW_HEIGHT

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
    # The columns the admin acts on come right after the pair, so they are on screen without
    # scrolling; the long texts follow, wrapped, and in full in the details below the table.
    return {
        "pair_id": p.pair_id,
        "Mentee": f"{p.mentee} · {p.mentee_department or '—'}",
        "Action": ACTIONS["keep"],
        "New mentor": None,
        "Mentor": f"{p.mentor} · {p.mentor_department or '—'}",
        "Match": p.in_words,
        "Why this pair": " · ".join(p.reasons),
        "Score": p.score,
        "Status": p.status + (" · locked" if p.locked else ""),
        "Goals not covered": ", ".join(p.uncovered) or "—",
        "Alternatives": alternatives or "—",
    }


def review_table(actor: Actor, pilot_id: int, pairs: list[PairRow]) -> None:
    mentors = load(participants, actor, pilot_id, role="mentor", status="active")
    mentor_choice = {
        f"{m.name} · {m.department or '—'} (#{m.enrollment_id})": m.enrollment_id for m in mentors
    }
    frame = pd.DataFrame([_row(p) for p in pairs])
    st.subheader("Review")
    st.caption(
        "Long reasons are shortened in the table: choose a pair below it to read them in full, "
        "with the goals left uncovered and other mentors who would fit."
    )
    edited = st.data_editor(
        frame,
        key=f"matching_review_{st.session_state.matching_review_version}",
        hide_index=True,
        width="stretch",
        row_height=WRAPPING_ROW_HEIGHT,
        disabled=[c for c in frame.columns if c not in ("Action", "New mentor")],
        column_config={
            "pair_id": None,
            "Mentee": st.column_config.TextColumn(pinned=True, width=180),
            "Mentor": st.column_config.TextColumn(width=180),
            "Match": st.column_config.TextColumn(
                "Match",
                width=200,
                help=f"Strong from a score of {STRONG_FROM:.0f}, good from {GOOD_FROM:.0f} (of 100).",
            ),
            "Score": st.column_config.NumberColumn("Score (of 100)", format="%.0f"),
            # Sized so that, at 1400 px, the pair, the two decision columns and this one fit.
            "Why this pair": st.column_config.TextColumn(width=240),
            "Action": st.column_config.SelectboxColumn(
                options=list(ACTIONS.values()), required=True, width=150
            ),
            "New mentor": st.column_config.SelectboxColumn(
                options=list(mentor_choice), width=150, help="Only for “Swap mentor”"
            ),
        },
    )
    decisions = [
        PairDecision(
            int(row["pair_id"]),
            BY_LABEL[row["Action"]],
            mentor_choice.get(row["New mentor"]) if row["New mentor"] else None,
        )
        # Only the rows the admin changed: thousands of untouched ones cost a rerun 0.2 s.
        for row in edited[edited["Action"] != ACTIONS["keep"]].to_dict("records")
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
    _pair_details(pairs)


def _pair_details(pairs: list[PairRow]) -> None:
    """One pair's reasons, goals left uncovered and alternatives in full: a table cell would
    cut them off."""
    names = {p.pair_id: f"{p.mentee} ↔ {p.mentor}" for p in pairs}
    chosen = st.selectbox(
        "Details of a pair", list(names), format_func=names.get, index=None,
        placeholder="Choose a pair to read why it was suggested", key="matching_detail_pair",
    )  # fmt: skip
    pair = next((p for p in pairs if p.pair_id == chosen), None)
    if pair is None:
        return
    with st.container(border=True, key="matching_detail_panel"):
        st.markdown("**Why this pair**")
        for reason in pair.reasons:
            st.text(f"• {reason}")
        st.markdown("**Goals not covered**")
        st.text(", ".join(pair.uncovered) or "None: every goal is covered.")
        st.markdown("**Other mentors who would fit**")
        for a in pair.alternatives[:3]:
            st.text(f"• {a['name']} (score {a['score']:.0f})")
        if not pair.alternatives:
            st.text("None available.")


def _decide(actor: Actor, pilot_id: int, decisions: list[PairDecision], done: str) -> None:
    if attempt(review_pairs, actor, pilot_id, decisions) is not None:
        st.session_state.matching_review_version += 1
        flash(done)
        st.rerun()
