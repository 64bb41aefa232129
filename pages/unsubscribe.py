"""Turn off one kind of reminder from the link in the email, signed in or not. The link alone
changes nothing (mail filters open links): the person confirms with the button."""

import streamlit as st

from core.reminders.preferences import unsubscribe, unsubscribe_offer
from ui.context import attempt, load

st.title("Stop these reminders")
token = st.query_params.get("token", "")
if not token:
    st.error("This page needs the link from a reminder email. Open that link again.")
    st.stop()
offer = load(unsubscribe_offer, token)
st.write("You will no longer receive these emails:")
for label in offer.labels:
    st.markdown(f"- {label}")
if st.button("Turn them off", type="primary", key="unsubscribe_confirm"):
    if attempt(unsubscribe, token) is not None:
        st.success(
            "Done: you will not receive these reminders any more. You can turn them back on, "
            "or choose a weekly digest instead, on your Account page."
        )
