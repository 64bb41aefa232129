"""Personal invitations: only the person behind the link joins, once, before it expires.

The takeover the portal once allowed is tried three ways (the pilot's own code, another pilot's
code, a person known only from the organisation chart) and must sign nobody in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from core.accounts.invitations import (
    accept_invitation,
    invitation_states,
    revoke_invitation,
    send_invitation,
)
from core.accounts.sign_in import authenticate
from core.errors import DomainError, NotAllowed, ValidationFailed
from core.models import AccountToken, Enrollment, EnrollmentStatus, OutboxMessage, Person, Role
from core.people.participants import (
    VOLUNTEER_RECEIVED,
    PersonInput,
    add_participant,
    approve_volunteer,
    join_with_code,
    volunteer,
)
from tests import builders

NEW_PASSWORD = "violet lantern harbour"


@pytest.fixture
def world(session):
    admin = builders.staff(session)
    pilot = builders.pilot(session, admin)
    other = builders.pilot(session, admin, name="Other pilot")
    coadmin = add_participant(
        admin,
        pilot.id,
        PersonInput("cora@example.com", "Cora Coadmin", Role.ADMIN),
        session=session,
    )
    # Known from the organisation chart only: in no pilot.
    session.add(Person(email="olga@example.com", name="Olga Orgchart", department="Legal"))
    invited_elsewhere = add_participant(
        admin,
        other.id,
        PersonInput("ivan@example.com", "Ivan Invited", Role.MENTEE),
        session=session,
    )
    session.flush()
    return admin, pilot, other, coadmin, invited_elsewhere


def _password_of(session, email):
    return session.exec(select(Person.password_hash).where(Person.email == email)).one()


@pytest.mark.parametrize("email", ["cora@example.com", "ivan@example.com", "olga@example.com"])
@pytest.mark.parametrize("code_of", ["pilot", "other"])
def test_a_pilot_code_never_claims_a_known_person(session, world, mailbox, email, code_of):
    admin, pilot, other, *_ = world
    code = (pilot if code_of == "pilot" else other).invite_code
    before = session.exec(select(Enrollment.id, Enrollment.status)).all()

    message, enrollment = volunteer(code, email, name="Mallory", role=Role.MENTEE, session=session)

    # The same words a new volunteer gets, so the form cannot tell who has an account.
    assert message == VOLUNTEER_RECEIVED and enrollment is None
    assert _password_of(session, email) is None
    assert session.exec(select(Enrollment.id, Enrollment.status)).all() == before
    assert authenticate(email, NEW_PASSWORD, session=session).actor is None
    # The real owner hears that somebody tried, with no link to follow.
    (note,) = mailbox.to(email)
    assert "already has an account" in mailbox.text(note)
    assert "token=" not in mailbox.text(note)


def test_a_new_volunteer_confirms_by_email_and_waits_for_approval(session, world, mailbox):
    admin, pilot, *_ = world
    message, enrollment = volunteer(
        pilot.invite_code, "vic@example.com", name="Vic Volunteer", role=Role.MENTOR,
        department="IT", session=session,
    )  # fmt: skip
    assert message == VOLUNTEER_RECEIVED
    assert enrollment.status == EnrollmentStatus.PENDING
    with pytest.raises(DomainError, match="not confirmed their email"):
        approve_volunteer(admin, enrollment.id, session=session)
    (mail,) = mailbox.to("vic@example.com")
    token = mailbox.text(mail).split("token=", 1)[1].split()[0]
    actor = accept_invitation(token, NEW_PASSWORD, NEW_PASSWORD, session=session)
    session.refresh(enrollment)
    assert actor.email == "vic@example.com"
    assert enrollment.status == EnrollmentStatus.PENDING  # confirmed, still to be approved
    assert (
        approve_volunteer(admin, enrollment.id, session=session).status == EnrollmentStatus.ACTIVE
    )


def test_an_invitation_link_works_once_for_its_person(session, world, mailbox):
    admin, pilot, _, coadmin, _ = world
    sent = send_invitation(admin, coadmin.id, session=session)
    (mail,) = mailbox.to("cora@example.com")
    body = mailbox.text(mail)
    assert sent.link in body and "Cora Coadmin" in body and pilot.name in body
    assert sent.link in mailbox.html(mail)
    token = sent.link.split("token=", 1)[1]

    actor = accept_invitation(token, NEW_PASSWORD, NEW_PASSWORD, session=session)

    assert actor.email == "cora@example.com"
    session.refresh(coadmin)
    assert coadmin.status == EnrollmentStatus.ACTIVE
    with pytest.raises(DomainError, match="not valid any more"):
        accept_invitation(
            token, "another fine passphrase", "another fine passphrase", session=session
        )
    # The database holds only a hash; the outbox holds the message without the link.
    assert token not in str(session.exec(select(AccountToken.token_hash)).all())
    stored = session.exec(
        select(OutboxMessage.body_text).where(OutboxMessage.to_email == "cora@example.com")
    ).one()
    assert token not in stored and "personal link" in stored


def test_resend_revokes_the_earlier_link_and_revoke_ends_it(session, world):
    admin, _, _, coadmin, _ = world
    first = send_invitation(admin, coadmin.id, session=session).link.split("token=")[1]
    second = send_invitation(admin, coadmin.id, session=session).link.split("token=")[1]
    with pytest.raises(DomainError, match="not valid any more"):
        accept_invitation(first, NEW_PASSWORD, NEW_PASSWORD, session=session)
    revoke_invitation(admin, coadmin.id, session=session)
    with pytest.raises(DomainError, match="not valid any more"):
        accept_invitation(second, NEW_PASSWORD, NEW_PASSWORD, session=session)
    assert invitation_states(admin, coadmin.pilot_id, session=session)[coadmin.id] == "link revoked"


def test_an_expired_link_is_refused(session, world):
    admin, _, _, coadmin, _ = world
    token = send_invitation(admin, coadmin.id, session=session).link.split("token=")[1]
    row = session.exec(
        select(AccountToken).where(AccountToken.person_id == coadmin.person_id)
    ).one()
    row.expires_at = row.created_at - timedelta(seconds=1)
    session.add(row)
    session.flush()
    with pytest.raises(DomainError, match="expired"):
        accept_invitation(token, NEW_PASSWORD, NEW_PASSWORD, session=session)
    assert "expired" in invitation_states(admin, coadmin.pilot_id, session=session)[coadmin.id]


def test_weak_passwords_are_refused_and_the_link_stays_usable(session, world, engine):
    admin, _, _, coadmin, _ = world
    token = send_invitation(admin, coadmin.id, session=session).link.split("token=")[1]
    session.commit()
    from core.db import unit_of_work

    for weak, reason in [
        ("aaaaaaaaaa", "at least 12 characters"),
        ("aaaaaaaaaaaa", "too easy to guess"),
        ("password1234", "too easy to guess"),
        ("x" * 257, "at most 256"),
    ]:
        with pytest.raises(ValidationFailed, match=reason), unit_of_work(engine) as uow:
            accept_invitation(token, weak, weak, session=uow)
    with unit_of_work(engine) as uow:
        assert (
            accept_invitation(token, NEW_PASSWORD, NEW_PASSWORD, session=uow).email
            == "cora@example.com"
        )


def test_an_account_holder_invited_elsewhere_stays_invited_until_they_accept(session, world):
    admin, pilot, other, _, invited_elsewhere = world
    ivan = builders.join_by_link(session, admin, invited_elsewhere.id)
    again = add_participant(
        admin,
        pilot.id,
        PersonInput("ivan@example.com", "Ivan Invited", Role.MENTEE),
        session=session,
    )
    assert again.status == EnrollmentStatus.INVITED
    token = builders.invitation_token(session, admin, again.id)
    with pytest.raises(ValidationFailed, match="existing account"):
        accept_invitation(token, "not his password at all", None, session=session)
    assert accept_invitation(token, builders.PASSWORD, None, session=session) == ivan
    session.refresh(again)
    assert again.status == EnrollmentStatus.ACTIVE


def test_only_admins_of_the_pilot_send_links(session, world):
    admin, pilot, other, coadmin, invited_elsewhere = world
    cora = builders.join_by_link(session, admin, coadmin.id)
    with pytest.raises(NotAllowed):
        send_invitation(cora, invited_elsewhere.id, session=session)


def test_a_signed_in_person_volunteers_for_another_pilot(session, world):
    admin, pilot, other, coadmin, _ = world
    cora = builders.join_by_link(session, admin, coadmin.id)
    enrollment = join_with_code(cora, other.invite_code, Role.MENTOR, session=session)
    assert enrollment.status == EnrollmentStatus.PENDING
    with pytest.raises(DomainError, match="already in this pilot"):
        join_with_code(cora, other.invite_code, Role.MENTOR, session=session)
