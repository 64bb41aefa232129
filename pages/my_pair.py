"""My pair: see the suggested partner and why, accept or decline; then run the pair."""

import streamlit as st

from core.models import PairStatus, Role
from core.pairing import my_offers, respond_to_pair
from core.profiles import PRIORITY_LABELS
from ui.context import attempt, flash, load, require_actor, require_pilot_id

actor = require_actor()
pilot_id = require_pilot_id()
offers = load(my_offers, actor, pilot_id)

st.title("My pair")
if not offers:
    st.info(
        "No partner yet. The programme team publishes pairs after matching; you will see your "
        "partner here, with the reasons you were paired."
    )
    st.stop()

for offer in offers:
    partner_role = "mentor" if offer.my_role == Role.MENTEE else "mentee"
    st.subheader(f"Your {partner_role}: {offer.partner_name}")
    st.caption(
        f"{offer.partner_title or '—'} · {offer.partner_department or '—'} · "
        f"{offer.partner_time_zone}"
    )
    with st.container(border=True):
        st.markdown("**Why this pair**")
        for reason in offer.reasons:
            st.markdown(f"- {reason}")
        st.markdown("**The mentee's goals**")
        for topic, priority, objective in offer.goals:
            st.markdown(f"- **{topic}** ({PRIORITY_LABELS[priority]}): {objective}")
    if offer.status == PairStatus.PUBLISHED:
        if offer.my_response == "accepted":
            st.info(f"You accepted. Waiting for {offer.partner_name} to accept too.")
            continue
        with st.form(f"pair_answer_{offer.pair_id}"):
            reason = st.text_area(
                "If you decline: why? (optional, seen only by the programme team)",
                max_chars=500,
                key=f"pair_decline_reason_{offer.pair_id}",
            )
            c1, c2 = st.columns(2)
            accept = c1.form_submit_button("Accept", type="primary")
            decline = c2.form_submit_button("Decline")
        if accept and attempt(respond_to_pair, actor, offer.pair_id, True) is not None:
            flash("Accepted. You will both be notified when the pair starts.")
            st.rerun()
        if decline and attempt(respond_to_pair, actor, offer.pair_id, False, reason) is not None:
            flash("Declined. The programme team will look for another partner.")
            st.rerun()
