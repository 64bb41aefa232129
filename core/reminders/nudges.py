"""The at-risk card's "Nudge both": the message that fits why the pair is at risk, sent now to
both members, and recorded on the pair (a "nudged" PairEvent) so every card shows when the pair
was last nudged. A member who turned that kind of reminder off is not nudged: an administrator
cannot override a person's opt-out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from core.access import require_pilot_admin
from core.auth import Actor
from core.errors import DomainError
from core.mail.delivery import deliver_once_committed, outbox_row
from core.models import Enrollment, EnrollmentStatus, Pair, PairEvent, Person, utcnow
from core.pairs.access import pair_for_admin
from core.reminders import preferences
from core.reminders.messages import build
from core.reminders.schedule import Due, Recipient, local_date
from core.settings import SmtpSettings, smtp_settings
from core.tracking.at_risk import (
    INACTIVE,
    MILESTONE_OVERDUE,
    PAUSED_TOO_LONG,
    at_risk_by_pair,
)

NUDGED = "nudged"
# Reason of the card -> (what the members read, the reminder kind an opt-out of which holds).
NUDGES: dict[str, tuple[str, str]] = {
    INACTIVE: (
        "It has been a while since your last reverse-mentoring session with {partner}. "
        "A short session is better than none: plan the next one on My pair.",
        "no_session",
    ),
    PAUSED_TOO_LONG: (
        "Your pair with {partner} has been paused for a while. When you are ready, resume it on "
        "My pair, or end it there if it no longer works for you: either is fine.",
        "no_session",
    ),
    MILESTONE_OVERDUE: (
        "A milestone of your pair with {partner} is overdue ({detail}). Tick it on My pair if "
        "you have done it, or plan a session to get to it.",
        "milestone_overdue",
    ),
}
NUDGEABLE = tuple(NUDGES)


@dataclass(frozen=True)
class NudgeResult:
    sent_to: tuple[str, ...]
    opted_out: tuple[str, ...]


def nudge_pair(
    actor: Actor,
    pair_id: int,
    *,
    session: Session,
    settings: SmtpSettings | None = None,
    today: date | None = None,
) -> NudgeResult:
    """Send the nudge now. Refused when the pair is no longer at risk for a reason a nudge
    helps with, and a second time on the same day (the dedupe key holds it)."""
    pair = pair_for_admin(actor, pair_id, session=session)
    pilot = require_pilot_admin(actor, pair.pilot_id, session=session)
    risk = at_risk_by_pair(actor, pair.pilot_id, session=session, today=today).get(pair_id)
    reason = next((k for k in (risk.kinds if risk else ()) if k in NUDGES), None)
    if risk is None or reason is None:
        raise DomainError(
            "This pair is not waiting for a nudge any more (no missing sessions, long pause or "
            "overdue milestone): nothing was sent."
        )
    text, kind = NUDGES[reason]
    detail = risk.reasons[risk.kinds.index(reason)].removeprefix("Overdue milestone: ")
    members = _members(pair, session=session)
    choices = preferences.all_choices(session=session)
    skipped = preferences.opted_out(choices, [m.person_id for m in members], kind)
    admin = session.get(Person, actor.person_id)
    now = utcnow()
    sent: list[str] = []
    everyone = _all_members(pair, session=session)
    settings = settings or smtp_settings()
    for member in members:
        if member.person_id in skipped:
            continue
        partner = next(m for m in everyone if m.person_id != member.person_id)
        due = Due(
            "nudge", member, pilot.id, pilot.name, f"pair:{pair_id}",  # type: ignore[arg-type]
            local_date(now, member.time_zone), pair_id,
            {"body": text.format(partner=partner.name, detail=detail), "admin": admin.name if admin else ""},
        )  # fmt: skip
        outgoing = build(due, session=session)
        row = outbox_row(outgoing)
        try:
            with session.begin_nested():
                session.add(row)
                session.flush()
        except IntegrityError:
            raise DomainError(
                f"{member.name} was already nudged about this pair today: try again tomorrow."
            ) from None
        deliver_once_committed(row, outgoing, settings, session=session)
        sent.append(member.name)
    if not sent:
        raise DomainError(
            "Both members turned these reminders off, so nothing was sent. Contact them directly."
        )
    session.add(
        PairEvent(
            pair_id=pair_id,
            person_id=actor.person_id,
            kind=NUDGED,
            note=f"{reason}: sent to {', '.join(sent)}",
            created_at=now,
        )
    )
    session.flush()
    names = {m.person_id: m.name for m in members}
    return NudgeResult(tuple(sent), tuple(names[p] for p in skipped))


def _all_members(pair: Pair, *, session: Session) -> list[Recipient]:
    rows = session.exec(
        select(Person)
        .join(Enrollment, col(Enrollment.person_id) == Person.id)
        .where(col(Enrollment.id).in_((pair.mentee_enrollment_id, pair.mentor_enrollment_id)))
    ).all()
    return [Recipient(p.id, p.email, p.name, p.time_zone) for p in rows]  # type: ignore[arg-type]


def _members(pair: Pair, *, session: Session) -> list[Recipient]:
    """Members still in the pilot, mentee first."""
    rows = session.exec(
        select(Person, Enrollment.id)
        .join(Enrollment, col(Enrollment.person_id) == Person.id)
        .where(
            col(Enrollment.id).in_((pair.mentee_enrollment_id, pair.mentor_enrollment_id)),
            Enrollment.status != EnrollmentStatus.WITHDRAWN,
        )
    ).all()
    ordered = sorted(rows, key=lambda r: r[1] != pair.mentee_enrollment_id)
    return [Recipient(p.id, p.email, p.name, p.time_zone) for p, _ in ordered]  # type: ignore[arg-type]


def last_nudged(actor: Actor, pilot_id: int, *, session: Session) -> dict[int, datetime]:
    """pair id -> when it was last nudged, for the cards; one query for the pilot."""
    require_pilot_admin(actor, pilot_id, session=session)
    return dict(
        session.exec(
            select(PairEvent.pair_id, func.max(PairEvent.created_at))
            .join(Pair, col(Pair.id) == PairEvent.pair_id)
            .where(Pair.pilot_id == pilot_id, PairEvent.kind == NUDGED)
            .group_by(PairEvent.pair_id)
        ).all()
    )
