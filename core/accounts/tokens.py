"""Single-use links. The raw token is 256 random bits handed out once; the database keeps only
its SHA-256, so whoever reads the database still cannot follow a link."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from core.errors import DomainError
from core.models import AccountToken, utcnow

LINK_NOT_VALID = (
    "This link is not valid any more: it was used already, replaced by a newer one or has "
    "expired. Ask the programme team to send you a new one."
)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(raw: str) -> str:
    return hashlib.sha256((raw or "").encode()).hexdigest()


def aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything the portal stores is UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def issue_token(
    purpose: str,
    person_id: int,
    lifetime: timedelta,
    *,
    pilot_id: int | None = None,
    created_by_id: int | None = None,
    session: Session,
) -> tuple[str, AccountToken]:
    """A fresh link; earlier unused links of the same purpose (and pilot) stop working, so
    "resend" is also "revoke the old one"."""
    now = utcnow()
    query = select(AccountToken).where(
        AccountToken.person_id == person_id,
        AccountToken.purpose == purpose,
        AccountToken.used_at.is_(None),  # type: ignore[union-attr]
        AccountToken.revoked_at.is_(None),  # type: ignore[union-attr]
    )
    if pilot_id is not None:
        query = query.where(AccountToken.pilot_id == pilot_id)
    for old in session.exec(query).all():
        old.revoked_at = now
        session.add(old)
    raw = new_token()
    row = AccountToken(
        purpose=purpose,
        token_hash=token_hash(raw),
        person_id=person_id,
        pilot_id=pilot_id,
        created_by_id=created_by_id,
        created_at=now,
        expires_at=now + lifetime,
    )
    session.add(row)
    session.flush()
    return raw, row


def is_usable(row: AccountToken, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return row.used_at is None and row.revoked_at is None and aware(row.expires_at) > now  # type: ignore[operator]


def find_token(raw: str, purpose: str, *, session: Session) -> AccountToken:
    """The usable token behind a link, or one message for every way a link can be wrong."""
    row = session.exec(
        select(AccountToken).where(
            AccountToken.token_hash == token_hash(raw), AccountToken.purpose == purpose
        )
    ).first()
    if row is None or not is_usable(row):
        raise DomainError(LINK_NOT_VALID)
    return row


def use_token(raw: str, purpose: str, *, session: Session) -> AccountToken:
    """Mark the link used in the same transaction as what it unlocks: with row locking on
    PostgreSQL and the write lock on SQLite, two tabs following one link cannot both win."""
    row = find_token(raw, purpose, session=session)
    row = session.exec(
        select(AccountToken).where(AccountToken.id == row.id).with_for_update()
    ).one()
    if not is_usable(row):
        raise DomainError(LINK_NOT_VALID)
    row.used_at = utcnow()
    session.add(row)
    return row
