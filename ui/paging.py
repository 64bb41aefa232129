"""Long lists of cards drawn a page at a time.

Every card with its buttons is a handful of elements the browser receives on each rerun: a few
hundred pairs at risk made Pilot progress take seconds. A keyed choice of which slice to see
keeps its place across reruns, so acting on a card leaves the person where they were."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import streamlit as st

T = TypeVar("T")

CARDS_PER_PAGE = 20


def page_of(items: Sequence[T], *, key: str, noun: str, size: int = CARDS_PER_PAGE) -> Sequence[T]:
    """The slice of `items` the person chose to see (all of them when they fit on one page)."""
    if len(items) <= size:
        return items
    starts = list(range(0, len(items), size))
    start = st.selectbox(
        f"Which {noun} to show",
        starts,
        key=key,
        format_func=lambda s: f"{s + 1}–{min(s + size, len(items))} of {len(items)}",
    )
    return items[start : start + size]
