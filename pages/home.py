"""Home: where the person is in the pilot and the one thing to do next."""

import streamlit as st

from core.tracking.next_step import ParticipantHome
from ui.cached import home_of
from ui.context import load, require_actor, require_pilot_id
from ui.home.admin import admin_home_view
from ui.home.participant import participant_home_view

actor = require_actor()
pilot_id = require_pilot_id()
home = load(home_of, actor, pilot_id)
st.title(f"Home · {home.pilot_name}")
if isinstance(home, ParticipantHome):
    participant_home_view(home)
else:
    admin_home_view(home)
