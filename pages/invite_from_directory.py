"""Invite participants from the organisation directory: by search and filters, or a short file
of e-mails with roles. Grade, department and manager come from the directory, not from typing."""

import streamlit as st

from core.pilots.settings import pilot_for_admin
from ui.context import load, require_actor, require_pilot_id
from ui.directory_invite import pick_people, roster_file, show_sent_links
from ui.plain import md

actor = require_actor()
pilot_id = require_pilot_id()
pilot = load(pilot_for_admin, actor, pilot_id)
st.title(f"Invite from the directory · {md(pilot.name)}")
st.caption(
    "Everybody in the organisation chart who has not left. Each person you invite gets a "
    "personal link to join; follow their invitations on the Participants page."
)
show_sent_links()

pick_tab, file_tab = st.tabs(
    ["Search and choose", "Upload e-mails and roles"], key="invite_dir_tabs", on_change="rerun"
)
with pick_tab:
    pick_people(actor, pilot_id)
with file_tab:
    roster_file(actor, pilot_id)
