"""The candour pulse: "could I speak candidly?" (1-5), asked after each session.

Scores are stored per session and person. Each person sees their own again; anybody else's leave
core only as aggregates over at least `pilot.privacy_threshold` distinct respondents: in a small
group a mean identifies people.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from core.access import require_pilot_admin
from core.auth import Actor
from core.errors import NotFound, ValidationFailed
from core.models import CandourPulse, Enrollment, MentoringSession, Pair, Role
from core.pairs.access import membership
from core.privacy.gate import gate

SCORES = range(1, 6)


def candour_problem(score: int | None) -> str | None:
    if score is None:
        return None
    if isinstance(score, bool) or not isinstance(score, int) or score not in SCORES:
        return f"choose 1 (not at all) to 5 (completely), or leave it empty (got {score!r})"
    return None


def set_pulse(session_id: int, actor: Actor, score: int | None, *, session: Session) -> None:
    """The actor's own pulse on a logged session (None removes it). Only a member of that
    session's pair who has not withdrawn may write one (`membership` refuses everyone else: an
    admin of this or another pilot, a member of another pair, a withdrawn member), whatever the
    caller checked before; the score is validated here too."""
    entry = session.get(MentoringSession, session_id)
    if entry is None:
        raise NotFound("This session does not exist (was it deleted?).")
    membership(actor, entry.pair_id, session=session)
    if problem := candour_problem(score):
        raise ValidationFailed({"candour": problem})
    person_id = actor.person_id
    pulse = session.exec(
        select(CandourPulse).where(
            CandourPulse.session_id == session_id, CandourPulse.person_id == person_id
        )
    ).first()
    if score is None:
        if pulse is not None:
            session.delete(pulse)
        return
    pulse = pulse or CandourPulse(session_id=session_id, person_id=person_id, score=score)
    pulse.score = score
    session.add(pulse)


def own_pulses(actor: Actor, pair_id: int, *, session: Session) -> dict[int, int]:
    """session id -> the actor's own score on the pair's sessions (nobody else's: a partner's
    pulse is never shown to anyone as an individual score)."""
    return dict(
        session.exec(
            select(CandourPulse.session_id, CandourPulse.score)
            .join(MentoringSession, col(MentoringSession.id) == CandourPulse.session_id)
            .where(MentoringSession.pair_id == pair_id, CandourPulse.person_id == actor.person_id)
        ).all()
    )


@dataclass(frozen=True)
class CandourGroup:
    label: str
    shown: bool
    mean: float | None  # None when hidden
    count: int | None  # number of pulses; None when hidden
    message: str


@dataclass(frozen=True)
class CandourSummary:
    threshold: int
    overall: CandourGroup
    mentees: CandourGroup
    mentors: CandourGroup


def _hidden(label: str, threshold: int) -> CandourGroup:
    return CandourGroup(label, False, None, None, f"Hidden: fewer than {threshold} respondents")


def candour_summary(actor: Actor, pilot_id: int, *, session: Session) -> CandourSummary:
    """Mean and count over the pilot, and per side. The per-side figures are shown only when both
    sides reach the threshold: otherwise the hidden side could be computed from the other two."""
    pilot = require_pilot_admin(actor, pilot_id, session=session)
    threshold = pilot.privacy_threshold
    rows = session.exec(
        select(
            Enrollment.role,
            func.count(),
            func.sum(CandourPulse.score),
            func.count(func.distinct(CandourPulse.person_id)),
        )
        .select_from(CandourPulse)
        .join(MentoringSession, col(MentoringSession.id) == CandourPulse.session_id)
        .join(Pair, col(Pair.id) == MentoringSession.pair_id)
        # The respondent's enrollment is one of the pair's two (only members write a pulse).
        # Reached through the pair, it is a lookup by key; matched on the pilot alone, SQLite
        # walks every enrollment of the pilot for every session (3 s at 2 000 participants).
        .join(
            Enrollment,
            (Enrollment.person_id == CandourPulse.person_id)
            & col(Enrollment.id).in_([Pair.mentee_enrollment_id, Pair.mentor_enrollment_id]),
        )
        .where(Pair.pilot_id == pilot_id)
        .group_by(Enrollment.role)
    ).all()
    by_role = {role: (n, total, people) for role, n, total, people in rows}

    def group(label: str, n: int, total: int, people: int) -> CandourGroup:
        if not gate(None, people, threshold).shown:
            return _hidden(label, threshold)
        return CandourGroup(label, True, total / n, n, f"{people} respondents")

    n = sum(v[0] for v in by_role.values())
    total = sum(v[1] for v in by_role.values())
    people = sum(v[2] for v in by_role.values())
    overall = group("Everyone", n, total, people) if n else _hidden("Everyone", threshold)
    sides = {role: by_role.get(role, (0, 0, 0)) for role in (Role.MENTEE, Role.MENTOR)}
    if all(gate(None, v[2], threshold).shown for v in sides.values()):
        mentees = group("Mentees", *sides[Role.MENTEE])
        mentors = group("Mentors", *sides[Role.MENTOR])
    else:
        mentees, mentors = _hidden("Mentees", threshold), _hidden("Mentors", threshold)
    return CandourSummary(threshold, overall, mentees, mentors)
