"""People in a pilot: adding them, joining with the invite code, listing and withdrawing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, or_, select

from core.access import require_pilot_admin
from core.auth import (
    Actor,
    actor_for,
    email_problem,
    hash_password,
    normalise_email,
    password_problem,
    verify_password,
)
from core.errors import DomainError, NotFound, ValidationFailed
from core.models import (
    Enrollment,
    EnrollmentStatus,
    Expertise,
    LearningGoal,
    Person,
    Pilot,
    PilotStatus,
    Role,
    utcnow,
)
from core.timezones import canonical_time_zone, time_zone_problem

CAREER_STAGES = ("Early career", "Mid career", "Senior", "Executive")


@dataclass
class PersonInput:
    email: str
    name: str
    role: str
    job_title: str = ""
    grade: int | None = None
    department: str = ""
    manager_email: str = ""
    time_zone: str = "UTC"
    career_stage: str = ""
    capacity: int = 1

    def problems(self) -> dict[str, str]:
        """Field -> what to fix. Shared by the one-person form and every roster row."""
        errors: dict[str, str] = {}
        if problem := email_problem(self.email):
            errors["email"] = problem
        if not self.name.strip():
            errors["name"] = "is required"
        elif len(self.name.strip()) > 120:
            errors["name"] = "must be at most 120 characters"
        if self.role not in Role.ALL:
            errors["role"] = f"'{self.role}' is not a role; use mentee, mentor or admin"
        if self.grade is not None and not 0 <= self.grade <= 30:
            errors["grade"] = "must be a whole number between 0 and 30"
        if self.manager_email.strip():
            if problem := email_problem(self.manager_email):
                errors["manager_email"] = problem
            elif normalise_email(self.manager_email) == normalise_email(self.email):
                errors["manager_email"] = "a person cannot be their own manager"
        if problem := time_zone_problem(self.time_zone):
            errors["time_zone"] = problem
        if self.career_stage and self.career_stage not in CAREER_STAGES:
            errors["career_stage"] = f"use one of: {', '.join(CAREER_STAGES)}"
        if self.role == Role.MENTOR and not 1 <= self.capacity <= 3:
            errors["capacity"] = "a mentor takes 1 to 3 mentees"
        return errors


def _person_by_email(email: str, *, session: Session) -> Person | None:
    return session.exec(select(Person).where(Person.email == normalise_email(email))).first()


def upsert_person(data: PersonInput, *, session: Session) -> Person:
    """Create the person or refresh their HR fields; never touches their password or staff flag."""
    person = _person_by_email(data.email, session=session) or Person(
        email=normalise_email(data.email), name=data.name.strip()
    )
    person.name = data.name.strip()
    person.job_title = data.job_title.strip()
    person.grade = data.grade
    person.department = data.department.strip()
    person.manager_email = normalise_email(data.manager_email) or None
    person.time_zone = canonical_time_zone(data.time_zone)
    person.career_stage = data.career_stage
    session.add(person)
    session.flush()
    return person


def manager_chain_loop(email: str, managers: dict[str, str | None]) -> list[str] | None:
    """The loop of people reached by following managers from `email`, or None."""
    seen: list[str] = []
    current: str | None = email
    while current is not None:
        if current in seen:
            return seen[seen.index(current) :] + [current]
        seen.append(current)
        current = managers.get(current)
    return None


def org_managers(*, session: Session) -> dict[str, str | None]:
    """email -> manager email for everybody known, used to check reporting lines."""
    return {e: m for e, m in session.exec(select(Person.email, Person.manager_email)).all()}


def enroll(
    pilot: Pilot, person: Person, role: str, capacity: int, *, session: Session
) -> Enrollment:
    existing = session.exec(
        select(Enrollment).where(Enrollment.pilot_id == pilot.id, Enrollment.person_id == person.id)
    ).first()
    if existing is not None:
        raise ValidationFailed(
            {"email": f"{person.email} is already in this pilot as {existing.role}"}
        )
    enrollment = Enrollment(
        pilot_id=pilot.id,  # type: ignore[arg-type]
        person_id=person.id,  # type: ignore[arg-type]
        role=role,
        capacity=capacity if role == Role.MENTOR else 1,
        status=EnrollmentStatus.ACTIVE if person.password_hash else EnrollmentStatus.INVITED,
        joined_at=utcnow() if person.password_hash else None,
    )
    session.add(enrollment)
    session.flush()
    return enrollment


def add_participant(
    actor: Actor, pilot_id: int, data: PersonInput, *, session: Session
) -> Enrollment:
    """An admin invites one person. Someone who already has an account takes part at once;
    anybody else joins later with the pilot's invite code."""
    pilot = require_pilot_admin(actor, pilot_id, session=session)
    errors = data.problems()
    if errors:
        raise ValidationFailed(errors)
    managers = org_managers(session=session)
    managers[normalise_email(data.email)] = normalise_email(data.manager_email) or None
    if loop := manager_chain_loop(normalise_email(data.email), managers):
        raise ValidationFailed({"manager_email": "creates a manager loop: " + " → ".join(loop)})
    person = upsert_person(data, session=session)
    return enroll(pilot, person, data.role, data.capacity, session=session)


def pilot_by_invite_code(code: str, *, session: Session) -> Pilot:
    pilot = session.exec(
        select(Pilot).where(Pilot.invite_code == (code or "").strip().upper())
    ).first()
    if pilot is None:
        raise ValidationFailed(
            {"invite_code": "no pilot has this code; check the invitation email (e.g. ABCD-EF23)"}
        )
    if pilot.status in (PilotStatus.DRAFT, PilotStatus.CLOSED):
        raise ValidationFailed(
            {"invite_code": f"the pilot '{pilot.name}' is not open ({pilot.status})"}
        )
    return pilot


def join_pilot(
    invite_code: str,
    email: str,
    password: str,
    *,
    confirm: str | None = None,
    name: str = "",
    role: str = "",
    department: str = "",
    job_title: str = "",
    session: Session,
) -> Actor:
    """Join with the invite code. Invited people set their password; volunteers who were not on the
    roster enrol themselves with a name and a role. Existing accounts confirm their password."""
    errors: dict[str, str] = {}
    try:
        pilot = pilot_by_invite_code(invite_code, session=session)
    except ValidationFailed as exc:
        errors.update(exc.errors)
        pilot = None
    if problem := email_problem(email):
        errors["email"] = problem
    person = None if "email" in errors else _person_by_email(email, session=session)
    has_account = person is not None and person.password_hash is not None
    if has_account:
        if not verify_password(person.password_hash, password):  # type: ignore[union-attr]
            errors["password"] = "you already have an account: enter its password"
    elif problem := password_problem(password, confirm):
        errors["password"] = problem
    enrollment = None
    if pilot is not None and person is not None:
        enrollment = session.exec(
            select(Enrollment).where(
                Enrollment.pilot_id == pilot.id, Enrollment.person_id == person.id
            )
        ).first()
    if enrollment is None:
        if not name.strip() and person is None:
            errors["name"] = "is required to join as a volunteer"
        if role not in (Role.MENTEE, Role.MENTOR):
            errors["role"] = "choose mentor (junior volunteer) or mentee (senior leader)"
    elif enrollment.status == EnrollmentStatus.WITHDRAWN:
        errors["email"] = "you withdrew from this pilot; ask the programme team to re-admit you"
    if errors:
        raise ValidationFailed(errors)
    assert pilot is not None
    if person is None:
        person = Person(
            email=normalise_email(email),
            name=name.strip(),
            department=department.strip(),
            job_title=job_title.strip(),
        )
    if not has_account:
        person.password_hash = hash_password(password)
    session.add(person)
    session.flush()
    if enrollment is None:
        enrollment = enroll(pilot, person, role, 1, session=session)
    enrollment.status = EnrollmentStatus.ACTIVE
    enrollment.joined_at = enrollment.joined_at or utcnow()
    session.add(enrollment)
    session.flush()
    return actor_for(person)


@dataclass(frozen=True)
class ParticipantRow:
    enrollment_id: int
    person_id: int
    name: str
    email: str
    role: str
    status: str
    department: str
    job_title: str
    grade: int | None
    manager_email: str | None
    career_stage: str
    capacity: int
    goals: int
    expertise: int
    consent: bool
    joined_at: datetime | None


def list_participants(
    actor: Actor,
    pilot_id: int,
    *,
    role: str | None = None,
    status: str | None = None,
    search: str = "",
    session: Session,
) -> list[ParticipantRow]:
    """The roster, for the pilot's admins only."""
    require_pilot_admin(actor, pilot_id, session=session)
    goals = (
        select(LearningGoal.enrollment_id, func.count().label("n"))
        .group_by(LearningGoal.enrollment_id)
        .subquery()
    )
    skills = (
        select(Expertise.enrollment_id, func.count().label("n"))
        .group_by(Expertise.enrollment_id)
        .subquery()
    )
    query = (
        select(Enrollment, Person, goals.c.n, skills.c.n)
        .join(Person, Person.id == Enrollment.person_id)
        .outerjoin(goals, goals.c.enrollment_id == Enrollment.id)
        .outerjoin(skills, skills.c.enrollment_id == Enrollment.id)
        .where(Enrollment.pilot_id == pilot_id)
    )
    if role:
        query = query.where(Enrollment.role == role)
    if status:
        query = query.where(Enrollment.status == status)
    if search.strip():
        like = f"%{search.strip().lower()}%"
        query = query.where(
            or_(
                func.lower(Person.name).like(like),
                func.lower(Person.email).like(like),
                func.lower(Person.department).like(like),
                func.lower(Person.job_title).like(like),
            )
        )
    rows = session.exec(query.order_by(Enrollment.role, col(Person.name))).all()
    return [
        ParticipantRow(
            e.id,
            p.id,
            p.name,
            p.email,
            e.role,
            e.status,
            p.department,
            p.job_title,
            p.grade,
            p.manager_email,
            p.career_stage,
            e.capacity,
            g or 0,
            s or 0,
            e.consent,
            e.joined_at,
        )  # fmt: skip
        for e, p, g, s in rows
    ]


def withdraw_participant(
    actor: Actor, enrollment_id: int, *, session: Session, reason: str = ""
) -> Enrollment:
    """An admin withdraws someone, or a participant withdraws themself. Every pair holding them,
    running ones included, ends (core.pairs.lifecycle), so the partner can be matched again."""
    enrollment = session.get(Enrollment, enrollment_id)
    if enrollment is None:
        raise NotFound("This participant does not exist.")
    if enrollment.person_id != actor.person_id:
        require_pilot_admin(actor, enrollment.pilot_id, session=session)
    if enrollment.status == EnrollmentStatus.WITHDRAWN:
        raise DomainError("Already withdrawn.")
    if enrollment.role == Role.ADMIN:
        admins = session.exec(
            select(func.count())
            .select_from(Enrollment)
            .where(
                Enrollment.pilot_id == enrollment.pilot_id,
                Enrollment.role == Role.ADMIN,
                Enrollment.status != EnrollmentStatus.WITHDRAWN,
            )
        ).one()
        if admins <= 1:
            raise DomainError("A pilot needs at least one administrator; add another first.")
    enrollment.status = EnrollmentStatus.WITHDRAWN
    enrollment.withdrawn_at = utcnow()
    session.add(enrollment)
    from core.pairs.lifecycle import release_pairs_of  # late: pairs depend on participants

    release_pairs_of(enrollment, session=session, note=reason)
    session.flush()
    return enrollment
