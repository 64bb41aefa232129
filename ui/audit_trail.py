"""The audit log page's filters and table: the trail as core.privacy.audit reads it, with
column names and actions in words."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import streamlit as st

from core.privacy.audit import AuditRow

COLUMNS = ["When (UTC)", "Who acted", "Action", "Pilot", "About whom", "Before", "After"]
PORTAL_WIDE = "(portal-wide)"


def action_label(action: str) -> str:
    """'participant.withdrawn' -> 'Participant withdrawn'; a group prefix ends with a dot."""
    if action.endswith("."):
        return f"{action[:-1].replace('_', ' ').capitalize()}: every action"
    return action.replace(".", " ").replace("_", " ").capitalize()


def action_choices(rows: list[AuditRow]) -> list[str]:
    """Each group of actions ("participant.", which the service reads as a prefix), followed
    by the actions in it that the trail holds."""
    actions = sorted({r.action for r in rows})
    choices: list[str] = []
    for group in sorted({a.split(".", 1)[0] for a in actions if "." in a}):
        choices.append(f"{group}.")
        choices.extend(a for a in actions if a.startswith(f"{group}."))
    choices.extend(a for a in actions if "." not in a)
    return choices


def date_range(key: str) -> tuple[date | None, date | None]:
    """An optional range: nothing picked reads everything, one day picked reads from it on."""
    picked = st.date_input("Between", value=(), key=key)
    return (
        picked[0] if len(picked) > 0 else None,
        picked[1] if len(picked) > 1 else None,
    )


def _change(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""


def audit_frame(rows: list[AuditRow]) -> pd.DataFrame:
    """Newest first, one row per entry, every cell text or a time (shown as text)."""
    return pd.DataFrame(
        [
            [
                r.created_at,
                r.actor_email or r.by_whom(),
                action_label(r.action),
                r.pilot_name or PORTAL_WIDE,
                r.subject_email,
                _change(r.before),
                _change(r.after),
            ]
            for r in reversed(rows)
        ],
        columns=COLUMNS,
    )


def audit_table(rows: list[AuditRow], key: str) -> None:
    st.dataframe(
        audit_frame(rows), hide_index=True, width="stretch", key=key,
        column_config={
            "When (UTC)": st.column_config.DatetimeColumn(format="D MMM YYYY, HH:mm:ss"),
            "Before": st.column_config.TextColumn(width="large"),
            "After": st.column_config.TextColumn(width="large"),
        },
    )  # fmt: skip
