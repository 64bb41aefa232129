"""Password sign-in: throttled after five failures, for known and unknown emails alike."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.accounts.sign_in import WRONG, authenticate, lock_interval
from core.models import utcnow
from tests import builders


@pytest.fixture
def admin(session):
    actor = builders.staff(session)
    session.commit()
    return actor


def test_right_password_signs_in_and_wrong_one_says_so(session, admin):
    assert authenticate("ADMIN@example.com ", builders.PASSWORD, session=session).actor == admin
    refused = authenticate("admin@example.com", "not the password", session=session)
    assert refused.actor is None and refused.message == WRONG


def test_the_right_password_right_after_the_sixth_wrong_one_is_refused(session, admin):
    now = utcnow()
    for attempt in range(1, 6):
        result = authenticate("admin@example.com", f"wrong {attempt}", now=now, session=session)
        assert result.actor is None
    assert "paused for 30 seconds" in result.message  # the fifth failure starts the pause
    sixth = authenticate(
        "admin@example.com", "wrong 6", now=now + timedelta(seconds=1), session=session
    )
    assert "Too many failed sign-ins" in sixth.message
    right = authenticate(
        "admin@example.com", builders.PASSWORD, now=now + timedelta(seconds=2), session=session
    )
    assert right.actor is None and "Too many failed sign-ins" in right.message
    # Once the pause is over the right password works again, and the count starts afresh.
    later = authenticate(
        "admin@example.com", builders.PASSWORD, now=now + timedelta(seconds=31), session=session
    )
    assert later.actor == admin


def test_the_pause_grows_with_each_further_failure():
    assert [lock_interval(n).total_seconds() for n in (4, 5, 6, 7, 8)] == [0, 30, 60, 120, 240]
    assert lock_interval(40) == timedelta(hours=1)


def test_an_unknown_email_is_answered_and_throttled_like_a_known_one(session, admin):
    now = utcnow()
    known = [
        authenticate("admin@example.com", "x" * 12, now=now, session=session).message
        for _ in range(5)
    ]
    unknown = [
        authenticate("nobody@example.com", "x" * 12, now=now, session=session).message
        for _ in range(5)
    ]
    assert known == unknown


def test_a_client_address_is_throttled_across_accounts(session, admin):
    now = utcnow()
    for n in range(5):
        authenticate(
            f"guess{n}@example.com", "wrong password", client="10.0.0.9", now=now, session=session
        )
    from_there = authenticate(
        "admin@example.com", builders.PASSWORD, client="10.0.0.9", now=now, session=session
    )
    assert from_there.actor is None and "Too many" in from_there.message
    elsewhere = authenticate(
        "admin@example.com", builders.PASSWORD, client="10.0.0.8", now=now, session=session
    )
    assert elsewhere.actor == admin


def test_a_pilot_that_requires_sso_refuses_passwords(session, admin):
    pilot = builders.pilot(session, admin)
    pilot.require_sso = True
    session.add(pilot)
    session.flush()
    result = authenticate("admin@example.com", builders.PASSWORD, session=session)
    assert result.actor is None and "single sign-on" in result.message
