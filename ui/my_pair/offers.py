"""Suggested partners waiting for the member's answer."""

from __future__ import annotations

import streamlit as st

from core.auth import Actor
from core.models import PairStatus, Response, Role
from core.pairs.offers import PartnerOffer, my_offers, respond_to_pair
from core.people.profiles import PRIORITY_LABELS
from ui.context import attempt, flash, load
from ui.my_pair.overview import goals_heading
from ui.notifications import send_now
from ui.plain import md


def answer_offers(actor: Actor, pilot_id: int) -> bool:
    """Shows every published pair with its reasons and an answer form; True if there was one,
    so the page knows not to say "no partner yet"."""
    offers = [o for o in load(my_offers, actor, pilot_id) if o.status == PairStatus.PUBLISHED]
    for offer in offers:
        _offer(actor, offer)
    return bool(offers)


def _offer(actor: Actor, offer: PartnerOffer) -> None:
    partner_role = "mentor" if offer.my_role == Role.MENTEE else "mentee"
    st.subheader(f"Your suggested {partner_role}: {md(offer.partner_name)}")
    st.caption(
        f"{md(offer.partner_title or '—')} · {md(offer.partner_department or '—')} · "
        f"{md(offer.partner_time_zone)}"
    )
    with st.container(border=True):
        st.markdown("**Why this pair**")
        for reason in offer.reasons:
            st.markdown(f"- {md(reason)}")
        st.markdown(f"**{goals_heading(offer.my_role)}**")
        for topic, priority, objective in offer.goals:
            st.markdown(f"- **{md(topic)}** ({PRIORITY_LABELS[priority]}): {md(objective)}")
    if offer.my_response == Response.ACCEPTED:
        st.info(f"You accepted. Waiting for {md(offer.partner_name)} to accept too.")
        return
    with st.form(f"pair_answer_{offer.pair_id}"):
        reason = st.text_area(
            "If you decline: why? (optional, seen only by the programme team)",
            max_chars=500,
            key=f"pair_decline_reason_{offer.pair_id}",
        )
        c1, c2 = st.columns(2)
        accept = c1.form_submit_button("Accept", type="primary", key=f"pair_accept_{offer.pair_id}")
        decline = c2.form_submit_button("Decline", key=f"pair_decline_{offer.pair_id}")
    if accept and attempt(respond_to_pair, actor, offer.pair_id, True) is not None:
        send_now(pair_ids={offer.pair_id})
        flash("Accepted. Your pair starts as soon as both of you have accepted.")
        st.rerun()
    if decline and attempt(respond_to_pair, actor, offer.pair_id, False, reason) is not None:
        send_now(pair_ids={offer.pair_id})
        flash("Declined. The programme team will look for another partner.")
        st.rerun()
