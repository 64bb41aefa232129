"""Participants see a published pair and answer it; both accepting starts the pair."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, or_, select

from core.access import require_participant
from core.auth import Actor
from core.errors import DomainError, NotAllowed, NotFound, ValidationFailed
from core.models import (
    Enrollment,
    LearningGoal,
    Pair,
    PairEvent,
    PairEventKind,
    PairStatus,
    Person,
    Response,
    Topic,
    utcnow,
)
from core.pairs.locks import lock_pair


@dataclass(frozen=True)
class PartnerOffer:
    pair_id: int
    status: str
    my_role: str
    partner_name: str
    partner_title: str
    partner_department: str
    partner_time_zone: str
    reasons: list[str]
    goals: list[tuple[str, int, str]]  # the mentee's goals: topic, priority, objective
    my_response: str
    partner_response: str


def my_offers(actor: Actor, pilot_id: int, *, session: Session) -> list[PartnerOffer]:
    """Published or running pairs of the actor, with what they need to decide."""
    me = require_participant(actor, pilot_id, session=session)
    pairs = session.exec(
        select(Pair).where(
            Pair.pilot_id == pilot_id,
            or_(Pair.mentee_enrollment_id == me.id, Pair.mentor_enrollment_id == me.id),
            col(Pair.status).in_(PairStatus.CURRENT),
        )
    ).all()
    offers = []
    for pair in pairs:
        mentee_side = pair.mentee_enrollment_id == me.id
        partner_e = session.get(
            Enrollment, pair.mentor_enrollment_id if mentee_side else pair.mentee_enrollment_id
        )
        assert partner_e is not None
        partner = session.get(Person, partner_e.person_id)
        assert partner is not None
        goals = session.exec(
            select(Topic.name, LearningGoal.priority, LearningGoal.objective)
            .join(LearningGoal, LearningGoal.topic_id == Topic.id)
            .where(LearningGoal.enrollment_id == pair.mentee_enrollment_id)
            .order_by(LearningGoal.priority)
        ).all()
        offers.append(
            PartnerOffer(
                pair.id,
                pair.status,
                me.role,
                partner.name,
                partner.job_title,  # type: ignore[arg-type]
                partner.department,
                partner.time_zone,
                list(pair.reasons),
                [tuple(g) for g in goals],  # type: ignore[misc]
                pair.mentee_response if mentee_side else pair.mentor_response,
                pair.mentor_response if mentee_side else pair.mentee_response,
            )  # fmt: skip
        )
    return offers


def respond_to_pair(
    actor: Actor, pair_id: int, accept: bool, reason: str = "", *, session: Session
) -> Pair:
    """Accept or decline a published pair. A decline frees both, is remembered (never suggested
    again) and its reason is seen by the programme team only. The row is locked first, so when
    both members accept at the same moment the second one sees the first's answer."""
    pair = lock_pair(pair_id, session=session)
    if pair is None:
        raise NotFound("This pair no longer exists.")
    me = require_participant(actor, pair.pilot_id, session=session)
    if me.id not in (pair.mentee_enrollment_id, pair.mentor_enrollment_id):
        raise NotAllowed("You are not a member of this pair.")
    if pair.status != PairStatus.PUBLISHED:
        raise DomainError(f"This pair is {pair.status}; there is nothing to answer.")
    if len(reason or "") > 500:
        raise ValidationFailed({"reason": f"must be at most 500 characters (now {len(reason)})"})
    answer = Response.ACCEPTED if accept else Response.DECLINED
    if me.id == pair.mentee_enrollment_id:
        pair.mentee_response = answer
    else:
        pair.mentor_response = answer
    if not accept:
        pair.status = PairStatus.DECLINED
        pair.decline_reason = (reason or "").strip()
        pair.declined_by_id = actor.person_id
        session.add(
            PairEvent(pair_id=pair.id, person_id=actor.person_id, kind=PairEventKind.DECLINED)
        )  # type: ignore[arg-type]
    else:
        # The partner is told (core.reminders reads these events).
        session.add(
            PairEvent(pair_id=pair.id, person_id=actor.person_id, kind=PairEventKind.ACCEPTED)
        )  # type: ignore[arg-type]
        if pair.mentee_response == pair.mentor_response == Response.ACCEPTED:
            pair.status = PairStatus.ACTIVE
            pair.accepted_at = utcnow()
    session.add(pair)
    session.flush()
    return pair
