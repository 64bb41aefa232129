"""Sent messages: every email of this pilot with its delivery status."""

import pandas as pd
import streamlit as st

from core.mail.outbox import pilot_outbox
from core.settings import smtp_settings
from ui.context import load, require_actor, require_pilot_id

actor = require_actor()
pilot_id = require_pilot_id()
st.title("Sent messages")
if not smtp_settings().configured:
    st.info(
        "No mail server is configured, so messages are kept here but not delivered. Share "
        "invitation links from Participants, or set up SMTP (see the README).",
        icon=":material/info:",
    )
rows = load(pilot_outbox, actor, pilot_id)
if not rows:
    st.write("Nothing sent yet.")
else:
    frame = pd.DataFrame([r.__dict__ for r in rows])
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        column_config={
            "created_at": st.column_config.DatetimeColumn("Sent (UTC)", format="D MMM YYYY, HH:mm"),
            "kind": "Message",
            "to_email": "To",
            "subject": "Subject",
            "status": "Status",
            "error": "Problem",
        },
    )
