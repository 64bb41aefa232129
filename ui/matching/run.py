"""The optimiser's objective and weights, and the button that runs it."""

from __future__ import annotations

import streamlit as st

from core.auth import Actor
from core.matching import DEFAULT_WEIGHTS, WEIGHT_HELP
from core.models import Pilot
from core.pairs.run import OBJECTIVES, MatchSummary, run_matching
from ui.context import flash
from ui.once import long_work_button, submit_once


def run_matching_controls(actor: Actor, pilot: Pilot) -> None:
    with st.expander("Settings", expanded=False):
        objective = st.radio(
            "Objective", list(OBJECTIVES), format_func=OBJECTIVES.get,
            index=list(OBJECTIVES).index(pilot.match_objective or "score"),
            key="matching_objective",
        )  # fmt: skip
        current = {**DEFAULT_WEIGHTS, **(pilot.match_weights or {})}
        weights = {}
        for key, default in DEFAULT_WEIGHTS.items():
            weights[key] = st.slider(
                key.replace("_", " ").capitalize(), 0, 100, int(current.get(key, default)),
                help=WEIGHT_HELP[key], key=f"matching_weight_{key}",
            )  # fmt: skip
            st.caption(WEIGHT_HELP[key])
    if not long_work_button("Run matching", "matching_run", type="primary"):
        return
    bar = st.progress(0.0, text="Starting")
    summary = submit_once(
        "matching_run", actor, run_matching, actor, pilot.id, objective=objective,
        weights=weights, progress=lambda f, t: bar.progress(f, text=t), describe=_summary,
        long_work=True,
    )  # fmt: skip
    if summary is not None:
        st.session_state.matching_review_version += 1
        proof = "proved optimal" if summary["proved_optimal"] else "best found"
        flash(f"{summary['suggested']} pairs suggested ({proof}); {summary['matched_label']}.")
        st.rerun()


def _summary(summary: MatchSummary) -> dict:
    """What the page reports, kept with the run so a repeated click reports the same."""
    return {
        "run_id": summary.run_id, "suggested": summary.suggested, "matched": summary.matched,
        "mentees_total": summary.mentees_total, "proved_optimal": summary.proved_optimal,
        "matched_label": summary.mentees.matched_label if summary.mentees else "",
    }  # fmt: skip
