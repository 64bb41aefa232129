"""Invite one person by hand."""

from __future__ import annotations

import streamlit as st

from core.auth import Actor
from core.models import Pilot, Role
from core.people.directory_values import MAX_GRADE
from core.people.participants import (
    CAREER_STAGES,
    MAX_MENTEES_PER_MENTOR,
    MIN_GRADE,
    MIN_MENTEES_PER_MENTOR,
    PersonInput,
    add_participant,
)
from ui.context import flash
from ui.once import submit_key, submit_once

ROLE_CHOICES = {
    Role.MENTEE: "Mentee (senior leader)",
    Role.MENTOR: "Mentor (junior volunteer)",
    Role.ADMIN: "Programme admin",
}


def add_person_form(actor: Actor, pilot: Pilot) -> None:
    with st.form("participants_add_form"):
        c1, c2, c3 = st.columns(3)
        email = c1.text_input("Work email", key="participants_email")
        name = c2.text_input("Full name", key="participants_name")
        role = c3.selectbox(
            "Role", list(ROLE_CHOICES), format_func=ROLE_CHOICES.get, key="participants_role"
        )
        c1, c2, c3 = st.columns(3)
        job_title = c1.text_input("Job title", key="participants_job_title")
        department = c2.text_input("Department", key="participants_department")
        grade = c3.number_input(
            "Job grade (higher = more senior)", min_value=MIN_GRADE, max_value=MAX_GRADE,
            value=None, key="participants_grade",
        )  # fmt: skip
        c1, c2, c3, c4 = st.columns(4)
        manager = c1.text_input("Manager's email", key="participants_manager")
        tz = c2.text_input("Time zone", value="UTC", key="participants_tz")
        stage = c3.selectbox("Career stage", ["", *CAREER_STAGES], key="participants_stage")
        capacity = c4.number_input(
            "Mentees a mentor takes", min_value=MIN_MENTEES_PER_MENTOR,
            max_value=MAX_MENTEES_PER_MENTOR, value=MIN_MENTEES_PER_MENTOR,
            key="participants_capacity",
            help=f"Mentors only: how many mentees they take at once, {MIN_MENTEES_PER_MENTOR} to "
            f"{MAX_MENTEES_PER_MENTOR}. Ignored for mentees and admins.",
        )  # fmt: skip
        if st.form_submit_button("Add person", type="primary", key=submit_key("participants_add")):
            data = PersonInput(
                email=email, name=name, role=role, job_title=job_title,
                grade=int(grade) if grade is not None else None, department=department,
                manager_email=manager, time_zone=tz, career_stage=stage, capacity=int(capacity),
            )  # fmt: skip
            if (
                submit_once("participants_add", actor, add_participant, actor, pilot.id, data)
                is not None
            ):
                flash(f"{name} was added. Send their personal link from the Invitations tab.")
                st.rerun()
