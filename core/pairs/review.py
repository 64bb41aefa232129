"""The admin's review of suggested pairs: list, approve, reject, lock, swap, publish."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from core.access import require_pilot_admin
from core.auth import Actor
from core.errors import DomainError, NotAllowed, NotFound, ValidationFailed
from core.matching import pair_reasons, pair_score, pair_violations
from core.models import (
    Enrollment,
    Expertise,
    LearningGoal,
    MatchRun,
    Pair,
    PairEvent,
    PairEventKind,
    PairStatus,
    Person,
    Pilot,
    Role,
    Topic,
    utcnow,
)
from core.pairs.coverage import match_in_words
from core.pairs.locks import lock_matching, lock_pair
from core.pairs.population import eligibility, load_population, pair_instance
from core.privacy.audit import record

CHOSEN_BY_TEAM = "Chosen by the programme team"


@dataclass(frozen=True)
class PairRow:
    pair_id: int
    mentee: str
    mentee_department: str
    mentor: str
    mentor_department: str
    mentor_enrollment_id: int
    score: float
    status: str
    locked: bool
    reasons: list[str]
    uncovered: list[str]  # goal topic names, as the topics are called now
    alternatives: list[dict]
    mentee_response: str
    mentor_response: str
    in_words: str = ""  # the score explained: "strong match: covers 2 of 3 must-have goals"


def list_pairs(actor: Actor, pilot_id: int, *, session: Session) -> list[PairRow]:
    """Every pair of the pilot but ended ones, best score first, for the admins' review."""
    require_pilot_admin(actor, pilot_id, session=session)
    return pairs_of_pilot(pilot_id, session=session)


def pairs_of_pilot(pilot_id: int, *, session: Session) -> list[PairRow]:
    """`list_pairs` with no access check: callers check who acts first (ui.cached)."""
    pairs = session.exec(
        select(Pair)
        .where(Pair.pilot_id == pilot_id, Pair.status != PairStatus.ENDED)
        .order_by(Pair.score.desc())  # type: ignore[attr-defined]
    ).all()
    ids = {p.mentee_enrollment_id for p in pairs} | {p.mentor_enrollment_id for p in pairs}
    rows = session.exec(
        select(Enrollment.id, Person.name, Person.department)
        .join(Person, Person.id == Enrollment.person_id)
        .where(Enrollment.id.in_(ids))  # type: ignore[union-attr]
    ).all()
    who = {eid: (name, dept) for eid, name, dept in rows}
    topic_names = dict(
        session.exec(select(Topic.id, Topic.name).where(Topic.pilot_id == pilot_id)).all()
    )
    goals: dict[int, dict[int, int]] = {}
    for eid, topic, priority in session.exec(
        select(LearningGoal.enrollment_id, LearningGoal.topic_id, LearningGoal.priority).where(
            col(LearningGoal.enrollment_id).in_(ids)
        )
    ).all():
        goals.setdefault(eid, {})[topic] = priority
    expertise: dict[int, dict[int, int]] = {}
    for eid, topic, level in session.exec(
        select(Expertise.enrollment_id, Expertise.topic_id, Expertise.level).where(
            col(Expertise.enrollment_id).in_(ids)
        )
    ).all():
        expertise.setdefault(eid, {})[topic] = level
    return [
        PairRow(
            p.id,
            *who[p.mentee_enrollment_id],
            who[p.mentor_enrollment_id][0],  # type: ignore[arg-type]
            who[p.mentor_enrollment_id][1],
            p.mentor_enrollment_id,
            p.score,
            p.status,
            p.locked,
            list(p.reasons),
            [topic_names[t] for t in p.uncovered if t in topic_names],
            list(p.alternatives),
            p.mentee_response,
            p.mentor_response,
            match_in_words(
                p.score,
                goals.get(p.mentee_enrollment_id, {}),
                expertise.get(p.mentor_enrollment_id, {}),
            ),
        )  # fmt: skip
        for p in pairs
    ]


def latest_run(actor: Actor, pilot_id: int, *, session: Session) -> MatchRun | None:
    require_pilot_admin(actor, pilot_id, session=session)
    return latest_run_of_pilot(pilot_id, session=session)


def latest_run_of_pilot(pilot_id: int, *, session: Session) -> MatchRun | None:
    """`latest_run` with no access check: callers check who acts first (ui.cached)."""
    return session.exec(
        select(MatchRun).where(MatchRun.pilot_id == pilot_id).order_by(MatchRun.id.desc())  # type: ignore[union-attr]
    ).first()


@dataclass(frozen=True)
class PairDecision:
    pair_id: int
    action: str  # "approve", "reject", "lock", "unlock", "swap", "keep"
    mentor_enrollment_id: int | None = None  # for "swap"


def _admin_pair(actor: Actor, pair_id: int, *, session: Session) -> Pair:
    pair = lock_pair(pair_id, session=session)
    if pair is None:
        raise NotFound("This pair no longer exists; run matching again or refresh.")
    require_pilot_admin(actor, pair.pilot_id, session=session)
    return pair


@dataclass(frozen=True)
class SwapCheck:
    """The new pair as the engine judges it: the hard rules it breaks, and its score."""

    problems: list[str]
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)
    uncovered: list[str] = field(default_factory=list)


def check_swap(pair: Pair, mentor_enrollment_id: int, *, session: Session) -> SwapCheck:
    """The pair's mentee with another mentor, checked and scored by the engine on the instance a
    full run would build (all of the pilot's topics, weights, org chart and remembered pairs)."""
    pilot = session.get(Pilot, pair.pilot_id)
    assert pilot is not None
    pop = load_population(pilot, session=session)
    mentor = pop.enrollments.get(mentor_enrollment_id)
    if mentor is None or mentor.role != Role.MENTOR:
        return SwapCheck(["the new mentor is not a mentor of this pilot"])
    if reason := eligibility(pop, mentor):
        return SwapCheck([f"{pop.name(mentor_enrollment_id)} {reason}"])
    load = sum(
        1
        for p in pop.pairs
        if p.mentor_enrollment_id == mentor_enrollment_id
        and p.status in PairStatus.HOLDING
        and p.id != pair.id
    )
    problems = []
    if load >= mentor.capacity:
        problems.append(
            f"{pop.name(mentor_enrollment_id)} is already at capacity ({mentor.capacity})"
        )
    inst = pair_instance(pop, pair, mentor_enrollment_id)
    mentee_id, mentor_id = inst.mentees[0].id, inst.mentors[0].id
    problems.extend(pair_violations(inst, mentee_id, mentor_id))
    reasons, uncovered = pair_reasons(inst, inst.mentees[0], inst.mentors[0])
    return SwapCheck(problems, pair_score(inst, mentee_id, mentor_id), reasons, uncovered)


def swap_problems(pair: Pair, mentor_enrollment_id: int, *, session: Session) -> list[str]:
    """Why the new mentor cannot take this mentee (empty when the swap is allowed)."""
    return check_swap(pair, mentor_enrollment_id, session=session).problems


def review_pairs(
    actor: Actor, pilot_id: int, decisions: list[PairDecision], *, session: Session
) -> int:
    """Apply the admin's review of the table at once; one bad decision refuses them all. Holds
    the pilot's matching lock: a run started meanwhile waits, then sees the approved pairs as
    kept (or this review finds the suggestions it names replaced)."""
    require_pilot_admin(actor, pilot_id, session=session)
    lock_matching(pilot_id, session=session)
    errors: dict[str, str] = {}
    changed = 0
    applied: list[dict] = []
    for d in decisions:
        pair = _admin_pair(actor, d.pair_id, session=session)
        if pair.pilot_id != pilot_id:
            raise NotAllowed("That pair belongs to another pilot.")
        if d.action == "keep":
            continue
        if pair.status not in (PairStatus.SUGGESTED, PairStatus.APPROVED):
            errors[f"pair {pair.id}"] = f"is already {pair.status} and cannot be changed here"
            continue
        if d.action == "approve":
            pair.status = PairStatus.APPROVED
        elif d.action == "reject":
            pair.status = PairStatus.REJECTED
            pair.locked = False
        elif d.action in ("lock", "unlock"):
            pair.locked = d.action == "lock"
        elif d.action == "swap":
            if d.mentor_enrollment_id is None:
                errors[f"pair {pair.id}"] = "choose the new mentor"
                continue
            swap = check_swap(pair, d.mentor_enrollment_id, session=session)
            if swap.problems:
                errors[f"pair {pair.id}"] = "; ".join(swap.problems)
                continue
            old = pair.mentor_enrollment_id
            pair.mentor_enrollment_id = d.mentor_enrollment_id
            pair.locked = True
            # The dashboard's scores and goal coverage read these: they describe the new pair.
            pair.score = swap.score
            pair.reasons = [CHOSEN_BY_TEAM, *swap.reasons]
            pair.uncovered = swap.uncovered
            pair.alternatives = [
                a for a in pair.alternatives if a["mentor_enrollment_id"] != d.mentor_enrollment_id
            ]
            session.add(
                PairEvent(
                    pair_id=pair.id,
                    person_id=actor.person_id,
                    kind=PairEventKind.SWAPPED,
                    note=f"from enrollment {old}",
                )
            )  # type: ignore[arg-type]
        else:
            errors[f"pair {pair.id}"] = f"unknown action '{d.action}'"
            continue
        session.add(pair)
        changed += 1
        applied.append(
            {"pair_id": pair.id, "action": d.action, "status": pair.status, "locked": pair.locked}
            | ({"mentor_enrollment_id": d.mentor_enrollment_id} if d.action == "swap" else {})
        )
    if errors:
        raise ValidationFailed(errors)
    session.flush()
    if applied:
        record(session, actor, "matching.reviewed", pilot_id, {}, {"decisions": applied})
    return changed


def publish_pairs(actor: Actor, pilot_id: int, *, session: Session) -> int:
    """Approved pairs become visible to both members, who then accept or decline."""
    require_pilot_admin(actor, pilot_id, session=session)
    lock_matching(pilot_id, session=session)
    pairs = session.exec(
        select(Pair)
        .where(Pair.pilot_id == pilot_id, Pair.status == PairStatus.APPROVED)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    if not pairs:
        raise DomainError("No approved pairs to publish: approve some suggestions first.")
    now = utcnow()
    for pair in pairs:
        pair.status = PairStatus.PUBLISHED
        pair.published_at = now
        session.add(pair)
    session.flush()
    record(
        session, actor, "matching.published", pilot_id, {"status": PairStatus.APPROVED},
        {"status": PairStatus.PUBLISHED, "pair_ids": [p.id for p in pairs]},
    )  # fmt: skip
    return len(pairs)
