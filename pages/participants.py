"""Participants: invite one person, import a roster, find and withdraw people, personal links."""

import streamlit as st

from core.pilots.settings import pilot_for_admin
from ui.context import load, require_actor, require_pilot_id
from ui.lazy_tabs import lazy_tabs
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

lazy_tabs(
    ["Add one person", "Import a roster", "Everyone", "Invitations"],
    key="participants_tabs",
    draw=[
        lambda: add_person_form(actor, pilot),
        lambda: roster_import(actor, pilot_id),
        lambda: everyone(actor, pilot_id),
        lambda: render_invitations(actor, pilot_id),
    ],
)
