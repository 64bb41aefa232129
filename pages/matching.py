"""Matching: run the optimiser, review the suggested pairs, publish them."""

import pandas as pd
import streamlit as st

from core.matching import DEFAULT_WEIGHTS, WEIGHT_HELP
from core.models import PairStatus
from core.pairs.coverage import coverage_summary
from core.pairs.review import PairDecision, latest_run, list_pairs, publish_pairs, review_pairs
from core.pairs.run import OBJECTIVES, run_matching
from core.people.participants import list_participants
from core.pilots.settings import pilot_for_admin
from ui.context import attempt, flash, load, require_actor, require_pilot_id

actor = require_actor()
pilot_id = require_pilot_id()
pilot = load(pilot_for_admin, actor, pilot_id)
st.session_state.setdefault("matching_review_version", 0)

st.title(f"Matching · {pilot.name}")
st.write(
    "The optimiser suggests the best set of reverse pairs for the whole pilot: the mentor is "
    f"always at least {pilot.min_grade_gap} grade(s) junior, never in the mentee's reporting "
    "line, within capacity, and never a pair someone declined or you rejected. Approved, "
    "published and locked pairs stay when you run it again."
)

with st.expander("Settings", expanded=False):
    objective = st.radio(
        "Objective",
        list(OBJECTIVES),
        format_func=OBJECTIVES.get,
        index=list(OBJECTIVES).index(pilot.match_objective or "score"),
        key="matching_objective",
    )
    weights = {}
    current = {**DEFAULT_WEIGHTS, **(pilot.match_weights or {})}
    for key, default in DEFAULT_WEIGHTS.items():
        weights[key] = st.slider(
            key.replace("_", " ").capitalize(),
            0, 100, int(current.get(key, default)),
            help=WEIGHT_HELP[key],
            key=f"matching_weight_{key}",
        )  # fmt: skip
        st.caption(WEIGHT_HELP[key])

if st.button("Run matching", type="primary", key="matching_run"):
    bar = st.progress(0.0, text="Starting")
    summary = attempt(
        run_matching, actor, pilot_id, objective=objective, weights=weights,
        progress=lambda f, t: bar.progress(f, text=t),
    )  # fmt: skip
    if summary is not None:
        st.session_state.matching_review_version += 1
        proof = "proved optimal" if summary.proved_optimal else "best found"
        flash(
            f"{summary.suggested} pairs suggested ({proof}); "
            f"{summary.matched} of {summary.mentees_total} mentees matched."
        )
        st.rerun()

run = load(latest_run, actor, pilot_id)
pairs = load(list_pairs, actor, pilot_id)
if run is None and not pairs:
    st.info("No matching yet. Check that participants entered goals and expertise, then run it.")
    st.stop()

cov = load(coverage_summary, actor, pilot_id)
c1, c2, c3, c4, c5 = st.columns(5)
c1.metric("Mentees matched", f"{cov.mentees_matched} of {cov.mentees_total}")
c2.metric("Goals covered", f"{cov.goals_covered} of {cov.goals_total}")
c3.metric("Mentors used", f"{cov.mentors_used} of {cov.mentors_total}")
if run is not None:
    c4.metric("Total score (last run)", f"{run.total_score:.1f}")
    c5.metric("Optimality", "Proved" if run.proved_optimal else "Not proved")

if run is not None and run.unmatched:
    with st.expander(f"{len(run.unmatched)} mentees without a pair, and why"):
        for u in run.unmatched:
            st.markdown(f"- **{u['name']}**: {u['reason']}")

ACTIONS = {
    "keep": "—",
    "approve": "Approve",
    "reject": "Reject (never suggest again)",
    "lock": "Lock (keep on re-run)",
    "unlock": "Unlock",
    "swap": "Swap mentor",
}
mentors = load(list_participants, actor, pilot_id, role="mentor", status="active")
mentor_choice = {
    f"{m.name} · {m.department or '—'} (#{m.enrollment_id})": m.enrollment_id for m in mentors
}
frame = pd.DataFrame(
    [
        {
            "pair_id": p.pair_id,
            "Mentee": f"{p.mentee} · {p.mentee_department or '—'}",
            "Mentor": f"{p.mentor} · {p.mentor_department or '—'}",
            "Score": p.score,
            "Status": p.status + (" 🔒" if p.locked else ""),
            "Why this pair": " · ".join(p.reasons),
            "Goals not covered": ", ".join(p.uncovered) or "—",
            "Alternatives": ", ".join(f"{a['name']} ({a['score']:.0f})" for a in p.alternatives[:3])
            or "—",
            "Action": ACTIONS["keep"],
            "New mentor": None,
        }
        for p in pairs
    ]
)
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
        "Action": st.column_config.SelectboxColumn(options=list(ACTIONS.values()), required=True),
        "New mentor": st.column_config.SelectboxColumn(options=list(mentor_choice)),
    },
)
by_label = {v: k for k, v in ACTIONS.items()}
decisions = [
    PairDecision(
        int(row["pair_id"]),
        by_label[row["Action"]],
        mentor_choice.get(row["New mentor"]) if row["New mentor"] else None,
    )
    for row in edited.to_dict("records")
    if by_label.get(row["Action"], "keep") != "keep"
]
c1, c2, c3 = st.columns(3)
if c1.button(f"Apply {len(decisions)} decisions", disabled=not decisions, key="matching_apply"):
    if attempt(review_pairs, actor, pilot_id, decisions) is not None:
        st.session_state.matching_review_version += 1
        flash(f"{len(decisions)} decisions applied.")
        st.rerun()
suggested = [p.pair_id for p in pairs if p.status == PairStatus.SUGGESTED]
if c2.button(
    f"Approve all {len(suggested)} suggestions", disabled=not suggested, key="matching_approve_all"
):
    if (
        attempt(review_pairs, actor, pilot_id, [PairDecision(i, "approve") for i in suggested])
        is not None
    ):
        st.session_state.matching_review_version += 1
        flash(f"{len(suggested)} pairs approved.")
        st.rerun()
approved = sum(1 for p in pairs if p.status == PairStatus.APPROVED)
if c3.button(
    f"Publish {approved} approved pairs", type="primary", disabled=not approved,
    key="matching_publish",
):  # fmt: skip
    published = attempt(publish_pairs, actor, pilot_id)
    if published is not None:
        st.session_state.matching_review_version += 1
        flash(f"{published} pairs published: both members now see their partner and can accept.")
        st.rerun()
