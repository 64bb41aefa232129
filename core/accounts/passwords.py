"""Changing and resetting a password. Every change ends the person's other sessions, so a
password that leaked stops working everywhere at once."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from core.accounts.sessions import end_all_sessions, may_manage_account
from core.accounts.sign_in import clear_throttle
from core.accounts.tokens import find_token, issue_token, use_token
from core.auth import Actor, actor_for, normalise_email, set_password, verify_password
from core.errors import NotFound, ValidationFailed
from core.mail.delivery import Outgoing, send, will_be_delivered
from core.mail.templates import render
from core.models import OutboxMessage, Person, TokenPurpose, utcnow
from core.settings import RESET_LIFETIME, base_url

RESET_REQUESTED = (
    "If an account exists for this email, a reset link is on its way. It works once, for 30 "
    "minutes. Nothing arrived? Check the spelling and your spam folder, or ask the programme team."
)


def reset_link(raw: str) -> str:
    return f"{base_url()}/reset_password?token={raw}"


def _when(moment) -> str:  # noqa: ANN001
    return moment.strftime("%d %b %Y, %H:%M UTC")


def _send_reset(
    person: Person, created_by: int | None, *, session: Session
) -> tuple[str, OutboxMessage]:
    raw, row = issue_token(
        TokenPurpose.RESET,
        person.id,
        RESET_LIFETIME,
        created_by_id=created_by,
        session=session,  # type: ignore[arg-type]
    )
    link = reset_link(raw)
    subject, text, html = render(
        "password_reset", name=person.name, link=link, expires=_when(row.expires_at)
    )
    sent = send(
        Outgoing(
            person.email, subject, text, html, kind="password_reset", to_name=person.name,
            person_id=person.id, secrets=(link,),
        ),
        session=session,
    )  # fmt: skip
    return link, sent


def request_password_reset(email: str, *, session: Session) -> str:
    """The same answer whether or not the email has an account."""
    person = session.exec(select(Person).where(Person.email == normalise_email(email))).first()
    if person is not None and person.password_hash:
        _send_reset(person, None, session=session)
    return RESET_REQUESTED


@dataclass(frozen=True)
class ResetLink:
    email: str
    link: str
    emailed: bool


def admin_reset_password(actor: Actor, person_id: int, *, session: Session) -> ResetLink:
    """The programme team sends a reset link (and gets it to pass on when mail is not set up);
    the old password keeps working until the link is used, so nobody is locked out by mistake."""
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("This person no longer exists.")
    may_manage_account(actor, person_id, session=session)
    link, sent = _send_reset(person, actor.person_id, session=session)
    return ResetLink(person.email, link, will_be_delivered(sent))


def complete_password_reset(raw: str, password: str, confirm: str, *, session: Session) -> Actor:
    person = session.get(Person, find_token(raw, TokenPurpose.RESET, session=session).person_id)
    if person is None:
        raise NotFound("This account no longer exists.")
    set_password(person, password, confirm)
    session.add(person)
    use_token(raw, TokenPurpose.RESET, session=session)
    end_all_sessions(person.id, session=session)  # type: ignore[arg-type]
    clear_throttle(person.email, session=session)
    session.flush()
    return actor_for(person)


def change_password(
    actor: Actor,
    current: str,
    new: str,
    confirm: str,
    *,
    keep_session: str | None = None,
    session: Session,
) -> int:
    """Returns how many other sessions were signed out."""
    person = session.get(Person, actor.person_id)
    if person is None:
        raise NotFound("This account no longer exists.")
    if person.password_hash and not verify_password(person.password_hash, current):
        raise ValidationFailed({"current_password": "is not right"})
    if new == current:
        raise ValidationFailed({"new_password": "must differ from the current one"})
    try:
        set_password(person, new, confirm)
    except ValidationFailed as exc:
        raise ValidationFailed({"new_password": exc.errors["password"]}) from None
    session.add(person)
    ended = end_all_sessions(person.id, keep=keep_session, session=session)  # type: ignore[arg-type]
    subject, text, html = render(
        "password_changed", name=person.name, when=_when(utcnow()), sign_in=base_url()
    )
    send(
        Outgoing(person.email, subject, text, html, kind="password_changed", person_id=person.id),
        session=session,
    )
    return ended
