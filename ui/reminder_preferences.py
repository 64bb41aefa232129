"""The Account page's reminder choices: per kind, as it happens, in a weekly digest, or never
(never only for optional reminders)."""

from __future__ import annotations

import streamlit as st

from core.auth import Actor
from core.reminders.preferences import FREQUENCY_LABELS, my_preferences, set_preference
from ui.context import attempt, flash, load


def reminder_preferences(actor: Actor) -> None:
    prefs = load(my_preferences, actor)
    with st.form("account_reminders_form"):
        st.subheader("Reminders by email")
        st.caption(
            "Session invitations always arrive at once: they are your calendar entries. "
            "Every reminder email also has a link to turn it off."
        )
        chosen = {
            p.kind: st.radio(
                p.label,
                p.choices,
                index=p.choices.index(p.frequency),
                format_func=FREQUENCY_LABELS.get,
                horizontal=True,
                key=f"account_reminder_{p.kind}",
            )
            for p in prefs
        }
        if st.form_submit_button("Save my reminder choices", key="account_reminders_submit"):
            changed = [p for p in prefs if chosen[p.kind] != p.frequency]
            if all(attempt(set_preference, actor, p.kind, chosen[p.kind]) for p in changed):
                flash("Reminder choices saved." if changed else "Nothing changed.")
                st.rerun()
