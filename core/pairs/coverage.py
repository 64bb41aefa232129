"""How far the current pairs reach: mentees, their goals and mentors."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from core.access import get_pilot, require_pilot_admin
from core.auth import Actor
from core.models import (
    EnrollmentStatus,
    PairStatus,
    Role,
)
from core.pairs.population import (
    load_population,
)


@dataclass(frozen=True)
class Coverage:
    mentees_matched: int
    mentees_total: int
    goals_covered: int
    goals_total: int
    mentors_used: int
    mentors_total: int


def coverage_summary(actor: Actor, pilot_id: int, *, session: Session) -> Coverage:
    """How far the current pairs (suggested or decided) reach: mentees, their goals, mentors."""
    require_pilot_admin(actor, pilot_id, session=session)
    return coverage_of_pilot(pilot_id, session=session)


def coverage_of_pilot(pilot_id: int, *, session: Session) -> Coverage:
    """`coverage_summary` with no access check: callers check who acts first (ui.cached)."""
    pilot = get_pilot(pilot_id, session=session)
    pop = load_population(pilot, session=session)
    holding = [p for p in pop.pairs if p.status in PairStatus.HOLDING]
    matched = {p.mentee_enrollment_id for p in holding}
    mentees = [
        e.id
        for e in pop.enrollments.values()
        if e.role == Role.MENTEE and e.status == EnrollmentStatus.ACTIVE
    ]
    mentors = [
        e
        for e in pop.enrollments.values()
        if e.role == Role.MENTOR and e.status == EnrollmentStatus.ACTIVE
    ]
    goals_total = sum(len(pop.goals.get(m, {})) for m in mentees)  # type: ignore[arg-type]
    covered = sum(
        sum(
            1
            for t in pop.goals.get(p.mentee_enrollment_id, {})
            if t in pop.expertise.get(p.mentor_enrollment_id, {})
        )
        for p in holding
    )
    return Coverage(
        len(matched), len(mentees), covered, goals_total,
        len({p.mentor_enrollment_id for p in holding}), len(mentors),
    )  # fmt: skip
