"""Participants: invite one person, import a roster, find and withdraw people, personal links."""

import streamlit as st

from core.pilots.settings import pilot_for_admin
from ui.context import load, require_actor, require_pilot_id
from ui.participants.add_person import add_person_form
from ui.participants.everyone import everyone
from ui.participants.invitations import render_invitations
from ui.participants.roster import roster_import
from ui.plain import md

actor = require_actor()
pilot_id = require_pilot_id()
pilot = load(pilot_for_admin, actor, pilot_id)
st.title(f"Participants · {md(pilot.name)}")
st.caption(
    f"Volunteer code: {pilot.invite_code} (for colleagues nobody invited; you approve them). "
    "Invited people join with their personal link."
)

# Keyed and rerun on change, so a button inside a tab keeps the person on that tab, and only
# the open tab is drawn: the others' tables and cards would be rebuilt on every rerun.
add_tab, import_tab, list_tab, invite_tab = st.tabs(
    ["Add one person", "Import a roster", "Everyone", "Invitations"],
    key="participants_tabs",
    on_change="rerun",
)
if add_tab.open:
    with add_tab:
        add_person_form(actor, pilot)
if import_tab.open:
    with import_tab:
        roster_import(actor, pilot_id)
if list_tab.open:
    with list_tab:
        everyone(actor, pilot_id)
if invite_tab.open:
    with invite_tab:
        render_invitations(actor, pilot_id)
