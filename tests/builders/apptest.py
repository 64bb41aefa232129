"""Running the real app.py under AppTest against a test's own database."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from core.auth import Actor

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def app(actor: Actor | None = None, pilot_id: int | None = None) -> AppTest:
    """DATABASE_URL must already point at the test database (monkeypatch.setenv)."""
    at = AppTest.from_file(APP, default_timeout=30)
    if actor is not None:
        at.session_state["actor"] = actor
    if pilot_id is not None:
        at.session_state["pilot_id"] = pilot_id
    return at


# A backslash before ASCII punctuation: how ui.plain keeps typed text out of Markdown.
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def seen(markdown: str) -> str:
    """Markdown source as a reader sees its characters: backslash escapes resolved, and the
    invisible word joiners that keep addresses from becoming links left out."""
    return _ESCAPED.sub(r"\1", markdown).replace("\u2060", "")


def texts(at: AppTest) -> str:
    """Everything written on the page, to search for messages (as the reader sees them)."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "error", "warning",
                 "info", "success"):  # fmt: skip
        parts.extend(seen(str(el.value)) for el in getattr(at, kind))
    parts.extend(str(el.value) for el in at.text)  # typed text shown on its own (ui.plain.text)
    return "\n".join(parts)


def metric(at: AppTest, label: str) -> str:
    """The value of the metric with this label (metrics take no key)."""
    values = [m.value for m in at.metric if m.label == label]
    if len(values) != 1:
        raise KeyError(f"{len(values)} metrics labelled {label!r}")
    return values[0]


def submit_button(at: AppTest, form_key: str):
    """A submit button of ui.once: its key carries the form's current one-time token."""
    return at.button(key=f"{form_key}__{at.session_state[f'once_token_{form_key}']}")
