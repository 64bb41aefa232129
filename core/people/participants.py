"""People in a pilot: adding them, joining with the invite code, listing, withdrawing and
re-admitting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, or_, select

from core.access import require_pilot_admin
from core.accounts.invitations import send_existing_account_note, send_volunteer_link
from core.auth import (
    Actor,
    email_problem,
    normalise_email,
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
from core.people.directory_values import MAX_GRADE
from core.privacy.audit import record
from core.timezones import canonical_time_zone, time_zone_problem

CAREER_STAGES = ("Early career", "Mid career", "Senior", "Executive")


# How many mentees one mentor takes: the roster, the one-person form and the profile share it.
MIN_MENTEES_PER_MENTOR, MAX_MENTEES_PER_MENTOR = 1, 3
MIN_GRADE = 0  # job grades run from MIN_GRADE to directory_values.MAX_GRADE; higher is more senior


def capacity_problem(capacity: int) -> str | None:
    """None when a mentor may take this many mentees, else what to fix."""
    if MIN_MENTEES_PER_MENTOR <= capacity <= MAX_MENTEES_PER_MENTOR:
        return None
    return f"a mentor takes {MIN_MENTEES_PER_MENTOR} to {MAX_MENTEES_PER_MENTOR} mentees"


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
        if self.grade is not None and not MIN_GRADE <= self.grade <= MAX_GRADE:
            errors["grade"] = f"must be a whole number between {MIN_GRADE} and {MAX_GRADE}"
        if self.manager_email.strip():
            if problem := email_problem(self.manager_email):
                errors["manager_email"] = problem
            elif normalise_email(self.manager_email) == normalise_email(self.email):
                errors["manager_email"] = "a person cannot be their own manager"
        if problem := time_zone_problem(self.time_zone):
            errors["time_zone"] = problem
        if self.career_stage and self.career_stage not in CAREER_STAGES:
            errors["career_stage"] = f"use one of: {', '.join(CAREER_STAGES)}"
        if self.role == Role.MENTOR and (problem := capacity_problem(self.capacity)):
            errors["capacity"] = problem
        return errors


def _person_by_email(email: str, *, session: Session) -> Person | None:
    return session.exec(select(Person).where(Person.email == normalise_email(email))).first()


HR_FIELDS = ("name", "department", "grade", "manager_email")
HR_FIELD_LABELS = {
    "name": "name",
    "department": "department",
    "grade": "grade",
    "manager_email": "manager",
}


def hr_changes(person: Person, data: PersonInput) -> dict[str, tuple[object, object]]:
    """The organisation's fields the input would change: field -> (now, new)."""
    new = {
        "name": data.name.strip(),
        "department": data.department.strip(),
        "grade": data.grade,
        "manager_email": normalise_email(data.manager_email) or None,
    }
    return {f: (getattr(person, f), new[f]) for f in HR_FIELDS if getattr(person, f) != new[f]}


def hr_change_refusal(
    actor: Actor, person: Person | None, data: PersonInput, pilot_id: int, *, session: Session
) -> str | None:
    """Name, department, grade and manager belong to the organisation: a pilot admin may set
    them for people only in their own pilot, never for someone enrolled in another pilot (that
    would change the reporting-line rule of a pilot they do not run). Staff may."""
    if person is None or person.id is None or actor.is_staff:
        return None
    changes = hr_changes(person, data)
    if not changes:
        return None
    elsewhere = session.exec(
        select(Enrollment.id).where(
            Enrollment.person_id == person.id,
            Enrollment.pilot_id != pilot_id,
            Enrollment.status != EnrollmentStatus.WITHDRAWN,
        )
    ).first()
    if elsewhere is None:
        return None
    fields = ", ".join(
        f"{HR_FIELD_LABELS[f]} {old or '(empty)'} → {new or '(empty)'}"
        for f, (old, new) in changes.items()
    )
    return (
        f"{person.email} also takes part in another pilot, so only the programme team may change "
        f"their {fields}. Leave those columns as they are, or ask the programme team."
    )


def upsert_person(data: PersonInput, *, session: Session) -> Person:
    """Create the person or refresh their HR fields; never touches their password or staff flag.
    Callers check `hr_change_refusal` first."""
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
        # Even an existing account holder is only invited: they accept before they count.
        status=EnrollmentStatus.INVITED,
    )
    session.add(enrollment)
    session.flush()
    return enrollment


def add_participant(
    actor: Actor, pilot_id: int, data: PersonInput, *, session: Session
) -> Enrollment:
    """An admin adds one person as invited; they join through their personal invitation link."""
    pilot = require_pilot_admin(actor, pilot_id, session=session)
    errors = data.problems()
    if not errors and (
        refusal := hr_change_refusal(
            actor, _person_by_email(data.email, session=session), data, pilot_id, session=session
        )
    ):
        errors["email"] = refusal
    if errors:
        raise ValidationFailed(errors)
    managers = org_managers(session=session)
    managers[normalise_email(data.email)] = normalise_email(data.manager_email) or None
    if loop := manager_chain_loop(normalise_email(data.email), managers):
        raise ValidationFailed({"manager_email": "creates a manager loop: " + " → ".join(loop)})
    person = upsert_person(data, session=session)
    enrollment = enroll(pilot, person, data.role, data.capacity, session=session)
    record(
        session,
        actor,
        "participant.added",
        pilot_id,
        {},
        {"role": data.role, "capacity": data.capacity, "status": enrollment.status},
        subject_id=person.id,
    )
    return enrollment


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


VOLUNTEER_RECEIVED = (
    "Thank you! Check your inbox: we sent a link to confirm your email and choose your "
    "password. The programme team approves volunteers before matching starts."
)


def _volunteering_problems(
    invite_code: str, role: str, *, session: Session
) -> tuple[Pilot | None, dict[str, str]]:
    """The pilot behind a volunteer code and what is wrong with the code or the role; shared by
    the signed-out form and a signed-in person's request, so both refuse in the same words."""
    errors: dict[str, str] = {}
    try:
        pilot = pilot_by_invite_code(invite_code, session=session)
    except ValidationFailed as exc:
        errors.update(exc.errors)
        pilot = None
    if role not in (Role.MENTEE, Role.MENTOR):
        errors["role"] = "choose mentor (junior volunteer) or mentee (senior leader)"
    return pilot, errors


def volunteer(
    invite_code: str,
    email: str,
    *,
    name: str,
    role: str,
    department: str = "",
    job_title: str = "",
    session: Session,
) -> tuple[str, Enrollment | None]:
    """The pilot-wide code is only for volunteers nobody has invited: it creates a new person
    and a pending enrollment and emails a link to confirm the address. An email that already
    belongs to somebody claims nothing; its owner gets a note instead, and the answer on screen
    is the same either way, so the form cannot be used to find out who has an account."""
    pilot, errors = _volunteering_problems(invite_code, role, session=session)
    if problem := email_problem(email):
        errors["email"] = problem
    if not name.strip():
        errors["name"] = "is required"
    elif len(name.strip()) > 120:
        errors["name"] = "must be at most 120 characters"
    for field, value in (("department", department), ("job_title", job_title)):
        if len(value.strip()) > 120:
            errors[field] = "must be at most 120 characters"
    if errors or pilot is None:
        raise ValidationFailed(errors)
    existing = _person_by_email(email, session=session)
    if existing is not None:
        send_existing_account_note(existing, pilot, session=session)
        return VOLUNTEER_RECEIVED, None
    person = Person(
        email=normalise_email(email),
        name=name.strip(),
        department=department.strip(),
        job_title=job_title.strip(),
    )
    session.add(person)
    session.flush()
    enrollment = enroll(pilot, person, role, 1, session=session)
    enrollment.status = EnrollmentStatus.PENDING
    session.add(enrollment)
    send_volunteer_link(enrollment, person, pilot, session=session)
    return VOLUNTEER_RECEIVED, enrollment


def join_with_code(actor: Actor, invite_code: str, role: str, *, session: Session) -> Enrollment:
    """A signed-in person volunteers for another pilot: they proved who they are already, so
    only the admin's approval is missing."""
    pilot, errors = _volunteering_problems(invite_code, role, session=session)
    if errors or pilot is None:
        raise ValidationFailed(errors)
    person = session.get(Person, actor.person_id)
    existing = session.exec(
        select(Enrollment).where(
            Enrollment.pilot_id == pilot.id,
            Enrollment.person_id == actor.person_id,
        )
    ).first()
    if existing is not None:
        if existing.status == EnrollmentStatus.WITHDRAWN:
            raise DomainError(
                "You withdrew from this pilot; ask its programme team to re-admit you."
            )
        raise DomainError(f"You are already in this pilot as {existing.role}.")
    enrollment = enroll(pilot, person, role, 1, session=session)  # type: ignore[arg-type]
    enrollment.status = EnrollmentStatus.PENDING
    enrollment.joined_at = utcnow()
    session.add(enrollment)
    session.flush()
    return enrollment


def approve_volunteer(actor: Actor, enrollment_id: int, *, session: Session) -> Enrollment:
    """A volunteer counts (matching, dashboard) once an admin has approved them."""
    enrollment = session.get(Enrollment, enrollment_id)
    if enrollment is None:
        raise NotFound("This participant does not exist.")
    require_pilot_admin(actor, enrollment.pilot_id, session=session)
    if enrollment.status != EnrollmentStatus.PENDING:
        raise DomainError(f"This participant is {enrollment.status}, not waiting for approval.")
    person = session.get(Person, enrollment.person_id)
    if person is None or not person.password_hash and enrollment.joined_at is None:
        raise DomainError(
            "This volunteer has not confirmed their email yet; approve them once they have."
        )
    enrollment.status = EnrollmentStatus.ACTIVE
    enrollment.joined_at = enrollment.joined_at or utcnow()
    session.add(enrollment)
    session.flush()
    record(
        session,
        actor,
        "participant.approved",
        enrollment.pilot_id,
        {"status": EnrollmentStatus.PENDING},
        {"status": EnrollmentStatus.ACTIVE},
        subject_id=enrollment.person_id,
    )
    return enrollment


@dataclass(frozen=True)
class WaitingInvitation:
    enrollment_id: int
    pilot_name: str
    role: str


def my_invitations(actor: Actor, *, session: Session) -> list[WaitingInvitation]:
    """Pilots that invited a signed-in person who has not accepted yet."""
    rows = session.exec(
        select(Enrollment.id, Pilot.name, Enrollment.role)
        .join(Pilot, Pilot.id == Enrollment.pilot_id)
        .where(
            Enrollment.person_id == actor.person_id,
            Enrollment.status == EnrollmentStatus.INVITED,
            Pilot.status != PilotStatus.CLOSED,
        )
        .order_by(Enrollment.id)
    ).all()
    return [WaitingInvitation(*row) for row in rows]


def accept_enrollment(actor: Actor, enrollment_id: int, *, session: Session) -> Enrollment:
    enrollment = session.get(Enrollment, enrollment_id)
    if enrollment is None or enrollment.person_id != actor.person_id:
        raise NotFound("This invitation is not yours or no longer exists.")
    if enrollment.status != EnrollmentStatus.INVITED:
        raise DomainError(f"This invitation is already {enrollment.status}.")
    enrollment.status = EnrollmentStatus.ACTIVE
    enrollment.joined_at = utcnow()
    session.add(enrollment)
    session.flush()
    return enrollment


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
    return roster_of_pilot(pilot_id, role=role, status=status, search=search, session=session)


def roster_of_pilot(
    pilot_id: int,
    *,
    role: str | None = None,
    status: str | None = None,
    search: str = "",
    session: Session,
) -> list[ParticipantRow]:
    """The roster without an access check, for callers that made it (the admin pages' cache).

    Goals and expertise are counted for this pilot's enrollments only (through the
    enrollment-first unique index), and plain columns are read instead of ORM objects: with
    many pilots in one database, counting everyone's rows was most of the page's time.
    """

    def counted(table):
        return (
            select(table.enrollment_id, func.count().label("n"))
            .join(Enrollment, Enrollment.id == table.enrollment_id)
            .where(Enrollment.pilot_id == pilot_id)
            .group_by(table.enrollment_id)
            .subquery()
        )

    goals, skills = counted(LearningGoal), counted(Expertise)
    query = (
        select(
            Enrollment.id,
            Person.id,
            Person.name,
            Person.email,
            Enrollment.role,
            Enrollment.status,
            Person.department,
            Person.job_title,
            Person.grade,
            Person.manager_email,
            Person.career_stage,
            Enrollment.capacity,
            func.coalesce(goals.c.n, 0),
            func.coalesce(skills.c.n, 0),
            Enrollment.consent,
            Enrollment.joined_at,
        )
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
    return [ParticipantRow(*row) for row in rows]


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
    before = enrollment.status
    enrollment.status = EnrollmentStatus.WITHDRAWN
    enrollment.withdrawn_at = utcnow()
    session.add(enrollment)
    from core.pairs.lifecycle import release_pairs_of  # late: pairs depend on participants

    ended = release_pairs_of(enrollment, session=session, note=reason, by_person_id=actor.person_id)
    session.flush()
    record(
        session,
        actor,
        "participant.withdrawn",
        enrollment.pilot_id,
        {"status": before},
        {"status": EnrollmentStatus.WITHDRAWN, "pairs_ended": [p.id for p in ended]},
        subject_id=enrollment.person_id,
    )
    return enrollment


def readmit_participant(actor: Actor, enrollment_id: int, *, session: Session) -> Enrollment:
    """An admin takes a withdrawn person back (a withdrawal by mistake, or someone who returns).
    Someone who had joined counts again at once; someone invited but never joined is invited
    again. Their answers (goals, expertise, profile) were kept; their pairs stay ended, so they
    are matched afresh like anybody without a pair."""
    enrollment = session.get(Enrollment, enrollment_id)
    if enrollment is None:
        raise NotFound("This participant does not exist.")
    pilot = require_pilot_admin(actor, enrollment.pilot_id, session=session)
    if enrollment.status != EnrollmentStatus.WITHDRAWN:
        raise DomainError(f"This participant is {enrollment.status}, not withdrawn.")
    if pilot.status == PilotStatus.CLOSED:
        raise DomainError(f"The pilot '{pilot.name}' is closed; nobody can be re-admitted.")
    enrollment.status = (
        EnrollmentStatus.ACTIVE if enrollment.joined_at is not None else EnrollmentStatus.INVITED
    )
    enrollment.withdrawn_at = None
    session.add(enrollment)
    session.flush()
    return enrollment
