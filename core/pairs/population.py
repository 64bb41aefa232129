"""The engine's input read from the database: a pilot's people, goals, expertise, pairs and org chart.

The engine (core.matching) knows nothing of the database: this module turns the pilot's people
into an Instance (emails as ids, so manager chains resolve through anybody in the organisation)
and keeps pairs that are already decided out of the optimisation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, select

from core.matching import DEFAULT_WEIGHTS, Instance, Mentee, Mentor
from core.models import (
    Enrollment,
    EnrollmentStatus,
    Expertise,
    LearningGoal,
    Pair,
    PairStatus,
    Person,
    Pilot,
    Role,
    Topic,
)
from core.tracking.milestone_progress import ORIENTATION_REASON, mentees_missing_orientation


@dataclass(frozen=True)
class PersonFacts:
    """What matching and the counts read of a person: plain columns, not an ORM row (building
    20 000 Person objects took seconds)."""

    id: int
    email: str
    name: str
    department: str
    grade: int | None
    manager_email: str | None
    time_zone: str


@dataclass
class PilotPopulation:
    """Everything matching needs about a pilot, read in a handful of queries."""

    pilot: Pilot
    enrollments: dict[int, Enrollment]
    people: dict[int, PersonFacts]  # by person id
    topics: dict[int, Topic]
    goals: dict[int, dict[int, int]]  # mentee enrollment -> topic -> priority
    expertise: dict[int, dict[int, int]]  # mentor enrollment -> topic -> level
    pairs: list[Pair]
    # email -> manager email for the whole organisation: a reporting line may run through
    # people outside the pilot.
    org: dict[str, str | None] = field(default_factory=dict)
    # Mentees who completed neither the orientation on their profile nor the pair milestone.
    missing_orientation: set[int] = field(default_factory=set)

    def email(self, enrollment_id: int) -> str:
        return self.people[self.enrollments[enrollment_id].person_id].email

    def name(self, enrollment_id: int) -> str:
        return self.people[self.enrollments[enrollment_id].person_id].name


def load_population(pilot: Pilot, *, session: Session, with_org: bool = True) -> PilotPopulation:
    """`with_org=False` skips the organisation's manager chain (every person's row), which only
    the matching rules need, not the counts."""
    enrollments = {
        e.id: e
        for e in session.exec(select(Enrollment).where(Enrollment.pilot_id == pilot.id)).all()
    }
    # Plain columns for the people, goals and expertise: their ORM objects were most of the
    # cost of a page that counts a pilot of thousands.
    people = {
        row[0]: PersonFacts(*row)
        for row in session.exec(
            select(
                Person.id, Person.email, Person.name, Person.department, Person.grade,
                Person.manager_email, Person.time_zone,
            )
            .join(Enrollment, Enrollment.person_id == Person.id)
            .where(Enrollment.pilot_id == pilot.id)
        ).all()
    }  # fmt: skip
    topics = {t.id: t for t in session.exec(select(Topic).where(Topic.pilot_id == pilot.id)).all()}
    goals: dict[int, dict[int, int]] = {}
    for enrollment_id, topic_id, priority in session.exec(
        select(LearningGoal.enrollment_id, LearningGoal.topic_id, LearningGoal.priority)
        .join(Enrollment, Enrollment.id == LearningGoal.enrollment_id)
        .where(Enrollment.pilot_id == pilot.id)
    ).all():
        goals.setdefault(enrollment_id, {})[topic_id] = priority
    expertise: dict[int, dict[int, int]] = {}
    for enrollment_id, topic_id, level in session.exec(
        select(Expertise.enrollment_id, Expertise.topic_id, Expertise.level)
        .join(Enrollment, Enrollment.id == Expertise.enrollment_id)
        .where(Enrollment.pilot_id == pilot.id)
    ).all():
        expertise.setdefault(enrollment_id, {})[topic_id] = level
    pairs = list(session.exec(select(Pair).where(Pair.pilot_id == pilot.id)).all())
    org = dict(session.exec(select(Person.email, Person.manager_email)).all()) if with_org else {}
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


def is_kept(pair: Pair) -> bool:
    """Decided or locked: the pair stays as it is when matching runs again."""
    return pair.status in PairStatus.KEPT or (pair.locked and pair.status in PairStatus.HOLDING)


def remembered_pairs(pop: PilotPopulation, pairs: list[Pair]) -> frozenset[tuple[str, str]]:
    """(mentee email, mentor email) of pairs never to propose again: rejected, declined, ended."""
    return frozenset(
        (pop.email(p.mentee_enrollment_id), pop.email(p.mentor_enrollment_id))
        for p in pairs
        if p.status in PairStatus.EXCLUDED
    )


def eligibility(pop: PilotPopulation, enrollment: Enrollment) -> str | None:
    """Why a participant is left out of matching, or None when they take part."""
    return ineligibility(
        enrollment.role,
        enrollment.status,
        opted_out=enrollment.opted_out,
        consent=enrollment.consent,
        missing_orientation=enrollment.id in pop.missing_orientation,
        has_items=bool(
            (pop.goals if enrollment.role == Role.MENTEE else pop.expertise).get(enrollment.id)  # type: ignore[arg-type]
        ),
    )


def ineligibility(
    role: str, status: str, *, opted_out: bool, consent: bool, missing_orientation: bool,
    has_items: bool,
) -> str | None:  # fmt: skip
    """The rule itself, on plain values, so the dashboard's frames apply the same one."""
    if status == EnrollmentStatus.INVITED:
        return "has not joined the pilot yet"
    if status == EnrollmentStatus.WITHDRAWN:
        return "withdrew from the pilot"
    if status == EnrollmentStatus.PENDING:
        return "is a volunteer waiting for a programme admin's approval"
    if opted_out:
        return "paused their participation (opted out)"
    if role == Role.MENTEE:
        if not consent:
            return "has not agreed to be mentored by someone more junior"
        if missing_orientation:
            return ORIENTATION_REASON
        if not has_items:
            return "has not entered any learning goals"
    elif role == Role.MENTOR:
        if not consent:
            return "has not agreed to take part"
        if not has_items:
            return "has not entered any expertise"
    return None


def exclusions(pop: PilotPopulation) -> dict[int, str]:
    """Participants left out of matching, by enrollment id, with the reason to show the admin."""
    return {
        e.id: reason  # type: ignore[misc]
        for e in sorted(pop.enrollments.values(), key=lambda e: e.id)  # type: ignore[arg-type, return-value]
        if e.role != Role.ADMIN and (reason := eligibility(pop, e)) is not None
    }


def engine_mentee(pop: PilotPopulation, enrollment: Enrollment) -> Mentee:
    person = pop.people[enrollment.person_id]
    return Mentee(
        id=person.email,
        department=person.department,
        grade=person.grade,
        manager=person.manager_email,
        time_zone=person.time_zone or "UTC",
        goals=dict(pop.goals.get(enrollment.id, {})),  # type: ignore[arg-type]
        offers=tuple(t for t in enrollment.offers if t in pop.topics),
        availability=tuple(enrollment.availability),
    )


def engine_mentor(pop: PilotPopulation, enrollment: Enrollment, capacity: int) -> Mentor:
    """The mentor as the engine sees them, with `capacity` places still open."""
    person = pop.people[enrollment.person_id]
    return Mentor(
        id=person.email,
        department=person.department,
        grade=person.grade,
        manager=person.manager_email,
        time_zone=person.time_zone or "UTC",
        expertise=dict(pop.expertise.get(enrollment.id, {})),  # type: ignore[arg-type]
        capacity=capacity,
        wants=tuple(t for t in enrollment.wants if t in pop.topics),
        availability=tuple(enrollment.availability),
    )


def engine_instance(
    pop: PilotPopulation, mentees: list[Mentee], mentors: list[Mentor], pairs: list[Pair]
) -> Instance:
    """The pilot's topics, weights and rules around these people. The whole organisation's
    manager chain goes in, because a reporting line may run through anybody; `pairs` are the
    ones whose declines and rejections are remembered."""
    in_instance = {m.id for m in mentees} | {m.id for m in mentors}
    return Instance(
        topics=tuple(sorted(pop.topics)),
        mentees=tuple(mentees),
        mentors=tuple(mentors),
        forbidden=remembered_pairs(pop, pairs),
        min_grade_gap=pop.pilot.min_grade_gap,
        weights={**DEFAULT_WEIGHTS, **(pop.pilot.match_weights or {})},
        people={e: m for e, m in pop.org.items() if e not in in_instance},
        topic_names={t.id: t.name for t in pop.topics.values()},
    )


@dataclass(frozen=True)
class MatchingInput:
    instance: Instance
    excluded: dict[int, str]  # enrollment id -> why they were left out


def build_instance(pop: PilotPopulation) -> MatchingInput:
    """The engine's input for everybody still to be matched. Decided pairs are taken out: their
    mentee is not matched again and their mentor has that much less capacity."""
    kept = [p for p in pop.pairs if is_kept(p)]
    kept_mentees = {p.mentee_enrollment_id for p in kept}
    mentor_load: dict[int, int] = {}
    for p in kept:
        mentor_load[p.mentor_enrollment_id] = mentor_load.get(p.mentor_enrollment_id, 0) + 1
    excluded = exclusions(pop)
    mentees, mentors = [], []
    for e in sorted(pop.enrollments.values(), key=lambda e: e.id):  # type: ignore[arg-type, return-value]
        if e.role == Role.ADMIN or e.id in excluded:
            continue
        if e.role == Role.MENTEE:
            if e.id not in kept_mentees:
                mentees.append(engine_mentee(pop, e))
        elif (left := e.capacity - mentor_load.get(e.id, 0)) > 0:  # type: ignore[arg-type]
            mentors.append(engine_mentor(pop, e, left))
    return MatchingInput(engine_instance(pop, mentees, mentors, pop.pairs), excluded)


def pair_instance(pop: PilotPopulation, pair: Pair, mentor_enrollment_id: int) -> Instance:
    """This pair's mentee with another mentor, as the engine would see them in a full run, so
    a hand-made pair is checked against the same rules and scored by the same formula."""
    mentee = pop.enrollments[pair.mentee_enrollment_id]
    mentor = pop.enrollments[mentor_enrollment_id]
    others = [p for p in pop.pairs if p.id != pair.id]
    return engine_instance(
        pop,
        [engine_mentee(pop, mentee)],
        [engine_mentor(pop, mentor, max(1, mentor.capacity))],
        others,
    )
