"""The sign-in form, shown on the sign-in page and in place of any page opened while signed
out, so that a bookmark leads back to where the person wanted to go."""

from __future__ import annotations

import streamlit as st

from core.accounts.passwords import request_password_reset
from core.accounts.sign_in import authenticate
from core.settings import sso_configured
from ui.context import attempt, flash, run
from ui.plain import md
from ui.sign_in_gate import browser_text, complete_sign_in


def _client() -> str | None:
    return browser_text(lambda: st.context.ip_address)


def render_sign_in() -> None:
    st.title("Sign in")
    if notice := st.session_state.pop("sign_in_notice", None):
        st.info(notice, icon=":material/info:")
    if refusal := st.session_state.get("sso_refusal"):
        st.error(md(refusal), icon=":material/block:")  # may quote the SSO email
        if st.button("Sign out of the company account", key="sign_in_sso_logout"):
            st.session_state.pop("sso_refusal", None)
            st.logout()
    if sso_configured():
        if st.button(
            "Sign in with SSO", type="primary", key="sign_in_sso", icon=":material/badge:"
        ):
            st.login()
        st.caption("Or with your portal password:")
    with st.form("sign_in_form"):
        email = st.text_input("Work email", key="sign_in_email", autocomplete="username")
        password = st.text_input(
            "Password", type="password", key="sign_in_password", autocomplete="current-password"
        )
        submitted = st.form_submit_button(
            "Sign in", type="primary" if not sso_configured() else "secondary", key="sign_in_submit"
        )
    if submitted:
        result = run(authenticate, email, password, client=_client())
        if result.actor is None:
            st.error(result.message, icon=":material/lock:")
        else:
            flash(f"Welcome back, {result.actor.name}.")
            complete_sign_in(result.actor, via="password")
            st.rerun()
    with st.expander("Forgot your password?"):
        with st.form("reset_request_form"):
            reset_email = st.text_input("Email for the reset link", key="reset_request_email")
            if st.form_submit_button("Send me a reset link", key="reset_request_submit"):
                message = attempt(request_password_reset, reset_email)
                if message:
                    st.success(message, icon=":material/mail:")
    st.caption(
        "First time here? Open the personal link in your invitation email. Not invited yet? "
        "Use **Volunteer for a pilot** with the pilot's code."
    )
