"""Who may do what, checked inside every service (pages only hide what a role cannot use)."""

from __future__ import annotations

from sqlmodel import Session, select

from core.auth import Actor
from core.errors import NotAllowed, NotFound
from core.models import Enrollment, EnrollmentStatus, Pilot, Role


def get_pilot(pilot_id: int, *, session: Session) -> Pilot:
    pilot = session.get(Pilot, pilot_id)
    if pilot is None:
        raise NotFound(f"Pilot {pilot_id} does not exist.")
    return pilot


def enrollment_of(actor: Actor, pilot_id: int, *, session: Session) -> Enrollment | None:
    return session.exec(
        select(Enrollment).where(
            Enrollment.pilot_id == pilot_id, Enrollment.person_id == actor.person_id
        )
    ).first()


def is_pilot_admin(actor: Actor, pilot_id: int, *, session: Session) -> bool:
    enrollment = enrollment_of(actor, pilot_id, session=session)
    return (
        enrollment is not None
        and enrollment.role == Role.ADMIN
        and enrollment.status != EnrollmentStatus.WITHDRAWN
    )


def require_staff(actor: Actor) -> None:
    if not actor.is_staff:
        raise NotAllowed("Only the programme team can do this. Ask a programme administrator.")


def require_pilot_admin(actor: Actor, pilot_id: int, *, session: Session) -> Pilot:
    pilot = get_pilot(pilot_id, session=session)
    if not is_pilot_admin(actor, pilot_id, session=session):
        raise NotAllowed(
            f"Only administrators of the pilot '{pilot.name}' can do this. "
            "Ask one of them to add you as an administrator."
        )
    return pilot


def require_participant(
    actor: Actor, pilot_id: int, role: str | None = None, *, session: Session
) -> Enrollment:
    """The actor's own active enrollment in the pilot, optionally with a given role."""
    enrollment = enrollment_of(actor, pilot_id, session=session)
    if enrollment is None or enrollment.status == EnrollmentStatus.WITHDRAWN:
        raise NotAllowed("You are not a participant of this pilot.")
    if role is not None and enrollment.role != role:
        label = {"mentee": "mentees (senior leaders)", "mentor": "mentors (junior volunteers)"}
        raise NotAllowed(f"This is for {label.get(role, role + 's')} of the pilot only.")
    return enrollment
