"""Both sides: availability, time zone, learn-back interests, consent and opt-out."""

import streamlit as st

from core.models import Role, TopicKind
from core.people.availability import SLOT_LABELS, SLOTS
from core.people.participants import MAX_MENTEES_PER_MENTOR, MIN_MENTEES_PER_MENTOR
from core.people.profiles import ProfileInput, complete_orientation, my_profile, save_profile
from core.pilots.settings import list_topics
from core.timezones import common_time_zones
from ui.context import attempt, flash, load, require_actor, require_pilot_id
from ui.plain import md

actor = require_actor()
pilot_id = require_pilot_id()
profile = load(my_profile, actor, pilot_id)
offer_topics = load(list_topics, actor, pilot_id, TopicKind.OFFER)
offer_label = {t.id: t.name for t in offer_topics}
is_mentee = profile.role == Role.MENTEE

st.title("My profile")
st.write(
    f"**{md(profile.name)}** · {md(profile.job_title or '—')} · {md(profile.department or '—')}"
)
st.progress(
    profile.complete_steps / profile.total_steps,
    text=f"{profile.complete_steps} of {profile.total_steps} steps complete",
)
if profile.missing:
    st.info("Still to do to complete your profile: " + "; ".join(profile.missing) + ".")

data = profile.data
# A fixed offset from the roster ("UTC+2") is not in the list: offer it, so saving keeps it.
zones = common_time_zones()
if data.time_zone not in zones:
    zones = [data.time_zone, *zones]
with st.form("profile_form"):
    tz = st.selectbox("Time zone", zones, index=zones.index(data.time_zone), key="profile_tz")
    slots = st.multiselect(
        "When can you usually meet? (your local time)", list(SLOTS),
        default=data.availability, format_func=SLOT_LABELS.get, key="profile_slots",
    )  # fmt: skip
    if is_mentee:
        chosen = st.multiselect(
            "What leadership know-how could you share in return?", list(offer_label),
            default=data.offers, format_func=offer_label.get, key="profile_offers",
        )  # fmt: skip
        consent = st.checkbox(
            "I am open to being mentored by someone more junior than me",
            value=data.consent, key="profile_consent",
        )  # fmt: skip
        capacity = 1
    else:
        chosen = st.multiselect(
            "What would you like to learn back from your mentee?", list(offer_label),
            default=data.wants, format_func=offer_label.get, key="profile_wants",
        )  # fmt: skip
        capacity = st.slider(
            "How many senior mentees can you take?", MIN_MENTEES_PER_MENTOR,
            MAX_MENTEES_PER_MENTOR, value=data.capacity, key="profile_capacity",
        )  # fmt: skip
        consent = st.checkbox(
            "I volunteer to take part and may be paired with a senior leader",
            value=data.consent, key="profile_consent",
        )  # fmt: skip
    note = st.text_area(
        "Anything else about learning back (optional)", value=data.learn_back_note,
        max_chars=500, key="profile_note",
    )  # fmt: skip
    opted_out = st.checkbox(
        "Pause my participation: do not include me in matching",
        value=data.opted_out, key="profile_opted_out",
    )  # fmt: skip
    if st.form_submit_button("Save profile", type="primary", key="profile_save"):
        new = ProfileInput(
            time_zone=tz, availability=slots,
            offers=chosen if is_mentee else data.offers,
            wants=data.wants if is_mentee else chosen,
            learn_back_note=note, capacity=capacity, consent=consent, opted_out=opted_out,
        )  # fmt: skip
        if attempt(save_profile, actor, pilot_id, new) is not None:
            flash("Profile saved.")
            st.rerun()

if is_mentee:
    st.subheader("Mentee orientation")
    st.write(
        "Being mentored by someone more junior works when you listen more than you direct: "
        "let your mentor set the pace on their topics, ask the questions you would not ask in a "
        "meeting, and give them real access to how leadership decisions are made."
    )
    if profile.oriented:
        st.caption("You have completed the orientation.")
    elif st.button("I have read the orientation", key="profile_orientation"):
        if attempt(complete_orientation, actor, pilot_id) is not None:
            flash("Orientation completed.")
            st.rerun()
