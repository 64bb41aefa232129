"""Pilot administrators invite participants from the organisation directory.

The directory holds the whole company, the pilot only the people who take part. Admins find
people by name, department or grade and invite the ones they choose, or upload a short list of
e-mails with roles; either way the HR facts (grade, department, manager) come from the
directory and are not typed again. Leavers are never offered.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, func, or_, select

from core.access import require_pilot_admin, require_staff
from core.auth import Actor, normalise_email
from core.errors import NotFound, ValidationFailed
from core.models import Enrollment, EnrollmentStatus, Person, Pilot, Role, utcnow
from core.people.directory_columns import header_key
from core.people.directory_import import FileRefused, LeaverParticipant, read_records
from core.people.participants import enroll
from core.privacy.audit import record

ROSTER_COLUMNS = {"email": "email", "workemail": "email", "role": "role", "capacity": "capacity"}


@dataclass(frozen=True)
class DirectoryEntry:
    person_id: int
    name: str
    email: str
    job_title: str
    department: str
    grade: int | None
    location: str
    enrolled_as: str | None  # role in this pilot, if already there


@dataclass(frozen=True)
class DirectoryInvite:
    person_id: int
    role: str
    capacity: int = 1


def directory_departments(actor: Actor, pilot_id: int, *, session: Session) -> list[str]:
    require_pilot_admin(actor, pilot_id, session=session)
    rows = session.exec(
        select(Person.department)
        .where(Person.is_leaver == False, Person.department != "")  # noqa: E712
        .distinct()
        .order_by(Person.department)
    ).all()
    return list(rows)


def search_directory(
    actor: Actor,
    pilot_id: int,
    *,
    search: str = "",
    department: str = "",
    grade_min: int | None = None,
    grade_max: int | None = None,
    limit: int = 200,
    session: Session,
) -> list[DirectoryEntry]:
    """People of the organisation who have not left, best matches by name first."""
    require_pilot_admin(actor, pilot_id, session=session)
    enrolled = (
        select(Enrollment.person_id, Enrollment.role)
        .where(Enrollment.pilot_id == pilot_id)
        .subquery()
    )
    query = (
        select(Person, enrolled.c.role)
        .outerjoin(enrolled, enrolled.c.person_id == Person.id)
        .where(Person.is_leaver == False)  # noqa: E712
    )
    if text := search.strip().lower():
        like = f"%{text}%"
        query = query.where(
            or_(
                func.lower(Person.name).like(like),
                func.lower(Person.email).like(like),
                func.lower(Person.job_title).like(like),
                func.lower(Person.employee_id).like(like),
            )
        )
    if department:
        query = query.where(Person.department == department)
    if grade_min is not None:
        query = query.where(col(Person.grade) >= grade_min)
    if grade_max is not None:
        query = query.where(col(Person.grade) <= grade_max)
    rows = session.exec(query.order_by(col(Person.name)).limit(limit)).all()
    return [
        DirectoryEntry(
            p.id,
            p.name,
            p.email,
            p.job_title,
            p.department,
            p.grade,
            p.location,
            role,  # type: ignore[arg-type]
        )
        for p, role in rows
    ]


def invite_from_directory(
    actor: Actor, pilot_id: int, invites: list[DirectoryInvite], *, session: Session
) -> int:
    """Invite the chosen people (all or none); they join with the pilot's invite code."""
    pilot = require_pilot_admin(actor, pilot_id, session=session)
    errors: dict[str, str] = {}
    chosen: list[tuple[Person, DirectoryInvite]] = []
    for invite in invites:
        person = session.get(Person, invite.person_id)
        if person is None:
            raise NotFound(f"Person {invite.person_id} is not in the directory.")
        if invite.role not in Role.ALL:
            errors[person.email] = f"'{invite.role}' is not a role; use mentee, mentor or admin"
        elif person.is_leaver:
            errors[person.email] = "has left the organisation"
        elif invite.role == Role.MENTOR and not 1 <= invite.capacity <= 3:
            errors[person.email] = "a mentor takes 1 to 3 mentees"
        chosen.append((person, invite))
    enrolled = dict(
        session.exec(
            select(Enrollment.person_id, Enrollment.role).where(Enrollment.pilot_id == pilot_id)
        ).all()
    )
    for person, _invite in chosen:
        if person.id in enrolled:
            errors.setdefault(person.email, f"is already in this pilot as {enrolled[person.id]}")
    if errors:
        raise ValidationFailed(errors)
    for person, invite in chosen:
        enroll(pilot, person, invite.role, invite.capacity, session=session)
        record(
            session, actor, "participant.added", pilot_id, {},
            {"role": invite.role, "capacity": invite.capacity, "from": "directory"},
            subject_id=person.id,
        )  # fmt: skip
    return len(chosen)


def invite_roster_from_directory(
    actor: Actor, pilot_id: int, data: bytes, filename: str, *, session: Session
) -> int:
    """A short file of e-mails and roles (and a mentor's capacity): everybody in it must be in
    the directory; the rest of what the portal knows about them comes from there."""
    require_pilot_admin(actor, pilot_id, session=session)
    try:
        _format, records = read_records(data, filename, [])
    except FileRefused as exc:
        raise ValidationFailed({"file": str(exc)}) from exc
    header, body = records[0][1], records[1:]
    columns = {
        ROSTER_COLUMNS[k]: i for i, h in enumerate(header) if (k := header_key(h)) in ROSTER_COLUMNS
    }
    if not {"email", "role"} <= set(columns):
        raise ValidationFailed(
            {"file": "the first row must name the columns email and role (capacity is optional)"}
        )
    errors: dict[str, str] = {}
    invites: list[DirectoryInvite] = []
    emails = [
        normalise_email(c[columns["email"]]) if columns["email"] < len(c) else "" for _, c in body
    ]
    people = {
        p.email: p
        for start in range(0, len(emails), 500)
        for p in session.exec(
            select(Person).where(col(Person.email).in_(emails[start : start + 500]))
        )
    }
    for (number, cells), email in zip(body, emails, strict=True):
        role = cells[columns["role"]].strip().lower() if columns["role"] < len(cells) else ""
        capacity_text = (
            cells[columns["capacity"]]
            if "capacity" in columns and columns["capacity"] < len(cells)
            else ""
        )
        person = people.get(email)
        if person is None:
            errors[f"row {number}"] = (
                f"email: {email or '(empty)'} is not in the organisation directory"
            )
        elif person.is_leaver:
            errors[f"row {number}"] = f"email: {email} has left the organisation"
        elif role not in Role.ALL:
            errors[f"row {number}"] = f"role: '{role}' is not a role; use mentee, mentor or admin"
        elif capacity_text and not capacity_text.strip().isdigit():
            errors[f"row {number}"] = f"capacity: '{capacity_text}' is not a whole number (e.g. 2)"
        else:
            invites.append(DirectoryInvite(person.id, role, int(capacity_text or 1)))  # type: ignore[arg-type]
    if errors:
        raise ValidationFailed(errors)
    return invite_from_directory(actor, pilot_id, invites, session=session)


def withdraw_leavers(actor: Actor, enrollment_ids: list[int], *, session: Session) -> int:
    """The programme team withdraws participants who left the organisation; their pairs are
    released (and show in the pilot's at-risk list) so partners can be matched again."""
    require_staff(actor)
    from core.pairs.lifecycle import release_pairs_of  # late: pairs depend on participants

    done = 0
    for enrollment_id in enrollment_ids:
        enrollment = session.get(Enrollment, enrollment_id)
        if enrollment is None or enrollment.status == EnrollmentStatus.WITHDRAWN:
            continue
        person = session.get(Person, enrollment.person_id)
        if person is None or not person.is_leaver:
            raise ValidationFailed(
                {"enrollment": f"{person.name if person else enrollment_id} has not left"}
            )
        enrollment.status = EnrollmentStatus.WITHDRAWN
        enrollment.withdrawn_at = utcnow()
        session.add(enrollment)
        release_pairs_of(
            enrollment, session=session, note="left the organisation", by_person_id=actor.person_id
        )
        record(
            session,
            actor,
            "participant.withdrawn",
            enrollment.pilot_id,
            {"status": "active"},
            {"status": EnrollmentStatus.WITHDRAWN, "why": "left the organisation"},
            subject_id=enrollment.person_id,
        )
        done += 1
    session.flush()
    return done


def participating_leavers(actor: Actor, *, session: Session) -> list[LeaverParticipant]:
    """Leavers who still take part in a pilot, for the programme team to withdraw."""
    require_staff(actor)
    rows = session.exec(
        select(Enrollment, Person, Pilot)
        .join(Person, col(Person.id) == Enrollment.person_id)
        .join(Pilot, col(Pilot.id) == Enrollment.pilot_id)
        .where(col(Person.is_leaver), Enrollment.status != EnrollmentStatus.WITHDRAWN)
        .order_by(Pilot.name, Person.name)
    ).all()
    return [
        LeaverParticipant(e.id, pilot.id, pilot.name, p.name, p.email, e.role)  # type: ignore[arg-type]
        for e, p, pilot in rows
    ]
