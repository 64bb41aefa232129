"""Which running pair the page is about, and who the partner is."""

from __future__ import annotations

import streamlit as st

from core.auth import Actor
from core.models import PairStatus, Role
from core.pairs.access import my_pairs
from core.tracking.my_pair import MyPairView, my_pair
from ui.context import load
from ui.plain import md


def running_pair(actor: Actor, pilot_id: int, *, has_offers: bool) -> MyPairView:
    """The running pair to show (a mentor with several mentees picks one); stops the page when
    there is none."""
    running = [p for p in load(my_pairs, actor, pilot_id) if p.status != PairStatus.PUBLISHED]
    if not running:
        if not has_offers:
            st.info(
                "No partner yet. The programme team publishes pairs after matching; you will "
                "see your partner here, with the reasons you were paired."
            )
        st.stop()
    if len(running) > 1:
        names = {p.id: md(p.partner_name) for p in running}  # radio options read Markdown
        pair_id = st.radio(
            "Pair", list(names), key="pair_choice", horizontal=True, format_func=names.get
        )
    else:
        pair_id = running[0].id
    view = load(my_pair, actor, pilot_id, pair_id=pair_id)
    if view is None:
        st.warning("This pair is no longer available. Reload the page to see your current pair.")
        st.stop()
    return view


def partner_header(view: MyPairView) -> None:
    partner = view.partner
    is_mentee = view.pair.my_role == Role.MENTEE
    st.subheader(f"{'Your mentor' if is_mentee else 'Your mentee'}: {md(partner.name)}")
    st.caption(
        f"{md(partner.job_title or '—')} · {md(partner.department or '—')} · "
        f"{md(partner.time_zone)}" + (f" · {md(partner.email)}" if partner.email else "")
    )
    if view.pair.status == PairStatus.PAUSED:
        st.warning("This pair is paused. Resume it when you are ready to meet again.")
    c1, c2, c3 = st.columns(3)
    c1.metric("Sessions", len(view.sessions))
    c2.metric("Minutes together", view.total_minutes)
    if view.next_milestone:
        nm = view.next_milestone
        c3.metric("Next milestone", md(nm.name), f"due {nm.due_date:%d %b}", delta_color="off")
