"""Join a pilot with its invite code and set a password."""

import streamlit as st

from core.models import Role
from core.people.participants import join_pilot
from ui.context import attempt, flash

st.title("Join a pilot")
st.write(
    "Enter the invite code from your invitation email. If you were invited, your name and role "
    "are already known: just choose a password. Volunteering without an invitation? Fill in the "
    "volunteer details as well."
)
ROLE_CHOICES = {
    Role.MENTOR: "Mentor: a junior colleague who shares digital know-how",
    Role.MENTEE: "Mentee: a senior leader who wants to learn",
}
with st.form("join_form"):
    code = st.text_input("Invite code", key="join_code", placeholder="ABCD-EF23")
    email = st.text_input("Work email", key="join_email")
    password = st.text_input("Password (10+ characters)", type="password", key="join_password")
    confirm = st.text_input("Repeat password", type="password", key="join_confirm")
    with st.expander("Not on the invitation list? Volunteer details"):
        name = st.text_input("Full name", key="join_name")
        role = st.radio(
            "I join as",
            list(ROLE_CHOICES),
            format_func=ROLE_CHOICES.get,
            index=None,
            key="join_role",
        )
        department = st.text_input("Department", key="join_department")
        job_title = st.text_input("Job title", key="join_job_title")
    submitted = st.form_submit_button("Join", type="primary", key="join_submit")
if submitted:
    actor = attempt(
        join_pilot,
        code,
        email,
        password,
        confirm=confirm,
        name=name,
        role=role or "",
        department=department,
        job_title=job_title,
    )
    if actor is not None:
        st.session_state.actor = actor
        st.session_state.pilot_id = None
        flash(f"Welcome, {actor.name}! Start with your profile and goals.")
        st.rerun()
