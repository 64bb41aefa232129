"""Pausing, resuming and ending a pair, and confidential concerns.

Either member may pause, resume or end without explaining themselves to the partner: an optional
reason goes into PairEvent.note, which only the pilot's admins can read. Concerns are for the
junior side, who has the least power in the pair; they go to the admins only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from core.access import require_pilot_admin
from core.auth import Actor
from core.errors import DomainError, NotAllowed, NotFound, ValidationFailed
from core.models import Concern, Pair, PairEvent, PairEventKind, PairStatus, Person, utcnow
from core.pairs.access import (
    Membership,
    PairView,
    membership,
    named_pairs,
    pair_for_admin,
    pair_view,
)
from core.pairs.locks import lock_pair
from core.privacy.audit import record

MAX_REASON = 500
MIN_CONCERN, MAX_CONCERN = 10, 5000


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON:
        raise ValidationFailed(
            {"reason": f"must be at most {MAX_REASON} characters (now {len(reason)})"}
        )
    return reason


def _move(
    actor: Actor, pair_id: int, allowed_from: tuple[str, ...], to: str, kind: PairEventKind,
    reason: str, *, session: Session,
) -> PairView:  # fmt: skip
    # Both members may press at once: the second waits for the row and sees the first's move.
    lock_pair(pair_id, session=session)
    member: Membership = membership(actor, pair_id, session=session)
    note = _reason(reason)
    pair = member.pair
    if pair.status not in allowed_from:
        raise DomainError(
            f"This pair is {pair.status}; it can be {kind} only when it is "
            f"{' or '.join(allowed_from)}."
        )
    pair.status = to
    if to == PairStatus.ENDED:
        pair.ended_at = utcnow()
    session.add(pair)
    session.add(PairEvent(pair_id=pair_id, person_id=actor.person_id, kind=kind, note=note))
    session.flush()
    return pair_view(member, session=session)


def pause_pair(actor: Actor, pair_id: int, *, reason: str = "", session: Session) -> PairView:
    return _move(
        actor,
        pair_id,
        (PairStatus.ACTIVE,),
        PairStatus.PAUSED,
        PairEventKind.PAUSED,
        reason,
        session=session,
    )


def resume_pair(actor: Actor, pair_id: int, *, reason: str = "", session: Session) -> PairView:
    return _move(
        actor,
        pair_id,
        (PairStatus.PAUSED,),
        PairStatus.ACTIVE,
        PairEventKind.RESUMED,
        reason,
        session=session,
    )


def end_pair(actor: Actor, pair_id: int, *, reason: str = "", session: Session) -> PairView:
    """Ends the pair for both; ENDED no longer holds a slot of the mentor's capacity."""
    return _move(
        actor,
        pair_id,
        (PairStatus.ACTIVE, PairStatus.PAUSED),
        PairStatus.ENDED,
        PairEventKind.ENDED,
        reason,
        session=session,
    )


@dataclass(frozen=True)
class PairEventView:
    kind: str
    person_name: str
    note: str  # the private reason: admins only
    created_at: datetime


def pair_events(actor: Actor, pair_id: int, *, session: Session) -> list[PairEventView]:
    """A pair's status history with the private reasons, for the pilot's admins."""
    pair_for_admin(actor, pair_id, session=session)
    rows = session.exec(
        select(PairEvent, Person.name)
        .outerjoin(Person, col(Person.id) == PairEvent.person_id)
        .where(PairEvent.pair_id == pair_id)
        .order_by(col(PairEvent.created_at), col(PairEvent.id))
    ).all()
    return [PairEventView(e.kind, name or "", e.note, e.created_at) for e, name in rows]


def events_by_pair(
    actor: Actor, pilot_id: int, *, session: Session
) -> dict[int, list[PairEventView]]:
    """Every pair's history at once (one query), for pages that list many pairs."""
    require_pilot_admin(actor, pilot_id, session=session)
    return events_of_pilot(pilot_id, session=session)


def events_of_pilot(pilot_id: int, *, session: Session) -> dict[int, list[PairEventView]]:
    """`events_by_pair` with no access check: callers check who acts first (ui.cached)."""
    rows = session.exec(
        select(PairEvent.pair_id, PairEvent.kind, Person.name, PairEvent.note, PairEvent.created_at)
        .join(Pair, col(Pair.id) == PairEvent.pair_id)
        .outerjoin(Person, col(Person.id) == PairEvent.person_id)
        .where(Pair.pilot_id == pilot_id)
        .order_by(col(PairEvent.created_at), col(PairEvent.id))
    ).all()
    found: dict[int, list[PairEventView]] = {}
    for pair_id, kind, name, note, created_at in rows:
        found.setdefault(pair_id, []).append(PairEventView(kind, name or "", note, created_at))
    return found


# --- concerns ------------------------------------------------------------------------------------


def raise_concern(actor: Actor, pair_id: int, text: str, *, session: Session) -> int:
    """The pair's mentor tells the admins something is wrong. Returns the concern's id."""
    member = membership(actor, pair_id, session=session)
    if member.is_mentee:
        raise NotAllowed(
            "Concerns are raised here by the mentor of the pair; please contact the programme "
            "team directly."
        )
    text = (text or "").strip()
    if not MIN_CONCERN <= len(text) <= MAX_CONCERN:
        raise ValidationFailed(
            {
                "text": f"describe the concern in {MIN_CONCERN} to {MAX_CONCERN} characters "
                f"(now {len(text):,})"
            }
        )
    concern = Concern(
        pilot_id=member.pilot.id,  # type: ignore[arg-type]
        pair_id=pair_id,
        raised_by_id=actor.person_id,
        text=text,
    )
    session.add(concern)
    session.flush()
    assert concern.id is not None
    return concern.id


@dataclass(frozen=True)
class ConcernView:
    id: int
    pair_id: int
    mentee_name: str
    mentor_name: str
    raised_by: str
    text: str
    created_at: datetime
    resolved_at: datetime | None


def list_concerns(
    actor: Actor, pilot_id: int, *, session: Session, open_only: bool = False
) -> list[ConcernView]:
    """Open concerns first, newest first."""
    require_pilot_admin(actor, pilot_id, session=session)
    return concerns_of_pilot(pilot_id, session=session, open_only=open_only)


def concerns_of_pilot(
    pilot_id: int, *, session: Session, open_only: bool = False
) -> list[ConcernView]:
    """list_concerns without an access check, for callers that made it (the pages' cache)."""
    names = {p.pair.id: p for p in named_pairs(pilot_id, session=session)}
    raiser = aliased(Person)
    query = (
        select(Concern, raiser.name)
        .join(raiser, raiser.id == Concern.raised_by_id)
        .where(Concern.pilot_id == pilot_id)
    )
    if open_only:
        query = query.where(col(Concern.resolved_at).is_(None))
    rows = session.exec(query).all()
    views = [
        ConcernView(
            c.id,  # type: ignore[arg-type]
            c.pair_id,
            names[c.pair_id].mentee_name,
            names[c.pair_id].mentor_name,
            who,
            c.text,
            c.created_at,
            c.resolved_at,
        )
        for c, who in rows
    ]
    views.sort(key=lambda v: v.created_at, reverse=True)
    return sorted(views, key=lambda v: v.resolved_at is not None)


def resolve_concern(actor: Actor, concern_id: int, *, session: Session) -> None:
    concern = session.get(Concern, concern_id)
    if concern is None:
        raise NotFound(f"Concern {concern_id} does not exist.")
    require_pilot_admin(actor, concern.pilot_id, session=session)
    if concern.resolved_at is None:
        concern.resolved_at = utcnow()
        session.add(concern)
        session.flush()
        record(
            session, actor, "concern.resolved", concern.pilot_id, {"resolved_at": None},
            {"concern_id": concern.id, "resolved_at": concern.resolved_at},
        )  # fmt: skip
