"""The page behind a personal invitation link: set a password (or use SSO) and join."""

import streamlit as st

from core.accounts.invitations import accept_invitation, invitation_view
from core.errors import DomainError
from core.settings import sso_configured
from ui.context import attempt, flash, run
from ui.navigation import HOME
from ui.plain import md
from ui.sign_in_gate import complete_sign_in

token = st.query_params.get("token", "")
st.title("Accept your invitation")
try:
    view = run(invitation_view, token)
except DomainError as exc:
    st.error(md(exc), icon=":material/link_off:")
    st.stop()
st.write(
    f"Welcome, **{md(view.name)}**. You are invited to **{md(view.pilot_name)}** as a {view.role}."
)
if sso_configured():
    st.write("Sign in with your company account, or choose a password for the portal below.")
    if st.button("Sign in with SSO", type="primary", key="invite_sso", icon=":material/badge:"):
        st.login()
with st.form("invite_form"):
    st.text_input("Work email", value=view.email, disabled=True, key="invite_email")
    if view.has_password:
        st.caption("You already have an account: confirm with its password.")
        password = st.text_input("Your password", type="password", key="invite_password")
        confirm = None
    else:
        password = st.text_input(
            "Choose a password (12+ characters)",
            type="password",
            key="invite_password",
            autocomplete="new-password",
            help="A few unrelated words work well. Common passwords are refused.",
        )
        confirm = st.text_input("Repeat the password", type="password", key="invite_confirm")
    submitted = st.form_submit_button("Join the pilot", type="primary", key="invite_submit")
if submitted:
    actor = attempt(accept_invitation, token, password, confirm)
    if actor:
        flash(f"Welcome, {actor.name}! Start with your profile and goals.")
        st.query_params.clear()
        complete_sign_in(actor, via="password")
        st.session_state.goto = HOME
        st.rerun()
