"""Organisation directory: the HR system's export as it is, for the programme team."""

import pandas as pd
import streamlit as st

from core.people.directory_import import preview_directory
from core.people.directory_invite import participating_leavers, withdraw_leavers
from ui.context import attempt, flash, load, require_actor
from ui.directory import mapping_form, options_for, show_summary
from ui.directory_job import running_import, show_progress, start_import
from ui.plain import md

actor = require_actor()
st.title("Organisation directory")
if not actor.is_staff:
    st.error("Only the programme team can import the directory. Ask a programme administrator.")
    st.stop()
st.write(
    "Upload the export of your HR system (Workday, BambooHR, Personio, HiBob, SAP "
    "SuccessFactors or any CSV/Excel with one row per employee). The portal proposes which "
    "column is which; check it, then import. The whole directory is synced: new people are "
    "added, changes listed as old → new, and people marked inactive or missing become leavers. "
    "Nothing is imported unless every row is valid."
)

job = running_import()
if job is not None:
    show_progress(job)
    upload = None
else:
    upload = st.file_uploader("HR export", type=["csv", "xlsx", "txt"], key="directory_file")
if upload is not None:
    data = upload.getvalue()
    options = options_for(upload.file_id)
    preview = load(preview_directory, actor, data, upload.name, options)
    for message in preview.file_errors:
        st.error(md(message))
    for message in preview.warnings:
        st.warning(md(message))
    if preview.system:
        st.info(f"This looks like a {preview.system} export.")
    if preview.columns:
        mapping_form(preview, options)
    if preview.rows:
        show_summary(preview)
    for leaver in preview.leaver_participants:
        st.warning(
            f"{md(leaver.name)} ({leaver.role} in '{md(leaver.pilot_name)}') is leaving the "
            "organisation."
        )
    if preview.can_import:
        if st.button(f"Import {len(preview.rows)} rows", type="primary", key="directory_import"):
            start_import(actor, data, upload.name, options)
            st.rerun()
    elif preview.rows:
        st.info("Fix the rows with a problem (first column) in the export, or the mapping above.")

leavers = load(participating_leavers, actor)
if leavers:
    st.subheader("Leavers still taking part in a pilot")
    st.dataframe(
        pd.DataFrame([lp.__dict__ for lp in leavers])[["name", "email", "role", "pilot_name"]],
        hide_index=True, key="directory_leavers",
    )  # fmt: skip
    st.caption("Withdrawing them ends their pairs; their partners then show in the at-risk list.")
    if st.button(f"Withdraw {len(leavers)} leavers", key="directory_withdraw"):
        done = attempt(withdraw_leavers, actor, [lp.enrollment_id for lp in leavers])
        if done is not None:
            flash(f"{done} leavers withdrawn; their pairs were released.")
            st.rerun()
