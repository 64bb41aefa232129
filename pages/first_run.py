"""First run: create the first programme administrator, optionally with a sample pilot."""

import streamlit as st

from core.auth import create_first_admin
from core.sample.pilot import sample_organisation_size
from ui.context import attempt, flash, run

st.title("Welcome to the reverse-mentoring portal")
st.write(
    "Junior colleagues mentor senior leaders on digital tools, AI, cybersecurity, social media "
    "and what a new generation expects of work, and both sides learn. Start by creating the "
    "first administrator account for your programme team."
)

with st.form("first_run_form"):
    email = st.text_input("Work email", key="first_email", placeholder="you@company.com")
    name = st.text_input("Full name", key="first_name")
    password = st.text_input("Password (12+ characters)", type="password", key="first_password")
    confirm = st.text_input("Repeat password", type="password", key="first_confirm")
    sample = st.checkbox(
        "Load a sample pilot",
        value=False,
        key="first_sample",
        help=f"A realistic synthetic organisation of {sample_organisation_size()} people with "
        "goals, expertise, pairs and sessions, so that every page has something to show. "
        "Remove it later by closing it.",
    )
    submitted = st.form_submit_button("Create administrator", type="primary", key="first_submit")

if submitted:
    actor = attempt(create_first_admin, email, name, password, confirm=confirm)
    if actor is not None:
        st.session_state.actor = actor
        if sample:
            from core.sample.pilot import SAMPLE_PASSWORD, load_sample_pilot, sample_accounts

            with st.spinner("Building the sample pilot…"):
                st.session_state.pilot_id = run(load_sample_pilot, actor).id
            accounts = ", ".join(f"{e} ({r})" for e, r in run(sample_accounts))
            flash(
                f"Welcome, {actor.name}. The sample pilot is ready. To see the participants' "
                f"side, sign in as {accounts} with the password {SAMPLE_PASSWORD}."
            )
        else:
            flash(f"Welcome, {actor.name}. You are signed in as administrator.")
        st.rerun()
