"""The portal's tables.

Every enumerated value is stored as plain text (see the `*Status`/`Role` classes) rather than a
database enum type, so that adding a value never needs a PostgreSQL type migration. JSON columns
hold small lists that are always read with their row (focus areas, availability slots, reasons);
topics in them are referred to by id, never by name, so renaming a topic changes nothing else.

Deleting a row takes the rows that belong to it along (ON DELETE CASCADE: a pilot's topics,
enrollments, pairs...; a pair's sessions, check-ins, events...; a topic's goals, expertise and
ratings). References to a person never cascade: nobody with a history in a pilot is deleted by
accident. Topics are retired (`active`), not deleted, by the app.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum, nonmember

from sqlalchemy import JSON, CheckConstraint, Column, Index, Text, UniqueConstraint, column
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    """Aware UTC: SQLModel's UTCDateTime stores UTC and refuses naive values."""
    return datetime.now(UTC)


class PilotStatus:
    DRAFT = "draft"
    RECRUITING = "recruiting"
    MATCHING = "matching"
    RUNNING = "running"
    CLOSED = "closed"
    ORDER = (DRAFT, RECRUITING, MATCHING, RUNNING, CLOSED)


class Role:
    MENTEE = "mentee"  # the senior leader who learns
    MENTOR = "mentor"  # the junior volunteer who teaches
    ADMIN = "admin"  # the DEI / programme team
    ALL = (MENTEE, MENTOR, ADMIN)


class EnrollmentStatus:
    INVITED = "invited"
    # A volunteer who joined with the pilot-wide code: counts once an admin approves them.
    PENDING = "pending"
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


class PairStatus(StrEnum):
    """A pair's place in its life; a StrEnum, so rows hold the same plain text as before."""

    SUGGESTED = "suggested"  # produced by a matching run, not yet reviewed
    APPROVED = "approved"  # the admin agrees; not yet visible to the pair
    REJECTED = "rejected"  # the admin forbade this pair; never suggested again
    PUBLISHED = "published"  # visible to both; waiting for both to accept
    DECLINED = "declined"  # one side said no; remembered, never suggested again
    ACTIVE = "active"  # both accepted
    PAUSED = "paused"
    ENDED = "ended"
    # The groups below are plain sets of the values (members do not exist yet in the class body;
    # StrEnum members equal and hash as their values, so `PairStatus.ACTIVE in RUNNING` holds).
    # Pairs that hold a mentee and a slot of the mentor's capacity; the database allows one
    # such pair per mentee (see Pair.__table_args__).
    HOLDING = nonmember(frozenset({SUGGESTED, APPROVED, PUBLISHED, ACTIVE, PAUSED}))
    # Decided by the admin: kept as they are when matching runs again, and counted as matched.
    KEPT = nonmember(frozenset({APPROVED, PUBLISHED, ACTIVE, PAUSED}))
    # What the pair's members can see (an ended pair too, if it had been published).
    CURRENT = nonmember(frozenset({PUBLISHED, ACTIVE, PAUSED}))
    # Both accepted and not over: sessions, milestones and check-ins are written to these.
    RUNNING = nonmember(frozenset({ACTIVE, PAUSED}))
    # Pairs the matching engine must never propose again.
    EXCLUDED = nonmember(frozenset({REJECTED, DECLINED, ENDED}))


class Response(StrEnum):
    """A member's answer to a published pair (Pair.mentee_response / mentor_response)."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class PairEventKind(StrEnum):
    """What a PairEvent records (PairEvent.kind)."""

    ACCEPTED = "accepted"  # a member accepted the published pair (the partner is told)
    DECLINED = "declined"  # a member declined the published pair
    SWAPPED = "swapped"  # the admin gave the mentee another mentor
    PAUSED = "paused"
    RESUMED = "resumed"
    ENDED = "ended"
    WITHDRAWN = "withdrawn"  # a member left the pilot, which ended the pair


class TopicKind:
    LEARN = "learn"  # what senior mentees want to learn (digital, AI, ...)
    OFFER = "offer"  # leadership know-how that mentees offer and mentors want to learn back


class Person(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(index=True, unique=True, max_length=254)
    name: str = Field(max_length=120)
    job_title: str = Field(default="", max_length=120)
    # Higher is more senior. Unknown grades never block a pair.
    grade: int | None = None
    department: str = Field(default="", max_length=120)
    manager_email: str | None = Field(default=None, max_length=254, index=True)
    time_zone: str = Field(default="UTC", max_length=64)
    career_stage: str = Field(default="", max_length=40)
    password_hash: str | None = None
    # The programme team: may create pilots. Per-pilot admin rights come from Enrollment.
    is_staff: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    # The organisation directory (core.people.directory_import): the HR system's id, the office,
    # whether the last directory import listed the person, and whether they left.
    employee_id: str | None = Field(default=None, max_length=64, index=True, unique=True)
    location: str = Field(default="", max_length=120)
    in_directory: bool = False
    is_leaver: bool = Field(default=False, index=True)
    left_on: date | None = None
    # Set when the person's data was erased (core.privacy.erasure): the row stays as an
    # anonymous placeholder so pairs, sessions and check-ins keep their counts.
    erased_at: datetime | None = None


class Pilot(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    purpose: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    focus_areas: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    start_date: date
    end_date: date
    status: str = Field(default=PilotStatus.DRAFT, max_length=20)
    sponsor_name: str = Field(default="", max_length=120)
    sponsor_email: str = Field(default="", max_length=254)
    sponsor_signed_off: bool = False
    invite_code: str = Field(index=True, unique=True, max_length=32)
    min_grade_gap: int = 1
    # Matching settings; keys documented in core.matching.instance.DEFAULT_WEIGHTS.
    match_weights: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    match_objective: str = Field(default="score", max_length=20)
    orientation_required: bool = False
    inactivity_days: int = 21
    privacy_threshold: int = 5
    # Participants of this pilot must sign in with the company's single sign-on.
    require_sso: bool = False
    # [{"metric": key, "target": number}], metric keys in core.dashboard.kpis.
    success_criteria: list[dict] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    created_by_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = Field(default_factory=utcnow)
    published_at: datetime | None = None
    # Retention (core.privacy.retention): private notes and free text are deleted this many days
    # after the pilot closed (`closed_at`, or the end date for pilots closed before it existed).
    retention_days: int = 90
    closed_at: datetime | None = None


class Topic(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("pilot_id", "kind", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    pilot_id: int = Field(foreign_key="pilot.id", ondelete="CASCADE")
    kind: str = Field(default=TopicKind.LEARN, max_length=10)
    name: str = Field(max_length=80)
    category: str = Field(default="", max_length=80)
    description: str = Field(default="", max_length=300)
    active: bool = True


class Enrollment(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("pilot_id", "person_id"),)
    id: int | None = Field(default=None, primary_key=True)
    pilot_id: int = Field(foreign_key="pilot.id", ondelete="CASCADE")
    person_id: int = Field(foreign_key="person.id", index=True)
    role: str = Field(max_length=10)
    status: str = Field(default=EnrollmentStatus.INVITED, max_length=12)
    # Mentors only: how many mentees they take (1-3).
    capacity: int = 1
    # Weekly slots such as "mon-am", "wed-pm" (see core.people.availability).
    availability: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # Mentees: OFFER topic ids they can share. Mentors: OFFER topic ids they want to learn back.
    offers: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    wants: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    learn_back_note: str = Field(default="", max_length=500)
    opted_out: bool = False
    # Mentees: "open to be mentored by someone more junior". Mentors: agree to take part.
    consent: bool = False
    orientation_completed_at: datetime | None = None
    invited_at: datetime = Field(default_factory=utcnow)
    joined_at: datetime | None = None
    withdrawn_at: datetime | None = None


class LearningGoal(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("enrollment_id", "topic_id"),)
    id: int | None = Field(default=None, primary_key=True)
    enrollment_id: int = Field(foreign_key="enrollment.id", ondelete="CASCADE")
    topic_id: int = Field(foreign_key="topic.id", index=True, ondelete="CASCADE")
    priority: int = 2  # 1 = must have, 2 = important, 3 = nice to have
    objective: str = Field(default="", max_length=500)
    preferred_format: str = Field(default="", max_length=40)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Expertise(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("enrollment_id", "topic_id"),)
    id: int | None = Field(default=None, primary_key=True)
    enrollment_id: int = Field(foreign_key="enrollment.id", ondelete="CASCADE")
    topic_id: int = Field(foreign_key="topic.id", index=True, ondelete="CASCADE")
    level: int = 2  # 1 = working knowledge, 2 = confident, 3 = could teach a class
    note: str = Field(default="", max_length=300)


class MatchRun(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    pilot_id: int = Field(foreign_key="pilot.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow)
    created_by_id: int | None = Field(default=None, foreign_key="person.id")
    objective: str = Field(default="score", max_length=20)
    weights: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    total_score: float = 0.0
    matched: int = 0
    mentees: int = 0
    proved_optimal: bool = False
    # [{"enrollment_id": id, "reason": text}]
    unmatched: list[dict] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class Pair(SQLModel, table=True):
    __table_args__ = (
        # At most one pair holds a mentee at a time, whatever writes the rows.
        Index(
            "uq_pair_holding_mentee",
            "mentee_enrollment_id",
            unique=True,
            sqlite_where=column("status").in_(sorted(PairStatus.HOLDING)),
            postgresql_where=column("status").in_(sorted(PairStatus.HOLDING)),
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    pilot_id: int = Field(foreign_key="pilot.id", index=True, ondelete="CASCADE")
    # A run's pairs outlive it: decided pairs stay when the run's suggestions are replaced.
    run_id: int | None = Field(
        default=None, foreign_key="matchrun.id", index=True, ondelete="SET NULL"
    )
    mentee_enrollment_id: int = Field(foreign_key="enrollment.id", index=True, ondelete="CASCADE")
    mentor_enrollment_id: int = Field(foreign_key="enrollment.id", index=True, ondelete="CASCADE")
    score: float = 0.0
    reasons: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # Ids of the mentee's goal topics the mentor has no expertise in.
    uncovered: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # [{"mentor_enrollment_id": id, "name": text, "score": x}]
    alternatives: list[dict] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = Field(default=PairStatus.SUGGESTED, max_length=12, index=True)
    locked: bool = False
    mentee_response: str = Field(default=Response.PENDING, max_length=10)
    mentor_response: str = Field(default=Response.PENDING, max_length=10)
    # Shown to admins only; the other member is never told why.
    decline_reason: str = Field(default="", max_length=500)
    declined_by_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = Field(default_factory=utcnow)
    published_at: datetime | None = None
    accepted_at: datetime | None = None
    ended_at: datetime | None = None


class Milestone(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    pilot_id: int = Field(foreign_key="pilot.id", index=True, ondelete="CASCADE")
    key: str = Field(default="", max_length=40)  # stable key of template items, e.g. "orientation"
    name: str = Field(max_length=120)
    description: str = Field(default="", max_length=500)
    position: int = 0
    due_date: date
    scope: str = Field(default="pair", max_length=10)  # "pilot" (admin ticks) or "pair"
    completed_on: date | None = None  # pilot-wide milestones only
    completed_by_id: int | None = Field(default=None, foreign_key="person.id")


class PairMilestone(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("pair_id", "milestone_id"),)
    id: int | None = Field(default=None, primary_key=True)
    pair_id: int = Field(foreign_key="pair.id", ondelete="CASCADE")
    milestone_id: int = Field(foreign_key="milestone.id", index=True, ondelete="CASCADE")
    completed_on: date
    completed_by_id: int = Field(foreign_key="person.id")


class MentoringSession(SQLModel, table=True):
    """A meeting of a pair. Shared with both members; private notes live in SessionNote."""

    id: int | None = Field(default=None, primary_key=True)
    pair_id: int = Field(foreign_key="pair.id", index=True, ondelete="CASCADE")
    author_id: int = Field(foreign_key="person.id")
    held_on: date = Field(index=True)
    minutes: int
    topic_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    takeaways: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class SessionNote(SQLModel, table=True):
    """A private note: readable by its author only, never by the partner or an admin."""

    __table_args__ = (UniqueConstraint("session_id", "author_id"),)
    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="mentoringsession.id", ondelete="CASCADE")
    author_id: int = Field(foreign_key="person.id")
    text: str = Field(sa_column=Column(Text, nullable=False))


class CandourPulse(SQLModel, table=True):
    """ "Could I speak candidly?" after a session; only aggregates over large groups leave core."""

    __table_args__ = (UniqueConstraint("session_id", "person_id"),)
    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="mentoringsession.id", ondelete="CASCADE")
    person_id: int = Field(foreign_key="person.id")
    score: int


class PlannedSession(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    pair_id: int = Field(foreign_key="pair.id", index=True, ondelete="CASCADE")
    starts_at: datetime
    minutes: int = 45
    title: str = Field(default="Reverse-mentoring session", max_length=120)
    # Calendar invitations (core.reminders): who planned it and in which zone (the TZID of the
    # invitation), and the iCalendar SEQUENCE, bumped on every move and on cancellation, so
    # calendars replace the event instead of adding a second one. A cancelled session is kept
    # (cancelled_at set) so the partner's calendar receives the cancellation.
    planned_by_id: int | None = Field(default=None, foreign_key="person.id")
    time_zone: str = Field(default="UTC", max_length=64)
    sequence: int = 0
    updated_at: datetime = Field(default_factory=utcnow)
    cancelled_at: datetime | None = None


class CheckIn(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("pair_id", "person_id", "phase"),)
    id: int | None = Field(default=None, primary_key=True)
    pair_id: int = Field(foreign_key="pair.id", ondelete="CASCADE")
    person_id: int = Field(foreign_key="person.id")
    phase: str = Field(max_length=10)  # "start" or "end"
    # The topic ratings are rows of CheckInRating.
    satisfaction: int | None = None
    would_recommend: bool | None = None
    take_part_again: bool | None = None
    feedback: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    # The mentee agrees that the feedback may appear in the mentor's recognition letter.
    share_feedback: bool = False
    # "Tell the programme team we need help": the one answer the participant chooses to share
    # with the admins as theirs (core.tracking.at_risk); every other answer is aggregate-only.
    needs_help: bool = False
    # The first submission's time; a later change of the answers is an edit (revision 0010).
    submitted_at: datetime = Field(default_factory=utcnow)
    edited_at: datetime | None = None


class Concern(SQLModel, table=True):
    """A confidential concern: seen by the pilot's admins only, never by the partner."""

    id: int | None = Field(default=None, primary_key=True)
    pilot_id: int = Field(foreign_key="pilot.id", index=True, ondelete="CASCADE")
    pair_id: int = Field(foreign_key="pair.id", index=True, ondelete="CASCADE")
    raised_by_id: int = Field(foreign_key="person.id")
    text: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    resolved_at: datetime | None = None


class PairEvent(SQLModel, table=True):
    """Status changes of a pair (pause, resume, end), for the at-risk list and the audit trail."""

    id: int | None = Field(default=None, primary_key=True)
    pair_id: int = Field(foreign_key="pair.id", index=True, ondelete="CASCADE")
    person_id: int | None = Field(default=None, foreign_key="person.id")
    kind: str = Field(max_length=20)  # a PairEventKind
    note: str = Field(default="", max_length=500)  # admins only
    created_at: datetime = Field(default_factory=utcnow)


# --- Check-in ratings as rows (revision 0004) ----------------------------------------------------


class CheckInRating(SQLModel, table=True):
    """One topic's 1-5 rating in a check-in: the mentee's confidence on a goal topic, or what the
    mentor learned back on a leadership topic. Rows, not a JSON object, so the dashboard reads a
    pilot's ratings in one query and a topic id is checked against the topic table."""

    __table_args__ = (CheckConstraint("rating BETWEEN 1 AND 5", name="ck_checkinrating_rating"),)
    checkin_id: int = Field(foreign_key="checkin.id", primary_key=True, ondelete="CASCADE")
    topic_id: int = Field(foreign_key="topic.id", primary_key=True, ondelete="CASCADE")
    rating: int


# --- accounts: invitations, sign-in sessions, throttling, outgoing mail ------------------------


class TokenPurpose:
    INVITE = "invite"  # a personal invitation: set a password or sign in with SSO
    RESET = "reset"  # a password reset link


class AccountToken(SQLModel, table=True):
    """A single-use link. Only the SHA-256 of the token is stored, so a copy of the database
    (a backup, a support dump) cannot be used to take over an account."""

    id: int | None = Field(default=None, primary_key=True)
    purpose: str = Field(max_length=10)
    token_hash: str = Field(max_length=64, unique=True)
    person_id: int = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    pilot_id: int | None = Field(default=None, foreign_key="pilot.id", ondelete="CASCADE")
    created_by_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: datetime | None = None
    revoked_at: datetime | None = None


class SignInSession(SQLModel, table=True):
    """What the browser's session cookie stands for. The cookie holds a random token; the
    table holds its hash, with an idle and an absolute expiry, so a reload keeps a person
    signed in and sign-out, a password change or "sign out everywhere" ends it for real."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    # A one-time code the page hands to the browser so the server can set the cookie.
    handoff_hash: str | None = Field(default=None, max_length=64, unique=True)
    handoff_expires_at: datetime | None = None
    person_id: int = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    via: str = Field(default="password", max_length=10)
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    revoked_at: datetime | None = None


class SignInThrottle(SQLModel, table=True):
    """Failed sign-ins per account and per client address; keyed so that an unknown email is
    throttled exactly like a known one."""

    key: str = Field(primary_key=True, max_length=300)
    failures: int = 0
    locked_until: datetime | None = None
    updated_at: datetime = Field(default_factory=utcnow)


class OutboxStatus:
    QUEUED = "queued"  # claimed by a reminder run, delivery not yet confirmed
    SENT = "sent"
    FAILED = "failed"
    NOT_CONFIGURED = "not sent"  # no SMTP server configured: the admin shares the link


class OutboxMessage(SQLModel, table=True):
    """Every message the portal sends, with its delivery status, for admins to check. Links
    with a token are stored redacted: the token exists in plain text only in the email."""

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40, index=True)
    to_email: str = Field(max_length=254)
    person_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    pilot_id: int | None = Field(
        default=None, foreign_key="pilot.id", index=True, ondelete="CASCADE"
    )
    subject: str = Field(max_length=200)
    body_text: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    status: str = Field(default=OutboxStatus.NOT_CONFIGURED, max_length=12)
    error: str = Field(default="", max_length=500)
    # Reminders: (person, kind, subject, due date) so a rerun never sends twice.
    dedupe_key: str | None = Field(default=None, max_length=300, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = None


# --- The organisation directory: the layout of the last HR export --------------------------------


class DirectoryMapping(SQLModel, table=True):
    """The column mapping, grade table and office time zones the programme team confirmed for one
    file layout (its headers), proposed again when the next export has the same headers."""

    id: int | None = Field(default=None, primary_key=True)
    layout: str = Field(index=True, unique=True, max_length=64)
    headers: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    mapping: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    grades: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    zones: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    saved_by_id: int | None = Field(default=None, foreign_key="person.id")
    saved_at: datetime = Field(default_factory=utcnow)


# --- Privacy: the audit trail (core.privacy.audit) -----------------------------------------------


class AuditEntry(SQLModel, table=True):
    """One write by an admin or staff member, a sign-in, an export or an erasure. Append-only:
    nothing in the portal updates or deletes these rows, except erasure, which removes the
    erased person's name and email from them. The actor is an id (their email is shown by a
    join), so an erased actor leaves no personal data here; `before`/`after` hold the changed
    fields, never a password, a token or a private note."""

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    actor_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    pilot_id: int | None = Field(
        default=None, foreign_key="pilot.id", index=True, ondelete="SET NULL"
    )
    action: str = Field(max_length=60, index=True)
    # The person the action was about (a withdrawn participant, an erased person), if any.
    subject_id: int | None = Field(default=None, foreign_key="person.id")
    before: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    after: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


# --- Data versions: a counter per pilot that every write bumps (core.versions) -------------------


class DataVersion(SQLModel, table=True):
    """How many committed write transactions touched a pilot's data. Pages cache figures under
    (pilot, version): a write bumps the version in its own transaction, so a cached figure is
    never shown after a write. No foreign key on purpose: the counter outlives a deleted pilot,
    so a pilot that reuses its id carries on counting instead of starting again at a version
    whose cached figures belonged to the old pilot."""

    pilot_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    version: int = 0


# --- Submitted forms, each recorded once (revision 0010) ----------------------------------------


class Submission(SQLModel, table=True):
    """A form's one-time token, written in the same transaction as what the form created, so a
    repeated submit of the same form (a double click, a resent request) finds it and is answered
    with the first result instead of writing a second row (core.submissions.once)."""

    token: str = Field(primary_key=True, max_length=64)
    # Nobody is signed in when a volunteer joins with the pilot code.
    actor_id: int | None = Field(
        default=None, foreign_key="person.id", index=True, ondelete="SET NULL"
    )
    created_at: datetime = Field(default_factory=utcnow, index=True)
    # What the first submit answered: ids of the rows it wrote and what the page said.
    result: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


# --- reminders: what each person wants to receive, and one-click unsubscribe links -------------


class ReminderFrequency:
    IMMEDIATELY = "immediately"
    WEEKLY = "weekly"  # gathered into one digest a week
    NEVER = "never"  # optional reminders only
    ALL = (IMMEDIATELY, WEEKLY, NEVER)


class ReminderPreference(SQLModel, table=True):
    """A person's choice for one kind of reminder; no row means the kind's default. Only the
    person themselves writes these rows (core.reminders.preferences)."""

    __table_args__ = (UniqueConstraint("person_id", "kind"),)
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=40)
    frequency: str = Field(default=ReminderFrequency.IMMEDIATELY, max_length=12)
    updated_at: datetime = Field(default_factory=utcnow)


class UnsubscribeLink(SQLModel, table=True):
    """The link at the bottom of a reminder: it turns that kind of reminder off for its person
    without signing in. Only the SHA-256 of the random token is stored."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    person_id: int = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=40)
    created_at: datetime = Field(default_factory=utcnow)
    used_at: datetime | None = None
