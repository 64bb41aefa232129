"""Volunteer for a pilot with its code. Invited people use the personal link in their email."""

import streamlit as st

from core.models import Role
from core.people.participants import volunteer
from ui.once import submit_key, submit_once
from ui.plain import md

st.session_state.setdefault("join_done", "")
st.title("Volunteer for a pilot")
st.write(
    "Were you invited? Open the personal link in your invitation email instead. Not invited, but "
    "keen to take part? Enter the pilot's code from the announcement and your details: we email "
    "you a link to confirm your address, and the programme team approves volunteers."
)
ROLE_CHOICES = {
    Role.MENTOR: "Mentor: a junior colleague who shares digital know-how",
    Role.MENTEE: "Mentee: a senior leader who wants to learn",
}
if st.session_state.join_done:
    st.success(md(st.session_state.join_done), icon=":material/mail:")
with st.form("join_form"):
    code = st.text_input("Pilot code", key="join_code", placeholder="ABCD-EF23")
    email = st.text_input("Work email", key="join_email")
    name = st.text_input("Full name", key="join_name")
    role = st.radio(
        "I join as", list(ROLE_CHOICES), format_func=ROLE_CHOICES.get, index=None, key="join_role"
    )
    department = st.text_input("Department", key="join_department")
    job_title = st.text_input("Job title", key="join_job_title")
    submitted = st.form_submit_button(
        "Send my request", type="primary", key=submit_key("join_submit")
    )
if submitted:
    outcome = submit_once(
        "join_submit",
        None,
        volunteer,
        code,
        email,
        name=name,
        role=role or "",
        department=department,
        job_title=job_title,
        describe=lambda answer: {"message": answer[0]},
    )
    if outcome:
        st.session_state.join_done = outcome["message"]
        st.rerun()
