"""The admin pages' slow reads, cached so that a rerun answers at once.

Each public function has the signature of the core service it stands for (`actor`, arguments,
`*, session`), so a page swaps the import and keeps calling it through `load`. It first checks
who acts, uncached (`require_pilot_admin`, one indexed query), then reads the pilot's data
version (one more), and only then returns the cached figures, which are computed by a core
function that takes no actor. The cache key is (database, pilot, data version, access scope,
arguments):

- never stale after a write: every write bumps the pilot's version in its own transaction
  (core.versions), so the next read asks for a key nobody computed yet;
- shared between the admins of one pilot (same key) and never across pilots (the pilot id)
  nor across roles: a person who is not the pilot's admin is refused before any cached value is
  looked up, and the scope keeps figures computed for one audience apart from another's;
- a miss computes on the caller's session, in the same transaction that read the version.

`st.cache_data` hands every caller its own copy (values are pickled), so a page may change what
it gets. Dates ("today") are part of the key of figures that depend on them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import streamlit as st
from sqlmodel import Session

from core.access import get_pilot, require_pilot_admin
from core.auth import Actor
from core.dashboard.frames import DashboardFilters
from core.dashboard.view import DashboardView, FilterOptions, dashboard_view_of_pilot
from core.models import MatchRun
from core.pairs.coverage import Coverage, coverage_of_pilot
from core.pairs.exit import ConcernView, PairEventView, concerns_of_pilot, events_of_pilot
from core.pairs.review import PairRow, latest_run_of_pilot, pairs_of_pilot
from core.people.participants import ParticipantRow, roster_of_pilot
from core.tracking.at_risk import AtRisk, at_risk_of_pilot
from core.tracking.home import lands_on_admin_home
from core.tracking.milestone_progress import OverdueMilestone, overdue_of_pilot
from core.tracking.next_step import ParticipantHome, participant_home
from core.tracking.pilot_checklist import AdminHome, admin_home_of_pilot
from core.tracking.progress_overview import PairProgress, progress_of_pilot
from core.versions.data_version import data_version

# The admins of the pilot: the only audience of these figures today.
ADMIN_SCOPE = "pilot_admin"
# Old versions are never asked for again; these bounds only free their memory.
TTL = "1h"
ENTRIES = 64
Key = tuple[str, int, int, str]


def _admin_key(actor: Actor, pilot_id: int, *, session: Session) -> Key:
    """Refuses anyone but the pilot's admins, then names the figures they may see."""
    require_pilot_admin(actor, pilot_id, session=session)
    database = str(session.get_bind().url)  # the password is masked: the key names, not opens
    return database, pilot_id, data_version(pilot_id, session=session), ADMIN_SCOPE


def _today() -> date:
    return datetime.now(UTC).date()


# --- dashboard -----------------------------------------------------------------------------------


@st.cache_data(ttl=TTL, max_entries=ENTRIES, show_spinner=False)
def _dashboard_view(
    database: str,
    pilot_id: int,
    version: int,
    scope: str,
    filters: DashboardFilters,
    as_of: date,
    _session: Session,
) -> DashboardView:
    return dashboard_view_of_pilot(pilot_id, filters, session=_session, as_of=as_of)


@st.cache_data(ttl=TTL, max_entries=ENTRIES, show_spinner=False)
def _filter_options(
    database: str, pilot_id: int, version: int, scope: str, as_of: date, _session: Session
) -> FilterOptions:
    # The unfiltered view: the one the first render shows anyway, so it is computed only once.
    view = _dashboard_view(
        database, pilot_id, version, scope, DashboardFilters(), as_of, _session=_session
    )
    return view.options


def dashboard_view(
    actor: Actor, pilot_id: int, filters: DashboardFilters | None = None, *, session: Session
) -> DashboardView:
    key = _admin_key(actor, pilot_id, session=session)
    return _dashboard_view(*key, filters or DashboardFilters(), _today(), _session=session)


def dashboard_filter_options(actor: Actor, pilot_id: int, *, session: Session) -> FilterOptions:
    """The filters' choices (from the whole pilot), before the filters are drawn."""
    key = _admin_key(actor, pilot_id, session=session)
    return _filter_options(*key, _today(), _session=session)


# --- matching ------------------------------------------------------------------------------------


@st.cache_data(ttl=TTL, max_entries=ENTRIES, show_spinner=False)
def _coverage(
    database: str, pilot_id: int, version: int, scope: str, _session: Session
) -> Coverage:
    return coverage_of_pilot(pilot_id, session=_session)


@st.cache_data(ttl=TTL, max_entries=ENTRIES, show_spinner=False)
def _pairs(
    database: str, pilot_id: int, version: int, scope: str, _session: Session
) -> list[PairRow]:
    return pairs_of_pilot(pilot_id, session=_session)


@st.cache_data(ttl=TTL, max_entries=ENTRIES, show_spinner=False)
def _latest_run(
    database: str, pilot_id: int, version: int, scope: str, _session: Session
) -> MatchRun | None:
    return latest_run_of_pilot(pilot_id, session=_session)


def coverage_summary(actor: Actor, pilot_id: int, *, session: Session) -> Coverage:
    return _coverage(*_admin_key(actor, pilot_id, session=session), _session=session)


def list_pairs(actor: Actor, pilot_id: int, *, session: Session) -> list[PairRow]:
    return _pairs(*_admin_key(actor, pilot_id, session=session), _session=session)


def latest_run(actor: Actor, pilot_id: int, *, session: Session) -> MatchRun | None:
    return _latest_run(*_admin_key(actor, pilot_id, session=session), _session=session)


# --- progress ------------------------------------------------------------------------------------


@st.cache_data(ttl=TTL, max_entries=ENTRIES, show_spinner=False)
def _progress(
    database: str, pilot_id: int, version: int, scope: str, today: date, _session: Session
) -> list[PairProgress]:
    # The at-risk list of the same key: computed once for both (Home and the page ask for it).
    risks = _at_risk(database, pilot_id, version, scope, today, _session=_session)
    return progress_of_pilot(pilot_id, session=_session, today=today, risks=risks)


@st.cache_data(ttl=TTL, max_entries=ENTRIES, show_spinner=False)
def _at_risk(
    database: str, pilot_id: int, version: int, scope: str, today: date, _session: Session
) -> list[AtRisk]:
    return at_risk_of_pilot(pilot_id, session=_session, today=today)


@st.cache_data(ttl=TTL, max_entries=ENTRIES, show_spinner=False)
def _events(
    database: str, pilot_id: int, version: int, scope: str, _session: Session
) -> dict[int, list[PairEventView]]:
    return events_of_pilot(pilot_id, session=_session)


def events_by_pair(
    actor: Actor, pilot_id: int, *, session: Session
) -> dict[int, list[PairEventView]]:
    return _events(*_admin_key(actor, pilot_id, session=session), _session=session)


def pilot_progress(actor: Actor, pilot_id: int, *, session: Session) -> list[PairProgress]:
    key = _admin_key(actor, pilot_id, session=session)
    return _progress(*key, date.today(), _session=session)


def at_risk_pairs(actor: Actor, pilot_id: int, *, session: Session) -> list[AtRisk]:
    key = _admin_key(actor, pilot_id, session=session)
    return _at_risk(*key, date.today(), _session=session)


@st.cache_data(ttl=TTL, max_entries=ENTRIES, show_spinner=False)
def _overdue(
    database: str, pilot_id: int, version: int, scope: str, today: date, _session: Session
) -> list[OverdueMilestone]:
    return overdue_of_pilot(pilot_id, session=_session, today=today)


def overdue_pair_milestones(
    actor: Actor, pilot_id: int, *, session: Session
) -> list[OverdueMilestone]:
    key = _admin_key(actor, pilot_id, session=session)
    return _overdue(*key, date.today(), _session=session)


@st.cache_data(ttl=TTL, max_entries=ENTRIES, show_spinner=False)
def _concerns(
    database: str, pilot_id: int, version: int, scope: str, _session: Session
) -> list[ConcernView]:
    return concerns_of_pilot(pilot_id, session=_session)


def pilot_concerns(actor: Actor, pilot_id: int, *, session: Session) -> list[ConcernView]:
    """Open concerns first, newest first (core.pairs.exit.list_concerns)."""
    key = _admin_key(actor, pilot_id, session=session)
    return _concerns(*key, _session=session)


# --- home ----------------------------------------------------------------------------------------


@st.cache_data(ttl=TTL, max_entries=ENTRIES, show_spinner=False)
def _admin_home(
    database: str, pilot_id: int, version: int, scope: str, today: date, _session: Session
) -> AdminHome:
    pilot = get_pilot(pilot_id, session=_session)
    risks = _at_risk(database, pilot_id, version, scope, today, _session=_session)
    return admin_home_of_pilot(pilot, session=_session, today=today, risks=risks)


def home_of(actor: Actor, pilot_id: int, *, session: Session) -> AdminHome | ParticipantHome:
    """core.tracking.home.home_of with the admin's checklist cached (a participant's own path
    is theirs alone and cheap: it is not)."""
    if lands_on_admin_home(actor, pilot_id, session=session):
        key = _admin_key(actor, pilot_id, session=session)
        return _admin_home(*key, date.today(), _session=session)
    return participant_home(actor, pilot_id, session=session)


# --- participants --------------------------------------------------------------------------------


@st.cache_data(ttl=TTL, max_entries=ENTRIES, show_spinner=False)
def _participants(
    database: str, pilot_id: int, version: int, scope: str, role: str | None,
    status: str | None, search: str, _session: Session,
) -> list[ParticipantRow]:  # fmt: skip
    return roster_of_pilot(pilot_id, role=role, status=status, search=search, session=_session)


def participants(
    actor: Actor, pilot_id: int, *, role: str | None = None, status: str | None = None,
    search: str = "", session: Session,
) -> list[ParticipantRow]:  # fmt: skip
    """The roster (core.people.participants.list_participants), filtered as asked."""
    key = _admin_key(actor, pilot_id, session=session)
    return _participants(*key, role, status, search, _session=session)
