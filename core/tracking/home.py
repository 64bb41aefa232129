"""The first page each role lands on: a participant's next step, or the pilot's checklist."""

from __future__ import annotations

from sqlmodel import Session

from core.access import enrollment_of
from core.auth import Actor
from core.errors import NotAllowed
from core.models import EnrollmentStatus, Role
from core.tracking.next_step import ParticipantHome, participant_home
from core.tracking.pilot_checklist import AdminHome, admin_home


def lands_on_admin_home(actor: Actor, pilot_id: int, *, session: Session) -> bool:
    """Whether the actor's home in this pilot is the admin's checklist (else a participant's
    path); refuses anyone not in the pilot."""
    enrollment = enrollment_of(actor, pilot_id, session=session)
    if enrollment is None or enrollment.status == EnrollmentStatus.WITHDRAWN:
        raise NotAllowed("You are not part of this pilot.")
    return enrollment.role == Role.ADMIN


def home_of(actor: Actor, pilot_id: int, *, session: Session) -> AdminHome | ParticipantHome:
    """What the actor's home shows for this pilot, by their role in it (each service checks
    the actor again)."""
    if lands_on_admin_home(actor, pilot_id, session=session):
        return admin_home(actor, pilot_id, session=session)
    return participant_home(actor, pilot_id, session=session)
