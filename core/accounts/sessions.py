"""Browser sessions behind an opaque, HttpOnly cookie.

The page that signs a person in cannot set a cookie (it talks over a websocket), so it creates the
session with a one-time handoff code and sends the browser to `/auth/session?code=...`; that HTTP
route swaps the code for the session token, sets the cookie and redirects to the page the person
wanted. Only hashes are stored; a token is refused once revoked, idle for too long or too old.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

from core.access import is_pilot_admin
from core.accounts.tokens import aware, new_token, token_hash
from core.auth import Actor, actor_for
from core.errors import NotAllowed, NotFound
from core.models import Enrollment, EnrollmentStatus, Person, SignInSession, utcnow
from core.settings import session_idle_timeout, session_lifetime

COOKIE_NAME = "portal_session"
HANDOFF_LIFETIME = timedelta(seconds=60)
# last_seen_at is written at most this often: a rerun per click must not be a write per click.
TOUCH_EVERY = timedelta(seconds=60)


def start_session(
    actor: Actor, *, via: str = "password", now: datetime | None = None, session: Session
) -> str:
    """A new session for a person who just proved who they are; returns the handoff code."""
    now = now or utcnow()
    code = new_token()
    session.add(
        SignInSession(
            token_hash=token_hash(new_token()),  # replaced when the browser collects the cookie
            handoff_hash=token_hash(code),
            handoff_expires_at=now + HANDOFF_LIFETIME,
            person_id=actor.person_id,
            via=via,
            created_at=now,
            last_seen_at=now,
            expires_at=now + session_lifetime(),
        )
    )
    session.flush()
    return code


def collect_cookie(code: str, *, now: datetime | None = None, session: Session) -> str | None:
    """Swap a handoff code for the session token, once; None when the code is not valid."""
    now = now or utcnow()
    row = session.exec(
        select(SignInSession)
        .where(SignInSession.handoff_hash == token_hash(code))
        .with_for_update()
    ).first()
    if row is None or row.revoked_at is not None or aware(row.handoff_expires_at) < now:  # type: ignore[operator]
        return None
    raw = new_token()
    row.token_hash = token_hash(raw)
    row.handoff_hash = None
    row.handoff_expires_at = None
    row.last_seen_at = now
    session.add(row)
    session.flush()
    return raw


def _live(row: SignInSession | None, now: datetime) -> bool:
    return (
        row is not None
        and row.handoff_hash is None
        and row.revoked_at is None
        and aware(row.expires_at) > now  # type: ignore[operator]
        and aware(row.last_seen_at) + session_idle_timeout() > now  # type: ignore[operator]
    )


def resume_session(
    raw: str | None, *, now: datetime | None = None, session: Session
) -> Actor | None:
    """The person behind a cookie, or None (and the session ended) when it is not valid."""
    if not raw:
        return None
    now = now or utcnow()
    row = session.exec(
        select(SignInSession).where(SignInSession.token_hash == token_hash(raw))
    ).first()
    if row is None:
        return None
    if not _live(row, now):
        if row.revoked_at is None:
            row.revoked_at = now
            session.add(row)
        return None
    person = session.get(Person, row.person_id)
    if person is None:
        return None
    if aware(row.last_seen_at) + TOUCH_EVERY < now:  # type: ignore[operator]
        row.last_seen_at = now
        session.add(row)
    return actor_for(person)


def end_session(raw: str | None, *, session: Session) -> None:
    if not raw:
        return
    row = session.exec(
        select(SignInSession).where(SignInSession.token_hash == token_hash(raw))
    ).first()
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)


def end_all_sessions(person_id: int, *, keep: str | None = None, session: Session) -> int:
    """Every session of the person ends, except the one they are using (`keep`)."""
    keep_hash = token_hash(keep) if keep else None
    now = utcnow()
    ended = 0
    for row in session.exec(
        select(SignInSession).where(
            SignInSession.person_id == person_id,
            SignInSession.revoked_at.is_(None),  # type: ignore[union-attr]
        )
    ).all():
        if row.token_hash == keep_hash:
            continue
        row.revoked_at = now
        session.add(row)
        ended += 1
    session.flush()
    return ended


def may_manage_account(actor: Actor, person_id: int, *, session: Session) -> None:
    """Staff manage every account; a pilot admin manages the accounts of their pilot's people."""
    if actor.is_staff or actor.person_id == person_id:
        return
    pilots = session.exec(
        select(Enrollment.pilot_id).where(
            Enrollment.person_id == person_id, Enrollment.status != EnrollmentStatus.WITHDRAWN
        )
    ).all()
    if not any(is_pilot_admin(actor, pilot_id, session=session) for pilot_id in pilots):
        raise NotAllowed(
            "Only the programme team or an administrator of this person's pilot can do this."
        )


def sign_out_everywhere(actor: Actor, person_id: int, *, session: Session) -> int:
    """An admin's "sign out everywhere", e.g. for a lost laptop."""
    if session.get(Person, person_id) is None:
        raise NotFound("This person no longer exists.")
    may_manage_account(actor, person_id, session=session)
    return end_all_sessions(person_id, session=session)
