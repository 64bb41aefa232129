"""Launch a new pilot (programme team)."""

import streamlit as st

from core.pilots.settings import create_pilot
from ui.context import flash, require_actor
from ui.once import submit_key, submit_once
from ui.pilot_form import pilot_form_fields

actor = require_actor()
st.title("Launch a new pilot")
st.write(
    "A pilot starts as a draft with a default topic catalogue and milestone plan you can edit. "
    "Open it for recruiting when you are ready to invite people."
)
with st.form("new_pilot_form"):
    data = pilot_form_fields("new_pilot")
    submitted = st.form_submit_button(
        "Create pilot", type="primary", key=submit_key("new_pilot_create")
    )
if submitted:
    pilot = submit_once(
        "new_pilot_create", actor, create_pilot, actor, data,
        describe=lambda p: {"id": p.id, "name": p.name, "invite_code": p.invite_code},
    )  # fmt: skip
    if pilot is not None:
        st.session_state.pilot_id = pilot["id"]
        flash(f"Pilot '{pilot['name']}' created. Its invite code is {pilot['invite_code']}.")
        st.session_state.goto = "pages/pilot_setup.py"
        st.rerun()
