"""Audit log: every write by an admin or the programme team, every sign-in, invitation, export
and erasure of the pilot, with filters and a CSV download. The service decides who may read it."""

import streamlit as st

from core.privacy.audit import audit_csv, audit_log
from ui.audit_trail import action_choices, action_label, audit_table, date_range
from ui.context import load, require_actor, require_pilot_id

actor = require_actor()
pilot_id = require_pilot_id()
st.title("Audit log")
st.caption(
    "Who did what and when, with the fields before and after. Passwords, links and private "
    "notes never enter it, and the portal never edits a row."
    + (
        " As programme team you also see portal-wide rows (sign-ins, erasures)."
        if actor.is_staff
        else ""
    )
)

c1, c2, c3 = st.columns(3)
with c1:
    since, until = date_range("audit_dates")
in_range = load(audit_log, actor, pilot_id, since=since, until=until)
who = c2.selectbox(
    "Who acted", sorted({r.actor_email for r in in_range if r.actor_email}), index=None,
    placeholder="Anyone", key="audit_actor",
)  # fmt: skip
what = c3.selectbox(
    "Action", action_choices(in_range), index=None, format_func=action_label,
    placeholder="Any action", key="audit_action",
)  # fmt: skip
rows = (
    load(audit_log, actor, pilot_id, since=since, until=until, action=what, actor_email=who)
    if who or what
    else in_range
)

st.caption(f"{len(rows)} entries, newest first.")
if rows:
    audit_table(rows, key="audit_table")
    st.download_button(
        "Download as CSV", audit_csv(rows), file_name="audit-log.csv", mime="text/csv",
        key="audit_csv", icon=":material/download:", on_click="ignore",
    )  # fmt: skip
else:
    st.info("Nothing in the audit log under these filters.")
