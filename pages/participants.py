"""Participants: invite one person, import a roster, find and withdraw people."""

import streamlit as st

from core.pilots.settings import pilot_for_admin
from ui.context import load, require_actor, require_pilot_id
from ui.participants.add_person import add_person_form
from ui.participants.everyone import everyone
from ui.participants.roster import roster_import

actor = require_actor()
pilot_id = require_pilot_id()
pilot = load(pilot_for_admin, actor, pilot_id)
st.title(f"Participants · {pilot.name}")
st.caption(f"Invite code: **{pilot.invite_code}** — people join with it and set their password.")

add_tab, import_tab, list_tab = st.tabs(["Add one person", "Import a roster", "Everyone"])
with add_tab:
    add_person_form(actor, pilot)
with import_tab:
    roster_import(actor, pilot_id)
with list_tab:
    everyone(actor, pilot_id)
