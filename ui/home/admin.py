"""The pilot's checklist from set-up to closing, and what needs attention today."""

from __future__ import annotations

import streamlit as st

from core.tracking.pilot_checklist import AdminHome


def _go(label: str, page: str, key: str, primary: bool = False) -> None:
    if st.button(label, key=key, type="primary" if primary else "secondary",
                 icon=":material/arrow_forward:" if primary else None):  # fmt: skip
        st.switch_page(f"pages/{page}.py")


def admin_home_view(home: AdminHome) -> None:
    with st.container(border=True, key="home_now"):
        if home.next_item is None:
            st.text("Every step is done: the pilot is closed.")
        else:
            item = home.next_item
            st.text(f"Next step: {item.title} ({item.counts}).")
            _go(item.action, item.page, "home_action", primary=True)
    st.subheader("Needs attention today")
    if not home.attention:
        st.text("Nothing needs you today.")
    for a in home.attention:
        cols = st.columns([5, 2])
        cols[0].markdown(f":material/priority_high: {a.text}")
        with cols[1]:
            _go("Open", a.page, f"home_attention_{a.key}")
    st.subheader("The pilot, from set-up to closing")
    done = sum(1 for i in home.checklist if i.done)
    st.caption(f"{done} of {len(home.checklist)} steps done")
    for item in home.checklist:
        icon = ":material/check_circle:" if item.done else ":material/radio_button_unchecked:"
        state = "done" if item.done else "to do"
        st.markdown(f"{icon} **{item.title}** · {state}")
        st.text(item.counts[:1].upper() + item.counts[1:] + ".")
