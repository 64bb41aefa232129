"""Matching: run the optimiser, review the suggested pairs, publish them."""

import streamlit as st

from core.pilots.settings import pilot_for_admin
from ui.cached import coverage_summary, latest_run, list_pairs
from ui.context import load, require_actor, require_pilot_id
from ui.matching.review import review_table
from ui.matching.run import run_matching_controls
from ui.matching.summary import coverage_tiles, pair_strengths, without_pair
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
coverage_tiles(cov, run)
pair_strengths(pairs)
without_pair(cov)

review_table(actor, pilot_id, pairs)
