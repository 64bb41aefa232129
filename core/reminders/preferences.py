"""Which reminders a person receives, and how often.

Every choice is the person's own: the services take the acting person and change only their
rows, and there is no service that changes somebody else's, so an administrator cannot turn a
reminder back on for a person who turned it off. The unsubscribe link in a reminder does the same
as choosing "never" on the Account page, without signing in.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from sqlmodel import Session, select

from core.auth import Actor
from core.errors import DomainError, NotAllowed, ValidationFailed
from core.models import ReminderFrequency, ReminderPreference, UnsubscribeLink, utcnow

IMMEDIATELY, WEEKLY, NEVER = (
    ReminderFrequency.IMMEDIATELY,
    ReminderFrequency.WEEKLY,
    ReminderFrequency.NEVER,
)
FREQUENCY_LABELS = {
    IMMEDIATELY: "As it happens",
    WEEKLY: "In a weekly digest",
    NEVER: "Never",
}
EVERY_OPTIONAL = "all"  # the digest's unsubscribe link: every optional reminder at once


@dataclass(frozen=True)
class ReminderKind:
    key: str
    label: str
    optional: bool  # optional kinds can be turned off and carry an unsubscribe link
    choices: tuple[str, ...]
    default: str


# Session invitations are not here: they always go out at once, they are the calendar entry.
KINDS: dict[str, ReminderKind] = {
    k.key: k
    for k in (
        ReminderKind(
            "pair_updates",
            "News about your match: a new match, and your partner's answer",
            False,
            (IMMEDIATELY, WEEKLY),
            IMMEDIATELY,
        ),
        ReminderKind(
            "checkin_due",
            "Check-ins due at the start, middle and end of the pilot",
            True,
            (IMMEDIATELY, WEEKLY, NEVER),
            IMMEDIATELY,
        ),
        ReminderKind(
            "no_session",
            "No session for a while: a nudge to plan the next one",
            True,
            (IMMEDIATELY, WEEKLY, NEVER),
            IMMEDIATELY,
        ),
        ReminderKind(
            "milestone_overdue",
            "A milestone of your pair is overdue",
            True,
            (IMMEDIATELY, WEEKLY, NEVER),
            IMMEDIATELY,
        ),
        ReminderKind(
            "profile_incomplete",
            "Your profile is not complete a week after joining",
            True,
            (IMMEDIATELY, WEEKLY, NEVER),
            IMMEDIATELY,
        ),
        ReminderKind(
            "admin_digest",
            "Programme admins: weekly summary of at-risk pairs, overdue milestones and sign-ups",
            True,
            (WEEKLY, NEVER),
            WEEKLY,
        ),
    )
}


@dataclass(frozen=True)
class PreferenceView:
    kind: str
    label: str
    optional: bool
    choices: tuple[str, ...]
    frequency: str


Choices = dict[tuple[int, str], str]


def all_choices(*, session: Session) -> Choices:
    """(person id, kind) -> frequency for every saved choice: one query for a whole run."""
    return {
        (person_id, kind): frequency
        for person_id, kind, frequency in session.exec(
            select(
                ReminderPreference.person_id,
                ReminderPreference.kind,
                ReminderPreference.frequency,
            )
        ).all()
    }


def frequency_for(choices: Choices, person_id: int, kind: str) -> str:
    """The person's choice, or the kind's default; a choice no longer offered counts as the
    default (a kind that became required cannot stay "never")."""
    spec = KINDS[kind]
    chosen = choices.get((person_id, kind), spec.default)
    return chosen if chosen in spec.choices else spec.default


def my_preferences(actor: Actor, *, session: Session) -> list[PreferenceView]:
    rows = session.exec(
        select(ReminderPreference).where(ReminderPreference.person_id == actor.person_id)
    ).all()
    choices = {(r.person_id, r.kind): r.frequency for r in rows}
    return [
        PreferenceView(
            k.key, k.label, k.optional, k.choices, frequency_for(choices, actor.person_id, k.key)
        )
        for k in KINDS.values()
    ]


def _store(person_id: int, kind: str, frequency: str, *, session: Session) -> None:
    row = session.exec(
        select(ReminderPreference).where(
            ReminderPreference.person_id == person_id, ReminderPreference.kind == kind
        )
    ).first() or ReminderPreference(person_id=person_id, kind=kind)
    row.frequency = frequency
    row.updated_at = utcnow()
    session.add(row)


def set_preference(
    actor: Actor, kind: str, frequency: str, *, person_id: int | None = None, session: Session
) -> None:
    """The actor's own choice for one kind. `person_id` names whose choice it is; anybody but
    the person themselves is refused, administrators included."""
    if person_id is not None and person_id != actor.person_id:
        raise NotAllowed(
            "Only the person themselves can change which reminders they receive. "
            "Ask them to change it on their Account page."
        )
    spec = KINDS.get(kind)
    if spec is None:
        raise ValidationFailed({"kind": f"'{kind}' is not a kind of reminder"})
    if frequency not in spec.choices:
        offered = ", ".join(FREQUENCY_LABELS[c].lower() for c in spec.choices)
        raise ValidationFailed(
            {"frequency": f"'{spec.label}' can be received: {offered} (not '{frequency}')"}
        )
    _store(actor.person_id, kind, frequency, session=session)
    session.flush()


# --- unsubscribe links ------------------------------------------------------------------------

UNSUBSCRIBE_NOT_VALID = (
    "This unsubscribe link is not valid. Sign in and choose your reminders on the Account page."
)


def _hash(raw: str) -> str:
    return hashlib.sha256((raw or "").encode()).hexdigest()


def issue_unsubscribe(person_id: int, kind: str, *, session: Session) -> str:
    """A fresh random token for one email; only its hash is kept."""
    raw = secrets.token_urlsafe(24)
    session.add(UnsubscribeLink(token_hash=_hash(raw), person_id=person_id, kind=kind))
    return raw


@dataclass(frozen=True)
class UnsubscribeOffer:
    kinds: tuple[str, ...]
    labels: tuple[str, ...]


def _link(raw: str, *, session: Session) -> UnsubscribeLink:
    row = session.exec(
        select(UnsubscribeLink).where(UnsubscribeLink.token_hash == _hash(raw))
    ).first()
    if row is None:
        raise DomainError(UNSUBSCRIBE_NOT_VALID)
    return row


def _kinds_of(link: UnsubscribeLink) -> tuple[str, ...]:
    if link.kind == EVERY_OPTIONAL:
        return tuple(k.key for k in KINDS.values() if k.optional)
    return (link.kind,) if link.kind in KINDS and KINDS[link.kind].optional else ()


def unsubscribe_offer(raw: str, *, session: Session) -> UnsubscribeOffer:
    """What the link would turn off, for the page to ask before doing it (mail scanners open
    links; only the person's click on the page changes anything)."""
    kinds = _kinds_of(_link(raw, session=session))
    if not kinds:
        raise DomainError(UNSUBSCRIBE_NOT_VALID)
    return UnsubscribeOffer(kinds, tuple(KINDS[k].label for k in kinds))


def unsubscribe(raw: str, *, session: Session) -> UnsubscribeOffer:
    link = _link(raw, session=session)
    offer = unsubscribe_offer(raw, session=session)
    for kind in offer.kinds:
        _store(link.person_id, kind, NEVER, session=session)
    link.used_at = utcnow()
    session.add(link)
    session.flush()
    return offer


def opted_out(choices: Choices, person_ids: list[int], kind: str | None) -> set[int]:
    """Who of these people turned `kind` off (nobody for kinds that cannot be turned off)."""
    if kind is None:
        return set()
    return {p for p in person_ids if frequency_for(choices, p, kind) == NEVER}
