"""What is due, decided from the database alone, so any run (the server's, `python -m core
remind`, a rerun after a crash) reaches the same answer and the dedupe key of each message
(kind, person, subject, due date) says whether it already went out.

Everything is read in a fixed number of queries for all pilots at once (pilots, people, pairs,
last sessions, check-ins, events, planned sessions, choices), never one query per pair: a pilot
of 20 000 participants is planned in one pass (bench/reminders.py).

Dates are the recipient's: "today" is the date in their time zone, and a weekly digest covers
their previous Monday-to-Sunday. A reminder is sent within GRACE_DAYS of its due date or not at
all, so a server that was down for a month does not send a month of stale reminders at once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from sqlmodel import Session, col, func, select

from core.models import (
    CheckIn,
    Enrollment,
    EnrollmentStatus,
    Expertise,
    LearningGoal,
    MentoringSession,
    Pair,
    PairEvent,
    PairStatus,
    Person,
    Pilot,
    PilotStatus,
    PlannedSession,
    Role,
)
from core.pairs.access import reference_date
from core.people.profiles import profile_completeness
from core.reminders import preferences
from core.reminders.preferences import IMMEDIATELY, NEVER, WEEKLY
from core.timezones import TimeZoneError, zone_info
from core.tracking.milestone_progress import overdue_by_pair

GRACE_DAYS = 7
PROFILE_REMINDER_DAYS = 7  # "profile incomplete" goes out this many days after joining
END_CHECKIN_DAYS_BEFORE = 7  # the end check-in is due a week before the pilot ends
WATCHED_PILOTS = (PilotStatus.RECRUITING, PilotStatus.MATCHING, PilotStatus.RUNNING)
RECRUITING = (PilotStatus.RECRUITING, PilotStatus.MATCHING)

# Message kind -> the preference that governs it (None: always sent at once).
PREFERENCE_OF: dict[str, str | None] = {
    "match_published": "pair_updates",
    "partner_accepted": "pair_updates",
    "partner_declined": "pair_updates",
    "session_planned": None,
    "session_moved": None,
    "session_cancelled": None,
    "checkin_due": "checkin_due",
    "no_session": "no_session",
    "milestone_overdue": "milestone_overdue",
    "profile_incomplete": "profile_incomplete",
    "admin_digest": "admin_digest",
    "reminder_digest": None,
    "nudge": None,
}


@dataclass(frozen=True)
class Recipient:
    person_id: int
    email: str
    name: str
    time_zone: str


@dataclass(frozen=True)
class Due:
    """One message to send. `facts` holds what its template needs besides the recipient."""

    kind: str
    person: Recipient
    pilot_id: int
    pilot_name: str
    subject_ref: str  # what it is about: "pair:12", "planned:5:1", "pilot:3"
    due_on: date
    pair_id: int | None = None
    facts: dict = field(default_factory=dict, compare=False)
    items: tuple[Due, ...] = field(default=(), compare=False)  # a digest's reminders

    @property
    def key(self) -> str:
        return f"{self.kind}|{self.person.person_id}|{self.subject_ref}|{self.due_on.isoformat()}"


@lru_cache(maxsize=1024)
def _tz(name: str):  # noqa: ANN202
    try:
        return zone_info(name)
    except TimeZoneError:
        return UTC


def local_date(moment: datetime, time_zone: str) -> date:
    return moment.astimezone(_tz(time_zone)).date()


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass
class _World:
    """The rows a run reads, loaded once."""

    now: datetime
    pilots: dict[int, Pilot]
    people: dict[int, Recipient]  # person id -> recipient
    # enrollment id -> (person id, role, status, pilot id)
    enrollments: dict[int, tuple[int, str, str, int]]
    pairs: list[Pair]
    choices: preferences.Choices

    def today(self, person_id: int) -> date:
        return local_date(self.now, self.people[person_id].time_zone)

    def day_of(self, person_id: int, moment: datetime) -> date:
        """The person's own date of a moment: a message is due by their calendar, so an event
        late in their evening is due on their today, not on tomorrow's date in UTC."""
        return local_date(_aware(moment), self.people[person_id].time_zone)


def _load(session: Session, now: datetime, pilot_ids, pair_ids) -> _World:  # noqa: ANN001
    query = select(Pilot).where(col(Pilot.status).in_(WATCHED_PILOTS))
    if pilot_ids is not None:
        query = query.where(col(Pilot.id).in_(pilot_ids))
    pilots = {p.id: p for p in session.exec(query).all()}
    pair_query = select(Pair).where(
        col(Pair.pilot_id).in_(pilots),
        col(Pair.status).in_(
            (PairStatus.PUBLISHED, PairStatus.ACTIVE, PairStatus.PAUSED, PairStatus.DECLINED)
        ),
    )
    if pair_ids is not None:
        pair_query = pair_query.where(col(Pair.id).in_(pair_ids))
    pairs = list(session.exec(pair_query).all())
    people: dict[int, Recipient] = {}
    enrollments: dict[int, tuple[int, str, str, int]] = {}
    rows = session.exec(
        select(
            Enrollment.pilot_id,
            Enrollment.id,
            Enrollment.role,
            Enrollment.status,
            Person.id,
            Person.email,
            Person.name,
            Person.time_zone,
        )
        .join(Person, col(Person.id) == Enrollment.person_id)
        .where(col(Enrollment.pilot_id).in_(pilots))
    ).all()
    for pilot_id, enrollment_id, role, status, person_id, email, name, zone in rows:
        enrollments[enrollment_id] = (person_id, role, status, pilot_id)
        people[person_id] = Recipient(person_id, email, name, zone)
    return _World(now, pilots, people, enrollments, pairs, preferences.all_choices(session=session))


def _members(world: _World, pair: Pair) -> list[tuple[int, str]]:
    """(person id, role) of the pair's members who have not withdrawn."""
    out = []
    for enrollment_id in (pair.mentee_enrollment_id, pair.mentor_enrollment_id):
        person_id, role, status, _pilot = world.enrollments[enrollment_id]
        if status != EnrollmentStatus.WITHDRAWN:
            out.append((person_id, role))
    return out


def _partner_of(world: _World, pair: Pair, person_id: int) -> Recipient:
    mentee = world.enrollments[pair.mentee_enrollment_id][0]
    mentor = world.enrollments[pair.mentor_enrollment_id][0]
    return world.people[mentor if person_id == mentee else mentee]


def _due(world: _World, kind: str, person_id: int, pilot: Pilot, ref: str, due_on: date,
         pair: Pair | None = None, **facts) -> Due:  # fmt: skip
    return Due(
        kind,
        world.people[person_id],
        pilot.id,  # type: ignore[arg-type]
        pilot.name,
        ref,
        due_on,
        pair.id if pair else None,
        facts,
    )


def _pair_news(world: _World, session: Session, since: datetime) -> list[Due]:
    out: list[Due] = []
    by_id = {p.id: p for p in world.pairs}
    for pair in world.pairs:
        if pair.status == PairStatus.PUBLISHED and pair.published_at is not None:
            pilot = world.pilots[pair.pilot_id]
            for person_id, role in _members(world, pair):
                answer = pair.mentee_response if role == Role.MENTEE else pair.mentor_response
                if answer == "pending":
                    partner = _partner_of(world, pair, person_id)
                    out.append(
                        _due(world, "match_published", person_id, pilot, f"pair:{pair.id}",
                             world.day_of(person_id, pair.published_at), pair, partner=partner.name,
                             partner_role="mentor" if role == Role.MENTEE else "mentee")
                    )  # fmt: skip
    if not by_id:
        return out
    events = session.exec(
        select(PairEvent.pair_id, PairEvent.person_id, PairEvent.kind, PairEvent.created_at).where(
            col(PairEvent.pair_id).in_(by_id),
            col(PairEvent.kind).in_(("accepted", "declined")),
            PairEvent.created_at >= since,
        )
    ).all()
    for pair_id, actor_id, kind, when in events:
        pair = by_id[pair_id]
        pilot = world.pilots[pair.pilot_id]
        for person_id, _role in _members(world, pair):
            if person_id == actor_id or actor_id not in world.people:
                continue
            out.append(
                _due(world, f"partner_{kind}", person_id, pilot, f"pair:{pair.id}",
                     world.day_of(person_id, when), pair, partner=world.people[actor_id].name,
                     started=pair.status == PairStatus.ACTIVE)
            )  # fmt: skip
    return out


def _sessions(world: _World, session: Session, since: datetime) -> list[Due]:
    running = {p.id: p for p in world.pairs if p.status in (PairStatus.ACTIVE, PairStatus.PAUSED)}
    if not running:
        return []
    out = []
    for planned in session.exec(
        select(PlannedSession).where(
            col(PlannedSession.pair_id).in_(running),
            PlannedSession.starts_at > world.now,
            PlannedSession.updated_at >= since,
        )
    ).all():
        pair = running[planned.pair_id]
        pilot = world.pilots[pair.pilot_id]
        if planned.cancelled_at is not None:
            kind = "session_cancelled"
        else:
            kind = "session_planned" if planned.sequence == 0 else "session_moved"
        for person_id, _role in _members(world, pair):
            out.append(
                _due(world, kind, person_id, pilot, f"planned:{planned.id}:{planned.sequence}",
                     world.day_of(person_id, planned.updated_at), pair, planned=planned,
                     partner=_partner_of(world, pair, person_id).name,
                     organiser=world.people.get(planned.planned_by_id or 0))
            )  # fmt: skip
    return out


def _checkins(world: _World, session: Session) -> list[Due]:
    active = [p for p in world.pairs if p.status == PairStatus.ACTIVE]
    if not active:
        return []
    done = set(
        session.exec(
            select(CheckIn.pair_id, CheckIn.person_id, CheckIn.phase).where(
                col(CheckIn.pair_id).in_([p.id for p in active])
            )
        ).all()
    )
    out = []
    for pair in active:
        pilot = world.pilots[pair.pilot_id]
        if pilot.status != PilotStatus.RUNNING:
            continue
        middle = pilot.start_date + (pilot.end_date - pilot.start_date) / 2
        phases = {
            "start": max(pilot.start_date, reference_date(pair)),
            "mid": middle,
            "end": pilot.end_date - timedelta(days=END_CHECKIN_DAYS_BEFORE),
        }
        for person_id, _role in _members(world, pair):
            for phase, due_on in phases.items():
                if (pair.id, person_id, phase) in done:
                    continue
                if phase == "start" and due_on >= middle:
                    continue  # joined late: the mid-point check-in comes first
                out.append(
                    _due(world, "checkin_due", person_id, pilot, f"pair:{pair.id}:{phase}",
                         due_on, pair, phase=phase, partner=_partner_of(world, pair, person_id).name)
                )  # fmt: skip
    return out


def _inactivity(world: _World, session: Session) -> list[Due]:
    active = [
        p
        for p in world.pairs
        if p.status == PairStatus.ACTIVE and world.pilots[p.pilot_id].status == PilotStatus.RUNNING
    ]
    if not active:
        return []
    last = dict(
        session.exec(
            select(MentoringSession.pair_id, func.max(MentoringSession.held_on))
            .where(col(MentoringSession.pair_id).in_([p.id for p in active]))
            .group_by(MentoringSession.pair_id)
        ).all()
    )
    out = []
    for pair in active:
        pilot = world.pilots[pair.pilot_id]
        limit = max(1, pilot.inactivity_days)
        since = last.get(pair.id) or reference_date(pair)
        for person_id, _role in _members(world, pair):
            days = (world.today(person_id) - since).days
            if days < limit:
                continue
            # Once per `limit` days without a session, not every day.
            due_on = since + timedelta(days=limit * (days // limit))
            out.append(
                _due(world, "no_session", person_id, pilot, f"pair:{pair.id}", due_on, pair,
                     days=(due_on - since).days, limit=limit, logged=pair.id in last,
                     partner=_partner_of(world, pair, person_id).name)
            )  # fmt: skip
    return out


def _milestones(world: _World, session: Session) -> list[Due]:
    out = []
    by_pilot: dict[int, list[Pair]] = defaultdict(list)
    for pair in world.pairs:
        if pair.status == PairStatus.ACTIVE:
            by_pilot[pair.pilot_id].append(pair)
    today = world.now.astimezone(UTC).date()
    for pilot_id, pairs in by_pilot.items():
        pilot = world.pilots[pilot_id]
        if pilot.status != PilotStatus.RUNNING:
            continue
        by_id = {p.id: p for p in pairs}
        overdue = overdue_by_pair(pilot_id, set(by_id), today, session=session)  # type: ignore[arg-type]
        for pair_id, late in overdue.items():
            pair = by_id[pair_id]
            for milestone, _days in late:
                for person_id, _role in _members(world, pair):
                    out.append(
                        _due(world, "milestone_overdue", person_id, pilot,
                             f"pair:{pair_id}:milestone:{milestone.id}",
                             milestone.due_date + timedelta(days=1), pair,
                             milestone=milestone.name, due_date=milestone.due_date,
                             partner=_partner_of(world, pair, person_id).name)
                    )  # fmt: skip
    return out


def _profiles(world: _World, session: Session, since: datetime) -> list[Due]:
    recruiting = [pid for pid, p in world.pilots.items() if p.status in RECRUITING]
    if not recruiting:
        return []
    # Loose by a day: whether it is due is decided on the recipient's own date (plan()).
    joined_before = world.now - timedelta(days=PROFILE_REMINDER_DAYS - 1)
    candidates = session.exec(
        select(Enrollment).where(
            col(Enrollment.pilot_id).in_(recruiting),
            col(Enrollment.role).in_((Role.MENTEE, Role.MENTOR)),
            Enrollment.status == EnrollmentStatus.ACTIVE,
            col(Enrollment.joined_at).is_not(None),
            Enrollment.joined_at <= joined_before,
            Enrollment.joined_at >= since - timedelta(days=PROFILE_REMINDER_DAYS),
        )
    ).all()
    if not candidates:
        return []
    ids = [e.id for e in candidates]
    items: dict[int, int] = defaultdict(int)
    for model in (LearningGoal, Expertise):
        for enrollment_id, count in session.exec(
            select(model.enrollment_id, func.count())
            .where(col(model.enrollment_id).in_(ids))
            .group_by(model.enrollment_id)
        ).all():
            items[enrollment_id] += count
    paired = {
        e
        for pair in world.pairs
        if pair.status != PairStatus.DECLINED
        for e in (pair.mentee_enrollment_id, pair.mentor_enrollment_id)
    }
    out = []
    for enrollment in candidates:
        if enrollment.id in paired:
            continue
        _done, _total, missing = profile_completeness(enrollment, items[enrollment.id])  # type: ignore[index]
        if missing:
            pilot = world.pilots[enrollment.pilot_id]
            due_on = world.day_of(enrollment.person_id, enrollment.joined_at) + timedelta(
                days=PROFILE_REMINDER_DAYS
            )  # type: ignore[arg-type]
            out.append(
                _due(world, "profile_incomplete", enrollment.person_id, pilot,
                     f"enrollment:{enrollment.id}", due_on, missing=missing, role=enrollment.role)
            )  # fmt: skip
    return out


def candidates(
    session: Session,
    now: datetime,
    *,
    pilot_ids=None,
    pair_ids=None,  # noqa: ANN001
) -> tuple[_World, list[Due]]:
    """Everything that may be due for these pilots (or pairs), before people's choices."""
    world = _load(session, now, pilot_ids, pair_ids)
    since = now - timedelta(days=2 * GRACE_DAYS + 1)
    found = _pair_news(world, session, since) + _sessions(world, session, since)
    found += _checkins(world, session) + _inactivity(world, session)
    found += _milestones(world, session)
    if pair_ids is None:
        found += _profiles(world, session, since)
    return world, found


def plan(
    session: Session,
    now: datetime,
    *,
    pilot_ids=None,
    pair_ids=None,  # noqa: ANN001
) -> list[Due]:
    """The messages due now: each reminder as it happens or gathered into the person's weekly
    digest, as they chose, plus the admins' weekly summaries. Read-only."""
    now = _aware(now)
    world, found = candidates(session, now, pilot_ids=pilot_ids, pair_ids=pair_ids)
    due: list[Due] = []
    weekly: dict[int, list[Due]] = defaultdict(list)
    for item in found:
        pref = PREFERENCE_OF[item.kind]
        frequency = (
            IMMEDIATELY
            if pref is None
            else preferences.frequency_for(world.choices, item.person.person_id, pref)
        )
        today = world.today(item.person.person_id)
        # "No session for N days" holds until a session is logged: no grace period needed.
        grace = GRACE_DAYS if item.kind != "no_session" else 10**5
        if frequency == IMMEDIATELY and today - timedelta(days=grace) <= item.due_on <= today:
            due.append(item)
        elif frequency == WEEKLY:
            monday = week_start(today)
            if monday - timedelta(days=7) <= item.due_on < monday:
                weekly[item.person.person_id].append(item)
    for person_id, items in weekly.items():
        first = items[0]
        monday = week_start(world.today(person_id))
        due.append(
            Due("reminder_digest", first.person, first.pilot_id, first.pilot_name, "week",
                monday, None, {}, tuple(sorted(items, key=lambda d: (d.due_on, d.kind))))
        )  # fmt: skip
    if pair_ids is None:
        due += admin_digests(world)
    return sorted(due, key=lambda d: (d.due_on, d.kind, d.person.email, d.subject_ref))


def admin_digests(world: _World) -> list[Due]:
    """One summary a week per pilot and administrator, on the first run of their week; its
    content (at-risk pairs, overdue milestones, sign-ups) is read when it is built."""
    out = []
    for person_id, role, status, pilot_id in world.enrollments.values():
        if role != Role.ADMIN or status == EnrollmentStatus.WITHDRAWN:
            continue
        if preferences.frequency_for(world.choices, person_id, "admin_digest") == NEVER:
            continue
        pilot = world.pilots[pilot_id]
        monday = week_start(world.today(person_id))
        out.append(_due(world, "admin_digest", person_id, pilot, f"pilot:{pilot_id}", monday))
    return out
