"""Pilot set-up: settings, status, invite code and topic catalogue."""

import streamlit as st

from core.models import PilotStatus, TopicKind
from core.pilots.settings import (
    TRANSITIONS,
    pilot_for_admin,
    pilot_input_of,
    set_status,
    update_pilot,
)
from ui.catalogue_editor import catalogue_editor
from ui.confirm import ask, confirm
from ui.context import attempt, flash, load, require_actor, require_pilot_id
from ui.pilot_form import pilot_form_fields
from ui.plain import md
from ui.progress.concerns import closing_consequences

actor = require_actor()
pilot_id = require_pilot_id()
pilot = load(pilot_for_admin, actor, pilot_id)

st.title(f"Pilot set-up · {md(pilot.name)}")
c1, c2, c3 = st.columns(3)
c1.metric("Status", pilot.status.capitalize())
c2.metric("Invite code", pilot.invite_code)
c3.metric("Dates", f"{pilot.start_date:%d %b %Y} → {pilot.end_date:%d %b %Y}")
st.caption(
    "Share the invite code with participants: they join on the sign-in screen under "
    "**Join a pilot**. Status moves: draft → recruiting → matching → running → closed."
)
moves = TRANSITIONS.get(pilot.status, ())
cols = st.columns(max(len(moves), 1) + 3)
for col, target in zip(cols, moves, strict=False):
    forward = PilotStatus.ORDER.index(target) > PilotStatus.ORDER.index(pilot.status)
    label = f"{'Move to' if forward else 'Back to'} {target}"
    if col.button(label, key=f"setup_status_{target}", type="primary" if forward else "secondary"):
        if target == PilotStatus.CLOSED:
            ask("setup_close", target)
        elif attempt(set_status, actor, pilot_id, target) is not None:
            flash(f"The pilot is now {target}.")
            st.rerun()
confirm(
    "setup_close",
    "Close the pilot?",
    lambda _: closing_consequences(pilot),
    "Close the pilot",
    lambda target: (
        f"The pilot is now {target}."
        if attempt(set_status, actor, pilot_id, target) is not None
        else None
    ),
)

settings_tab, topics_tab, offers_tab = st.tabs(["Settings", "Topic catalogue", "Learn-back topics"])
with settings_tab, st.form("setup_form"):
    data = pilot_form_fields(f"setup_{pilot_id}", pilot_input_of(pilot))
    if st.form_submit_button("Save settings", type="primary", key="setup_save"):
        if attempt(update_pilot, actor, pilot_id, data) is not None:
            flash("Settings saved.")
            st.rerun()


with topics_tab:
    catalogue_editor(
        actor,
        pilot_id,
        TopicKind.LEARN,
        "setup_topics",
        "What senior mentees can choose to learn. Untick *Offered* to retire a topic without "
        "losing goals that already use it; add rows at the bottom.",
    )
with offers_tab:
    catalogue_editor(
        actor,
        pilot_id,
        TopicKind.OFFER,
        "setup_offers",
        "Leadership know-how that mentees offer and junior mentors say they want to learn back.",
    )
