"""My pair: answer a suggested partner; then meet, log sessions, check in, and see progress."""

import streamlit as st

from ui.context import require_actor, require_pilot_id
from ui.my_pair.calendar import calendar_tab
from ui.my_pair.checkins import checkins_tab
from ui.my_pair.header import partner_header, running_pair
from ui.my_pair.offers import answer_offers
from ui.my_pair.overview import overview_tab
from ui.my_pair.pause_end import pause_end_tab
from ui.my_pair.sessions import session_log_tab

# Bumped by a successful save, so the session and concern forms come back empty.
st.session_state.setdefault("pair_form_version", 0)

actor = require_actor()
pilot_id = require_pilot_id()
st.title("My pair")

has_offers = answer_offers(actor, pilot_id)
view = running_pair(actor, pilot_id, has_offers=has_offers)
partner_header(view)

# Keyed and rerun on change, so a save inside a tab (a session, a check-in) keeps that tab.
overview, log, checkins, calendar, pause_end = st.tabs(
    ["Overview", "Session log", "Check-ins", "Calendar", "Pause or end"],
    key="pair_tabs",
    on_change="rerun",
)
with overview:
    overview_tab(actor, view)
with log:
    session_log_tab(actor, view)
with checkins:
    checkins_tab(actor, pilot_id, view)
with calendar:
    calendar_tab(actor, view)
with pause_end:
    pause_end_tab(actor, view)
