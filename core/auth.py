"""Passwords and sign-in.

Argon2id (argon2-cffi) rather than a hand-rolled hash: it is the current OWASP recommendation and
its parameters upgrade transparently (`check_needs_rehash`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, func, select
from zxcvbn import zxcvbn

from core.errors import DomainError, ValidationFailed
from core.models import Person

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256
# Checked against when the email is unknown, so an unknown email costs as much as a known one.
_DUMMY_HASH = _hasher.hash("no account has this password, it only costs time")
EMAIL_RE = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[A-Za-z]{2,}$")


@dataclass(frozen=True)
class Actor:
    """Who is acting. Pages keep this (never a DB session) in st.session_state."""

    person_id: int
    email: str
    name: str
    is_staff: bool = False


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def email_problem(email: str) -> str | None:
    """None when the address looks deliverable, else what is wrong with it."""
    email = normalise_email(email)
    if not email:
        return "is required"
    if not EMAIL_RE.match(email):
        return f"'{email}' is not a valid email address (expected name@company.com)"
    return None


def password_problem(
    password: str, confirm: str | None = None, *, hints: tuple[str, ...] = ()
) -> str | None:
    """Length limits (NIST SP 800-63B) plus zxcvbn, a maintained estimator that knows the
    30 000 most common passwords, keyboard walks and repeats; `hints` (the person's email and
    name) count as guessable words too."""
    password = password or ""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"must be at least {MIN_PASSWORD_LENGTH} characters (now {len(password)})"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"must be at most {MAX_PASSWORD_LENGTH} characters"
    if confirm is not None and password != confirm:
        return "the two passwords differ"
    words = [w for hint in hints for w in re.split(r"[@.\s_-]+", hint or "") if len(w) > 2]
    verdict = zxcvbn(password[:100], user_inputs=words)
    if verdict["score"] < 2:
        warning = verdict["feedback"].get("warning") or "It is too easy to guess."
        return f"is too easy to guess: {warning.rstrip('.')}. Try a few unrelated words."
    return None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Always runs one Argon2 verification, against a dummy hash when there is none, so the
    answer takes as long for an unknown email or an account without a password."""
    try:
        return _hasher.verify(
            password_hash or _DUMMY_HASH, (password or "")[:MAX_PASSWORD_LENGTH]
        ) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def actor_for(person: Person) -> Actor:
    if person.id is None:
        raise DomainError("This account is not saved yet.")
    return Actor(person.id, person.email, person.name, person.is_staff)


def needs_first_admin(*, session: Session) -> bool:
    """True on an empty portal: the first-run page then creates the first administrator."""
    return session.exec(select(func.count()).select_from(Person).where(Person.is_staff)).one() == 0


def create_first_admin(
    email: str, name: str, password: str, *, session: Session, confirm: str | None = None
) -> Actor:
    """The first-run page: only while the portal has no administrator, so the page cannot be
    replayed later to make somebody staff."""
    if not needs_first_admin(session=session):
        raise DomainError("The portal already has an administrator: sign in instead.")
    return create_admin(email, name, password, session=session, confirm=confirm)


def create_admin(
    email: str, name: str, password: str, *, session: Session, confirm: str | None = None
) -> Actor:
    """Create a programme-team account (may create pilots). Used by first run and the CLI."""
    errors: dict[str, str] = {}
    if problem := email_problem(email):
        errors["email"] = problem
    if not (name or "").strip():
        errors["name"] = "is required"
    if problem := password_problem(password, confirm, hints=(email, name)):
        errors["password"] = problem
    if errors:
        raise ValidationFailed(errors)
    email = normalise_email(email)
    person = session.exec(select(Person).where(Person.email == email)).first()
    if person and person.is_staff:
        raise ValidationFailed({"email": f"{email} is already an administrator"})
    if person is None:
        person = Person(email=email, name=name.strip())
    person.name = name.strip()
    person.is_staff = True
    person.password_hash = hash_password(password)
    session.add(person)
    session.flush()
    return actor_for(person)


def set_password(person: Person, password: str, confirm: str | None = None) -> None:
    if problem := password_problem(password, confirm, hints=(person.email, person.name)):
        raise ValidationFailed({"password": problem})
    person.password_hash = hash_password(password)
