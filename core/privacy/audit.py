"""The audit trail: one append-only row per write by an admin or staff member, per sign-in
(successful or not), invitation, export and erasure.

Rows name the actor by id; their email is joined in when the trail is read, so erasing a person
leaves no copy of their email here. `before` and `after` keep only the fields that changed, and
never a password, a token or a private note: `record` drops any such key, whatever the caller
passes. Nothing updates or deletes a row, except erasure removing the erased person's name and
email from the JSON (core.privacy.erasure).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from enum import Enum

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, or_, select

from core.access import require_pilot_admin
from core.auth import Actor
from core.models import AuditEntry, Person, Pilot

# Keys whose values never enter the trail, at any depth.
SECRET_KEYS = frozenset(
    {
        "password",
        "password_hash",
        "token",
        "token_hash",
        "handoff_hash",
        "link",
        "private_note",
        "note_text",
        "notes",
        "feedback",
        "text",
    }
)


def _plain(value: object) -> object:
    """JSON-ready: dates as ISO text, enums as their value, containers walked, secrets dropped."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items() if str(k).lower() not in SECRET_KEYS}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def snapshot(row: object, names: Iterable[str]) -> dict:
    """The named fields of a row, for `before` / `after`."""
    return {name: getattr(row, name, None) for name in names}


def changed(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the fields whose value differs, on both sides."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    keys += [k for k in before if k not in after]
    return {k: before.get(k) for k in keys if k in before}, {k: after.get(k) for k in keys}


def filters_record(filters: object) -> dict:
    """A dashboard filter (core.dashboard.frames.DashboardFilters) as an export's row keeps it."""
    return {
        "departments": list(getattr(filters, "departments", ())),
        "career_stages": list(getattr(filters, "career_stages", ())),
        "topic_categories": list(getattr(filters, "topic_categories", ())),
        "from": getattr(filters, "date_from", None),
        "to": getattr(filters, "date_to", None),
    }


def record(
    session: Session,
    actor: Actor | int | None,
    action: str,
    pilot_id: int | None = None,
    before: dict | None = None,
    after: dict | None = None,
    *,
    subject_id: int | None = None,
) -> AuditEntry:
    """Append one row. `actor` is who acted (an Actor or a person id; None for an unknown
    email's failed sign-in); `action` a dotted name such as "participant.withdrawn"."""
    actor_id = actor.person_id if isinstance(actor, Actor) else actor
    entry = AuditEntry(
        actor_id=actor_id,
        pilot_id=pilot_id,
        action=action[:60],
        subject_id=subject_id,
        before=_plain(before or {}),  # type: ignore[arg-type]
        after=_plain(after or {}),  # type: ignore[arg-type]
    )
    session.add(entry)
    session.flush()
    return entry


# --- reading the trail ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditRow:
    id: int
    created_at: datetime
    actor_email: str  # "" when nobody known acted (a failed sign-in with an unknown email)
    action: str
    pilot_name: str
    subject_email: str
    before: dict
    after: dict

    def by_whom(self) -> str:
        """Who acted when no person did: the schedule or the command line say so in the row; a
        failed sign-in with an email nobody has names no one."""
        by = self.after.get("by")
        return f"({by})" if isinstance(by, str) and by else "(unknown email)"

    def line(self) -> str:
        """One line for the command line and logs."""
        when = self.created_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
        who = self.actor_email or self.by_whom()
        about = f" about {self.subject_email}" if self.subject_email else ""
        change = ""
        if self.before or self.after:
            change = f" before={_compact(self.before)} after={_compact(self.after)}"
        return f"{when} {who} {self.action}{about}{change}"


def _compact(value: dict) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def read_entries(
    pilot_id: int | None,
    *,
    session: Session,
    since: date | None = None,
    until: date | None = None,
    action: str | None = None,
    actor_email: str | None = None,
    include_portal_wide: bool = False,
) -> list[AuditRow]:
    """Oldest first. No permission check: callers (`audit_log`, the command line) check."""
    actor_p, subject_p = aliased(Person), aliased(Person)
    query = (
        select(AuditEntry, actor_p.email, Pilot.name, subject_p.email)
        .outerjoin(actor_p, actor_p.id == AuditEntry.actor_id)
        .outerjoin(subject_p, subject_p.id == AuditEntry.subject_id)
        .outerjoin(Pilot, Pilot.id == AuditEntry.pilot_id)
    )
    if pilot_id is not None:
        where = AuditEntry.pilot_id == pilot_id
        if include_portal_wide:
            where = or_(where, col(AuditEntry.pilot_id).is_(None))
        query = query.where(where)
    if since is not None:
        query = query.where(AuditEntry.created_at >= _start_of(since))
    if until is not None:
        query = query.where(AuditEntry.created_at < _start_of(until) + _ONE_DAY)
    if action:
        query = query.where(col(AuditEntry.action).startswith(action))
    if actor_email:
        query = query.where(actor_p.email == actor_email.strip().lower())
    rows = session.exec(query.order_by(col(AuditEntry.created_at), col(AuditEntry.id))).all()
    return [
        AuditRow(
            e.id,  # type: ignore[arg-type]
            e.created_at,
            who or "",
            e.action,
            pilot or "",
            subject or "",
            dict(e.before),
            dict(e.after),
        )
        for e, who, pilot, subject in rows
    ]


_ONE_DAY = datetime(2000, 1, 2) - datetime(2000, 1, 1)


def audit_log(
    actor: Actor,
    pilot_id: int,
    *,
    session: Session,
    since: date | None = None,
    until: date | None = None,
    action: str | None = None,
    actor_email: str | None = None,
) -> list[AuditRow]:
    """The pilot's trail, for its admins; the programme team also sees portal-wide rows
    (sign-ins, directory imports, erasures), which belong to no pilot."""
    require_pilot_admin(actor, pilot_id, session=session)
    return read_entries(
        pilot_id,
        session=session,
        since=since,
        until=until,
        action=action,
        actor_email=actor_email,
        include_portal_wide=actor.is_staff,
    )


def audit_csv(rows: list[AuditRow]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["when_utc", "actor", "action", "pilot", "about", "before", "after"])
    for r in rows:
        cells = [
            r.created_at.astimezone(UTC).isoformat(timespec="seconds"),
            r.actor_email,
            r.action,
            r.pilot_name,
            r.subject_email,
            _compact(r.before),
            _compact(r.after),
        ]
        # A cell that starts like a formula is text, as in every export of the portal.
        writer.writerow(["'" + c if c[:1] in ("=", "+", "-", "@") else c for c in cells])
    return buffer.getvalue().encode("utf-8-sig")
