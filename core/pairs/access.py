"""Who may see a pair: its two members (and, for reports, the pilot's admins).

A pair becomes visible to its members when it is published; suggested or approved pairs are the
admins' working material and stay hidden. Withdrawn members lose access to their old pair.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement
from sqlalchemy.orm import aliased
from sqlmodel import Session, and_, col, or_, select

from core.access import get_pilot, require_participant, require_pilot_admin
from core.auth import Actor
from core.errors import DomainError, NotAllowed, NotFound
from core.models import (
    Enrollment,
    EnrollmentStatus,
    Pair,
    PairStatus,
    Person,
    Pilot,
    PilotStatus,
    Role,
)

NOT_A_MEMBER = "You are not a member of this pair."


def member_visible_clause() -> ColumnElement[bool]:
    """What members can see; an ended pair only if it had been published before it ended."""
    return or_(
        col(Pair.status).in_(PairStatus.CURRENT),
        and_(Pair.status == PairStatus.ENDED, col(Pair.published_at).is_not(None)),
    )


def started_clause() -> ColumnElement[bool]:
    """Pairs that actually ran: running now, or ended after both had accepted."""
    return or_(
        col(Pair.status).in_(PairStatus.RUNNING),
        and_(Pair.status == PairStatus.ENDED, col(Pair.accepted_at).is_not(None)),
    )


def is_member_visible(pair: Pair) -> bool:
    return pair.status in PairStatus.CURRENT or (
        pair.status == PairStatus.ENDED and pair.published_at is not None
    )


@dataclass(frozen=True)
class Membership:
    """The actor's place in a pair. Core-internal: pages get the views built from it."""

    pair: Pair
    pilot: Pilot
    role: str  # Role.MENTEE or Role.MENTOR
    own: Enrollment
    partner: Enrollment

    @property
    def is_mentee(self) -> bool:
        return self.role == Role.MENTEE

    @property
    def mentee(self) -> Enrollment:
        return self.own if self.is_mentee else self.partner


def membership(actor: Actor, pair_id: int, *, session: Session) -> Membership:
    pair = session.get(Pair, pair_id)
    if pair is None:
        raise NotFound(f"Pair {pair_id} does not exist.")
    mentee = session.get(Enrollment, pair.mentee_enrollment_id)
    mentor = session.get(Enrollment, pair.mentor_enrollment_id)
    assert mentee is not None and mentor is not None
    if actor.person_id == mentee.person_id:
        own, partner, role = mentee, mentor, Role.MENTEE
    elif actor.person_id == mentor.person_id:
        own, partner, role = mentor, mentee, Role.MENTOR
    else:
        raise NotAllowed(NOT_A_MEMBER)
    if not is_member_visible(pair):
        raise NotAllowed(NOT_A_MEMBER)
    if own.status == EnrollmentStatus.WITHDRAWN:
        raise NotAllowed(
            "You withdrew from this pilot, so its pairs are closed to you. "
            "Ask the programme team if this is a mistake."
        )
    return Membership(pair, get_pilot(pair.pilot_id, session=session), role, own, partner)


def pair_for_admin(actor: Actor, pair_id: int, *, session: Session) -> Pair:
    pair = session.get(Pair, pair_id)
    if pair is None:
        raise NotFound(f"Pair {pair_id} does not exist.")
    require_pilot_admin(actor, pair.pilot_id, session=session)
    return pair


def require_running(member: Membership, doing: str) -> None:
    """Refuse writes to pairs that have not started or are over, and to closed pilots."""
    status = member.pair.status
    if status == PairStatus.PUBLISHED:
        raise DomainError(f"Both of you must accept the match before {doing}.")
    if status not in PairStatus.RUNNING:
        raise DomainError(f"This pair has {status}; {doing} is no longer possible.")
    if member.pilot.status == PilotStatus.CLOSED:
        raise DomainError(f"The pilot '{member.pilot.name}' is closed; {doing} is not possible.")


@dataclass(frozen=True)
class PairView:
    """What a member sees of their pair (no decline reasons, scores or alternatives)."""

    id: int
    pilot_id: int
    status: str
    my_role: str
    partner_name: str
    my_response: str
    reasons: tuple[str, ...]
    published_at: datetime | None
    accepted_at: datetime | None
    ended_at: datetime | None


def pair_view(member: Membership, *, session: Session) -> PairView:
    partner = session.get(Person, member.partner.person_id)
    assert partner is not None and member.pair.id is not None
    pair = member.pair
    return PairView(
        id=pair.id,
        pilot_id=pair.pilot_id,
        status=pair.status,
        my_role=member.role,
        partner_name=partner.name,
        my_response=pair.mentee_response if member.is_mentee else pair.mentor_response,
        reasons=tuple(pair.reasons),
        published_at=pair.published_at,
        accepted_at=pair.accepted_at,
        ended_at=pair.ended_at,
    )


def my_pairs(
    actor: Actor, pilot_id: int, *, session: Session, include_ended: bool = False
) -> list[PairView]:
    """The actor's current pairs, newest first (a mentor with capacity > 1 may have several)."""
    enrollment = require_participant(actor, pilot_id, session=session)
    side = (
        Pair.mentee_enrollment_id if enrollment.role == Role.MENTEE else Pair.mentor_enrollment_id
    )
    query = select(Pair.id).where(Pair.pilot_id == pilot_id, side == enrollment.id)
    query = query.where(
        member_visible_clause() if include_ended else col(Pair.status).in_(PairStatus.CURRENT)
    )
    ids = session.exec(query.order_by(col(Pair.id).desc())).all()
    return [pair_view(membership(actor, i, session=session), session=session) for i in ids]


def my_current_pair(actor: Actor, pilot_id: int, *, session: Session) -> PairView | None:
    """The participant's most recent published, active or paused pair, or None."""
    pairs = my_pairs(actor, pilot_id, session=session)
    return pairs[0] if pairs else None


@dataclass(frozen=True)
class NamedPair:
    """A pair with both names, for admin reports. Callers check admin rights first."""

    pair: Pair
    mentee_name: str
    mentor_name: str
    mentee_person_id: int
    mentor_person_id: int
    mentee_status: str
    mentor_status: str


def named_pairs(
    pilot_id: int, *, session: Session, where: ColumnElement[bool] | None = None
) -> list[NamedPair]:
    """All pairs of a pilot (optionally filtered) with names, in one query. No actor: only the
    admin reports of this package call it, after `require_pilot_admin`."""
    mentee_e, mentor_e = aliased(Enrollment), aliased(Enrollment)
    mentee_p, mentor_p = aliased(Person), aliased(Person)
    query = (
        select(Pair, mentee_p.name, mentor_p.name, mentee_p.id, mentor_p.id)
        .add_columns(mentee_e.status, mentor_e.status)
        .join(mentee_e, mentee_e.id == Pair.mentee_enrollment_id)
        .join(mentor_e, mentor_e.id == Pair.mentor_enrollment_id)
        .join(mentee_p, mentee_p.id == mentee_e.person_id)
        .join(mentor_p, mentor_p.id == mentor_e.person_id)
        .where(Pair.pilot_id == pilot_id)
    )
    if where is not None:
        query = query.where(where)
    rows = session.exec(query.order_by(mentee_p.name, col(Pair.id))).all()
    return [NamedPair(*row) for row in rows]


def reference_date(pair: Pair) -> date:
    """When the pair started, for 'days without a session': acceptance, else publication."""
    moment = pair.accepted_at or pair.published_at or pair.created_at
    return moment.date()
