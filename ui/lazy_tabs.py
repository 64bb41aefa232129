"""Tabs that draw only the open one.

Keyed and rerun on change, so a button inside a tab keeps the person on that tab, and only the
open tab is drawn: the others' tables and cards would be rebuilt on every rerun (all five tabs
of Pilot progress were hundreds of widgets)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st


def lazy_tabs(labels: Sequence[str], *, key: str, draw: Sequence[Callable[[], None]]) -> None:
    """`draw[i]` fills tab `labels[i]`, and only while that tab is open."""
    tabs = st.tabs(list(labels), key=key, on_change="rerun")
    for tab, fill in zip(tabs, draw, strict=True):
        if tab.open:
            with tab:
                fill()
