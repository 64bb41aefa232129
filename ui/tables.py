"""What every table that people read shares.

Streamlit's data grid wraps a cell's text only when its rows are taller than 4rem (64 px); below
that a long reason or problem is cut off after one line. Tables whose reasons matter use this
height, which fits three lines."""

from __future__ import annotations

WRAPPING_ROW_HEIGHT = 72
