"""The page behind a password reset link."""

import streamlit as st

from core.accounts.passwords import complete_password_reset
from core.accounts.tokens import find_token
from core.errors import DomainError
from core.models import TokenPurpose
from ui.context import attempt, flash, run
from ui.navigation import HOME
from ui.sign_in_gate import complete_sign_in

token = st.query_params.get("token", "")
st.title("Choose a new password")
try:
    run(find_token, token, TokenPurpose.RESET)
except DomainError as exc:
    st.error(str(exc), icon=":material/link_off:")
    st.stop()
with st.form("reset_form"):
    password = st.text_input(
        "New password (12+ characters)", type="password", key="reset_password",
        autocomplete="new-password",
    )  # fmt: skip
    confirm = st.text_input("Repeat the new password", type="password", key="reset_confirm")
    submitted = st.form_submit_button("Set the new password", type="primary", key="reset_submit")
if submitted:
    actor = attempt(complete_password_reset, token, password, confirm)
    if actor:
        flash("Your password is changed, and every other device is signed out.")
        st.query_params.clear()
        complete_sign_in(actor, via="password")
        st.session_state.goto = HOME
        st.rerun()
