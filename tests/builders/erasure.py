"""Copies of m1's (Margaret Okafor's) name and email planted where the portal keeps them for
other people, on the hand-built pilot of tests.builders.dashboard: t2's manager, another pair's
alternatives and reasons, a matching run's unmatched list, her own and her partner's private
notes. The erasure tests (core and command line) check every copy is gone."""

from __future__ import annotations

from sqlmodel import Session, select

from core.models import MatchRun, MentoringSession, Pair, Person, SessionNote

NAME, EMAIL = "Margaret Okafor", "m1@example.com"
M1_NOTE = "My own note: ask about prompt libraries"
T1_NOTE = "Private: Margaret Okafor seemed tired today"


def plant_copies(session: Session, built, *, manager_email: str = EMAIL) -> None:  # noqa: ANN001
    """Adds the copies to the session (not committed: a test may add more first)."""
    m1, t1 = built.actors["m1"], built.actors["t1"]
    kai = session.get(Person, built.actors["t2"].person_id)
    kai.manager_email = manager_email
    first = session.exec(
        select(MentoringSession).where(MentoringSession.pair_id == built.pair_ids["p1"])
    ).first()
    p4 = session.get(Pair, built.pair_ids["p4"])
    p4.alternatives = [{"mentor_enrollment_id": 1, "name": NAME, "score": 0.5}]
    p4.reasons = [f"Shares a manager with {NAME}"]
    session.add_all(
        [
            kai,
            p4,
            SessionNote(session_id=first.id, author_id=m1.person_id, text=M1_NOTE),
            SessionNote(session_id=first.id, author_id=t1.person_id, text=T1_NOTE),
            MatchRun(pilot_id=built.pilot_id, unmatched=[{"enrollment_id": 1, "name": NAME}]),
        ]
    )
