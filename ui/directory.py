"""Widgets of the directory page: the mapping editor, the grade and office tables, the summary.

The admin's corrections are kept in `st.session_state["directory_options"]` as differences from
what the portal proposes, so that each column keeps its own reason until the admin changes it.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.people.directory_columns import FIELDS
from core.people.directory_import import DirectoryOptions, DirectoryPreview
from core.people.directory_values import MAX_GRADE
from core.timezones import common_time_zones
from ui.plain import md
from ui.tables import WRAPPING_ROW_HEIGHT

NOT_USED = "— not in the file —"
LABELS = {"reason": "Why", "people": "People"}
PREVIEW_COLUMNS = {
    "problem": st.column_config.TextColumn("Problem", width="large"),
    "row": st.column_config.NumberColumn("Row in the file", format="%d"),
    "action": "Action", "employee_id": "Employee ID", "email": "Email", "name": "Name",
    "manager_email": "Manager's email", "grade": "Grade", "department": "Department",
    "changes": st.column_config.TextColumn("Changes", width="large"), "note": "Note",
}  # fmt: skip


def options_for(file_id: str) -> DirectoryOptions:
    """The admin's corrections for this upload; a new file starts from the proposal again."""
    if st.session_state.get("directory_file_id") != file_id:
        st.session_state.directory_file_id = file_id
        st.session_state.directory_options = DirectoryOptions()
    return st.session_state.directory_options


def _reasons(preview: DirectoryPreview) -> dict[str, str]:
    return {c.field: c.reason for c in preview.columns if c.field}


def mapping_form(preview: DirectoryPreview, options: DirectoryOptions) -> None:
    """A selectbox per field with the reason for its column, then the two tables; "Apply"
    stores what changed and runs the preview again."""
    with st.form("directory_mapping_form"):
        st.subheader("Columns")
        reasons = _reasons(preview)
        choices = [NOT_USED, *[h for h in preview.headers if h]]
        chosen: dict[str, str] = {}
        cells = st.columns(3)
        for i, (name, label) in enumerate(FIELDS.items()):
            current = preview.mapping.get(name)
            with cells[i % 3]:
                chosen[name] = st.selectbox(
                    label, choices, index=choices.index(current) if current in choices else 0,
                    key=f"directory_map_{name}",
                )  # fmt: skip
                left_out = options.mapping.get(name) == ""
                st.caption(
                    "left out by you" if left_out else md(reasons.get(name, "no column proposed"))
                )
        grades = zones = None
        if preview.grades:
            st.subheader("Grade labels → numbers (higher is more senior)")
            grades = st.data_editor(
                pd.DataFrame([g.__dict__ for g in preview.grades]).astype({"number": "Int64"}),
                disabled=["label", "reason", "people"], hide_index=True, key="directory_grades",
                column_config={**LABELS, "label": "Label in the file",
                               "number": st.column_config.NumberColumn(
                                   "Number", min_value=0, max_value=MAX_GRADE, step=1)},
            )  # fmt: skip
        if preview.zones:
            st.subheader("Offices → time zones")
            zones = st.data_editor(
                pd.DataFrame([z.__dict__ for z in preview.zones]),
                disabled=["location", "reason", "people"], hide_index=True, key="directory_zones",
                column_config={**LABELS, "location": "Office",
                               "time_zone": st.column_config.SelectboxColumn(
                                   "Time zone", options=common_time_zones())},
            )  # fmt: skip
        if st.form_submit_button("Apply", key="directory_apply"):
            for name, header in chosen.items():
                header = "" if header == NOT_USED else header
                if header != preview.mapping.get(name, ""):
                    options.mapping[name] = header
            for entry, row in zip(preview.grades, _records(grades), strict=False):
                number = None if pd.isna(row["number"]) else int(row["number"])
                if number != entry.number:
                    options.grades[entry.label] = number
            for entry, row in zip(preview.zones, _records(zones), strict=False):
                zone = row["time_zone"] or None
                if zone != entry.time_zone:
                    options.zones[entry.location] = zone
            st.rerun()


def _records(frame: pd.DataFrame | None) -> list[dict]:
    return [] if frame is None else frame.to_dict("records")


def show_summary(preview: DirectoryPreview) -> None:
    c1, c2, c3, c4, c5 = st.columns(5)
    c1.metric("New", preview.count("new"))
    c2.metric("Changed", preview.count("update"))
    c3.metric("Unchanged", preview.count("unchanged"))
    c4.metric("Leavers", preview.leaver_count)
    c5.metric("Rows with problems", preview.error_count)
    shown = 2000
    if len(preview.rows) > shown:
        st.caption(f"The first {shown} of {len(preview.rows)} rows: problems first, then changes.")
    st.dataframe(
        preview.to_frame(shown), hide_index=True, width="stretch", key="directory_preview",
        column_config=PREVIEW_COLUMNS, row_height=WRAPPING_ROW_HEIGHT,
    )  # fmt: skip
    if preview.absent:
        with st.expander(f"{len(preview.absent)} people are no longer in the file (leavers)"):
            st.dataframe(
                pd.DataFrame([a.__dict__ for a in preview.absent]), hide_index=True,
                column_order=["name", "email", "employee_id"], column_config=PREVIEW_COLUMNS,
            )  # fmt: skip
