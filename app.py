"""The app frame: page config, sign-in gate, role-based navigation, and the last line of defence
that turns an unexpected error into a reference instead of a traceback."""

from __future__ import annotations

import logging
import secrets
from pathlib import Path

import streamlit as st

from core.auth import needs_first_admin
from core.pilots.settings import my_pilots
from ui.context import load, show_flash
from ui.navigation import HOME, ROLE_LABELS, first_page, signed_in_pages, signed_out_pages
from ui.sign_in_form import render_sign_in
from ui.sign_in_gate import cookie_pixel, resolve_actor

st.set_page_config(
    page_title="Reverse mentoring portal", page_icon=":material/sync_alt:", layout="wide"
)
st.html(Path(__file__).parent / "ui" / "static" / "portal.css")
st.session_state.setdefault("actor", None)
st.session_state.setdefault("pilot_id", None)
log = logging.getLogger("portal")


def sign_in_then_continue() -> None:
    """A bookmarked page opened while signed out: sign in, then land on that page."""
    render_sign_in()


def _follow_sidebar_pilot() -> None:
    # After sign-out cleared the state, a late change event may still arrive: ignore it.
    if "sidebar_pilot" in st.session_state:
        st.session_state.pilot_id = st.session_state.sidebar_pilot


def choose_pilot(actor) -> str | None:  # noqa: ANN001
    """The sidebar's pilot picker; returns the actor's role in the chosen pilot."""
    pilots = load(my_pilots, actor)
    if not pilots:
        st.session_state.pilot_id = None
        return None
    ids = [p.id for p in pilots]
    if st.session_state.pilot_id not in ids:
        st.session_state.pilot_id = ids[0]
    # The widget has its own key: "pilot_id" is app state that pages may also set.
    if st.session_state.get("sidebar_pilot") != st.session_state.pilot_id:
        st.session_state.sidebar_pilot = st.session_state.pilot_id
    labels = {p.id: f"{p.name} · {ROLE_LABELS[p.role]}" for p in pilots}
    st.sidebar.selectbox(
        "Pilot", ids, format_func=labels.get, key="sidebar_pilot", on_change=_follow_sidebar_pilot
    )
    return next(p.role for p in pilots if p.id == st.session_state.pilot_id)


actor = resolve_actor()
if actor is None:
    pages = signed_out_pages(load(needs_first_admin), sign_in_then_continue)
else:
    pages = signed_in_pages(choose_pilot(actor), actor.is_staff)
    st.sidebar.caption("Signed in as")
    st.sidebar.text(f"{actor.name}\n{actor.email}")
# A page switch pending (see below) shows the flash on the page it lands on, not here.
target = st.session_state.pop("goto", None)
if target is None:
    show_flash()
# One flat list, sections in order: Streamlit draws a section as a <div> inside its <ul>, which
# assistive technology cannot read as a list (WCAG 1.3.1). Expanded: no "View more" to find.
flat = [p for section in pages.values() for p in section] if isinstance(pages, dict) else pages
navigation = st.navigation(flat, expanded=True)
cookie_pixel()
# A page that changed what the navigation offers (e.g. created a pilot) asks for its next page
# here, once the new navigation is registered.
if target:
    # "home": the first page the person's navigation offers (after joining or a reset).
    st.switch_page(first_page(pages) if target == HOME else target)
try:
    navigation.run()
except Exception:  # noqa: BLE001  (st.stop and st.rerun are not Exceptions: they pass through)
    reference = secrets.token_hex(3)
    log.exception("unexpected error, reference %s", reference)
    st.error(
        f"Something went wrong (reference {reference}). Your last entry may not have been "
        "saved: check it and try again. If it keeps happening, tell the programme team this "
        "reference.",
        icon=":material/error:",
    )
