"""Which pages each role gets. Every signed-in page also exists, hidden, while signed out, so a
bookmark or a reload of /my_pair shows the sign-in form and then that page, not "Page not
found"."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from core.models import Role

ROLE_LABELS = {Role.ADMIN: "Programme admin", Role.MENTEE: "Mentee", Role.MENTOR: "Mentor"}

# (file, title, icon) per section and role. Each role's first page is its home: the one it
# lands on (see first_page).
HOME_PAGE = ("pages/home.py", "Home", ":material/home:")
ADMIN_PAGES = [
    HOME_PAGE,
    ("pages/pilot_setup.py", "Pilot set-up", ":material/tune:"),
    ("pages/participants.py", "Participants", ":material/groups:"),
    ("pages/invite_from_directory.py", "Invite from directory", ":material/person_search:"),
    ("pages/matching.py", "Matching", ":material/join_inner:"),
    ("pages/progress.py", "Pilot progress", ":material/timeline:"),
    ("pages/dashboard.py", "Dashboard", ":material/monitoring:"),
    ("pages/outbox.py", "Sent messages", ":material/outgoing_mail:"),
    ("pages/audit.py", "Audit log", ":material/history:"),
]
MENTEE_PAGES = [
    HOME_PAGE,
    ("pages/my_goals.py", "My learning goals", ":material/flag:"),
    ("pages/my_profile.py", "My profile", ":material/person:"),
    ("pages/my_pair.py", "My pair", ":material/handshake:"),
]
MENTOR_PAGES = [
    HOME_PAGE,
    ("pages/my_expertise.py", "My expertise", ":material/school:"),
    ("pages/my_profile.py", "My profile", ":material/person:"),
    ("pages/my_pair.py", "My pair", ":material/handshake:"),
]
STAFF_PAGES = [
    ("pages/new_pilot.py", "New pilot", ":material/add_circle:"),
    ("pages/directory.py", "Directory", ":material/account_tree:"),
]
ACCOUNT_PAGES = [("pages/account.py", "Account", ":material/manage_accounts:")]
# What the portal stores and who sees it: for everyone, signed in or not.
PUBLIC_PAGES = [("pages/privacy.py", "Privacy", ":material/privacy_tip:")]
# Reached from links in emails, signed in or not.
LINK_PAGES = [
    ("pages/accept_invitation.py", "Accept your invitation", ":material/mark_email_read:"),
    ("pages/reset_password.py", "Reset your password", ":material/lock_reset:"),
    ("pages/unsubscribe.py", "Stop reminders", ":material/unsubscribe:"),
]


HOME = "home"


def first_page(pages: list[st.Page] | dict[str, list[st.Page]]) -> st.Page:
    """The page a person lands on: the first their navigation lists."""
    if isinstance(pages, dict):
        return next(page for section in pages.values() for page in section)
    return pages[0]


def url_path(file: str) -> str:
    return file.removeprefix("pages/").removesuffix(".py")


def _page(file: str, title: str, icon: str, **kwargs) -> st.Page:
    return st.Page(file, title=title, icon=icon, url_path=url_path(file), **kwargs)


def _hidden(entries: list[tuple[str, str, str]]) -> list[st.Page]:
    return [_page(f, t, i, visibility="hidden") for f, t, i in entries]


def signed_out_pages(first_run: bool, sign_in_page: Callable[[], None]) -> list[st.Page]:
    if first_run:
        return [_page("pages/first_run.py", "Welcome", ":material/rocket_launch:", default=True)]
    pages = [
        _page("pages/sign_in.py", "Sign in", ":material/login:", default=True),
        _page("pages/join.py", "Volunteer for a pilot", ":material/group_add:"),
        *[_page(*entry) for entry in PUBLIC_PAGES],
        *_hidden(LINK_PAGES),
    ]
    known = {url_path(p[0]) for p in LINK_PAGES} | {"sign_in", "join"}
    every = ADMIN_PAGES + MENTEE_PAGES + MENTOR_PAGES + STAFF_PAGES + ACCOUNT_PAGES
    for file, title, icon in every:
        if url_path(file) not in known:
            known.add(url_path(file))
            pages.append(
                st.Page(
                    sign_in_page,
                    title=title,
                    icon=icon,
                    url_path=url_path(file),
                    visibility="hidden",
                )
            )
    return pages


def signed_in_pages(role: str | None, is_staff: bool) -> dict[str, list[st.Page]]:
    sections: dict[str, list[st.Page]] = {}
    by_role = {Role.ADMIN: ADMIN_PAGES, Role.MENTEE: MENTEE_PAGES, Role.MENTOR: MENTOR_PAGES}
    if role in by_role:
        title = "Run the pilot" if role == Role.ADMIN else "My pilot"
        sections[title] = [_page(*entry) for entry in by_role[role]]
    you = (STAFF_PAGES if is_staff else []) + ACCOUNT_PAGES + PUBLIC_PAGES
    sections["You"] = [_page(*entry) for entry in you] + _hidden(LINK_PAGES)
    return sections
