"""Participants: invite one person, import a roster, find and withdraw people."""

import pandas as pd
import streamlit as st

from core.models import EnrollmentStatus, Role
from core.people.participants import (
    CAREER_STAGES,
    PersonInput,
    add_participant,
    list_participants,
    withdraw_participant,
)
from core.people.profiles import LEVEL_LABELS, PRIORITY_LABELS, participant_detail
from core.people.roster_import import import_roster, preview_roster
from core.pilots.settings import pilot_for_admin
from ui.context import attempt, flash, load, require_actor, require_pilot_id
from ui.invitations import render_invitations

actor = require_actor()
pilot_id = require_pilot_id()
pilot = load(pilot_for_admin, actor, pilot_id)
st.title(f"Participants · {pilot.name}")
st.caption(
    f"Volunteer code: {pilot.invite_code} (for colleagues nobody invited; you approve them). "
    "Invited people join with their personal link."
)

add_tab, import_tab, list_tab, invite_tab = st.tabs(
    ["Add one person", "Import a roster", "Everyone", "Invitations"]
)
with invite_tab:
    render_invitations(actor, pilot_id)

with add_tab, st.form("participants_add_form"):
    c1, c2, c3 = st.columns(3)
    email = c1.text_input("Work email", key="participants_email")
    name = c2.text_input("Full name", key="participants_name")
    role = c3.selectbox(
        "Role",
        [Role.MENTEE, Role.MENTOR, Role.ADMIN],
        format_func={
            Role.MENTEE: "Mentee (senior leader)",
            Role.MENTOR: "Mentor (junior volunteer)",
            Role.ADMIN: "Programme admin",
        }.get,
        key="participants_role",
    )
    c1, c2, c3 = st.columns(3)
    job_title = c1.text_input("Job title", key="participants_job_title")
    department = c2.text_input("Department", key="participants_department")
    grade = c3.number_input(
        "Job grade (higher = more senior)", min_value=0, max_value=30, value=None,
        key="participants_grade",
    )  # fmt: skip
    c1, c2, c3, c4 = st.columns(4)
    manager = c1.text_input("Manager's email", key="participants_manager")
    tz = c2.text_input("Time zone", value="UTC", key="participants_tz")
    stage = c3.selectbox("Career stage", ["", *CAREER_STAGES], key="participants_stage")
    capacity = c4.number_input(
        "Mentees (mentors: 1–3)", min_value=1, max_value=3, value=1, key="participants_capacity"
    )
    if st.form_submit_button("Add person", type="primary"):
        data = PersonInput(
            email=email, name=name, role=role, job_title=job_title,
            grade=int(grade) if grade is not None else None, department=department,
            manager_email=manager, time_zone=tz, career_stage=stage, capacity=int(capacity),
        )  # fmt: skip
        if attempt(add_participant, actor, pilot_id, data) is not None:
            flash(f"{name} was added. Send their personal link from the Invitations tab.")
            st.rerun()

with import_tab:
    st.write(
        "Upload a CSV or Excel file with the columns **email, name, role** (mentee, mentor or "
        "admin) and optionally job_title, grade, department, manager_email, time_zone, "
        "career_stage, capacity. Nothing is imported unless every row is valid."
    )
    upload = st.file_uploader(
        "Roster file", type=["csv", "xlsx", "txt"], key="participants_roster_file"
    )
    if upload is not None:
        data = upload.getvalue()
        preview = load(preview_roster, actor, pilot_id, data, upload.name)
        for message in preview.file_errors:
            st.error(message)
        for message in preview.warnings:
            st.warning(message)
        if preview.rows:
            c1, c2 = st.columns(2)
            c1.metric("Rows ready", preview.ok_count)
            c2.metric("Rows with problems", preview.error_count)
            st.dataframe(
                preview.to_frame(), hide_index=True, width="stretch", key="participants_preview"
            )
        if preview.can_import:
            if st.button(
                f"Import {preview.ok_count} people", type="primary", key="participants_import"
            ):
                result = attempt(import_roster, actor, pilot_id, data, upload.name)
                if result is not None:
                    flash(f"Imported {preview.ok_count} people.")
                    st.rerun()
        elif preview.rows:
            st.info("Fix the rows marked as errors in your file and upload it again.")

with list_tab:
    c1, c2, c3 = st.columns([1, 1, 2])
    role_filter = c1.selectbox(
        "Role", ["", Role.MENTEE, Role.MENTOR, Role.ADMIN], key="participants_filter_role"
    )
    status_filter = c2.selectbox(
        "Status",
        [
            "",
            EnrollmentStatus.INVITED,
            EnrollmentStatus.PENDING,
            EnrollmentStatus.ACTIVE,
            EnrollmentStatus.WITHDRAWN,
        ],
        key="participants_filter_status",
    )
    search = c3.text_input("Search name, email, department or title", key="participants_search")
    rows = load(
        list_participants, actor, pilot_id, role=role_filter or None,
        status=status_filter or None, search=search,
    )  # fmt: skip
    frame = pd.DataFrame([r.__dict__ for r in rows])
    st.caption(f"{len(rows)} people")
    if not frame.empty:
        st.dataframe(
            frame[["name", "email", "role", "status", "department", "job_title", "grade",
                   "manager_email", "goals", "expertise", "capacity"]],
            hide_index=True,
            width="stretch",
            key="participants_table",
            column_config={
                "name": "Name", "email": "Email", "role": "Role", "status": "Status",
                "department": "Department", "job_title": "Job title",
                "grade": st.column_config.NumberColumn("Grade"),
                "manager_email": "Manager", "goals": "Goals", "expertise": "Expertise",
                "capacity": "Capacity",
            },
        )  # fmt: skip
        who_detail = st.selectbox(
            "See what someone entered",
            [r.enrollment_id for r in rows if r.role != Role.ADMIN],
            format_func=lambda i: next(
                f"{r.name} ({r.role})" for r in rows if r.enrollment_id == i
            ),
            index=None,
            key="participants_detail_who",
        )
        if who_detail is not None:
            detail = load(participant_detail, actor, who_detail)
            for g in detail.goals:
                st.markdown(f"- **{g.topic}** ({PRIORITY_LABELS[g.priority]}): {g.objective}")
            for x in detail.expertise:
                st.markdown(f"- **{x.topic}**: {LEVEL_LABELS[x.level]}")
            if not detail.goals and not detail.expertise:
                st.caption("Nothing entered yet.")
        active = [r for r in rows if r.status != EnrollmentStatus.WITHDRAWN]
        with st.form("participants_withdraw_form"):
            who = st.selectbox(
                "Withdraw someone",
                [r.enrollment_id for r in active],
                format_func=lambda i: next(
                    f"{r.name} ({r.email})" for r in active if r.enrollment_id == i
                ),
                index=None,
                key="participants_withdraw_who",
            )
            if st.form_submit_button("Withdraw"):
                if who is None:
                    st.error("Choose the person to withdraw.")
                elif attempt(withdraw_participant, actor, who) is not None:
                    flash("Withdrawn. Their open pairs were released.")
                    st.rerun()
