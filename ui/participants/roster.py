"""Import a roster file: a preview first, then all rows or none."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.auth import Actor
from core.people.roster_import import import_roster, preview_roster
from ui.context import flash, load
from ui.once import long_work_button, submit_once
from ui.plain import md
from ui.tables import WRAPPING_ROW_HEIGHT
from ui.wording import people

ROW_STATUS = {"ok": "Ready", "error": "To fix"}
# The problems come first, in a wide column whose text wraps: they are what the admin must read.
PREVIEW_COLUMNS = {
    "problems": st.column_config.TextColumn("Problems to fix", width="large"),
    "row": st.column_config.NumberColumn("Row in the file", format="%d"),
    "status": "Status",
    "email": "Email",
    "name": "Name",
    "role": "Role",
    "department": "Department",
    "grade": "Job grade",
    "manager_email": "Manager's email",
}


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
        _preview_table(preview.to_frame())
    if preview.can_import:
        label = f"Import {people(preview.ok_count)}"
        if long_work_button(label, "participants_import", type="primary"):
            done = submit_once(
                "participants_import", actor, import_roster, actor, pilot_id, data,
                upload.name, describe=lambda _: {"imported": preview.ok_count}, long_work=True,
            )  # fmt: skip
            if done is not None:
                flash(f"Imported {people(done['imported'])}.")
                st.rerun()
    elif preview.rows:
        st.info("Fix the rows marked as errors in your file and upload it again.")


def _preview_table(frame: pd.DataFrame) -> None:
    """Rows with problems on top, each problem readable in full."""
    flagged = frame.assign(
        _ok=frame["problems"] == "", status=frame["status"].map(ROW_STATUS).fillna(frame["status"])
    ).sort_values("_ok", kind="stable")
    st.dataframe(
        flagged, hide_index=True, width="stretch", key="participants_preview",
        column_order=list(PREVIEW_COLUMNS), column_config=PREVIEW_COLUMNS,
        row_height=WRAPPING_ROW_HEIGHT,
    )  # fmt: skip
