"""Personal invitations: a single-use, expiring link for one person.

Following it lets that person, and only that person, set a password (or sign in with SSO):
nobody can claim somebody else's account by typing their email. Resending replaces the link,
revoking replaces it with nothing. Without a mail server the admin copies the link or downloads
all of them as a CSV; the links exist in plain text only in that moment and in the email.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from core.access import require_pilot_admin
from core.accounts.tokens import find_token, is_usable, issue_token, use_token
from core.auth import Actor, actor_for, set_password, verify_password
from core.errors import DomainError, NotFound, ValidationFailed
from core.mail.delivery import Outgoing, send, will_be_delivered
from core.mail.templates import render
from core.models import (
    AccountToken,
    Enrollment,
    EnrollmentStatus,
    Person,
    Pilot,
    Role,
    TokenPurpose,
    utcnow,
)
from core.privacy.audit import record
from core.settings import base_url, invitation_lifetime, sso_configured

ROLE_WORDS = {Role.MENTEE: "mentee", Role.MENTOR: "mentor", Role.ADMIN: "pilot administrator"}


def invitation_link(raw: str) -> str:
    return f"{base_url()}/accept_invitation?token={raw}"


def _date(moment: datetime) -> str:
    return moment.strftime("%d %B %Y")


@dataclass(frozen=True)
class SentInvitation:
    enrollment_id: int
    name: str
    email: str
    link: str
    expires_at: datetime
    emailed: bool


def _issue(
    enrollment: Enrollment, person: Person, pilot: Pilot, actor: Actor | None, template: str,
    *, session: Session,
) -> SentInvitation:  # fmt: skip
    raw, row = issue_token(
        TokenPurpose.INVITE,
        person.id,  # type: ignore[arg-type]
        invitation_lifetime(),
        pilot_id=pilot.id,
        created_by_id=actor.person_id if actor else None,
        session=session,
    )
    link = invitation_link(raw)
    subject, text, html = render(
        template,
        name=person.name,
        pilot=pilot.name,
        role=ROLE_WORDS.get(enrollment.role, enrollment.role),
        inviter=actor.name if actor else "The programme team",
        link=link,
        expires=_date(row.expires_at),
        sso_hint=" or sign in with your company account" if sso_configured() else "",
    )
    sent = send(
        Outgoing(
            person.email, subject, text, html, kind=f"{template}", to_name=person.name,
            person_id=person.id, pilot_id=pilot.id, secrets=(link,),
        ),
        session=session,
    )  # fmt: skip
    return SentInvitation(
        enrollment.id,  # type: ignore[arg-type]
        person.name,
        person.email,
        link,
        row.expires_at,
        will_be_delivered(sent),
    )


def _invited(
    actor: Actor, enrollment_id: int, *, session: Session
) -> tuple[Enrollment, Person, Pilot]:
    enrollment = session.get(Enrollment, enrollment_id)
    if enrollment is None:
        raise NotFound("This participant does not exist.")
    pilot = require_pilot_admin(actor, enrollment.pilot_id, session=session)
    if enrollment.status not in (EnrollmentStatus.INVITED, EnrollmentStatus.PENDING):
        raise DomainError(
            f"This participant is {enrollment.status}: only invited people get an invitation link."
        )
    person = session.get(Person, enrollment.person_id)
    if person is None:
        raise NotFound("This person no longer exists.")
    return enrollment, person, pilot


def send_invitation(actor: Actor, enrollment_id: int, *, session: Session) -> SentInvitation:
    """Send (or resend) the personal link; an earlier link stops working."""
    enrollment, person, pilot = _invited(actor, enrollment_id, session=session)
    sent = _issue(enrollment, person, pilot, actor, "invitation", session=session)
    record(
        session,
        actor,
        "invitation.sent",
        pilot.id,
        {},
        {"role": enrollment.role, "expires_at": sent.expires_at},
        subject_id=person.id,
    )
    return sent


def send_all_invitations(actor: Actor, pilot_id: int, *, session: Session) -> list[SentInvitation]:
    """A fresh link for everybody still invited, e.g. right after an import."""
    require_pilot_admin(actor, pilot_id, session=session)
    ids = session.exec(
        select(Enrollment.id)
        .where(Enrollment.pilot_id == pilot_id, Enrollment.status == EnrollmentStatus.INVITED)
        .order_by(Enrollment.id)
    ).all()
    return [send_invitation(actor, eid, session=session) for eid in ids]  # type: ignore[arg-type]


def invitation_links_csv(sent: list[SentInvitation]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["name", "email", "personal link", "expires (UTC)"])
    for s in sent:
        writer.writerow([s.name, s.email, s.link, s.expires_at.strftime("%Y-%m-%d %H:%M")])
    return buffer.getvalue().encode("utf-8-sig")


def revoke_invitation(actor: Actor, enrollment_id: int, *, session: Session) -> int:
    enrollment, person, pilot = _invited(actor, enrollment_id, session=session)
    now = utcnow()
    rows = session.exec(
        select(AccountToken).where(
            AccountToken.person_id == person.id,
            AccountToken.pilot_id == pilot.id,
            AccountToken.purpose == TokenPurpose.INVITE,
            AccountToken.used_at.is_(None),  # type: ignore[union-attr]
            AccountToken.revoked_at.is_(None),  # type: ignore[union-attr]
        )
    ).all()
    for row in rows:
        row.revoked_at = now
        session.add(row)
    session.flush()
    record(
        session, actor, "invitation.revoked", pilot.id, {}, {"links": len(rows)},
        subject_id=person.id,
    )  # fmt: skip
    return len(rows)


def invitation_states(actor: Actor, pilot_id: int, *, session: Session) -> dict[int, str]:
    """Enrollment id -> what became of its invitation, for the Participants page."""
    require_pilot_admin(actor, pilot_id, session=session)
    rows = session.exec(
        select(Enrollment.id, AccountToken)
        .join(AccountToken, AccountToken.person_id == Enrollment.person_id)
        .where(
            Enrollment.pilot_id == pilot_id,
            AccountToken.pilot_id == pilot_id,
            AccountToken.purpose == TokenPurpose.INVITE,
        )
        .order_by(AccountToken.id)
    ).all()
    states: dict[int, str] = {}
    for enrollment_id, token in rows:  # newest last: it wins
        if token.used_at:
            states[enrollment_id] = f"accepted {token.used_at:%d %b %Y}"
        elif token.revoked_at:
            states[enrollment_id] = "link revoked"
        elif is_usable(token):
            states[enrollment_id] = f"link sent, valid until {token.expires_at:%d %b %Y}"
        else:
            states[enrollment_id] = "link expired"
    return states


@dataclass(frozen=True)
class InvitationView:
    name: str
    email: str
    pilot_name: str
    role: str
    has_password: bool
    sso: bool


def _token_enrollments(token: AccountToken, *, session: Session) -> list[Enrollment]:
    query = select(Enrollment).where(
        Enrollment.person_id == token.person_id,
        Enrollment.status.in_((EnrollmentStatus.INVITED, EnrollmentStatus.PENDING)),  # type: ignore[attr-defined]
    )
    if token.pilot_id is not None:
        query = query.where(Enrollment.pilot_id == token.pilot_id)
    return list(session.exec(query).all())


def invitation_view(raw: str, *, session: Session) -> InvitationView:
    token = find_token(raw, TokenPurpose.INVITE, session=session)
    person = session.get(Person, token.person_id)
    pilot = session.get(Pilot, token.pilot_id) if token.pilot_id else None
    enrollments = _token_enrollments(token, session=session)
    if person is None or not enrollments:
        raise DomainError("This invitation is no longer open. Ask the programme team.")
    return InvitationView(
        person.name,
        person.email,
        pilot.name if pilot else "",
        ROLE_WORDS.get(enrollments[0].role, enrollments[0].role),
        bool(person.password_hash),
        sso_configured(),
    )


def _activate(token: AccountToken, *, session: Session) -> None:
    now = utcnow()
    for enrollment in _token_enrollments(token, session=session):
        # A volunteer confirmed their email; the admin's approval is still to come.
        if enrollment.status == EnrollmentStatus.INVITED:
            enrollment.status = EnrollmentStatus.ACTIVE
        enrollment.joined_at = enrollment.joined_at or now
        session.add(enrollment)


def accept_invitation(
    raw: str, password: str, confirm: str | None = None, *, session: Session
) -> Actor:
    """The person behind the link sets their password; somebody who already has an account
    confirms it with their current password instead."""
    person = session.get(Person, find_token(raw, TokenPurpose.INVITE, session=session).person_id)
    if person is None:
        raise NotFound("This account no longer exists.")
    # Check what the person typed before the link is spent, so a typo does not burn it.
    if person.password_hash:
        if not verify_password(person.password_hash, password):
            raise ValidationFailed({"password": "enter the password of your existing account"})
    else:
        set_password(person, password, confirm)
        session.add(person)
    token = use_token(raw, TokenPurpose.INVITE, session=session)
    _activate(token, session=session)
    session.flush()
    return actor_for(person)


def accept_invitation_with_sso(person: Person, *, session: Session) -> bool:
    """Single sign-on proved the email; a valid invitation for it is accepted."""
    tokens = session.exec(
        select(AccountToken).where(
            AccountToken.person_id == person.id, AccountToken.purpose == TokenPurpose.INVITE
        )
    ).all()
    usable = [t for t in tokens if is_usable(t)]
    now = utcnow()
    for token in usable:
        token.used_at = now
        session.add(token)
        _activate(token, session=session)
    session.flush()
    return bool(usable)


def send_volunteer_link(
    enrollment: Enrollment, person: Person, pilot: Pilot, *, session: Session
) -> SentInvitation:
    return _issue(enrollment, person, pilot, None, "volunteer_confirm", session=session)


def send_existing_account_note(person: Person, pilot: Pilot, *, session: Session) -> None:
    subject, text, html = render("volunteer_existing", pilot=pilot.name, sign_in=base_url())
    send(
        Outgoing(
            person.email,
            subject,
            text,
            html,
            kind="volunteer_existing",
            person_id=person.id,
            pilot_id=pilot.id,
        ),
        session=session,
    )
