"""Signing in with a password, throttled per account and per client address.

After five wrong passwords the account (and, separately, the address) is refused for a growing
interval, whatever password comes next, so guessing costs hours instead of seconds. An unknown
email is counted and timed exactly like a known one: the answer never tells who has an account.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from core.accounts.tokens import aware
from core.auth import (
    Actor,
    actor_for,
    hash_password,
    needs_rehash,
    normalise_email,
    verify_password,
)
from core.models import Enrollment, EnrollmentStatus, Person, Pilot, SignInThrottle, utcnow
from core.privacy.audit import record
from core.settings import sso_required

FREE_ATTEMPTS = 5
FIRST_LOCK = timedelta(seconds=30)
LONGEST_LOCK = timedelta(hours=1)
WRONG = "Email or password is not right. Check both and try again."


@dataclass(frozen=True)
class SignInResult:
    """Returned, not raised, so that the failure count is committed with the answer."""

    actor: Actor | None
    message: str = ""


def lock_interval(failures: int) -> timedelta:
    """30 s after the fifth failure, doubling with each further one, at most an hour."""
    if failures < FREE_ATTEMPTS:
        return timedelta(0)
    return min(FIRST_LOCK * 2 ** (failures - FREE_ATTEMPTS), LONGEST_LOCK)


def _keys(email: str, client: str | None) -> list[str]:
    keys = [f"account:{email}"]
    if client:
        keys.append(f"client:{client}")
    return keys


def _in_words(delta: timedelta) -> str:
    seconds = max(1, int(delta.total_seconds() + 0.999))
    if seconds < 90:
        return f"{seconds} seconds"
    return f"{(seconds + 59) // 60} minutes"


def _locked_message(until: datetime, now: datetime) -> str:
    return (
        "Too many failed sign-ins. For your security, sign-in is paused for "
        f"{_in_words(until - now)}; try again after that, or reset your password with "
        '"Forgot your password?".'
    )


def sso_only_for(person: Person, *, session: Session) -> bool:
    if sso_required():
        return True
    return (
        session.exec(
            select(Pilot.id)
            .join(Enrollment, Enrollment.pilot_id == Pilot.id)
            .where(
                Enrollment.person_id == person.id,
                Enrollment.status != EnrollmentStatus.WITHDRAWN,
                Pilot.require_sso == True,  # noqa: E712
            )
        ).first()
        is not None
    )


def authenticate(
    email: str,
    password: str,
    *,
    client: str | None = None,
    now: datetime | None = None,
    session: Session,
) -> SignInResult:
    now = now or utcnow()
    email = normalise_email(email)
    rows = {
        row.key: row
        for row in session.exec(
            select(SignInThrottle).where(SignInThrottle.key.in_(_keys(email, client)))  # type: ignore[attr-defined]
        ).all()
    }
    locks = [aware(r.locked_until) for r in rows.values() if r.locked_until]
    person = session.exec(select(Person).where(Person.email == email)).first()
    # Verify before looking at the lock, so a locked account answers in the same time.
    ok = verify_password(person.password_hash if person else None, password)
    # The trail names a known account by id; an unknown email leaves no personal data in it.
    who = person.id if person else None
    if active := [until for until in locks if until and until > now]:
        record(session, who, "sign_in.failed", None, {}, {"why": "paused after failures"})
        return SignInResult(None, _locked_message(max(active), now))
    if not ok or person is None:
        record(session, who, "sign_in.failed", None, {}, {"why": "wrong email or password"})
        longest = timedelta(0)
        for key in _keys(email, client):
            row = rows.get(key) or SignInThrottle(key=key)
            row.failures += 1
            row.updated_at = now
            interval = lock_interval(row.failures)
            row.locked_until = now + interval if interval else None
            longest = max(longest, interval)
            session.add(row)
        session.flush()
        if longest:
            return SignInResult(None, WRONG + " " + _locked_message(now + longest, now))
        return SignInResult(None, WRONG)
    if sso_only_for(person, session=session):
        return SignInResult(
            None, 'Your organisation signs in with single sign-on: use "Sign in with SSO".'
        )
    for row in rows.values():
        session.delete(row)
    if needs_rehash(person.password_hash or ""):
        person.password_hash = hash_password(password)
        session.add(person)
    session.flush()
    record(session, person.id, "sign_in.succeeded", None, {}, {"via": "password"})
    return SignInResult(actor_for(person))


def clear_throttle(email: str, *, session: Session) -> None:
    """A successful password reset proves the mailbox: the account is unlocked."""
    row = session.get(SignInThrottle, f"account:{normalise_email(email)}")
    if row is not None:
        session.delete(row)
