"""What every page needs from the app frame: the engine, who is signed in, the current pilot,
and one way to call a core service inside a transaction and show its refusal.

A service runs through `core.db.transaction`, which runs it again when other writers hold the
database; if the database stays busy the page shows one sentence instead of a traceback, and the
form keeps what the person typed (widgets keep their state across reruns)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st
from sqlalchemy.engine import Engine

from core.auth import Actor
from core.db import make_engine, migrate, transaction
from core.errors import DomainError, PortalBusy, ValidationFailed
from core.settings import database_url
from ui.plain import md
from ui.status_marks import MET_ICON

T = TypeVar("T")


@st.cache_resource(show_spinner=False)
def _engine_for(url: str) -> Engine:
    """One engine per database URL for the whole server; migrated once on first use."""
    engine = make_engine(url)
    migrate(engine)
    return engine


def engine() -> Engine:
    return _engine_for(database_url())


def current_actor() -> Actor | None:
    return st.session_state.get("actor")


def require_actor() -> Actor:
    actor = current_actor()
    if actor is None:
        st.warning("Please sign in first.")
        st.stop()
    return actor


def current_pilot_id() -> int | None:
    return st.session_state.get("pilot_id")


def require_pilot_id() -> int:
    pilot_id = current_pilot_id()
    if pilot_id is None:
        st.info("Choose a pilot in the sidebar first.")
        st.stop()
    return pilot_id


def _transact(service: Callable[..., T], *args: Any, read_only: bool = False, **kwargs: Any) -> T:
    return transaction(
        engine(), lambda session: service(*args, session=session, **kwargs), read_only=read_only
    )


def run(service: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call a core service in its own unit of work (all-or-nothing). A database that stays busy
    stops the page with one sentence; the service's own refusals are the caller's to show."""
    try:
        return _transact(service, *args, **kwargs)
    except PortalBusy as exc:
        show_error(exc)
        st.stop()
        raise  # unreachable: st.stop() raises


def label_of(field: str) -> str:
    return field.replace("_", " ").capitalize()


def show_error(exc: DomainError) -> None:
    if isinstance(exc, ValidationFailed):
        lines = "\n".join(f"- **{md(label_of(k))}**: {md(v)}" for k, v in exc.errors.items())
        st.error(f"Please fix the following and submit again:\n\n{lines}", icon=":material/error:")
    elif isinstance(exc, PortalBusy):
        st.error(str(exc), icon=":material/hourglass_top:")
    else:
        # A refusal may quote what was typed (an email, a pilot's name): shown as text.
        st.error(md(exc), icon=":material/block:")


def attempt(service: Callable[..., T], *args: Any, **kwargs: Any) -> T | bool | None:
    """Like `run`, but a refusal is shown on the page and None is returned, so that
    `attempt(...) is not None` means "it worked" (a service that returns nothing gives True).
    The form keeps whatever the user typed because widgets keep their state across reruns."""
    try:
        result = _transact(service, *args, **kwargs)
    except DomainError as exc:
        show_error(exc)
        return None
    return True if result is None else result


def load(service: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Read through a service; a refusal stops the page with the message. Reads start a deferred
    transaction, so they never queue behind a writer."""
    try:
        return _transact(service, *args, read_only=True, **kwargs)
    except DomainError as exc:
        show_error(exc)
        st.stop()
        raise  # unreachable: st.stop() raises


def deferred(service: Callable[..., T], *args: Any, **kwargs: Any) -> Callable[[], T]:
    """A zero-argument callable for st.download_button: the file is built only on click, in
    its own unit of work (Streamlit runs it on another thread, so the engine is taken now)."""
    bound = engine()

    def build() -> T:
        return transaction(
            bound, lambda session: service(*args, session=session, **kwargs), read_only=True
        )

    return build


def flash(message: str) -> None:
    """A success message that survives the st.rerun() that follows a write. It is shown as
    text: messages name people, pilots and milestones as they were typed."""
    st.session_state["flash"] = message


def show_flash() -> None:
    # One element here whether or not there is a message: the page below keeps its place, so
    # the rerun that brings "saved" does not move the page's tabs and reset them to the first.
    slot = st.empty()
    if message := st.session_state.pop("flash", None):
        slot.success(md(message), icon=MET_ICON)
