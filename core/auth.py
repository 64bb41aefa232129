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

from core.errors import DomainError, ValidationFailed
from core.models import Person

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 10
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


def password_problem(password: str, confirm: str | None = None) -> str | None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        return f"must be at least {MIN_PASSWORD_LENGTH} characters"
    if confirm is not None and password != confirm:
        return "the two passwords differ"
    return None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def actor_for(person: Person) -> Actor:
    assert person.id is not None
    return Actor(person.id, person.email, person.name, person.is_staff)


def needs_first_admin(*, session: Session) -> bool:
    """True on an empty portal: the first-run page then creates the first administrator."""
    return session.exec(select(func.count()).select_from(Person).where(Person.is_staff)).one() == 0


def create_admin(
    email: str, name: str, password: str, *, session: Session, confirm: str | None = None
) -> Actor:
    """Create a programme-team account (may create pilots). Used by first run and the CLI."""
    errors: dict[str, str] = {}
    if problem := email_problem(email):
        errors["email"] = problem
    if not (name or "").strip():
        errors["name"] = "is required"
    if problem := password_problem(password, confirm):
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


def authenticate(email: str, password: str, *, session: Session) -> Actor:
    """Same message for an unknown email and a wrong password: do not reveal who is registered."""
    person = session.exec(select(Person).where(Person.email == normalise_email(email))).first()
    if person is None or not verify_password(person.password_hash, password):
        raise DomainError("Email or password is not right. Check both and try again.")
    if _hasher.check_needs_rehash(person.password_hash or ""):
        person.password_hash = hash_password(password)
        session.add(person)
    return actor_for(person)


def set_password(person: Person, password: str, confirm: str | None = None) -> None:
    if problem := password_problem(password, confirm):
        raise ValidationFailed({"password": problem})
    person.password_hash = hash_password(password)
