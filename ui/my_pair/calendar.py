"""Planning sessions ahead, in the planner's own time zone, and taking them, with the
milestones, into one's own calendar. Both members get an invitation by email at once."""

from __future__ import annotations

from datetime import datetime, time

import streamlit as st

from core.auth import Actor
from core.people.profiles import my_profile
from core.reminders.messages import when_text
from core.timezones import zone_info
from core.tracking.calendar_export import (
    cancel_planned_session,
    move_planned_session,
    pair_calendar_ics,
    plan_session,
    planning_zone,
)
from core.tracking.my_pair import MyPairView
from core.tracking.session_log import MAX_MINUTES, MIN_MINUTES
from ui.context import attempt, flash, load
from ui.notifications import send_now
from ui.once import submit_key, submit_once
from ui.plain import md


def _my_zone(actor: Actor, pilot_id: int) -> str:
    profile = load(my_profile, actor, pilot_id)
    return planning_zone(profile.data.time_zone, st.context.timezone)


def calendar_tab(actor: Actor, view: MyPairView) -> None:
    pair_id = view.pair.id
    zone = _my_zone(actor, view.pair.pilot_id)
    with st.form("pair_plan_form"):
        st.markdown("**Plan a session**")
        c1, c2, c3 = st.columns(3)
        day = c1.date_input("Day", value=None, key="pair_plan_day")
        at = c2.time_input(f"Time ({zone})", value=time(9, 0), key="pair_plan_time")
        length = c3.number_input(
            "Minutes", MIN_MINUTES, MAX_MINUTES, 45, step=5, key="pair_plan_minutes"
        )
        st.caption(
            f"{md(view.partner.name)} sees it in their own time zone "
            f"({md(view.partner.time_zone)})."
        )
        if st.form_submit_button("Add to plan", key=submit_key("pair_plan_add")):
            starts = datetime.combine(day, at, tzinfo=zone_info(zone)) if day else None
            planned = submit_once(
                "pair_plan_add", actor, plan_session, actor, pair_id, starts, int(length),
                time_zone=zone,
            )  # fmt: skip
            if planned is not None:
                send_now(pair_ids={pair_id})
                flash(f"Session planned: {view.partner.name} receives an invitation by email.")
                st.rerun()
    for p in view.planned:
        when, _ = when_text(p.starts_at, zone)
        partner_when, partner_zone = when_text(p.starts_at, view.partner.time_zone)
        cols = st.columns([5, 1, 1])
        cols[0].markdown(
            f"- {when} ({md(zone)}) · {p.minutes} min · {md(p.title)}  \n"
            f"  for {md(view.partner.name)}: {partner_when} ({md(partner_zone)})"
        )
        with cols[1].popover("Move", key=f"pair_plan_move_{p.id}"):
            new_day = st.date_input("New day", value=None, key=f"pair_move_day_{p.id}")
            new_at = st.time_input(
                f"New time ({zone})", value=time(9, 0), key=f"pair_move_time_{p.id}"
            )
            if st.button("Move the session", key=f"pair_move_submit_{p.id}"):
                starts = (
                    datetime.combine(new_day, new_at, tzinfo=zone_info(zone)) if new_day else None
                )
                if attempt(move_planned_session, actor, p.id, starts, time_zone=zone) is not None:
                    send_now(pair_ids={pair_id})
                    flash("Session moved: both of you receive the updated invitation.")
                    st.rerun()
        if cols[2].button("Cancel", key=f"pair_plan_cancel_{p.id}"):
            if attempt(cancel_planned_session, actor, p.id) is not None:
                send_now(pair_ids={pair_id})
                flash("Planned session cancelled: both calendars receive the cancellation.")
                st.rerun()
    st.download_button(
        "Download calendar (.ics)",
        data=load(pair_calendar_ics, actor, pair_id),
        file_name="reverse-mentoring.ics",
        mime="text/calendar",
        key="pair_ics",
    )
