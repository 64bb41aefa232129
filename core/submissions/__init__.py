"""Each submitted form is carried out once.

A form carries a one-time token (ui.once). The write it starts records the token in the same
transaction, so a second submit of the same form (a double click, a request sent again after a
slow answer, two servers each receiving one copy) is recognised and answered with what the first
one answered, instead of creating a second row or showing an error beside the first success.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select

from core.auth import Actor
from core.errors import DomainError
from core.models import Submission, utcnow

MAX_TOKEN = 64
# A token older than this is forgotten: no browser resends a form after a week.
KEPT_FOR = timedelta(days=7)

Reference = dict[str, Any]


def _actor_id(actor: Actor | None) -> int | None:
    return None if actor is None else actor.person_id


def _answer(row: Submission, actor: Actor | None) -> Reference:
    if row.actor_id != _actor_id(actor):
        raise DomainError("This form was sent from another account. Reload the page and try again.")
    return dict(row.result)


def once(
    session: Session, token: str, actor: Actor | None, compute: Callable[[], Reference]
) -> Reference:
    """Run `compute` (a write that returns a JSON-able reference to what it wrote) unless this
    token was already used; either way return the first run's reference.

    The token row is written before `compute`, inside a savepoint: a concurrent submit of the
    same token waits on that row (PostgreSQL's unique index, SQLite's write lock) and, once the
    first transaction commits, finds it instead of running `compute` a second time. If the first
    transaction fails, its token row goes with it and the token may be used again."""
    if not token or len(token) > MAX_TOKEN:
        raise DomainError("This form has expired. Reload the page and send it again.")
    found = session.get(Submission, token)
    if found is not None:
        return _answer(found, actor)
    row = Submission(token=token, actor_id=_actor_id(actor), result={})
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        # Another transaction recorded this token first and has committed since.
        first = session.exec(
            select(Submission)
            .where(Submission.token == token)
            .execution_options(populate_existing=True)
        ).one()
        return _answer(first, actor)
    reference = compute()
    row.result = dict(reference)
    session.add(row)
    if row.actor_id is not None:
        session.exec(
            delete(Submission).where(
                col(Submission.actor_id) == row.actor_id,
                col(Submission.created_at) < utcnow() - KEPT_FOR,
            )
        )
    session.flush()
    return dict(reference)
