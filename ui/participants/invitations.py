"""The Participants page's "Invitations" tab: personal links, volunteers to approve, and
account help (reset link, sign out everywhere)."""

from __future__ import annotations

import streamlit as st

from core.accounts.invitations import (
    invitation_links_csv,
    invitation_states,
    revoke_invitation,
    send_all_invitations,
    send_invitation,
)
from core.accounts.passwords import admin_reset_password
from core.accounts.sessions import sign_out_everywhere
from core.auth import Actor
from core.models import EnrollmentStatus
from core.people.participants import approve_volunteer
from core.settings import smtp_settings
from ui.cached import participants
from ui.context import attempt, load
from ui.paging import page_of
from ui.plain import md
from ui.wording import count_of


def _show_links(sent: list) -> None:  # noqa: ANN001
    mailed = smtp_settings().configured
    st.success(
        f"{count_of(len(sent), 'personal link')} {'emailed' if mailed else 'created'}. "
        + ("" if mailed else "No mail server is set up: share each link with its person."),
        icon=":material/mail:",
    )
    for s in sent[:20]:
        st.text(f"{s.name} <{s.email}>")
        st.code(s.link, language=None)
    st.download_button(
        "Download the links as CSV (they work once, for that person only)",
        invitation_links_csv(sent),
        file_name="invitation-links.csv",
        mime="text/csv",
        key="invitations_csv",
    )


def render_invitations(actor: Actor, pilot_id: int) -> None:
    rows = load(participants, actor, pilot_id)
    states = load(invitation_states, actor, pilot_id)
    invited = [r for r in rows if r.status == EnrollmentStatus.INVITED]
    pending = [r for r in rows if r.status == EnrollmentStatus.PENDING]
    st.write(
        f"**{len(invited)}** invited, not joined yet · "
        f"**{count_of(len(pending), 'volunteer')}** to approve."
    )
    if invited and st.button(
        f"Send a personal link to all {len(invited)} invited", key="invitations_send_all",
        type="primary",
    ):  # fmt: skip
        sent = attempt(send_all_invitations, actor, pilot_id)
        if sent:
            _show_links(sent)
    for r in page_of(invited + pending, key="invitations_page", noun="people"):
        with st.container(border=True):
            st.text(f"{r.name} · {r.email} · {r.role} · {r.status}")
            st.caption(md(states.get(r.enrollment_id, "no link sent yet")))
            c1, c2, c3 = st.columns(3)
            if c1.button("Send link" if r.enrollment_id not in states else "Resend link",
                         key=f"invitations_send_{r.enrollment_id}"):  # fmt: skip
                one = attempt(send_invitation, actor, r.enrollment_id)
                if one:
                    _show_links([one])
            if r.enrollment_id in states and c2.button(
                "Revoke link", key=f"invitations_revoke_{r.enrollment_id}"
            ):
                if attempt(revoke_invitation, actor, r.enrollment_id) is not None:
                    st.success("The link no longer works.")
            if r.status == EnrollmentStatus.PENDING and c3.button(
                "Approve volunteer", key=f"invitations_approve_{r.enrollment_id}"
            ):
                if attempt(approve_volunteer, actor, r.enrollment_id):
                    st.success(f"{md(r.name)} now takes part.")
    with st.expander("Account help: reset a password, sign someone out everywhere"):
        # A dict, not a search per option: the labels are built for every person who joined.
        joined = {
            r.person_id: f"{r.name} ({r.email})"
            for r in rows
            if r.status == EnrollmentStatus.ACTIVE
        }
        who = st.selectbox(
            "Person", list(joined), index=None, key="invitations_account_who",
            format_func=joined.get,
        )  # fmt: skip
        c1, c2 = st.columns(2)
        if who is not None and c1.button("Send a password reset link", key="invitations_reset"):
            link = attempt(admin_reset_password, actor, who)
            if link:
                st.success("Reset link emailed." if link.emailed else "Share this reset link:")
                if not link.emailed:
                    st.code(link.link, language=None)
        if who is not None and c2.button("Sign out everywhere", key="invitations_sign_out_all"):
            count = attempt(sign_out_everywhere, actor, who)
            if count is not None:
                st.success(f"{count_of(count, 'session')} ended.")
