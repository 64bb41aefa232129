"""Running a matching for a pilot and writing the suggestions back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session, delete

from core.access import require_pilot_admin
from core.auth import Actor
from core.errors import DomainError, ValidationFailed
from core.matching import DEFAULT_WEIGHTS, suggest_pairs
from core.models import (
    EnrollmentStatus,
    MatchRun,
    Pair,
    PairStatus,
    PilotStatus,
    Role,
)
from core.pairs.coverage import MenteeCounts, mentee_counts_after_run
from core.pairs.locks import lock_matching
from core.pairs.population import (
    build_instance,
    is_kept,
    load_population,
)
from core.privacy.audit import record

OBJECTIVES = {
    "score": "Best total score: the strongest pairs overall, even if a few mentees wait.",
    "coverage": "Most mentees matched first, then the best total score among those.",
}


@dataclass(frozen=True)
class MatchSummary:
    run_id: int
    suggested: int
    kept: int
    mentees_total: int  # mentees in the pilot (core.pairs.coverage)
    matched: int  # of those, the ones with a pair after this run
    total_score: float
    proved_optimal: bool
    unmatched: list[dict]
    goals_total: int
    goals_covered: int
    mentors_used: int
    mentors_total: int
    timings: dict[str, float]
    mentees: MenteeCounts | None = None


def _validate_weights(weights: dict[str, float]) -> dict[str, float]:
    errors = {}
    clean = {}
    for key, value in weights.items():
        if key not in DEFAULT_WEIGHTS:
            errors[key] = "is not a matching weight"
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            errors[key] = "must be a number"
            continue
        if not 0 <= number <= 100:
            errors[key] = "must be between 0 and 100"
        clean[key] = number
    if not errors and clean and sum(clean.values()) <= 0:
        errors["weights"] = "at least one weight must be above 0"
    if errors:
        raise ValidationFailed(errors)
    return clean


def run_matching(
    actor: Actor,
    pilot_id: int,
    *,
    objective: str | None = None,
    weights: dict[str, float] | None = None,
    session: Session,
    progress: Callable[[float, str], None] | None = None,
) -> MatchSummary:
    """Suggest pairs for everybody not yet in a decided pair; earlier unlocked suggestions are
    replaced, approved/published/locked pairs stay. Two runs, or a run and the admins' review,
    queue on the pilot's matching lock, so the second reads what the first saved."""
    pilot = require_pilot_admin(actor, pilot_id, session=session)
    lock_matching(pilot_id, session=session)
    if pilot.status in (PilotStatus.DRAFT, PilotStatus.CLOSED):
        raise DomainError(
            f"The pilot is {pilot.status}: open it for recruiting or matching before matching."
        )
    objective = objective or pilot.match_objective or "score"
    if objective not in OBJECTIVES:
        raise ValidationFailed({"objective": f"choose one of: {', '.join(OBJECTIVES)}"})
    if weights is not None:
        pilot.match_weights = _validate_weights(weights)
    pilot.match_objective = objective
    step = progress or (lambda _f, _t: None)
    step(0.1, "Reading participants")
    pop = load_population(pilot, session=session)
    matching_input = build_instance(pop)
    instance = matching_input.instance
    step(0.3, f"Optimising {len(instance.mentees)} mentees × {len(instance.mentors)} mentors")
    result = suggest_pairs(instance, objective=objective)
    step(0.8, "Saving suggestions")
    by_email = {pop.email(e.id): e.id for e in pop.enrollments.values()}  # type: ignore[misc]
    session.exec(
        delete(Pair).where(
            Pair.pilot_id == pilot_id,
            Pair.status == PairStatus.SUGGESTED,
            Pair.locked == False,  # noqa: E712
        )
    )
    run = MatchRun(
        pilot_id=pilot_id,
        created_by_id=actor.person_id,
        objective=objective,
        weights={**DEFAULT_WEIGHTS, **pilot.match_weights},
        total_score=result.total_score,
        matched=result.matched,
        mentees=len(instance.mentees),
        proved_optimal=result.proved_optimal,
    )
    session.add(run)
    session.flush()
    for sp in result.pairs:
        session.add(
            Pair(
                pilot_id=pilot_id,
                run_id=run.id,
                mentee_enrollment_id=by_email[sp.mentee],
                mentor_enrollment_id=by_email[sp.mentor],
                score=sp.score,
                reasons=list(sp.reasons),
                uncovered=[int(t) for t in sp.uncovered_topics],
                alternatives=[
                    {
                        "mentor_enrollment_id": by_email[m],
                        "name": pop.name(by_email[m]),
                        "score": s,
                    }
                    for m, s in result.alternatives.get(sp.mentee, [])
                ],
            )
        )
    unmatched = [
        {"enrollment_id": by_email[m], "name": pop.name(by_email[m]), "reason": reason}
        for m, reason in result.unmatched
    ] + [
        {"enrollment_id": eid, "name": pop.name(eid), "reason": reason}
        for eid, reason in matching_input.excluded.items()
        if pop.enrollments[eid].role == Role.MENTEE
        and pop.enrollments[eid].status != EnrollmentStatus.WITHDRAWN
    ]
    run.unmatched = unmatched
    session.add(run)
    session.add(pilot)
    session.flush()
    step(1.0, "Done")
    kept = sum(1 for p in pop.pairs if is_kept(p))
    record(
        session,
        actor,
        "matching.run",
        pilot_id,
        {},
        {
            "run_id": run.id,
            "objective": run.objective,
            "weights": run.weights,
            "suggested": len(result.pairs),
            "unmatched": len(unmatched),
        },
    )
    goals_total = sum(len(m.goals) for m in instance.mentees)
    goals_covered = sum(
        len(instance.mentees[instance.mentee_index[sp.mentee]].goals) - len(sp.uncovered)
        for sp in result.pairs
    )
    # Counted like every other page counts them, not from the engine's own population (which
    # leaves out mentees not ready for matching).
    counts = mentee_counts_after_run(pop, unmatched, session=session)
    return MatchSummary(
        run_id=run.id,  # type: ignore[arg-type]
        suggested=len(result.pairs),
        kept=kept,
        mentees_total=counts.in_pilot,
        matched=counts.with_pair,
        total_score=result.total_score,
        proved_optimal=result.proved_optimal,
        unmatched=unmatched,
        goals_total=goals_total,
        goals_covered=goals_covered,
        mentors_used=len({sp.mentor for sp in result.pairs}),
        mentors_total=len(instance.mentors),
        timings=dict(result.timings),
        mentees=counts,
    )


# --- review by the admin ---------------------------------------------------------------------
