"""Matching: run the optimiser, review the suggested pairs, publish them."""

import streamlit as st

from core.pilots.settings import pilot_for_admin
from ui.cached import coverage_summary, latest_run, list_pairs
from ui.context import load, require_actor, require_pilot_id
from ui.matching.review import review_table
from ui.matching.run import run_matching_controls
from ui.plain import md

# Bumped after every write, so the review table starts again from the saved decisions.
st.session_state.setdefault("matching_review_version", 0)

actor = require_actor()
pilot_id = require_pilot_id()
pilot = load(pilot_for_admin, actor, pilot_id)

st.title(f"Matching · {md(pilot.name)}")
st.write(
    "The optimiser suggests the best set of reverse pairs for the whole pilot: the mentor is "
    f"always at least {pilot.min_grade_gap} grade(s) junior, never in the mentee's reporting "
    "line, within capacity, and never a pair someone declined or you rejected. Approved, "
    "published and locked pairs stay when you run it again."
)
run_matching_controls(actor, pilot)

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
            st.markdown(f"- **{md(u['name'])}**: {md(u['reason'])}")

review_table(actor, pilot_id, pairs)
