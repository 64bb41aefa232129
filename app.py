"""The app frame: page config, sign-in gate, role-based navigation. Nothing else lives here."""

from __future__ import annotations

import streamlit as st

from core.auth import needs_first_admin
from core.models import Role
from core.pilots.settings import my_pilots
from ui.context import current_actor, run, show_flash

st.set_page_config(page_title="Reverse mentoring portal", page_icon="🔁", layout="wide")
st.session_state.setdefault("actor", None)
st.session_state.setdefault("pilot_id", None)

ROLE_LABELS = {Role.ADMIN: "Programme admin", Role.MENTEE: "Mentee", Role.MENTOR: "Mentor"}


def page(path: str, title: str, icon: str, **kwargs) -> st.Page:
    return st.Page(path, title=title, icon=icon, **kwargs)


def signed_out_pages() -> list[st.Page]:
    if run(needs_first_admin):
        return [page("pages/first_run.py", "Welcome", ":material/rocket_launch:", default=True)]
    return [
        page("pages/sign_in.py", "Sign in", ":material/login:", default=True),
        page("pages/join.py", "Join a pilot", ":material/group_add:"),
    ]


def _follow_sidebar_pilot() -> None:
    # After sign-out cleared the state, a late change event may still arrive: ignore it.
    if "sidebar_pilot" in st.session_state:
        st.session_state.pilot_id = st.session_state.sidebar_pilot


def signed_in_pages(actor) -> dict[str, list[st.Page]]:
    pilots = run(my_pilots, actor)
    role = None
    if pilots:
        ids = [p.id for p in pilots]
        if st.session_state.pilot_id not in ids:
            st.session_state.pilot_id = ids[0]
        # The widget has its own key: "pilot_id" is app state that pages may also set.
        if st.session_state.get("sidebar_pilot") != st.session_state.pilot_id:
            st.session_state.sidebar_pilot = st.session_state.pilot_id
        st.sidebar.selectbox(
            "Pilot",
            ids,
            format_func=lambda i: next(
                f"{p.name} · {ROLE_LABELS[p.role]}" for p in pilots if p.id == i
            ),
            key="sidebar_pilot",
            on_change=_follow_sidebar_pilot,
        )
        role = next(p.role for p in pilots if p.id == st.session_state.pilot_id)
    else:
        st.session_state.pilot_id = None

    sections: dict[str, list[st.Page]] = {}
    if role == Role.ADMIN:
        sections["Run the pilot"] = [
            page("pages/pilot_setup.py", "Pilot set-up", ":material/tune:"),
            page("pages/participants.py", "Participants", ":material/groups:"),
            page("pages/matching.py", "Matching", ":material/join_inner:"),
            page("pages/progress.py", "Pilot progress", ":material/timeline:"),
            page("pages/dashboard.py", "Dashboard", ":material/monitoring:"),
        ]
    elif role == Role.MENTEE:
        sections["My pilot"] = [
            page("pages/my_goals.py", "My learning goals", ":material/flag:"),
            page("pages/my_profile.py", "My profile", ":material/person:"),
            page("pages/my_pair.py", "My pair", ":material/handshake:"),
        ]
    elif role == Role.MENTOR:
        sections["My pilot"] = [
            page("pages/my_expertise.py", "My expertise", ":material/school:"),
            page("pages/my_profile.py", "My profile", ":material/person:"),
            page("pages/my_pair.py", "My pair", ":material/handshake:"),
        ]
    account = [page("pages/account.py", "Account", ":material/manage_accounts:")]
    if actor.is_staff:
        account.insert(0, page("pages/new_pilot.py", "New pilot", ":material/add_circle:"))
        account.insert(1, page("pages/directory.py", "Directory", ":material/account_tree:"))
    sections["You"] = account
    return sections


actor = current_actor()
pages = signed_out_pages() if actor is None else signed_in_pages(actor)
if actor is not None:
    st.sidebar.caption(f"Signed in as **{actor.name}** ({actor.email})")
show_flash()
navigation = st.navigation(pages)
# A page that changed what the navigation offers (e.g. created a pilot) asks for its next page
# here, once the new navigation is registered.
if target := st.session_state.pop("goto", None):
    st.switch_page(target)
navigation.run()
