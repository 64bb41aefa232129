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
from core.accounts.invitations import SentInvitation, send_invitation
from core.auth import Actor, normalise_email
from core.errors import NotFound, ValidationFailed
from core.models import Enrollment, EnrollmentStatus, Person, Pilot, Role, utcnow
from core.people.directory_columns import header_key
from core.people.directory_import import FileRefused, LeaverParticipant, read_records
from core.people.participants import capacity_problem, enroll
from core.privacy.audit import record

ROSTER_COLUMNS = {"email": "email", "workemail": "email", "role": "role", "capacity": "capacity"}
# A roster file names the few people of one invitation round; a whole pilot is a roster import.
MAX_ROSTER_ROWS = 500


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


def _enroll_all(
    actor: Actor, pilot: Pilot, chosen: list[tuple[Person, DirectoryInvite]], *, session: Session
) -> list[Enrollment]:
    enrollments = []
    for person, invite in chosen:
        enrollments.append(enroll(pilot, person, invite.role, invite.capacity, session=session))
        record(
            session, actor, "participant.added", pilot.id, {},
            {"role": invite.role, "capacity": invite.capacity, "from": "directory"},
            subject_id=person.id,
        )  # fmt: skip
    return enrollments


def _invite_problem(person: Person, invite: DirectoryInvite, enrolled: dict[int, str]) -> str:
    """What stops this person from being invited, as the fix the admin can make; "" if nothing."""
    if invite.role not in Role.ALL:
        return f"role: '{invite.role}' is not a role; use mentee, mentor or admin"
    if person.is_leaver:
        return f"email: {person.email} has left the organisation; leave them out"
    if invite.role == Role.MENTOR and (problem := capacity_problem(invite.capacity)):
        return f"capacity: {problem}, not {invite.capacity}"
    if person.id in enrolled:
        return f"email: {person.email} is already in this pilot as {enrolled[person.id]}"
    return ""


def _enrolled_roles(pilot_id: int, *, session: Session) -> dict[int, str]:
    return dict(
        session.exec(
            select(Enrollment.person_id, Enrollment.role).where(Enrollment.pilot_id == pilot_id)
        ).all()
    )


def _checked_choice(
    pilot_id: int, invites: list[DirectoryInvite], *, session: Session
) -> list[tuple[Person, DirectoryInvite]]:
    errors: dict[str, str] = {}
    chosen: list[tuple[Person, DirectoryInvite]] = []
    enrolled = _enrolled_roles(pilot_id, session=session)
    seen: set[int] = set()
    for invite in invites:
        person = session.get(Person, invite.person_id)
        if person is None:
            raise NotFound(f"Person {invite.person_id} is not in the directory.")
        if invite.person_id in seen:
            continue  # chosen twice: invited once
        seen.add(invite.person_id)
        if problem := _invite_problem(person, invite, enrolled):
            errors[person.email] = problem
        chosen.append((person, invite))
    if errors:
        raise ValidationFailed(errors)
    return chosen


def invite_from_directory(
    actor: Actor, pilot_id: int, invites: list[DirectoryInvite], *, session: Session
) -> int:
    """Invite the chosen people (all or none); they join with their personal link."""
    pilot = require_pilot_admin(actor, pilot_id, session=session)
    chosen = _checked_choice(pilot_id, invites, session=session)
    return len(_enroll_all(actor, pilot, chosen, session=session))


def _send_links(
    actor: Actor, enrollments: list[Enrollment], *, session: Session
) -> list[SentInvitation]:
    return [send_invitation(actor, e.id, session=session) for e in enrollments]  # type: ignore[arg-type]


def send_directory_invitations(
    actor: Actor, pilot_id: int, invites: list[DirectoryInvite], *, session: Session
) -> list[SentInvitation]:
    """Invite the chosen people and send each their personal link, in one unit of work: nobody
    is left invited without a link because a later person was refused."""
    pilot = require_pilot_admin(actor, pilot_id, session=session)
    chosen = _checked_choice(pilot_id, invites, session=session)
    return _send_links(actor, _enroll_all(actor, pilot, chosen, session=session), session=session)


@dataclass(frozen=True)
class RosterLine:
    """One row of a short roster file, completed from the directory."""

    row: int
    email: str
    role: str
    capacity: int
    problem: str = ""
    name: str = ""
    department: str = ""
    grade: int | None = None
    person_id: int | None = None


@dataclass(frozen=True)
class DirectoryRoster:
    lines: tuple[RosterLine, ...] = ()
    file_error: str = ""

    @property
    def problems(self) -> dict[str, str]:
        if self.file_error:
            return {"file": self.file_error}
        return {f"row {line.row}": line.problem for line in self.lines if line.problem}

    @property
    def can_invite(self) -> bool:
        return bool(self.lines) and not self.problems

    def invites(self) -> list[DirectoryInvite]:
        return [DirectoryInvite(x.person_id, x.role, x.capacity) for x in self.lines]  # type: ignore[arg-type]


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index].strip() if index is not None and index < len(cells) else ""


def _roster(pilot_id: int, data: bytes, filename: str, *, session: Session) -> DirectoryRoster:
    try:
        _format, records = read_records(data, filename, [])
    except FileRefused as exc:
        return DirectoryRoster(file_error=str(exc))
    header, body = records[0][1], records[1:]
    columns: dict[str, int] = {}
    for i, h in enumerate(header):
        if (k := header_key(h)) in ROSTER_COLUMNS:
            columns.setdefault(ROSTER_COLUMNS[k], i)
    if not {"email", "role"} <= set(columns):
        return DirectoryRoster(
            file_error="the first row must name the columns email and role (capacity is optional)"
        )
    if not body:
        return DirectoryRoster(file_error="the file names its columns but has no rows below them")
    if len(body) > MAX_ROSTER_ROWS:
        return DirectoryRoster(
            file_error=f"the file has {len(body)} rows; invite at most {MAX_ROSTER_ROWS} at once "
            "(split the file) or ask the programme team to import a roster"
        )
    emails = [normalise_email(_cell(cells, columns["email"])) for _, cells in body]
    people = {
        p.email: p
        for start in range(0, len(emails), 500)
        for p in session.exec(
            select(Person).where(col(Person.email).in_(emails[start : start + 500]))
        )
    }
    enrolled = _enrolled_roles(pilot_id, session=session)
    first_row: dict[str, int] = {}
    lines = []
    for (number, cells), email in zip(body, emails, strict=True):
        role = _cell(cells, columns["role"]).lower()
        capacity_text = _cell(cells, columns.get("capacity"))
        person = people.get(email)
        capacity = int(capacity_text) if capacity_text.isdigit() else 1
        problem = ""
        if not email:
            problem = "email: the cell is empty; write the person's work e-mail"
        elif email in first_row:
            problem = f"email: {email} is already in row {first_row[email]}; keep one of the two"
        elif person is None:
            problem = (
                f"email: {email} is not in the organisation directory; check the spelling, "
                "or ask the programme team to import the directory again"
            )
        elif capacity_text and not capacity_text.isdigit():
            problem = f"capacity: '{capacity_text}' is not a whole number (e.g. 2)"
        else:
            problem = _invite_problem(person, DirectoryInvite(person.id, role, capacity), enrolled)  # type: ignore[arg-type]
        first_row.setdefault(email, number)
        lines.append(
            RosterLine(
                number,
                email,
                role,
                capacity,
                problem,
                *((person.name, person.department, person.grade, person.id) if person else ()),
            )  # fmt: skip
        )
    return DirectoryRoster(tuple(lines))


def read_directory_roster(
    actor: Actor, pilot_id: int, data: bytes, filename: str, *, session: Session
) -> DirectoryRoster:
    """Check a short roster file against the directory and the pilot, row by row, writing
    nothing: the page shows each row's problem before anybody is invited."""
    require_pilot_admin(actor, pilot_id, session=session)
    return _roster(pilot_id, data, filename, session=session)


def _checked_roster(
    pilot_id: int, data: bytes, filename: str, *, session: Session
) -> list[tuple[Person, DirectoryInvite]]:
    roster = _roster(pilot_id, data, filename, session=session)
    if not roster.can_invite:
        raise ValidationFailed(roster.problems)
    people = {p.id: p for p in session.exec(select(Person).where(
        col(Person.id).in_([x.person_id for x in roster.lines])))}  # fmt: skip
    return [(people[i.person_id], i) for i in roster.invites()]


def invite_roster_from_directory(
    actor: Actor, pilot_id: int, data: bytes, filename: str, *, session: Session
) -> int:
    """A short file of e-mails and roles (and a mentor's capacity): everybody in it must be in
    the directory; the rest of what the portal knows about them comes from there."""
    pilot = require_pilot_admin(actor, pilot_id, session=session)
    chosen = _checked_roster(pilot_id, data, filename, session=session)
    return len(_enroll_all(actor, pilot, chosen, session=session))


def send_roster_invitations(
    actor: Actor, pilot_id: int, data: bytes, filename: str, *, session: Session
) -> list[SentInvitation]:
    """The roster file's people invited and sent their personal links, all or none."""
    pilot = require_pilot_admin(actor, pilot_id, session=session)
    chosen = _checked_roster(pilot_id, data, filename, session=session)
    return _send_links(actor, _enroll_all(actor, pilot, chosen, session=session), session=session)


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
