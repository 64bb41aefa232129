"""Account: who is signed in, invitations waiting, password, reminders, other pilots, one's
data (download, who sees it, correction, erasure), sign out."""

import streamlit as st

from core.accounts.passwords import change_password
from core.accounts.sessions import end_all_sessions
from core.people.participants import accept_enrollment, join_with_code, my_invitations
from ui.context import attempt, flash, load, require_actor
from ui.data_rights import data_rights
from ui.plain import md
from ui.reminder_preferences import reminder_preferences
from ui.sign_in_gate import sign_out

actor = require_actor()
st.title("Account")
st.text(f"{actor.name} · {actor.email}" + (" · programme team" if actor.is_staff else ""))

for invitation in load(my_invitations, actor):
    with st.container(border=True):
        st.write(f"You are invited to **{md(invitation.pilot_name)}** as {invitation.role}.")
        if st.button("Accept", key=f"account_accept_{invitation.enrollment_id}", type="primary"):
            if attempt(accept_enrollment, actor, invitation.enrollment_id):
                flash(f"You joined {invitation.pilot_name}. Pick it in the sidebar.")
                st.rerun()

with st.form("account_password_form"):
    st.subheader("Change your password")
    current = st.text_input("Current password", type="password", key="account_current")
    new = st.text_input(
        "New password (12+ characters)", type="password", key="account_new",
        autocomplete="new-password",
    )  # fmt: skip
    confirm = st.text_input("Repeat the new password", type="password", key="account_confirm")
    if st.form_submit_button("Change password", key="account_password_submit"):
        keep = st.session_state.get("session_token")
        ended = attempt(change_password, actor, current, new, confirm, keep_session=keep)
        if ended is not None:
            flash(
                "Password changed. Other devices were signed out." if ended else "Password changed."
            )
            st.rerun()

reminder_preferences(actor)

with st.form("account_join_form"):
    st.subheader("Volunteer for another pilot")
    code = st.text_input("Pilot code", key="account_join_code")
    role = st.radio("I join as", ["mentor", "mentee"], key="account_join_role", horizontal=True)
    if st.form_submit_button("Send my request", key="account_join_submit"):
        if attempt(join_with_code, actor, code, role):
            flash(
                "Request sent: the programme team approves volunteers. Pick the pilot in the sidebar."
            )
            st.rerun()

data_rights(actor)

left, right = st.columns(2)
if left.button("Sign out", type="primary", key="account_sign_out", icon=":material/logout:"):
    sign_out()
if right.button("Sign out on every other device", key="account_sign_out_all"):
    keep = st.session_state.get("session_token")
    count = attempt(end_all_sessions, actor.person_id, keep=keep)
    if count is not None:
        st.success(f"Signed out on {count} other session(s).", icon=":material/devices:")
