"""Account: who is signed in, join another pilot, sign out."""

import streamlit as st

from core.people.participants import join_pilot
from ui.context import attempt, flash, require_actor

actor = require_actor()
st.title("Account")
st.write(f"**{actor.name}** · {actor.email}" + (" · programme team" if actor.is_staff else ""))

with st.form("account_join_form"):
    st.subheader("Join another pilot")
    code = st.text_input("Invite code", key="account_join_code")
    password = st.text_input("Your password", type="password", key="account_join_password")
    role = st.radio("Role, if you were not invited", ["mentor", "mentee"], key="account_join_role")
    if st.form_submit_button("Join", key="account_join_submit"):
        joined = attempt(join_pilot, code, actor.email, password, role=role, name=actor.name)
        if joined is not None:
            flash("You joined the pilot. Pick it in the sidebar.")
            st.rerun()

if st.button("Sign out", type="primary", key="account_sign_out"):
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    st.rerun()
