"""Reading a pilot's data version: one SELECT by primary key."""

from __future__ import annotations

from sqlmodel import Session, select

from core.models import DataVersion


def data_version(pilot_id: int, *, session: Session) -> int:
    """0 until the first write that touches the pilot through a session."""
    version = session.exec(select(DataVersion.version).where(DataVersion.pilot_id == pilot_id))
    return version.first() or 0
