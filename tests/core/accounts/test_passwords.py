"""Reset by emailed link (single use, 30 minutes) and admin-initiated reset, through a real SMTP
server on 127.0.0.1."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from core.accounts.passwords import (
    RESET_REQUESTED,
    admin_reset_password,
    complete_password_reset,
    request_password_reset,
)
from core.accounts.sign_in import authenticate
from core.errors import DomainError, NotAllowed
from core.models import AccountToken, Role, TokenPurpose
from tests import builders

NEW = "copper kettle orchard"


@pytest.fixture
def people(session):
    admin = builders.staff(session)
    pilot = builders.pilot(session, admin)
    mentee, _ = builders.participant(session, admin, pilot, "lea@example.com", Role.MENTEE)
    mentor, _ = builders.participant(session, admin, pilot, "max@example.com", Role.MENTOR)
    return admin, mentee, mentor


def _token(mailbox, address):
    (mail,) = mailbox.to(address)
    return mailbox.text(mail).split("token=", 1)[1].split()[0]


def test_a_reset_email_arrives_and_its_link_works_once(session, people, mailbox):
    _, mentee, _ = people
    assert request_password_reset("LEA@example.com", session=session) == RESET_REQUESTED
    token = _token(mailbox, "lea@example.com")
    assert complete_password_reset(token, NEW, NEW, session=session) == mentee
    assert authenticate("lea@example.com", NEW, session=session).actor == mentee
    assert authenticate("lea@example.com", builders.PASSWORD, session=session).actor is None
    with pytest.raises(DomainError, match="not valid any more"):
        complete_password_reset(token, "second go at this", "second go at this", session=session)


def test_an_unknown_email_gets_the_same_answer_and_no_mail(session, people, mailbox):
    assert request_password_reset("nobody@example.com", session=session) == RESET_REQUESTED
    assert mailbox.messages == []


def test_a_reset_link_expires_after_30_minutes(session, people, mailbox):
    request_password_reset("lea@example.com", session=session)
    token = _token(mailbox, "lea@example.com")
    row = session.exec(select(AccountToken).where(AccountToken.purpose == TokenPurpose.RESET)).one()
    assert row.expires_at - row.created_at == timedelta(minutes=30)
    row.expires_at = row.created_at
    session.add(row)
    session.flush()
    with pytest.raises(DomainError, match="expired"):
        complete_password_reset(token, NEW, NEW, session=session)


def test_an_admin_sends_a_reset_link_and_a_mentor_may_not(session, people, mailbox):
    admin, mentee, mentor = people
    with pytest.raises(NotAllowed):
        admin_reset_password(mentor, mentee.person_id, session=session)
    sent = admin_reset_password(admin, mentee.person_id, session=session)
    assert sent.emailed and sent.link.split("token=")[1] == _token(mailbox, "lea@example.com")


def test_without_smtp_the_admin_gets_the_link_to_pass_on(session, people):
    admin, mentee, _ = people
    sent = admin_reset_password(admin, mentee.person_id, session=session)
    assert not sent.emailed
    token = sent.link.split("token=")[1]
    assert complete_password_reset(token, NEW, NEW, session=session) == mentee
