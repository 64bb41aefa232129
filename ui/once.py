"""One-time tokens for forms that create something, and buttons that stay disabled while their
work runs.

A double click reaches the server as two submits of the same form. Each form therefore has a
token, kept in st.session_state under the form's key and renewed only after a successful submit;
the write records it (core.submissions.once), so a submit that repeats a token is answered with
the first result. The submit button's widget key carries the token too: a click made on a form
that has been submitted (and renewed) since names a button that no longer exists, and Streamlit
drops it instead of submitting the freshly cleared form a second time.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

import streamlit as st
from sqlmodel import Session

from core.auth import Actor
from core.errors import DomainError
from core.submissions import Reference, once
from ui.context import run, show_error


def _slot(form_key: str) -> str:
    return f"once_token_{form_key}"


def form_token(form_key: str) -> str:
    """The token of the form as it is on screen now: the same on every rerun until renew()."""
    slot = _slot(form_key)
    if slot not in st.session_state:
        st.session_state[slot] = secrets.token_urlsafe(12)
    return st.session_state[slot]


def renew(form_key: str) -> None:
    """A fresh token for the next use of the form, after its write succeeded."""
    st.session_state[_slot(form_key)] = secrets.token_urlsafe(12)


def submit_key(form_key: str) -> str:
    """The widget key of the form's submit button: the form key and its current token."""
    return f"{form_key}__{form_token(form_key)}"


def reference_of(result: object) -> Reference:
    """What a submission records when the caller needs nothing more: the id of the new row."""
    row_id = getattr(result, "id", None)
    return {"id": row_id} if isinstance(row_id, int) else {}


def submit_once(
    form_key: str,
    actor: Actor | None,
    service: Callable[..., Any],
    *args: Any,
    describe: Callable[[Any], Reference] = reference_of,
    long_work: bool = False,
    **kwargs: Any,
) -> Reference | None:
    """Call a core service under the form's token; None when it was refused (the refusal is
    shown and what was typed stays). A repeated token returns the first submit's reference,
    which is what the page then reports. With `long_work` (a `long_work_button`), a refusal
    is shown again on a fresh run, so that the button is not left drawn disabled."""
    token = form_token(form_key)

    def write(*, session: Session) -> Reference:
        return once(
            session, token, actor, lambda: describe(service(*args, session=session, **kwargs))
        )

    try:
        reference = run(write)
    except DomainError as exc:
        if long_work:
            st.session_state[_refusal_slot(form_key)] = exc
            st.rerun()
        show_error(exc)
        return None
    renew(form_key)
    return reference


def _refusal_slot(form_key: str) -> str:
    return f"once_refused_{form_key}"


def _busy_slot(form_key: str) -> str:
    return f"once_busy_{form_key}"


def _clicked(form_key: str, token: str) -> None:
    # A click on a button drawn with an older token (its work was done since) starts nothing.
    if st.session_state.get(_slot(form_key)) == token:
        st.session_state[_busy_slot(form_key)] = True


def long_work_button(label: str, form_key: str, *, disabled: bool = False, **kwargs: Any) -> bool:
    """A button that starts long work (matching, an import, publishing) and is drawn disabled
    for the whole run that does it, so a second click cannot start it again. Its click is
    noted by a callback before the script runs: Streamlit reports no click on a disabled
    button, so the note, not the button's value, says whether to start. The note lasts one run
    only; nothing stays disabled if the run is cut short."""
    if refusal := st.session_state.pop(_refusal_slot(form_key), None):
        show_error(refusal)
    token = form_token(form_key)
    start = bool(st.session_state.pop(_busy_slot(form_key), False))
    st.button(
        label, key=submit_key(form_key), disabled=disabled or start, on_click=_clicked,
        args=(form_key, token), **kwargs,
    )  # fmt: skip
    return start
