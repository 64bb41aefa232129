"""Single sign-on: Streamlit's `st.login()` (OIDC) proves an email; this decides who that is.

The person is found by the verified email. An email the portal does not know, or knows only
from the organisation chart, is refused unless a valid personal invitation is waiting for it:
the identity provider vouches for the mailbox, the invitation for the right to take part.
"""

from __future__ import annotations

from sqlmodel import Session, select

from core.accounts.invitations import accept_invitation_with_sso
from core.auth import Actor, actor_for, normalise_email
from core.errors import NotAllowed
from core.models import Enrollment, EnrollmentStatus, Person
from core.privacy.audit import record

NOT_INVITED = (
    "Your company account is not invited to the portal yet. Ask the programme team for an "
    "invitation, then sign in again."
)


def sign_in_with_sso(email: str, *, email_verified: bool | None = None, session: Session) -> Actor:
    if email_verified is False:
        raise NotAllowed("Your identity provider has not verified this email address.")
    person = session.exec(select(Person).where(Person.email == normalise_email(email))).first()
    if person is None:
        raise NotAllowed(NOT_INVITED)
    taking_part = session.exec(
        select(Enrollment.id).where(
            Enrollment.person_id == person.id,
            Enrollment.status.in_((EnrollmentStatus.ACTIVE, EnrollmentStatus.PENDING)),  # type: ignore[attr-defined]
        )
    ).first()
    if person.is_staff or person.password_hash or taking_part is not None:
        accept_invitation_with_sso(person, session=session)  # other pilots' waiting invitations
        record(session, person.id, "sign_in.succeeded", None, {}, {"via": "sso"})
        return actor_for(person)
    if accept_invitation_with_sso(person, session=session):
        record(session, person.id, "sign_in.succeeded", None, {}, {"via": "sso"})
        return actor_for(person)
    raise NotAllowed(NOT_INVITED)
