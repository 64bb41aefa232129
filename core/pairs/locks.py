"""Locks that keep a pair's state consistent when two people act on it at the same moment.

Two members accepting at once must both be counted, and a matching run must not suggest a
second pair for a mentee whom an admin is approving meanwhile. On PostgreSQL (several servers)
the pair's row is locked for a state change (`SELECT ... FOR UPDATE`, read fresh once the lock
is held), and every change to a pilot's set of suggestions (a run, the review, publishing) holds
one advisory lock per pilot. On SQLite the unit's `BEGIN IMMEDIATE` already lets one writer
through at a time, so the same calls cost nothing there.
"""

from __future__ import annotations

from sqlmodel import Session

from core.db import lock_pilot
from core.models import Pair

# The advisory-lock namespace of "the pilot's suggestions are being changed".
MATCHING_LOCK = 1


def lock_pair(pair_id: int, *, session: Session) -> Pair | None:
    """The pair as committed once its row lock is held (None if it no longer exists); any copy
    this session read before is refreshed, so the caller decides on the current state."""
    return session.get(Pair, pair_id, with_for_update=True, populate_existing=True)


def lock_matching(pilot_id: int, *, session: Session) -> None:
    """Wait until no other unit is changing this pilot's suggestions; held until commit."""
    lock_pilot(session, MATCHING_LOCK, pilot_id)
