"""Who is signed in, decided once per script run: the session in st.session_state, else the
browser's session cookie, else a single sign-on identity; and how a sign-in or sign-out reaches
the browser's cookie."""

from __future__ import annotations

import time
from collections.abc import Callable

import streamlit as st

from core.accounts.sessions import COOKIE_NAME, end_session, resume_session, start_session
from core.accounts.sso import sign_in_with_sso
from core.auth import Actor
from core.errors import DomainError
from core.settings import sso_configured
from ui.context import run
from ui.cookie_routes import cookie_routes_available

SESSION_ENDED = "Your session has ended. Please sign in again."


def browser_text(read: Callable[[], object]) -> str | None:
    """A value the browser sent (a cookie, the client address), or None where there is no
    browser: AppTest's context raises or hands back placeholders instead of text."""
    try:
        value = read()
    except Exception:  # noqa: BLE001  (no browser context, e.g. in AppTest)
        return None
    return value if isinstance(value, str) and value else None


def _cookie() -> str | None:
    return browser_text(lambda: st.context.cookies.get(COOKIE_NAME))


def _sso_user() -> dict | None:
    if not sso_configured():
        return None
    try:
        user = st.user
        return dict(user.to_dict()) if user.is_logged_in else None
    except Exception:  # noqa: BLE001  (auth not configured for this run)
        return None


def forget_everything() -> None:
    for key in list(st.session_state.keys()):
        del st.session_state[key]


# The handoff code is shown to the browser for this long (it expires after 60 s anyway).
HANDOFF_SHOWN = 45


def complete_sign_in(actor: Actor, *, via: str) -> None:
    """The person proved who they are: sign this tab in and, when served with the cookie
    routes, let the browser collect its session cookie (see `cookie_pixel`)."""
    st.session_state.actor = actor
    st.session_state.pilot_id = None
    st.session_state.signed_in_via = via
    if cookie_routes_available():
        code = run(start_session, actor, via=via)
        st.session_state.cookie_pixel = (f"/auth/session?code={code}", time.monotonic())


def cookie_pixel() -> None:
    """A 1×1 image whose request sets (or clears) the HttpOnly cookie, drawn on every run for a
    few seconds so that a quick rerun cannot swallow it. No reload: the tab keeps its state."""
    pending = st.session_state.get("cookie_pixel")
    if not pending:
        return
    url, since = pending
    if time.monotonic() - since > HANDOFF_SHOWN:
        del st.session_state["cookie_pixel"]
        return
    st.sidebar.markdown(f"![]({url})")


def sign_out(notice: str | None = None) -> None:
    """`notice`: a sentence for the sign-in page that follows (e.g. after an erasure)."""
    token = st.session_state.get("session_token") or _cookie()
    via_sso = st.session_state.get("signed_in_via") == "sso"
    run(end_session, token)
    forget_everything()
    if notice:
        st.session_state.sign_in_notice = notice
    if via_sso:
        st.logout()  # also ends Streamlit's identity cookie, else SSO would sign in again
    elif cookie_routes_available():
        st.session_state.cookie_pixel = (f"/auth/signout?t={time.monotonic_ns()}", time.monotonic())
    st.rerun()


def resolve_actor() -> Actor | None:
    """Run by app.py before navigation on every rerun."""
    token = _cookie()
    if st.session_state.get("actor") is not None:
        held = st.session_state.get("session_token")
        if held and run(resume_session, held) is None:  # revoked elsewhere, or idle too long
            forget_everything()
            st.session_state.sign_in_notice = SESSION_ENDED
            return None
        return st.session_state.actor
    if token:
        actor = run(resume_session, token)
        if actor is not None:
            st.session_state.actor = actor
            st.session_state.session_token = token
            return actor
    sso = _sso_user()
    if sso and not st.session_state.get("sso_refusal"):
        if token:  # our session ended while the identity provider's cookie lives on
            st.session_state.sign_in_notice = SESSION_ENDED
            st.logout()
            return None
        try:
            actor = run(
                sign_in_with_sso, sso.get("email", ""), email_verified=sso.get("email_verified")
            )
        except DomainError as exc:
            st.session_state.sso_refusal = str(exc)
            return None
        complete_sign_in(actor, via="sso")
        return actor
    return None
