"""Sign in with email and password."""

import streamlit as st

from core.auth import authenticate
from ui.context import attempt, flash

st.title("Sign in")
with st.form("sign_in_form"):
    email = st.text_input("Work email", key="sign_in_email")
    password = st.text_input("Password", type="password", key="sign_in_password")
    submitted = st.form_submit_button("Sign in", type="primary", key="sign_in_submit")
if submitted:
    actor = attempt(authenticate, email, password)
    if actor is not None:
        st.session_state.actor = actor
        st.session_state.pilot_id = None
        flash(f"Welcome back, {actor.name}.")
        st.rerun()
st.caption("First time here? Use **Join a pilot** with the invite code from your invitation.")
