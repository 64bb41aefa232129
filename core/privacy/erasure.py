"""Erasure (GDPR article 17), by the person or by the programme team for a leaver.

The person's row stays, as an anonymous placeholder ("Erased person", an address that cannot
receive mail), so that pairs, sessions, check-ins and pulses keep pointing somewhere and every
total of the pilot keeps its count. What identifies them goes: name, email, job title, manager,
office, employee id, password, sign-in sessions, links, messages sent to them, private notes and
every free text they wrote (goal objectives, expertise notes, takeaways, check-in feedback,
concerns, decline reasons). Copies of the name or email held elsewhere (somebody's manager
email, names in another pair's alternatives, in a matching run's unmatched list or in match
reasons, other people's notes, the outbox, the audit trail) are replaced by a sweep over every
text column. Department, career stage and grade stay: the totals by group are built from them.

A deleted or overwritten value can survive in the database file's free pages; SQLite
connections overwrite deleted content (PRAGMA secure_delete, core.db) and `compact_database`
rebuilds the file and empties the write-ahead log after the erasure is committed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from sqlalchemy import JSON, String, Text, cast, func, or_, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, col, delete, select

from core.access import require_staff
from core.auth import Actor, normalise_email
from core.errors import DomainError, NotFound
from core.models import (
    AccountToken,
    CheckIn,
    Concern,
    Enrollment,
    EnrollmentStatus,
    Expertise,
    LearningGoal,
    MentoringSession,
    OutboxMessage,
    Pair,
    PairEvent,
    Person,
    SessionNote,
    SignInSession,
    SignInThrottle,
    utcnow,
)
from core.privacy.audit import record

PLACEHOLDER_NAME = "Erased person"
ERASED_TEXT = "(erased)"


def placeholder_email(person_id: int) -> str:
    return f"erased-{person_id}@erased.invalid"


@dataclass(frozen=True)
class ErasureReport:
    person_id: int
    counts: dict[str, int]  # what was (or, on a dry run, would be) removed or rewritten
    dry_run: bool

    def lines(self) -> list[str]:
        return [f"{what}: {n}" for what, n in self.counts.items() if n]


def _count(result) -> int:  # noqa: ANN001 - a CursorResult
    return max(result.rowcount or 0, 0)


def _erase(person: Person, actor: Actor, *, session: Session) -> dict[str, int]:
    pid = person.id
    assert pid is not None
    name, email = person.name, person.email
    counts: dict[str, int] = {}
    enrollment_ids = list(session.exec(select(Enrollment.id).where(Enrollment.person_id == pid)))

    # Leaving every pilot ends the pairs that still hold the person, as a withdrawal does.
    from core.pairs.lifecycle import release_pairs_of  # late: pairs depend on participants

    left = 0
    for enrollment in session.exec(select(Enrollment).where(Enrollment.person_id == pid)).all():
        if enrollment.status != EnrollmentStatus.WITHDRAWN:
            enrollment.status = EnrollmentStatus.WITHDRAWN
            enrollment.withdrawn_at = utcnow()
            release_pairs_of(enrollment, session=session, by_person_id=actor.person_id)
            left += 1
        enrollment.learn_back_note = ""
        session.add(enrollment)
    counts["pilots left"] = left
    session.flush()

    def run(label: str, statement) -> None:  # noqa: ANN001
        counts[label] = counts.get(label, 0) + _count(session.exec(statement))  # type: ignore[call-overload]

    run("private notes deleted", delete(SessionNote).where(col(SessionNote.author_id) == pid))
    run(
        "sign-in sessions deleted", delete(SignInSession).where(col(SignInSession.person_id) == pid)
    )
    run("links deleted", delete(AccountToken).where(col(AccountToken.person_id) == pid))
    run(
        "messages deleted",
        delete(OutboxMessage).where(
            or_(col(OutboxMessage.person_id) == pid, col(OutboxMessage.to_email) == email)
        ),
    )
    run(
        "sign-in counters deleted",
        delete(SignInThrottle).where(col(SignInThrottle.key) == f"account:{email}"),
    )
    run(
        "goal objectives removed",
        update(LearningGoal)
        .where(col(LearningGoal.enrollment_id).in_(enrollment_ids), LearningGoal.objective != "")
        .values(objective=""),
    )
    run(
        "expertise notes removed",
        update(Expertise)
        .where(col(Expertise.enrollment_id).in_(enrollment_ids), Expertise.note != "")
        .values(note=""),
    )
    run(
        "session takeaways removed",
        update(MentoringSession)
        .where(col(MentoringSession.author_id) == pid, MentoringSession.takeaways != "")
        .values(takeaways=""),
    )
    run(
        "check-in feedback removed",
        update(CheckIn)
        .where(col(CheckIn.person_id) == pid)
        .where(or_(CheckIn.feedback != "", col(CheckIn.share_feedback)))
        .values(feedback="", share_feedback=False),
    )
    run(
        "concerns removed",
        update(Concern).where(col(Concern.raised_by_id) == pid).values(text=ERASED_TEXT),
    )
    run(
        "decline reasons removed",
        update(Pair)
        .where(col(Pair.declined_by_id) == pid, Pair.decline_reason != "")
        .values(decline_reason=""),
    )
    run(
        "pair notes removed",
        update(PairEvent)
        .where(col(PairEvent.person_id) == pid, PairEvent.note != "")
        .values(note=""),
    )
    run(
        "managers cleared",
        update(Person).where(func.lower(Person.manager_email) == email).values(manager_email=None),
    )
    session.flush()

    person.name = PLACEHOLDER_NAME
    person.email = placeholder_email(pid)
    person.job_title = ""
    person.manager_email = None
    person.location = ""
    person.time_zone = "UTC"
    person.employee_id = None
    person.password_hash = None
    person.is_staff = False
    person.in_directory = False
    person.erased_at = utcnow()
    session.add(person)
    session.flush()
    counts["copies of the name or email replaced"] = _sweep(
        {name: PLACEHOLDER_NAME, email: placeholder_email(pid)}, session=session
    )
    return counts


def _sweep(replacements: dict[str, str], *, session: Session) -> int:
    """Replace every copy of the given texts in every text and JSON column of every table
    (case-insensitively: an email typed with capitals is the same email). Returns the number of
    values rewritten."""
    needles = {k: v for k, v in replacements.items() if k and k.strip()}
    pattern = re.compile("|".join(re.escape(k) for k in needles), re.IGNORECASE)
    lowered = {k.lower(): v for k, v in needles.items()}

    def replace(text: str) -> str:
        return pattern.sub(lambda m: lowered[m.group(0).lower()], text)

    rewritten = 0
    for table in SQLModel.metadata.sorted_tables:
        keys = list(table.primary_key.columns)
        for column in table.columns:
            is_json = isinstance(column.type, JSON)
            if not (is_json or isinstance(column.type, String | Text)) or column in keys:
                continue
            as_text = cast(column, Text) if is_json else column
            found = session.exec(  # type: ignore[call-overload]
                select(*keys, column).where(
                    or_(*(func.lower(as_text).contains(k.lower()) for k in needles))
                )
            ).all()
            for row in found:
                *key_values, value = row
                if is_json:
                    new = json.loads(replace(json.dumps(value, ensure_ascii=False)))
                else:
                    new = replace(value)
                if new == value:
                    continue
                where = [k == v for k, v in zip(keys, key_values, strict=True)]
                session.exec(update(table).where(*where).values({column.name: new}))  # type: ignore[call-overload]
                rewritten += 1
    session.flush()
    return rewritten


def erase_person(
    actor: Actor, person_id: int, *, session: Session, dry_run: bool = False
) -> ErasureReport:
    """Erase a person (themself, or anybody by the programme team). With `dry_run`, everything
    is done inside a savepoint that is then rolled back, so the counts are exactly what a real
    erasure would do and nothing changes. The caller commits, then calls `compact_database`."""
    if person_id != actor.person_id:
        require_staff(actor)
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("This person does not exist.")
    if person.erased_at is not None:
        raise DomainError("This person's data has already been erased.")
    if person.is_staff:
        others = session.exec(
            select(func.count()).select_from(Person).where(Person.is_staff, Person.id != person_id)
        ).one()
        if not others:
            raise DomainError(
                "The portal needs at least one programme administrator; add another first."
            )
    savepoint = session.begin_nested()
    try:
        counts = _erase(person, actor, session=session)
        # No personal data in the row: who acted is an id, the counts are numbers.
        record(session, actor, "person.erased", None, {}, {"counts": counts}, subject_id=person_id)
    except BaseException:
        savepoint.rollback()
        raise
    if dry_run:
        savepoint.rollback()
        session.expire_all()
    else:
        savepoint.commit()
    return ErasureReport(person_id, counts, dry_run)


def find_person(email: str, *, session: Session) -> Person:
    person = session.exec(select(Person).where(Person.email == normalise_email(email))).first()
    if person is None:
        raise NotFound(f"No person has the email {normalise_email(email)}.")
    return person


def compact_database(engine: Engine) -> None:
    """After an erasure is committed: rebuild the file without free pages and empty the
    write-ahead log, so no copy of an erased value is left in the file's bytes. PostgreSQL:
    VACUUM FULL rewrites every table."""
    if engine.dialect.name == "sqlite":
        # The driver connection is in autocommit mode (core.db), as VACUUM requires.
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute("VACUUM")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.close()
        finally:
            raw.close()
        return
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM FULL")
