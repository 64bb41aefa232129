"""My pair: answer a suggested partner; then meet, log sessions, check in, and see progress."""

from datetime import UTC, date, datetime, time

import streamlit as st

from core.models import PairStatus, Response, Role, TopicKind
from core.pairs.access import my_pairs
from core.pairs.exit import end_pair, pause_pair, raise_concern, resume_pair
from core.pairs.offers import my_offers, respond_to_pair
from core.people.availability import SLOT_LABELS
from core.people.profiles import PRIORITY_LABELS, my_profile
from core.pilots.settings import list_topics
from core.tracking.calendar_export import pair_calendar_ics, plan_session
from core.tracking.checkins import submit_checkin
from core.tracking.milestone_progress import tick_pair_milestone, untick_pair_milestone
from core.tracking.my_pair import my_pair
from core.tracking.session_log import (
    SessionInput,
    delete_session,
    record_session,
    update_session,
)
from ui.context import attempt, flash, load, require_actor, require_pilot_id

actor = require_actor()
pilot_id = require_pilot_id()
st.title("My pair")

# --- pairs waiting for an answer ---------------------------------------------------------------
offers = [o for o in load(my_offers, actor, pilot_id) if o.status == PairStatus.PUBLISHED]
for offer in offers:
    partner_role = "mentor" if offer.my_role == Role.MENTEE else "mentee"
    st.subheader(f"Your suggested {partner_role}: {offer.partner_name}")
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
    if offer.my_response == Response.ACCEPTED:
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
        flash("Accepted. Your pair starts as soon as both of you have accepted.")
        st.rerun()
    if decline and attempt(respond_to_pair, actor, offer.pair_id, False, reason) is not None:
        flash("Declined. The programme team will look for another partner.")
        st.rerun()

# --- running pairs -------------------------------------------------------------------------------
running = [p for p in load(my_pairs, actor, pilot_id) if p.status != PairStatus.PUBLISHED]
if not running:
    if not offers:
        st.info(
            "No partner yet. The programme team publishes pairs after matching; you will see "
            "your partner here, with the reasons you were paired."
        )
    st.stop()
if len(running) > 1:
    pair_id = st.radio(
        "Pair", [p.id for p in running], key="pair_choice", horizontal=True,
        format_func=lambda i: next(p.partner_name for p in running if p.id == i),
    )  # fmt: skip
else:
    pair_id = running[0].id
view = load(my_pair, actor, pilot_id, pair_id=pair_id)
assert view is not None
is_mentee = view.pair.my_role == Role.MENTEE
partner = view.partner

st.subheader(f"{'Your mentor' if is_mentee else 'Your mentee'}: {partner.name}")
st.caption(
    f"{partner.job_title or '—'} · {partner.department or '—'} · {partner.time_zone}"
    + (f" · {partner.email}" if partner.email else "")
)
if view.pair.status == PairStatus.PAUSED:
    st.warning("This pair is paused. Resume it when you are ready to meet again.")
c1, c2, c3 = st.columns(3)
c1.metric("Sessions", len(view.sessions))
c2.metric("Minutes together", view.total_minutes)
if view.next_milestone:
    nm = view.next_milestone
    c3.metric("Next milestone", nm.name, f"due {nm.due_date:%d %b}", delta_color="off")

overview, log_tab, checkin_tab, calendar_tab, settings_tab = st.tabs(
    ["Overview", "Session log", "Check-ins", "Calendar", "Pause or end"]
)

with overview:
    st.markdown("**The mentee's goals** (confidence before → after)")
    progress = {g.topic_id: g for g in view.goal_progress}
    for goal in view.goals:
        g = progress.get(goal.topic_id)
        change = ""
        if g is not None and g.before is not None:
            after = "…" if g.after is None else str(g.after)
            change = f" — confidence {g.before} → {after}"
        st.markdown(
            f"- **{goal.topic}** ({PRIORITY_LABELS[goal.priority]}): {goal.objective}{change}"
        )
    if partner.availability:
        st.caption(
            f"{partner.name} is usually free: "
            + ", ".join(SLOT_LABELS.get(s, s) for s in partner.availability)
        )
    st.markdown("**Milestones**")
    for m in view.milestones:
        icon = {"done": "✅", "overdue": "⚠️", "upcoming": "⏳"}[m.status]
        cols = st.columns([6, 2])
        when = f"done {m.done_on:%d %b}" if m.done_on else f"due {m.due_date:%d %b %Y}"
        cols[0].markdown(f"{icon} **{m.name}** · {when}" + ("" if m.can_tick else " · pilot-wide"))
        if m.can_tick and m.status != "done":
            if cols[1].button("Mark done", key=f"pair_tick_{m.milestone_id}"):
                if (
                    attempt(tick_pair_milestone, actor, pair_id, m.milestone_id, date.today())
                    is not None
                ):
                    flash(f"'{m.name}' marked done.")
                    st.rerun()
        elif m.can_tick and cols[1].button("Undo", key=f"pair_untick_{m.milestone_id}"):
            if attempt(untick_pair_milestone, actor, pair_id, m.milestone_id) is not None:
                st.rerun()

# A successful save bumps the version, so the form comes back empty; an error keeps it as typed.
st.session_state.setdefault("pair_form_version", 0)
v = st.session_state.pair_form_version

with log_tab:
    topic_names = {g.topic_id: g.topic for g in view.goals}
    with st.form("pair_session_form"):
        st.markdown("**Log a meeting**")
        c1, c2 = st.columns(2)
        held_on = c1.date_input("Held on", value=date.today(), key=f"pair_session_date_{v}")
        minutes = c2.number_input(
            "Minutes", min_value=0, max_value=600, value=45, step=5, key=f"pair_session_minutes_{v}"
        )
        topics = st.multiselect(
            "Topics covered", list(topic_names), format_func=topic_names.get,
            key=f"pair_session_topics_{v}",
        )  # fmt: skip
        takeaways = st.text_area(
            "Shared takeaways (your partner sees these)",
            max_chars=5000,
            key=f"pair_session_takeaways_{v}",
        )
        note = st.text_area(
            "Private note (only you will ever see this)",
            max_chars=5000,
            key=f"pair_session_note_{v}",
        )
        candour = st.radio(
            "Could you speak candidly? (private; only anonymous totals reach the programme team)",
            [1, 2, 3, 4, 5], index=None, horizontal=True, key=f"pair_session_candour_{v}",
        )  # fmt: skip
        if st.form_submit_button("Save session", type="primary"):
            data = SessionInput(
                held_on=held_on, minutes=int(minutes), topic_ids=topics, takeaways=takeaways,
                private_note=note, candour=candour,
            )  # fmt: skip
            if attempt(record_session, actor, pair_id, data) is not None:
                st.session_state.pair_form_version += 1
                flash("Session saved.")
                st.rerun()
    for s in view.sessions:
        with st.container(border=True):
            st.markdown(
                f"**{s.held_on:%d %b %Y}** · {s.minutes} min · {', '.join(s.topics) or '—'}"
                f" · logged by {s.author_name}"
            )
            if s.takeaways:
                st.write(s.takeaways)
            if s.my_note:
                st.caption(f"🔒 Your private note: {s.my_note}")
            if not s.mine:
                continue
            with st.expander("Edit or delete"), st.form(f"pair_session_edit_{s.id}"):
                c1, c2 = st.columns(2)
                held = c1.date_input("Held on", value=s.held_on, key=f"pair_edit_date_{s.id}")
                mins = c2.number_input(
                    "Minutes", 0, 600, value=s.minutes, step=5, key=f"pair_edit_minutes_{s.id}"
                )
                tops = st.multiselect(
                    "Topics covered", list(topic_names), default=list(s.topic_ids),
                    format_func=topic_names.get, key=f"pair_edit_topics_{s.id}",
                )  # fmt: skip
                text = st.text_area(
                    "Shared takeaways", value=s.takeaways, max_chars=5000,
                    key=f"pair_edit_takeaways_{s.id}",
                )  # fmt: skip
                mine = st.text_area(
                    "Private note", value=s.my_note, max_chars=5000, key=f"pair_edit_note_{s.id}"
                )
                c1, c2 = st.columns(2)
                if c1.form_submit_button("Save changes"):
                    data = SessionInput(
                        held_on=held, minutes=int(mins), topic_ids=tops, takeaways=text,
                        private_note=mine, candour=s.my_candour,
                    )  # fmt: skip
                    if attempt(update_session, actor, s.id, data) is not None:
                        flash("Session updated.")
                        st.rerun()
                if c2.form_submit_button("Delete session"):
                    if attempt(delete_session, actor, s.id) is not None:
                        flash("Session deleted.")
                        st.rerun()

with checkin_tab:
    st.caption(
        "At the start and at the end of the pilot. The programme team sees only whether you "
        "completed it, never your answers' text."
    )
    status = {c.phase: c for c in view.checkins}
    if is_mentee:
        rate = {g.topic_id: g.topic for g in view.goals}
        question = "How confident are you today with…"
    else:
        wants = set(load(my_profile, actor, pilot_id).data.wants)
        rate = {
            t.id: t.name
            for t in load(list_topics, actor, pilot_id, TopicKind.OFFER)
            if t.id in wants
        }
        question = "How much have you learned so far about…"
    phase = st.radio(
        "Check-in", ["start", "end"], horizontal=True, key="pair_checkin_phase",
        format_func=lambda p: f"{p.capitalize()}" + (" ✅" if p in status and status[p].mine_done else ""),
    )  # fmt: skip
    with st.form("pair_checkin_form"):
        st.markdown(f"**{question}** (1 = not at all, 5 = very)")
        ratings = {
            tid: st.slider(name, 1, 5, 3, key=f"pair_checkin_{phase}_{tid}")
            for tid, name in rate.items()
        }
        satisfaction = st.radio(
            "How satisfied are you with the pair so far?", [1, 2, 3, 4, 5], index=None,
            horizontal=True, key=f"pair_checkin_{phase}_satisfaction",
        )  # fmt: skip
        recommend = st.radio(
            "Would you recommend reverse mentoring to a colleague?", ["yes", "no"], index=None,
            horizontal=True, key=f"pair_checkin_{phase}_recommend",
        )  # fmt: skip
        again = st.radio(
            "Would you take part again?", ["yes", "no"], index=None, horizontal=True,
            key=f"pair_checkin_{phase}_again",
        )  # fmt: skip
        feedback = st.text_area("Anything else?", max_chars=5000, key=f"pair_checkin_{phase}_text")
        share = (
            st.checkbox(
                "My mentor may quote this feedback in their recognition letter",
                key=f"pair_checkin_{phase}_share",
            )
            if is_mentee
            else False
        )
        if st.form_submit_button("Submit check-in", type="primary"):
            if attempt(
                submit_checkin, actor, pair_id, phase, ratings, satisfaction=satisfaction,
                would_recommend=None if recommend is None else recommend == "yes",
                take_part_again=None if again is None else again == "yes",
                feedback=feedback, share_feedback=share,
            ) is not None:  # fmt: skip
                flash(f"{phase.capitalize()} check-in saved. Thank you!")
                st.rerun()

with calendar_tab:
    with st.form("pair_plan_form"):
        st.markdown("**Plan a session**")
        c1, c2, c3 = st.columns(3)
        day = c1.date_input("Day", value=None, key="pair_plan_day")
        at = c2.time_input("Time (UTC)", value=time(9, 0), key="pair_plan_time")
        length = c3.number_input("Minutes", 15, 240, 45, step=15, key="pair_plan_minutes")
        if st.form_submit_button("Add to plan"):
            starts = datetime.combine(day, at, tzinfo=UTC) if day else None
            if attempt(plan_session, actor, pair_id, starts, int(length)) is not None:
                flash("Session planned.")
                st.rerun()
    for p in view.planned:
        st.markdown(f"- {p.starts_at:%a %d %b %Y, %H:%M} UTC · {p.minutes} min · {p.title}")
    st.download_button(
        "Download calendar (.ics)",
        data=load(pair_calendar_ics, actor, pair_id),
        file_name="reverse-mentoring.ics",
        mime="text/calendar",
        key="pair_ics",
    )

with settings_tab:
    st.write(
        "You can pause or end the pair at any time without giving a reason to your partner. "
        "A reason you add here is seen by the programme team only."
    )
    private_reason = st.text_input(
        "Reason (optional, private)", max_chars=500, key="pair_exit_reason"
    )
    c1, c2 = st.columns(2)
    if view.pair.status == PairStatus.ACTIVE and c1.button("Pause the pair", key="pair_pause"):
        if attempt(pause_pair, actor, pair_id, reason=private_reason) is not None:
            flash("Paused.")
            st.rerun()
    if view.pair.status == PairStatus.PAUSED and c1.button("Resume the pair", key="pair_resume"):
        if attempt(resume_pair, actor, pair_id, reason=private_reason) is not None:
            flash("Resumed.")
            st.rerun()
    if c2.button("End the pair", key="pair_end"):
        if attempt(end_pair, actor, pair_id, reason=private_reason) is not None:
            flash("The pair has ended. The programme team can match you again.")
            st.rerun()
    if not is_mentee:
        with st.form("pair_concern_form"):
            st.markdown("**Raise a confidential concern** (seen by the programme team only)")
            concern = st.text_area(
                "What is happening?", max_chars=5000, key=f"pair_concern_text_{v}"
            )
            if st.form_submit_button("Send to the programme team"):
                if attempt(raise_concern, actor, pair_id, concern) is not None:
                    st.session_state.pair_form_version += 1
                    flash("Your concern was sent. The programme team will contact you.")
                    st.rerun()
