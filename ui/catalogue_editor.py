"""A pilot's topic catalogue as one editable table, for the pilot set-up page."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.auth import Actor
from core.pilots.settings import list_topics, save_catalogue
from core.wording import count_of
from ui.context import attempt, flash, load


def catalogue_editor(actor: Actor, pilot_id: int, kind: str, key: str, help_text: str) -> None:
    """Retiring a topic is unticking it, never deleting it: goals that use it keep their topic."""
    topics = load(list_topics, actor, pilot_id, kind, include_inactive=True)
    frame = pd.DataFrame(
        [
            {
                "id": t.id,
                "category": t.category,
                "name": t.name,
                "description": t.description,
                "active": t.active,
            }  # fmt: skip
            for t in topics
        ],
        columns=["id", "category", "name", "description", "active"],
    )
    st.caption(help_text)
    edited = st.data_editor(
        frame,
        key=key,
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config={
            "id": None,
            "category": st.column_config.TextColumn("Category", required=True),
            "name": st.column_config.TextColumn("Topic", required=True, max_chars=80),
            "description": st.column_config.TextColumn("Description", max_chars=300),
            "active": st.column_config.CheckboxColumn("Offered", default=True),
        },
    )
    if st.button("Save catalogue", key=f"{key}_save", type="primary"):
        rows = edited.astype(object).where(edited.notna(), None).to_dict("records")
        saved = attempt(save_catalogue, actor, pilot_id, rows, kind)
        if saved is not None:
            flash(f"Catalogue saved ({count_of(saved, 'topic')}).")
            st.rerun()
