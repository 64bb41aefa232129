"""Import a roster file: a preview first, then all rows or none."""

from __future__ import annotations

import streamlit as st

from core.auth import Actor
from core.people.roster_import import import_roster, preview_roster
from ui.context import flash, load
from ui.once import long_work_button, submit_once
from ui.plain import md


def roster_import(actor: Actor, pilot_id: int) -> None:
    st.write(
        "Upload a CSV or Excel file with the columns **email, name, role** (mentee, mentor or "
        "admin) and optionally job_title, grade, department, manager_email, time_zone, "
        "career_stage, capacity. Nothing is imported unless every row is valid."
    )
    upload = st.file_uploader(
        "Roster file", type=["csv", "xlsx", "txt"], key="participants_roster_file"
    )
    if upload is None:
        return
    data = upload.getvalue()
    preview = load(preview_roster, actor, pilot_id, data, upload.name)
    for message in preview.file_errors:
        st.error(md(message))
    for message in preview.warnings:
        st.warning(md(message))
    if preview.rows:
        c1, c2 = st.columns(2)
        c1.metric("Rows ready", preview.ok_count)
        c2.metric("Rows with problems", preview.error_count)
        st.dataframe(
            preview.to_frame(), hide_index=True, width="stretch", key="participants_preview"
        )
    if preview.can_import:
        label = f"Import {preview.ok_count} people"
        if long_work_button(label, "participants_import", type="primary"):
            done = submit_once(
                "participants_import", actor, import_roster, actor, pilot_id, data,
                upload.name, describe=lambda _: {"imported": preview.ok_count}, long_work=True,
            )  # fmt: skip
            if done is not None:
                flash(f"Imported {done['imported']} people.")
                st.rerun()
    elif preview.rows:
        st.info("Fix the rows marked as errors in your file and upload it again.")
