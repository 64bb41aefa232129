"""Pilot progress: milestone completion per pair, at-risk pairs, check-ins, concerns, closing."""

import pandas as pd
import streamlit as st

from core.pilots.settings import pilot_for_admin
from core.tracking.pulse import candour_summary
from ui.cached import at_risk_pairs, coverage_summary, pilot_progress
from ui.context import load, require_actor, require_pilot_id
from ui.lazy_tabs import lazy_tabs
from ui.plain import md
from ui.progress.concerns import close_pilot_controls, concerns_tab
from ui.progress.milestones import milestones_tab
from ui.progress.pairs import checkins_tab, pairs_tab
from ui.progress.risks import risks_tab

actor = require_actor()
pilot_id = require_pilot_id()
pilot = load(pilot_for_admin, actor, pilot_id)
st.title(f"Pilot progress · {md(pilot.name)}")

rows = load(pilot_progress, actor, pilot_id)
risks = load(at_risk_pairs, actor, pilot_id)
pulse = load(candour_summary, actor, pilot_id)
frame = pd.DataFrame([r.__dict__ for r in rows])
mentees = load(coverage_summary, actor, pilot_id).mentees
c0, c1, c2, c3, c4 = st.columns(5)
c0.metric("Mentees in the pilot with a pair", f"{mentees.with_pair} of {mentees.in_pilot}")
c1.metric("Pairs that started", len(rows))
c2.metric("At risk", len(risks))
c3.metric("Sessions logged", sum(r.sessions for r in rows))
c4.metric(
    "Could speak candidly",
    f"{pulse.overall.mean:.1f} / 5" if pulse.overall.shown else "hidden",
    help=pulse.overall.message or "Average of the private post-session pulse (1–5).",
)
st.caption(
    f"{mentees.matched_label} (a pair may still be waiting to start); "
    f"{mentees.without_label}: see Matching for why."
)

lazy_tabs(
    ["Pairs", f"At risk ({len(risks)})", "Check-ins", "Milestones", "Concerns"],
    key="progress_tabs",
    draw=[
        lambda: pairs_tab(frame),
        lambda: risks_tab(actor, pilot_id, risks),
        lambda: checkins_tab(frame),
        lambda: milestones_tab(actor, pilot_id),
        lambda: concerns_tab(actor, pilot_id),
    ],
)
close_pilot_controls(actor, pilot)
