"""A participant's path through the pilot, and the one button for what to do next."""

from __future__ import annotations

import streamlit as st

from core.tracking.next_step import CURRENT, DONE, ParticipantHome

STATE_ICONS = {
    DONE: ":material/check_circle:",
    CURRENT: ":material/arrow_circle_right:",
}
LATER_ICON = ":material/radio_button_unchecked:"
STATE_WORDS = {DONE: "done", CURRENT: "now"}


def participant_home_view(home: ParticipantHome) -> None:
    # Names and titles are typed by people: plain text only (st.text), never Markdown.
    with st.container(border=True, key="home_now"):
        st.text(home.headline)
        if home.action is not None:
            if st.button(home.action.label, type="primary", key="home_action",
                         icon=":material/arrow_forward:"):  # fmt: skip
                st.switch_page(f"pages/{home.action.page}.py")
        for note in home.notes:
            st.text(note)
    if home.next_session is not None or home.next_milestone is not None:
        c1, c2 = st.columns(2)
        if home.next_session is not None:
            c1.metric("Next session", f"{home.next_session:%a %d %b, %H:%M}")
        if home.next_milestone is not None:
            name, due = home.next_milestone
            c2.metric("Next milestone", f"{due:%d %b}")
            c2.text(name)
    st.subheader("Your pilot, step by step")
    for step in home.steps:
        icon = STATE_ICONS.get(step.state, LATER_ICON)
        word = STATE_WORDS.get(step.state, "later")
        st.markdown(f"{icon} **{step.title}** · {word}")
        st.text(step.detail)
