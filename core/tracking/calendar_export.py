"""Planned sessions and an iCalendar file of them, so pairs book time in their own calendars.

Times are stored and exported in UTC (each member's calendar shows them in their own zone); the
planner's zone is kept for the invitations core.reminders emails. UIDs are derived from row ids
and SEQUENCE counts the changes, so re-importing the file or receiving a moved invitation updates
the event instead of duplicating it. Cancelling keeps the row so the cancellation can be sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event
from sqlmodel import Session, col, select

from core.auth import Actor
from core.errors import DomainError, NotFound, ValidationFailed
from core.models import Milestone, Person, PlannedSession, utcnow
from core.pairs.access import membership, require_running
from core.timezones import TimeZoneError, canonical_time_zone
from core.tracking.session_log import MAX_MINUTES, MIN_MINUTES

UID_DOMAIN = "reverse-mentoring-portal"
DEFAULT_TITLE = "Reverse-mentoring session"


@dataclass(frozen=True)
class PlannedSessionView:
    id: int
    starts_at: datetime  # UTC
    ends_at: datetime
    minutes: int
    title: str
    time_zone: str = "UTC"  # the planner's zone
    sequence: int = 0


def planned_uid(planned_id: int) -> str:
    """The iCalendar UID of a planned session, the same in the download and the invitations."""
    return f"planned-session-{planned_id}@{UID_DOMAIN}"


def _view(p: PlannedSession) -> PlannedSessionView:
    starts = p.starts_at.replace(tzinfo=p.starts_at.tzinfo or UTC).astimezone(UTC)
    return PlannedSessionView(
        p.id,  # type: ignore[arg-type]
        starts,
        starts + timedelta(minutes=p.minutes),
        p.minutes,
        p.title,
        p.time_zone,
        p.sequence,
    )


def _zone(time_zone: str | None, errors: dict[str, str]) -> str:
    try:
        return canonical_time_zone(time_zone)
    except TimeZoneError as exc:
        errors["time_zone"] = str(exc)
        return "UTC"


def _problems(
    pilot,
    starts_at: datetime | None,
    minutes: int,
    title: str,  # noqa: ANN001
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if starts_at is None:
        errors["starts_at"] = "is required"
    elif starts_at.tzinfo is None or starts_at.utcoffset() is None:
        errors["starts_at"] = "must include a time zone (e.g. your own, Europe/Paris)"
    elif starts_at <= utcnow():
        errors["starts_at"] = "must be in the future"
    elif not pilot.start_date <= starts_at.astimezone(UTC).date() <= pilot.end_date:
        errors["starts_at"] = (
            f"must be within the pilot's dates ({pilot.start_date:%d %b %Y} to "
            f"{pilot.end_date:%d %b %Y})"
        )
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        errors["minutes"] = f"must be a whole number from {MIN_MINUTES} to {MAX_MINUTES}"
    elif not MIN_MINUTES <= minutes <= MAX_MINUTES:
        errors["minutes"] = f"must be from {MIN_MINUTES} to {MAX_MINUTES} (got {minutes})"
    if len(title) > 120:
        errors["title"] = f"must be at most 120 characters (now {len(title)})"
    return errors


def plan_session(
    actor: Actor,
    pair_id: int,
    starts_at: datetime | None,
    minutes: int,
    title: str = "",
    *,
    time_zone: str | None = None,
    session: Session,
) -> PlannedSessionView:
    """A future meeting inside the pilot's dates; `starts_at` must carry its time zone.
    `time_zone` is the planner's zone (the invitation's TZID); default: their profile's."""
    member = membership(actor, pair_id, session=session)
    require_running(member, "planning a session")
    title = (title or "").strip() or DEFAULT_TITLE
    errors = _problems(member.pilot, starts_at, minutes, title)
    planner = session.get(Person, actor.person_id)
    zone = _zone(time_zone or (planner.time_zone if planner else "UTC"), errors)
    if errors:
        raise ValidationFailed(errors)
    assert starts_at is not None
    planned = PlannedSession(
        pair_id=pair_id,
        starts_at=starts_at.astimezone(UTC),
        minutes=minutes,
        title=title,
        planned_by_id=actor.person_id,
        time_zone=zone,
    )
    session.add(planned)
    session.flush()
    return _view(planned)


def _open_planned(actor: Actor, planned_id: int, doing: str, *, session: Session):  # noqa: ANN202
    planned = session.get(PlannedSession, planned_id)
    if planned is None or planned.cancelled_at is not None:
        raise NotFound("This planned session does not exist (already cancelled?).")
    member = membership(actor, planned.pair_id, session=session)
    require_running(member, doing)
    return planned, member


def move_planned_session(
    actor: Actor,
    planned_id: int,
    starts_at: datetime | None,
    minutes: int | None = None,
    *,
    time_zone: str | None = None,
    session: Session,
) -> PlannedSessionView:
    """A new time (and length) for a planned session; the invitation's SEQUENCE goes up by one
    so calendars move the event. Either member may move it; the organiser stays who planned it."""
    planned, member = _open_planned(actor, planned_id, "moving a session", session=session)
    minutes = planned.minutes if minutes is None else minutes
    errors = _problems(member.pilot, starts_at, minutes, planned.title)
    zone = _zone(time_zone or planned.time_zone, errors)
    if errors:
        raise ValidationFailed(errors)
    assert starts_at is not None
    if starts_at.astimezone(UTC) == _view(planned).starts_at and minutes == planned.minutes:
        raise DomainError("The session is already planned at that time: choose another time.")
    planned.starts_at = starts_at.astimezone(UTC)
    planned.minutes = minutes
    planned.time_zone = zone
    planned.sequence += 1
    planned.updated_at = utcnow()
    session.add(planned)
    session.flush()
    return _view(planned)


def planned_sessions(actor: Actor, pair_id: int, *, session: Session) -> list[PlannedSessionView]:
    membership(actor, pair_id, session=session)
    rows = session.exec(
        select(PlannedSession)
        .where(PlannedSession.pair_id == pair_id, col(PlannedSession.cancelled_at).is_(None))
        .order_by(col(PlannedSession.starts_at))
    ).all()
    return [_view(p) for p in rows]


def cancel_planned_session(actor: Actor, planned_id: int, *, session: Session) -> None:
    """Kept as cancelled, with SEQUENCE bumped, so both calendars receive the cancellation."""
    planned = session.get(PlannedSession, planned_id)
    if planned is None or planned.cancelled_at is not None:
        raise NotFound("This planned session does not exist (already cancelled?).")
    membership(actor, planned.pair_id, session=session)
    planned.cancelled_at = planned.updated_at = utcnow()
    planned.sequence += 1
    session.add(planned)
    session.flush()


def pair_calendar_ics(actor: Actor, pair_id: int, *, session: Session) -> bytes:
    """The pair's planned sessions as timed events and the pilot's milestones as all-day ones."""
    member = membership(actor, pair_id, session=session)
    pilot = member.pilot
    partner = session.get(Person, member.partner.person_id)
    assert partner is not None
    stamp = utcnow().replace(microsecond=0)
    calendar = Calendar()
    calendar.add("prodid", f"-//{UID_DOMAIN}//pair calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{pilot.name}: reverse mentoring")
    for planned in planned_sessions(actor, pair_id, session=session):
        event = Event()
        event.add("uid", planned_uid(planned.id))
        event.add("sequence", planned.sequence)
        event.add("dtstamp", stamp)
        event.add("dtstart", planned.starts_at)
        event.add("dtend", planned.ends_at)
        event.add("summary", planned.title)
        event.add("description", f"Reverse-mentoring session with {partner.name}.")
        calendar.add_component(event)
    milestones = session.exec(
        select(Milestone)
        .where(Milestone.pilot_id == pilot.id)
        .order_by(col(Milestone.position), col(Milestone.id))
    ).all()
    for milestone in milestones:
        event = Event()
        event.add("uid", f"milestone-{milestone.id}-pair-{pair_id}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", milestone.due_date)
        event.add("dtend", milestone.due_date + timedelta(days=1))
        event.add("summary", f"Milestone: {milestone.name}")
        if milestone.description:
            event.add("description", milestone.description)
        event.add("transp", "TRANSPARENT")  # all-day reminders do not block the day
        calendar.add_component(event)
    return calendar.to_ical()


def planning_zone(profile_zone: str | None, browser_zone: str | None) -> str:
    """The zone a person plans in: their profile's, unless it was never set (UTC, the default),
    then their browser's; UTC when neither is a zone."""
    for candidate in (profile_zone, browser_zone):
        try:
            zone = canonical_time_zone(candidate)
        except TimeZoneError:
            continue
        if zone != "UTC":
            return zone
    return "UTC"
