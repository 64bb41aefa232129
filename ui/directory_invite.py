"""Widgets of the Invite from the directory page: the search with its filters and the choice of
people and role, the short roster file with its row-by-row check, and the personal links.

Both ways end in one core service that invites the people and sends each their personal link in
one unit of work, under the form's one-time token (ui.once): a double click invites once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from core.accounts.invitations import SentInvitation, invitation_links_csv
from core.auth import Actor
from core.models import Role
from core.people.directory_invite import (
    DirectoryEntry,
    DirectoryInvite,
    directory_departments,
    read_directory_roster,
    search_directory,
    send_directory_invitations,
    send_roster_invitations,
)
from core.people.directory_values import MAX_GRADE
from core.people.participants import MAX_MENTEES_PER_MENTOR, MIN_MENTEES_PER_MENTOR
from ui.context import flash, load
from ui.once import long_work_button, submit_once
from ui.plain import md

ROLES = {Role.MENTEE: "Mentee (senior leader)", Role.MENTOR: "Mentor (junior volunteer)"}
SHOWN = 200  # matches listed at once; a narrower search finds the others
PICK_FORM = "invite_dir_pick"
ROSTER_FORM = "invite_dir_roster"
SENT = "invite_dir_sent"


def _grade(value: float | None) -> int | None:
    return None if value is None else int(value)


def _results_frame(found: list[DirectoryEntry]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": [e.name for e in found],
            "email": [e.email for e in found],
            "job title": [e.job_title for e in found],
            "department": [e.department for e in found],
            "grade": pd.array([e.grade for e in found], dtype="Int64"),
            "in this pilot": [e.enrolled_as or "" for e in found],
        }
    )


def pick_people(actor: Actor, pilot_id: int) -> None:
    """Search, filter, choose people and one role for them, invite."""
    c1, c2, c3, c4 = st.columns([3, 2, 1, 1])
    text = c1.text_input("Name, e-mail, job title or employee id", key="invite_dir_search")
    departments = load(directory_departments, actor, pilot_id)
    department = c2.selectbox(
        "Department", ["", *departments], format_func=lambda d: d or "All departments",
        key="invite_dir_department",
    )  # fmt: skip
    low = c3.number_input("Grade from", 0, MAX_GRADE, None, 1, key="invite_dir_grade_min")
    high = c4.number_input("Grade to", 0, MAX_GRADE, None, 1, key="invite_dir_grade_max")
    found = load(
        search_directory, actor, pilot_id, search=text, department=department,
        grade_min=_grade(low), grade_max=_grade(high), limit=SHOWN + 1,
    )  # fmt: skip
    if not found:
        st.info("Nobody in the directory matches. Loosen the search or the filters.")
        return
    if len(found) > SHOWN:
        st.caption(f"The first {SHOWN} matches by name: narrow the search to see the others.")
        found = found[:SHOWN]
    st.dataframe(_results_frame(found), hide_index=True, width="stretch", key="invite_dir_found")
    free = {e.person_id: e for e in found if e.enrolled_as is None}
    # People chosen earlier who are no longer listed (another search, or invited since) drop
    # out of the choice before the widget is drawn.
    if "invite_dir_people" in st.session_state:
        st.session_state.invite_dir_people = [
            i for i in st.session_state.invite_dir_people if i in free
        ]
    chosen = st.multiselect(
        "People to invite", list(free), key="invite_dir_people",
        format_func=lambda i: f"{free[i].name} · {free[i].email} · {free[i].department or '—'}",
        placeholder="Choose from the matches above (people already in the pilot are left out)",
    )  # fmt: skip
    c1, c2 = st.columns(2)
    role = c1.radio(
        "Their role", list(ROLES), format_func=ROLES.get, key="invite_dir_role", horizontal=True
    )
    capacity = c2.number_input(
        "Mentees a mentor takes", MIN_MENTEES_PER_MENTOR, MAX_MENTEES_PER_MENTOR,
        MIN_MENTEES_PER_MENTOR, key="invite_dir_capacity",
        disabled=role != Role.MENTOR,
    )  # fmt: skip
    label = f"Invite {len(chosen)} and send their personal links" if chosen else "Invite"
    if long_work_button(label, PICK_FORM, disabled=not chosen, type="primary"):
        invites = [DirectoryInvite(i, role, int(capacity)) for i in chosen]
        _invite(PICK_FORM, actor, send_directory_invitations, actor, pilot_id, invites)


def roster_file(actor: Actor, pilot_id: int) -> None:
    """A short file of e-mails and roles, checked row by row before anybody is invited."""
    st.write(
        "Upload a CSV or Excel file with the columns **email** and **role** (mentee or "
        f"mentor), and **capacity** for mentors ({MIN_MENTEES_PER_MENTOR}–"
        f"{MAX_MENTEES_PER_MENTOR}). Everything else (name, grade, "
        "department, manager) comes from the directory. Nobody is invited unless every row "
        "is right."
    )
    upload = st.file_uploader(
        "E-mails and roles", type=["csv", "xlsx", "txt"], key="invite_dir_file"
    )
    if upload is None:
        return
    data = upload.getvalue()
    roster = load(read_directory_roster, actor, pilot_id, data, upload.name)
    if roster.file_error:
        st.error(f"This file cannot be used: {md(roster.file_error)}.", icon=":material/error:")
        return
    bad = [line.row for line in roster.lines if line.problem]
    c1, c2 = st.columns(2)
    c1.metric("Rows ready", len(roster.lines) - len(bad))
    c2.metric("Rows with a problem", len(bad))
    frame = pd.DataFrame([line.__dict__ for line in roster.lines])
    st.dataframe(
        frame[["problem", "row", "email", "role", "capacity", "name", "department", "grade"]],
        hide_index=True, width="stretch", key="invite_dir_roster_rows",
        column_config={"problem": st.column_config.TextColumn("Problem", width="large")},
    )  # fmt: skip
    if bad:
        rows = ", ".join(str(r) for r in bad[:10]) + (" …" if len(bad) > 10 else "")
        st.error(
            f"Fix row(s) {rows} in your file as the Problem column says, then upload it again.",
            icon=":material/error:",
        )
        return
    label = f"Invite {len(roster.lines)} and send their personal links"
    if long_work_button(label, ROSTER_FORM, type="primary"):
        _invite(ROSTER_FORM, actor, send_roster_invitations, actor, pilot_id, data, upload.name)


def _invite(form_key: str, actor: Actor, service: Callable[..., Any], *args: Any) -> None:
    sent_now: list[SentInvitation] = []

    def describe(sent: list[SentInvitation]) -> dict[str, int]:
        # The links stay in memory for this page only; the submission keeps counts.
        sent_now.extend(sent)
        return {"invited": len(sent), "emailed": sum(s.emailed for s in sent)}

    done = submit_once(form_key, actor, service, *args, describe=describe, long_work=True)
    if done is None:
        return
    st.session_state[SENT] = sent_now
    emailed = done["emailed"]
    flash(
        f"Invited {done['invited']} people from the directory; "
        + (f"{emailed} personal link(s) emailed." if emailed else "share each personal link.")
    )
    st.rerun()


def show_sent_links() -> None:
    """The links of the invitations just sent that no mail server delivered, shown once."""
    unsent = [s for s in st.session_state.pop(SENT, []) if not s.emailed]
    if not unsent:
        return
    with st.container(border=True):
        st.write("These links were not emailed: share each with its person. They work once.")
        for s in unsent[:20]:
            st.text(f"{s.name} <{s.email}>")
            st.code(s.link, language=None)
        st.download_button(
            "Download the links as CSV", invitation_links_csv(unsent),
            file_name="invitation-links.csv", mime="text/csv", key="invite_dir_links_csv",
            on_click="ignore",
        )  # fmt: skip
