"""A person's data rights on the Account page (GDPR articles 15, 16, 17 and 20), and the "who
sees what" table that the Account and Privacy pages share.

Both tables come from core.privacy.catalogue, the rules the services apply. The catalogue states
the default privacy threshold and retention period; for a chosen pilot those two numbers are
replaced by the pilot's own settings, and nothing else is reworded.
"""

from __future__ import annotations

import logging

import pandas as pd
import streamlit as st

from core.auth import Actor
from core.errors import DomainError
from core.models import Role
from core.pilots.settings import my_pilots, pilot_for_participant
from core.privacy.catalogue import AUDIENCES, CATALOGUE, DEFAULT_RETENTION, DEFAULT_THRESHOLD
from core.privacy.erasure import compact_database, erase_person
from core.privacy.person_data import my_data_zip
from ui.confirm import ask, confirm
from ui.context import attempt, current_pilot_id, engine, load, run
from ui.sign_in_gate import sign_out

log = logging.getLogger(__name__)
NOTHING = "—"
ERASED_NOTICE = "Your data has been erased and you are signed out."


def pilot_numbers(actor: Actor | None) -> tuple[str | None, int, int]:
    """(pilot name, privacy threshold, retention days) of the pilot chosen in the sidebar, or
    the defaults when none is chosen or the person no longer takes part in it."""
    pilot_id = current_pilot_id()
    if actor is None or pilot_id is None:
        return None, DEFAULT_THRESHOLD, DEFAULT_RETENTION
    try:
        pilot = run(pilot_for_participant, actor, pilot_id)
    except DomainError:
        return None, DEFAULT_THRESHOLD, DEFAULT_RETENTION
    return pilot.name, pilot.privacy_threshold, pilot.retention_days


def with_numbers(text: str, threshold: int, retention: int) -> str:
    """Catalogue text with the pilot's threshold and retention instead of the defaults."""
    return text.replace(
        f"{DEFAULT_RETENTION} days after the pilot closes",
        f"{retention} days after the pilot closes",
    ).replace(f"at least {DEFAULT_THRESHOLD} ", f"at least {threshold} ")


def who_sees_what(threshold: int = DEFAULT_THRESHOLD, retention: int = DEFAULT_RETENTION):
    """One row per part of a person's data: what it is, who sees what of it, how long it stays."""
    rows = []
    for item in CATALOGUE:
        row = {"Data": item.title, "What": item.what, "About whom": item.about}
        for audience in AUDIENCES:
            seen = item.sees.get(audience, "")
            row[audience] = with_numbers(seen, threshold, retention) if seen else NOTHING
        row["How long it is kept"] = with_numbers(item.kept, threshold, retention)
        rows.append(row)
    return pd.DataFrame(rows)


def _download(actor: Actor) -> None:
    st.markdown("**Download everything the portal holds about you**")
    st.caption(
        "A ZIP with the data as JSON (to take elsewhere) and as a page you can read, each part "
        "with who can see it and how long it is kept. It works after you withdrew from a pilot, "
        "too: your own notes stay yours."
    )
    if st.button("Prepare my data", key="account_data_prepare", icon=":material/folder_zip:"):
        archive = attempt(my_data_zip, actor)
        if archive is not None:
            st.session_state.account_data_zip = archive
    if archive := st.session_state.get("account_data_zip"):
        st.download_button(
            "Download my data (ZIP)", archive, file_name="my-data.zip", mime="application/zip",
            key="account_data_download", type="primary", on_click="ignore",
        )  # fmt: skip


def _correct(actor: Actor) -> None:
    st.markdown("**Correct your data**")
    pilot_id = current_pilot_id()
    role = next((p.role for p in load(my_pilots, actor) if p.id == pilot_id), None)
    if role in (Role.MENTEE, Role.MENTOR):
        st.page_link("pages/my_profile.py", label="Correct my profile", icon=":material/person:")
    st.caption(
        "Your availability, time zone, topics and notes are yours to change on My profile, My "
        "learning goals and My expertise. Your name, job title, department, grade and manager "
        "come from the organisation's records: ask the programme team to correct them."
    )


ERASURE = [
    "Your name, email, job title, manager, office and employee id are removed; your password, "
    "sign-in sessions, links and the messages sent to you are deleted.",
    "- Your private notes and everything you wrote (goal objectives, expertise notes, session "
    "takeaways, check-in feedback, concerns, decline reasons) are deleted.",
    "- You leave every pilot; the pairs you are in end, and your partners can be matched again.",
    "- Your department, career stage and grade, and your numbers (sessions, check-in answers, "
    "pulses), stay on an anonymous placeholder, so that each pilot's totals keep their counts.",
    "- This cannot be undone, and you are signed out. Download your data first if you want a copy.",
]


def _erase(actor: Actor) -> None:
    st.markdown("**Erase your data**")
    if st.button("Ask to erase my data", key="account_erase", icon=":material/delete_forever:"):
        ask("account_erase", actor.person_id)

    def erase(person_id: int) -> str | None:
        if attempt(erase_person, actor, person_id) is None:
            return None
        try:
            compact_database(engine())  # no copy of the erased values left in the file
        except Exception:  # noqa: BLE001  (the erasure is committed; compaction can run again)
            log.exception("compacting the database after an erasure failed")
        sign_out(notice=ERASED_NOTICE)
        return None  # unreachable: signing out reruns the app

    confirm("account_erase", "Erase your data?", lambda _: ERASURE, "Erase my data", erase)


def data_rights(actor: Actor) -> None:
    """Download, who can see what, correction and erasure."""
    st.subheader("Your data")
    _download(actor)
    _, threshold, retention = pilot_numbers(actor)
    with st.expander("Who can see each part of your data"):
        st.table(who_sees_what(threshold, retention).drop(columns="About whom").set_index("Data"))
    _correct(actor)
    _erase(actor)
