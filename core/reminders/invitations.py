"""Calendar invitations for planned sessions (RFC 5546 iTIP over email).

A REQUEST with the session's stable UID adds the event; the same UID with a higher SEQUENCE moves
it; METHOD:CANCEL with STATUS:CANCELLED removes it. Times carry the organiser's TZID and the
matching VTIMEZONE (icalendar builds it from the zone's rules), so Outlook and Google Calendar
show the time the organiser chose and convert it for everyone else. Zones without rules
("UTC+2") are written as UTC times: a fixed offset would be wrong for any calendar that later
guesses daylight saving.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event, vCalAddress, vText

from core.models import PlannedSession
from core.reminders.schedule import Recipient
from core.timezones import is_fixed_offset, zone_info
from core.tracking.calendar_export import UID_DOMAIN, planned_uid

REQUEST, CANCEL = "REQUEST", "CANCEL"


def _address(person: Recipient, role: str | None = None) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    address.params["CN"] = vText(person.name)
    if role:
        address.params["ROLE"] = vText(role)
        address.params["PARTSTAT"] = vText("NEEDS-ACTION")
        address.params["RSVP"] = vText("FALSE")
    return address


def _in_zone(moment: datetime, time_zone: str) -> datetime:
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    if is_fixed_offset(time_zone):
        return moment.astimezone(UTC)
    return moment.astimezone(zone_info(time_zone))


def invitation_ics(
    planned: PlannedSession,
    organiser: Recipient | None,
    attendees: list[Recipient],
    *,
    summary: str,
    description: str,
    stamp: datetime,
) -> tuple[str, bytes]:
    """(method, file) for the session as it now is: cancelled sessions give a CANCEL."""
    method = CANCEL if planned.cancelled_at is not None else REQUEST
    calendar = Calendar()
    calendar.add("prodid", f"-//{UID_DOMAIN}//session invitation//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    starts = _in_zone(planned.starts_at, planned.time_zone)
    event = Event()
    event.add("uid", planned_uid(planned.id))  # type: ignore[arg-type]
    event.add("sequence", planned.sequence)
    event.add("dtstamp", stamp.astimezone(UTC).replace(microsecond=0))
    event.add("dtstart", starts)
    event.add("dtend", starts + timedelta(minutes=planned.minutes))
    event.add("summary", summary)
    event.add("description", description)
    event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    if organiser is not None:
        event.add("organizer", _address(organiser))
    for person in attendees:
        event.add("attendee", _address(person, "REQ-PARTICIPANT"), encode=0)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return method, calendar.to_ical()
