"""Text that a person typed is shown as text: never as Markdown or HTML.

Streamlit reads Markdown in more places than `st.markdown`: titles, captions, alerts, widget
labels, radio options, expander, tab and button labels, metric labels and values. A name, an
objective or a takeaway mixed into one of those could otherwise carry a link, a remote image (a
tracking pixel in somebody else's screen), a coloured directive or a formula. Two ways out:

- `md(value)` when the text sits inside a Markdown string next to the page's own formatting
  (`f"**{md(name)}** · {md(title)}"`): every ASCII punctuation character gets a backslash, which
  CommonMark turns back into that very character, so `[x](…)`, `![p](…)`, `<img …>` and
  `:red[…]` stay those characters. Bare addresses are different: Streamlit's GFM autolinks are
  found in the text after parsing, escapes resolved, so `http://…`, `www.…` and `a@b.example`
  also get an invisible word joiner (U+2060) after `:`, `www` and `@`, which no autolink
  pattern crosses (an email with an apostrophe, `o'brien@…`, would otherwise become a half
  link). Only Markdown may receive the result: a selectbox option or `st.text` would show the
  backslashes.
- `paragraph(value)` for text that stands alone (a takeaway, a concern): `md` with each line
  kept as a line, drawn as a paragraph; `text(value)` draws it with `st.text`, no parsing at all.
"""

from __future__ import annotations

import re

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

# Every ASCII punctuation character: CommonMark lets each be escaped with a backslash.
_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")
# Where a GFM autolink would start: a scheme's "://", "www." and an email's "@".
_AUTOLINK = re.compile(r"(?i)(:(?=//)|www(?=\.)|@)")
WORD_JOINER = "\u2060"


def md(value: object) -> str:
    """`value` as Markdown source that renders as exactly its characters, never as a link."""
    unlinked = _AUTOLINK.sub(
        lambda m: m.group(0) + WORD_JOINER, "" if value is None else str(value)
    )
    return _PUNCTUATION.sub(lambda m: "\\" + m.group(0), unlinked)


def text(value: object, where: DeltaGenerator | None = None) -> None:
    """`value` on its own, without Markdown or HTML parsing."""
    (where or st).text("" if value is None else str(value))


def paragraph(value: object, where: DeltaGenerator | None = None) -> None:
    """`value` on its own as a paragraph of text: its line breaks kept, nothing parsed."""
    lines = ("" if value is None else str(value)).splitlines()
    (where or st).markdown("  \n".join(md(line.lstrip()) for line in lines))
