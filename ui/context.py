"""What every page needs from the app frame: the engine, who is signed in, the current pilot,
and one way to call a core service inside a transaction and show its refusal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st
from sqlalchemy.engine import Engine

from core.auth import Actor
from core.db import make_engine, migrate, unit_of_work
from core.errors import DomainError, ValidationFailed
from core.settings import database_url

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


def run(service: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call a core service in its own unit of work (all-or-nothing)."""
    with unit_of_work(engine()) as session:
        return service(*args, session=session, **kwargs)


def label_of(field: str) -> str:
    return field.replace("_", " ").capitalize()


def show_error(exc: DomainError) -> None:
    if isinstance(exc, ValidationFailed):
        lines = "\n".join(f"- **{label_of(k)}**: {v}" for k, v in exc.errors.items())
        st.error(f"Please fix the following and submit again:\n\n{lines}", icon="⚠️")
    else:
        st.error(str(exc), icon="⛔")


def attempt(service: Callable[..., T], *args: Any, **kwargs: Any) -> T | bool | None:
    """Like `run`, but a refusal is shown on the page and None is returned, so that
    `attempt(...) is not None` means "it worked" (a service that returns nothing gives True).
    The form keeps whatever the user typed because widgets keep their state across reruns."""
    try:
        result = run(service, *args, **kwargs)
    except DomainError as exc:
        show_error(exc)
        return None
    return True if result is None else result


def load(service: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Read through a service; a refusal stops the page with the message."""
    try:
        return run(service, *args, **kwargs)
    except DomainError as exc:
        show_error(exc)
        st.stop()
        raise  # unreachable: st.stop() raises


def deferred(service: Callable[..., T], *args: Any, **kwargs: Any) -> Callable[[], T]:
    """A zero-argument callable for st.download_button: the file is built only on click, in
    its own unit of work (Streamlit runs it on another thread, so the engine is taken now)."""
    bound = engine()

    def build() -> T:
        with unit_of_work(bound) as session:
            return service(*args, session=session, **kwargs)

    return build


def flash(message: str) -> None:
    """A success message that survives the st.rerun() that follows a write."""
    st.session_state["flash"] = message


def show_flash() -> None:
    if message := st.session_state.pop("flash", None):
        st.success(message, icon="✅")
