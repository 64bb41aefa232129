"""Small builders for test data, going through the real services (no rows forged by hand)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, select

from core.accounts.invitations import accept_invitation, send_invitation
from core.auth import Actor, create_admin
from core.models import Enrollment, Pilot, PilotStatus, Topic, TopicKind
from core.people.participants import PersonInput, add_participant
from core.people.profiles import ProfileInput, save_expertise, save_goal, save_profile
from core.pilots.settings import PilotInput, create_pilot

PASSWORD = "correct horse battery"


def staff(session: Session, email: str = "admin@example.com", name: str = "Ada Admin") -> Actor:
    return create_admin(email, name, PASSWORD, session=session)


def pilot(session: Session, admin: Actor, name: str = "Pilot 2027", **overrides) -> Pilot:
    start = overrides.pop("start_date", date.today() - timedelta(days=30))
    data = PilotInput(
        name=name,
        start_date=start,
        end_date=overrides.pop("end_date", start + timedelta(days=180)),
        purpose="Build digital confidence in the leadership team.",
        **overrides,
    )
    created = create_pilot(admin, data, session=session)
    created.status = PilotStatus.RECRUITING
    session.add(created)
    session.flush()
    return created


def participant(
    session: Session,
    admin: Actor,
    the_pilot: Pilot,
    email: str,
    role: str,
    *,
    grade: int | None = None,
    department: str = "",
    manager_email: str = "",
    capacity: int = 1,
    name: str | None = None,
) -> tuple[Actor, Enrollment]:
    """Invited by the admin, then joined through their personal link (so they can sign in)."""
    enrollment = add_participant(
        admin,
        the_pilot.id,
        PersonInput(
            email=email,
            name=name or email.split("@")[0].title(),
            role=role,
            grade=grade,
            department=department,
            manager_email=manager_email,
            capacity=capacity,
        ),
        session=session,
    )
    actor = join_by_link(session, admin, enrollment.id)
    session.refresh(enrollment)
    return actor, enrollment


def invitation_token(session: Session, admin: Actor, enrollment_id: int) -> str:
    """The raw token of a fresh personal link, read from the link the service hands out."""
    link = send_invitation(admin, enrollment_id, session=session).link
    return link.split("token=", 1)[1]


def join_by_link(session: Session, admin: Actor, enrollment_id: int) -> Actor:
    token = invitation_token(session, admin, enrollment_id)
    return accept_invitation(token, PASSWORD, PASSWORD, session=session)


def topic_id(session: Session, the_pilot: Pilot, name: str, kind: str = TopicKind.LEARN) -> int:
    return session.exec(
        select(Topic.id).where(
            Topic.pilot_id == the_pilot.id, Topic.name == name, Topic.kind == kind
        )
    ).one()


def ready_mentee(
    session: Session, actor: Actor, the_pilot: Pilot, goals: dict[str, int], slots=("mon-am",)
) -> None:
    for name, priority in goals.items():
        save_goal(
            actor,
            the_pilot.id,
            topic_id=topic_id(session, the_pilot, name),
            priority=priority,
            objective=f"Be able to use {name} in my weekly work",
            session=session,
        )
    save_profile(
        actor, the_pilot.id, ProfileInput(availability=list(slots), consent=True), session=session
    )


def ready_mentor(
    session: Session,
    actor: Actor,
    the_pilot: Pilot,
    expertise: dict[str, int],
    slots=("mon-am",),
    capacity: int = 1,
    wants: tuple[str, ...] = ("Strategy and big picture",),
) -> None:
    for name, level in expertise.items():
        save_expertise(
            actor,
            the_pilot.id,
            topic_id=topic_id(session, the_pilot, name),
            level=level,
            session=session,
        )
    save_profile(
        actor,
        the_pilot.id,
        ProfileInput(
            availability=list(slots),
            consent=True,
            capacity=capacity,
            wants=[topic_id(session, the_pilot, w, TopicKind.OFFER) for w in wants],
        ),
        session=session,
    )


def join_by_email(session: Session, admin: Actor, pilot_id: int, email: str) -> Actor:
    """An invited person of the pilot follows their personal link."""
    from core.models import Person

    enrollment_id = session.exec(
        select(Enrollment.id)
        .join(Person, Person.id == Enrollment.person_id)
        .where(Enrollment.pilot_id == pilot_id, Person.email == email)
    ).one()
    return join_by_link(session, admin, enrollment_id)
