"""Matching a pilot from the database, and the life of a suggested pair until both accept.

The engine (core.matching) knows nothing of the database: this module turns the pilot's people
into an Instance (emails as ids, so manager chains resolve through anybody in the organisation),
keeps pairs that are already decided out of the optimisation, and writes the suggestions back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlmodel import Session, delete, or_, select

from core.access import require_participant, require_pilot_admin
from core.auth import Actor
from core.errors import DomainError, NotAllowed, NotFound, ValidationFailed
from core.matching import Instance, Mentee, Mentor, pair_violations, suggest_pairs
from core.matching.scoring import DEFAULT_WEIGHTS
from core.models import (
    Enrollment,
    EnrollmentStatus,
    Expertise,
    LearningGoal,
    MatchRun,
    Pair,
    PairEvent,
    PairStatus,
    Person,
    Pilot,
    PilotStatus,
    Role,
    Topic,
    utcnow,
)
from core.tracking.milestone_progress import ORIENTATION_REASON, mentees_missing_orientation

OBJECTIVES = {
    "score": "Best total score: the strongest pairs overall, even if a few mentees wait.",
    "coverage": "Most mentees matched first, then the best total score among those.",
}
# Pairs that are decided and stay as they are when matching runs again.
KEPT = (PairStatus.APPROVED, PairStatus.PUBLISHED, PairStatus.ACTIVE, PairStatus.PAUSED)


@dataclass
class PilotPopulation:
    """Everything matching needs about a pilot, read in a handful of queries."""

    pilot: Pilot
    enrollments: dict[int, Enrollment]
    people: dict[int, Person]  # by person id
    topics: dict[int, Topic]
    goals: dict[int, dict[int, int]]  # mentee enrollment -> topic -> priority
    expertise: dict[int, dict[int, int]]  # mentor enrollment -> topic -> level
    pairs: list[Pair]
    # email -> manager email for the whole organisation: a reporting line may run through
    # people outside the pilot.
    org: dict[str, str | None] = field(default_factory=dict)
    # Mentees who completed neither the orientation on their profile nor the pair milestone.
    missing_orientation: set[int] = field(default_factory=set)
    excluded: dict[int, str] = field(default_factory=dict)  # enrollment -> why left out

    def email(self, enrollment_id: int) -> str:
        return self.people[self.enrollments[enrollment_id].person_id].email

    def name(self, enrollment_id: int) -> str:
        return self.people[self.enrollments[enrollment_id].person_id].name


def load_population(pilot: Pilot, *, session: Session) -> PilotPopulation:
    enrollments = {
        e.id: e
        for e in session.exec(select(Enrollment).where(Enrollment.pilot_id == pilot.id)).all()
    }
    person_ids = {e.person_id for e in enrollments.values()}
    people = {
        p.id: p
        for p in session.exec(select(Person).where(Person.id.in_(person_ids))).all()  # type: ignore[union-attr]
    }
    topics = {t.id: t for t in session.exec(select(Topic).where(Topic.pilot_id == pilot.id)).all()}
    goals: dict[int, dict[int, int]] = {}
    for g in session.exec(
        select(LearningGoal).where(LearningGoal.enrollment_id.in_(enrollments))  # type: ignore[union-attr]
    ).all():
        goals.setdefault(g.enrollment_id, {})[g.topic_id] = g.priority
    expertise: dict[int, dict[int, int]] = {}
    for x in session.exec(
        select(Expertise).where(Expertise.enrollment_id.in_(enrollments))  # type: ignore[union-attr]
    ).all():
        expertise.setdefault(x.enrollment_id, {})[x.topic_id] = x.level
    pairs = list(session.exec(select(Pair).where(Pair.pilot_id == pilot.id)).all())
    org = dict(session.exec(select(Person.email, Person.manager_email)).all())
    missing = (
        mentees_missing_orientation(session, pilot.id) if pilot.orientation_required else set()  # type: ignore[arg-type]
    )
    return PilotPopulation(
        pilot,
        enrollments,
        people,
        topics,
        goals,
        expertise,
        pairs,
        org,
        missing,  # type: ignore[arg-type]
    )


def _is_kept(pair: Pair) -> bool:
    """Decided or locked: the pair stays as it is when matching runs again."""
    return pair.status in KEPT or (pair.locked and pair.status in PairStatus.HOLDING)


def _remembered(pop: PilotPopulation, pairs: list[Pair]) -> frozenset[tuple[str, str]]:
    """(mentee email, mentor email) of pairs never to propose again: rejected, declined, ended."""
    return frozenset(
        (pop.email(p.mentee_enrollment_id), pop.email(p.mentor_enrollment_id))
        for p in pairs
        if p.status in (*PairStatus.EXCLUDED, PairStatus.ENDED)
    )


def _eligibility(pop: PilotPopulation, enrollment: Enrollment) -> str | None:
    """Why a participant is left out of matching, or None when they take part."""
    if enrollment.status == EnrollmentStatus.INVITED:
        return "has not joined the pilot yet"
    if enrollment.status == EnrollmentStatus.WITHDRAWN:
        return "withdrew from the pilot"
    if enrollment.opted_out:
        return "paused their participation (opted out)"
    if enrollment.role == Role.MENTEE:
        if not enrollment.consent:
            return "has not agreed to be mentored by someone more junior"
        if enrollment.id in pop.missing_orientation:
            return ORIENTATION_REASON
        if not pop.goals.get(enrollment.id):  # type: ignore[arg-type]
            return "has not entered any learning goals"
    elif enrollment.role == Role.MENTOR:
        if not enrollment.consent:
            return "has not agreed to take part"
        if not pop.expertise.get(enrollment.id):  # type: ignore[arg-type]
            return "has not entered any expertise"
    return None


def build_instance(pop: PilotPopulation) -> Instance:
    """The engine's input for everybody still to be matched. Decided pairs are taken out: their
    mentee is not matched again and their mentor has that much less capacity."""
    kept = [p for p in pop.pairs if _is_kept(p)]
    kept_mentees = {p.mentee_enrollment_id for p in kept}
    mentor_load: dict[int, int] = {}
    for p in kept:
        mentor_load[p.mentor_enrollment_id] = mentor_load.get(p.mentor_enrollment_id, 0) + 1
    pop.excluded = {}
    mentees, mentors = [], []
    for e in sorted(pop.enrollments.values(), key=lambda e: e.id):  # type: ignore[arg-type, return-value]
        if e.role == Role.ADMIN:
            continue
        if reason := _eligibility(pop, e):
            pop.excluded[e.id] = reason  # type: ignore[index]
            continue
        person = pop.people[e.person_id]
        if e.role == Role.MENTEE:
            if e.id in kept_mentees:
                continue
            mentees.append(
                Mentee(
                    id=person.email,
                    department=person.department,
                    grade=person.grade,
                    manager=person.manager_email,
                    time_zone=person.time_zone or "UTC",
                    goals=dict(pop.goals[e.id]),  # type: ignore[index]
                    offers=tuple(t for t in e.offers if t in pop.topics),
                    availability=tuple(e.availability),
                )
            )
        else:
            left = e.capacity - mentor_load.get(e.id, 0)  # type: ignore[arg-type]
            if left <= 0:
                continue
            mentors.append(
                Mentor(
                    id=person.email,
                    department=person.department,
                    grade=person.grade,
                    manager=person.manager_email,
                    time_zone=person.time_zone or "UTC",
                    expertise=dict(pop.expertise[e.id]),  # type: ignore[index]
                    capacity=left,
                    wants=tuple(t for t in e.wants if t in pop.topics),
                    availability=tuple(e.availability),
                )
            )
    in_instance = {m.id for m in mentees} | {m.id for m in mentors}
    # The whole organisation's manager chain: a reporting line may run through anybody.
    people = {e: m for e, m in pop.org.items() if e not in in_instance}
    forbidden = _remembered(pop, pop.pairs)
    return Instance(
        topics=tuple(sorted(pop.topics)),
        mentees=tuple(mentees),
        mentors=tuple(mentors),
        forbidden=forbidden,
        min_grade_gap=pop.pilot.min_grade_gap,
        weights={**DEFAULT_WEIGHTS, **(pop.pilot.match_weights or {})},
        people=people,
        topic_names={t.id: t.name for t in pop.topics.values()},
    )


@dataclass(frozen=True)
class MatchSummary:
    run_id: int
    suggested: int
    kept: int
    mentees_total: int
    matched: int
    total_score: float
    proved_optimal: bool
    unmatched: list[dict]
    goals_total: int
    goals_covered: int
    mentors_used: int
    mentors_total: int
    timings: dict[str, float]


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
    replaced, approved/published/locked pairs stay."""
    pilot = require_pilot_admin(actor, pilot_id, session=session)
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
    instance = build_instance(pop)
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
                uncovered=list(sp.uncovered),
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
        for eid, reason in pop.excluded.items()
        if pop.enrollments[eid].role == Role.MENTEE
        and pop.enrollments[eid].status != EnrollmentStatus.WITHDRAWN
    ]
    run.unmatched = unmatched
    session.add(run)
    session.add(pilot)
    session.flush()
    step(1.0, "Done")
    kept = sum(1 for p in pop.pairs if _is_kept(p))
    goals_total = sum(len(m.goals) for m in instance.mentees)
    goals_covered = sum(
        len(instance.mentees[instance.mentee_index[sp.mentee]].goals) - len(sp.uncovered)
        for sp in result.pairs
    )
    return MatchSummary(
        run_id=run.id,  # type: ignore[arg-type]
        suggested=len(result.pairs),
        kept=kept,
        mentees_total=len(instance.mentees) + kept,
        matched=result.matched + kept,
        total_score=result.total_score,
        proved_optimal=result.proved_optimal,
        unmatched=unmatched,
        goals_total=goals_total,
        goals_covered=goals_covered,
        mentors_used=len({sp.mentor for sp in result.pairs}),
        mentors_total=len(instance.mentors),
        timings=dict(result.timings),
    )


# --- review by the admin ---------------------------------------------------------------------


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
    uncovered: list[str]
    alternatives: list[dict]
    mentee_response: str
    mentor_response: str


def list_pairs(actor: Actor, pilot_id: int, *, session: Session) -> list[PairRow]:
    """Pairs for review (admins): suggested and decided, newest decisions included."""
    require_pilot_admin(actor, pilot_id, session=session)
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
            list(p.uncovered),
            list(p.alternatives),
            p.mentee_response,
            p.mentor_response,
        )  # fmt: skip
        for p in pairs
    ]


def latest_run(actor: Actor, pilot_id: int, *, session: Session) -> MatchRun | None:
    require_pilot_admin(actor, pilot_id, session=session)
    return session.exec(
        select(MatchRun).where(MatchRun.pilot_id == pilot_id).order_by(MatchRun.id.desc())  # type: ignore[union-attr]
    ).first()


@dataclass(frozen=True)
class PairDecision:
    pair_id: int
    action: str  # "approve", "reject", "lock", "unlock", "swap", "keep"
    mentor_enrollment_id: int | None = None  # for "swap"


def _admin_pair(actor: Actor, pair_id: int, *, session: Session) -> Pair:
    pair = session.get(Pair, pair_id)
    if pair is None:
        raise NotFound("This pair no longer exists; run matching again or refresh.")
    require_pilot_admin(actor, pair.pilot_id, session=session)
    return pair


def swap_problems(pair: Pair, mentor_enrollment_id: int, *, session: Session) -> list[str]:
    """Hard rules the new mentor would break for this mentee, checked by the engine's rules."""
    pilot = session.get(Pilot, pair.pilot_id)
    assert pilot is not None
    pop = load_population(pilot, session=session)
    mentor = pop.enrollments.get(mentor_enrollment_id)
    if mentor is None or mentor.role != Role.MENTOR:
        return ["the new mentor is not a mentor of this pilot"]
    if reason := _eligibility(pop, mentor):
        return [f"{pop.name(mentor_enrollment_id)} {reason}"]
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
    # Ask the engine's own rule check on a two-person instance with the full org chart.
    others = [p for p in pop.pairs if p.id != pair.id]
    pop.pairs = others
    mentee_e = pop.enrollments[pair.mentee_enrollment_id]
    mentee_p, mentor_p = pop.people[mentee_e.person_id], pop.people[mentor.person_id]
    single = Instance(
        topics=tuple(sorted(pop.topics)),
        mentees=(
            Mentee(
                id=mentee_p.email, department=mentee_p.department, grade=mentee_p.grade,
                manager=mentee_p.manager_email, goals=dict(pop.goals.get(mentee_e.id, {})),  # type: ignore[arg-type]
            ),
        ),
        mentors=(
            Mentor(
                id=mentor_p.email, department=mentor_p.department, grade=mentor_p.grade,
                manager=mentor_p.manager_email, expertise=dict(pop.expertise.get(mentor.id, {})),  # type: ignore[arg-type]
            ),
        ),
        forbidden=_remembered(pop, others),
        min_grade_gap=pilot.min_grade_gap,
        people={e: m for e, m in pop.org.items() if e not in (mentee_p.email, mentor_p.email)},
    )  # fmt: skip
    problems.extend(pair_violations(single, mentee_p.email, mentor_p.email))
    return problems


def review_pairs(
    actor: Actor, pilot_id: int, decisions: list[PairDecision], *, session: Session
) -> int:
    """Apply the admin's review of the table at once; one bad decision refuses them all."""
    require_pilot_admin(actor, pilot_id, session=session)
    errors: dict[str, str] = {}
    changed = 0
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
            if problems := swap_problems(pair, d.mentor_enrollment_id, session=session):
                errors[f"pair {pair.id}"] = "; ".join(problems)
                continue
            old = pair.mentor_enrollment_id
            pair.mentor_enrollment_id = d.mentor_enrollment_id
            pair.locked = True
            pair.reasons = [*pair.reasons[:0], "Chosen by the programme team"]
            pair.alternatives = [
                a for a in pair.alternatives if a["mentor_enrollment_id"] != d.mentor_enrollment_id
            ]
            session.add(
                PairEvent(
                    pair_id=pair.id,
                    person_id=actor.person_id,
                    kind="swapped",
                    note=f"from enrollment {old}",
                )
            )  # type: ignore[arg-type]
        else:
            errors[f"pair {pair.id}"] = f"unknown action '{d.action}'"
            continue
        session.add(pair)
        changed += 1
    if errors:
        raise ValidationFailed(errors)
    session.flush()
    return changed


def publish_pairs(actor: Actor, pilot_id: int, *, session: Session) -> int:
    """Approved pairs become visible to both members, who then accept or decline."""
    require_pilot_admin(actor, pilot_id, session=session)
    pairs = session.exec(
        select(Pair).where(Pair.pilot_id == pilot_id, Pair.status == PairStatus.APPROVED)
    ).all()
    if not pairs:
        raise DomainError("No approved pairs to publish: approve some suggestions first.")
    now = utcnow()
    for pair in pairs:
        pair.status = PairStatus.PUBLISHED
        pair.published_at = now
        session.add(pair)
    session.flush()
    return len(pairs)


# --- participants see and answer -------------------------------------------------------------


@dataclass(frozen=True)
class PartnerOffer:
    pair_id: int
    status: str
    my_role: str
    partner_name: str
    partner_title: str
    partner_department: str
    partner_time_zone: str
    reasons: list[str]
    goals: list[tuple[str, int, str]]  # the mentee's goals: topic, priority, objective
    my_response: str
    partner_response: str


def my_offers(actor: Actor, pilot_id: int, *, session: Session) -> list[PartnerOffer]:
    """Published or running pairs of the actor, with what they need to decide."""
    me = require_participant(actor, pilot_id, session=session)
    pairs = session.exec(
        select(Pair).where(
            Pair.pilot_id == pilot_id,
            or_(Pair.mentee_enrollment_id == me.id, Pair.mentor_enrollment_id == me.id),
            Pair.status.in_((PairStatus.PUBLISHED, PairStatus.ACTIVE, PairStatus.PAUSED)),  # type: ignore[attr-defined]
        )
    ).all()
    offers = []
    for pair in pairs:
        mentee_side = pair.mentee_enrollment_id == me.id
        partner_e = session.get(
            Enrollment, pair.mentor_enrollment_id if mentee_side else pair.mentee_enrollment_id
        )
        assert partner_e is not None
        partner = session.get(Person, partner_e.person_id)
        assert partner is not None
        goals = session.exec(
            select(Topic.name, LearningGoal.priority, LearningGoal.objective)
            .join(LearningGoal, LearningGoal.topic_id == Topic.id)
            .where(LearningGoal.enrollment_id == pair.mentee_enrollment_id)
            .order_by(LearningGoal.priority)
        ).all()
        offers.append(
            PartnerOffer(
                pair.id,
                pair.status,
                me.role,
                partner.name,
                partner.job_title,  # type: ignore[arg-type]
                partner.department,
                partner.time_zone,
                list(pair.reasons),
                [tuple(g) for g in goals],  # type: ignore[misc]
                pair.mentee_response if mentee_side else pair.mentor_response,
                pair.mentor_response if mentee_side else pair.mentee_response,
            )  # fmt: skip
        )
    return offers


def respond_to_pair(
    actor: Actor, pair_id: int, accept: bool, reason: str = "", *, session: Session
) -> Pair:
    """Accept or decline a published pair. A decline frees both, is remembered (never suggested
    again) and its reason is seen by the programme team only."""
    pair = session.get(Pair, pair_id)
    if pair is None:
        raise NotFound("This pair no longer exists.")
    me = require_participant(actor, pair.pilot_id, session=session)
    if me.id not in (pair.mentee_enrollment_id, pair.mentor_enrollment_id):
        raise NotAllowed("You are not a member of this pair.")
    if pair.status != PairStatus.PUBLISHED:
        raise DomainError(f"This pair is {pair.status}; there is nothing to answer.")
    if len(reason or "") > 500:
        raise ValidationFailed({"reason": f"must be at most 500 characters (now {len(reason)})"})
    answer = "accepted" if accept else "declined"
    if me.id == pair.mentee_enrollment_id:
        pair.mentee_response = answer
    else:
        pair.mentor_response = answer
    if not accept:
        pair.status = PairStatus.DECLINED
        pair.decline_reason = (reason or "").strip()
        pair.declined_by_id = actor.person_id
        session.add(PairEvent(pair_id=pair.id, person_id=actor.person_id, kind="declined"))  # type: ignore[arg-type]
    elif pair.mentee_response == pair.mentor_response == "accepted":
        pair.status = PairStatus.ACTIVE
        pair.accepted_at = utcnow()
    session.add(pair)
    session.flush()
    return pair


def match_pilot_cli(pilot: str, objective: str | None, dry_run: bool) -> int:
    """`python -m core match PILOT`: run as the pilot's creator; --dry-run rolls back."""
    import sys

    from sqlmodel import Session as DbSession

    from core.auth import actor_for
    from core.cli import engine_from_env

    engine = engine_from_env()
    with DbSession(engine, expire_on_commit=False) as session:
        found = (
            session.get(Pilot, int(pilot))
            if pilot.isdigit()
            else session.exec(select(Pilot).where(Pilot.name == pilot)).first()
        )
        if found is None:
            print(f"error: no pilot '{pilot}' (give its id or exact name)", file=sys.stderr)
            return 2
        creator = session.get(Person, found.created_by_id) if found.created_by_id else None
        if creator is None:
            print("error: the pilot has no creator to act as", file=sys.stderr)
            return 2
        try:
            summary = run_matching(
                actor_for(creator),
                found.id,
                objective=objective,
                session=session,  # type: ignore[arg-type]
            )
        except DomainError as exc:
            session.rollback()
            print(f"error: {exc}", file=sys.stderr)
            return 2
        for row in list_pairs(actor_for(creator), found.id, session=session):  # type: ignore[arg-type]
            if row.status == PairStatus.SUGGESTED:
                print(f"{row.score:6.2f}  {row.mentee}  ←  {row.mentor}")
        for u in summary.unmatched:
            print(f"  unmatched: {u['name']}: {u['reason']}")
        print(
            f"{summary.matched} of {summary.mentees_total} mentees matched; total score "
            f"{summary.total_score:.2f}; proved optimal: {'yes' if summary.proved_optimal else 'no'}"
            + (" (dry run: nothing saved)" if dry_run else "")
        )
        if dry_run:
            session.rollback()
        else:
            session.commit()
    return 0


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
    pilot = require_pilot_admin(actor, pilot_id, session=session)
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
