"""The session log: log a meeting, read the shared log, edit or delete one's own entries."""

from __future__ import annotations

from datetime import date

import streamlit as st

from core.auth import Actor
from core.tracking.my_pair import MyPairView
from core.tracking.session_log import (
    MAX_MINUTES,
    MIN_MINUTES,
    SessionInput,
    SessionView,
    annotate_session,
    delete_session,
    record_session,
    update_session,
)
from ui.context import attempt, flash
from ui.once import submit_key, submit_once
from ui.plain import md, paragraph


def session_log_tab(actor: Actor, view: MyPairView) -> None:
    topic_names = {g.topic_id: g.topic for g in view.goals}
    _log_form(actor, view.pair.id, topic_names)
    for entry in view.sessions:
        with st.container(border=True):
            st.markdown(
                f"**{entry.held_on:%d %b %Y}** · {entry.minutes} min · "
                f"{md(', '.join(entry.topics) or '—')} · logged by {md(entry.author_name)}"
            )
            if entry.takeaways:
                paragraph(entry.takeaways)
            if entry.my_note:
                st.caption(f":material/lock: Your private note: {md(entry.my_note)}")
            if entry.mine:
                _edit_form(actor, entry, topic_names)
            else:
                _note_form(actor, entry)


def _log_form(actor: Actor, pair_id: int, topic_names: dict[int, str]) -> None:
    # A successful save bumps the version, so the form comes back empty; an error keeps it.
    v = st.session_state.pair_form_version
    with st.form("pair_session_form"):
        st.markdown("**Log a meeting**")
        c1, c2 = st.columns(2)
        held_on = c1.date_input("Held on", value=date.today(), key=f"pair_session_date_{v}")
        minutes = c2.number_input(
            "Minutes",
            min_value=MIN_MINUTES,
            max_value=MAX_MINUTES,
            value=45,
            step=5,
            key=f"pair_session_minutes_{v}",
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
        if st.form_submit_button(
            "Save session", type="primary", key=submit_key("pair_session_save")
        ):
            data = SessionInput(
                held_on=held_on, minutes=int(minutes), topic_ids=topics, takeaways=takeaways,
                private_note=note, candour=candour,
            )  # fmt: skip
            if (
                submit_once("pair_session_save", actor, record_session, actor, pair_id, data)
                is not None
            ):
                st.session_state.pair_form_version += 1
                flash("Session saved.")
                st.rerun()


def _edit_form(actor: Actor, entry: SessionView, topic_names: dict[int, str]) -> None:
    sid = entry.id
    with st.expander("Edit or delete"), st.form(f"pair_session_edit_{sid}"):
        c1, c2 = st.columns(2)
        held = c1.date_input("Held on", value=entry.held_on, key=f"pair_edit_date_{sid}")
        mins = c2.number_input(
            "Minutes",
            MIN_MINUTES,
            MAX_MINUTES,
            value=entry.minutes,
            step=5,
            key=f"pair_edit_minutes_{sid}",
        )
        tops = st.multiselect(
            "Topics covered", list(topic_names), default=list(entry.topic_ids),
            format_func=topic_names.get, key=f"pair_edit_topics_{sid}",
        )  # fmt: skip
        text = st.text_area(
            "Shared takeaways", value=entry.takeaways, max_chars=5000,
            key=f"pair_edit_takeaways_{sid}",
        )  # fmt: skip
        mine = st.text_area(
            "Private note", value=entry.my_note, max_chars=5000, key=f"pair_edit_note_{sid}"
        )
        c1, c2 = st.columns(2)
        if c1.form_submit_button("Save changes", key=f"pair_edit_save_{sid}"):
            data = SessionInput(
                held_on=held, minutes=int(mins), topic_ids=tops, takeaways=text,
                private_note=mine, candour=entry.my_candour,
            )  # fmt: skip
            if attempt(update_session, actor, sid, data) is not None:
                flash("Session updated.")
                st.rerun()
        if c2.form_submit_button("Delete session", key=f"pair_edit_delete_{sid}"):
            if attempt(delete_session, actor, sid) is not None:
                flash("Session deleted.")
                st.rerun()


def _note_form(actor: Actor, entry: SessionView) -> None:
    """The partner's own private note and pulse on an entry the other member logged."""
    sid = entry.id
    with st.expander("Your private note and pulse"), st.form(f"pair_note_form_{sid}"):
        note = st.text_area(
            "Private note (only you will ever see this)", value=entry.my_note, max_chars=5000,
            key=f"pair_note_text_{sid}",
        )  # fmt: skip
        candour = st.radio(
            "Could you speak candidly? (private; only anonymous totals reach the programme team)",
            [1, 2, 3, 4, 5], index=None if entry.my_candour is None else entry.my_candour - 1,
            horizontal=True, key=f"pair_note_candour_{sid}",
        )  # fmt: skip
        if st.form_submit_button("Save my note", key=f"pair_note_save_{sid}"):
            if (
                attempt(annotate_session, actor, sid, private_note=note, candour=candour)
                is not None
            ):
                flash("Your note was saved.")
                st.rerun()
