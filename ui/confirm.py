"""Actions that cannot simply be taken back ask first, in a dialog that says what will happen.

The button that starts such an action only notes what it is about (`ask`); the dialog is drawn
from that note on every run until the person confirms, cancels or closes it, so it survives the
reruns that its own widgets cause.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import streamlit as st

from ui.context import flash


def _slot(key: str) -> str:
    return f"confirm_{key}"


def ask(key: str, subject: Any) -> None:
    """Open the confirmation `key` about `subject` (an id, or a small tuple of them)."""
    st.session_state[_slot(key)] = subject


def _close(key: str) -> None:
    st.session_state.pop(_slot(key), None)


def confirm(
    key: str,
    title: str,
    explain: Callable[[Any], list[str]],
    action: str,
    act: Callable[[Any], str | None],
) -> None:
    """Draw the open confirmation `key`, if any. `explain(subject)` gives the lines that say
    what will happen; `act(subject)` does it and returns the message to show afterwards, or
    None when it was refused (its refusal is shown in the dialog, which stays open)."""
    if _slot(key) not in st.session_state:
        return
    subject = st.session_state[_slot(key)]

    @st.dialog(title, on_dismiss=partial(_close, key))
    def dialog() -> None:
        for line in explain(subject):
            st.markdown(line)
        cancel, go = st.columns(2)
        if cancel.button("Cancel", key=f"{key}_cancel", width="stretch"):
            _close(key)
            st.rerun()
        if go.button(action, type="primary", key=f"{key}_confirm", width="stretch"):
            done = act(subject)
            if done is not None:
                _close(key)
                flash(done)
                st.rerun()

    dialog()
