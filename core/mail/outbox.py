"""What the portal sent, for the admins of a pilot: delivery problems show up here first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from core.access import require_pilot_admin
from core.auth import Actor
from core.models import OutboxMessage


@dataclass(frozen=True)
class OutboxRow:
    created_at: datetime
    kind: str
    to_email: str
    subject: str
    status: str
    error: str


def pilot_outbox(
    actor: Actor, pilot_id: int, *, limit: int = 500, session: Session
) -> list[OutboxRow]:
    require_pilot_admin(actor, pilot_id, session=session)
    rows = session.exec(
        select(OutboxMessage)
        .where(OutboxMessage.pilot_id == pilot_id)
        .order_by(OutboxMessage.id.desc())  # type: ignore[union-attr]
        .limit(limit)
    ).all()
    return [OutboxRow(r.created_at, r.kind, r.to_email, r.subject, r.status, r.error) for r in rows]
