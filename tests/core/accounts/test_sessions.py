"""Browser sessions: a handoff code works once; a token is refused when revoked, idle or old."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from core.accounts.passwords import change_password
from core.accounts.sessions import (
    collect_cookie,
    end_session,
    resume_session,
    sign_out_everywhere,
    start_session,
)
from core.accounts.tokens import token_hash
from core.errors import NotAllowed
from core.models import Role, SignInSession, utcnow
from tests import builders


@pytest.fixture
def people(session):
    admin = builders.staff(session)
    pilot = builders.pilot(session, admin)
    mentee, _ = builders.participant(session, admin, pilot, "lea@example.com", Role.MENTEE)
    mentor, _ = builders.participant(session, admin, pilot, "max@example.com", Role.MENTOR)
    return admin, mentee, mentor


def _signed_in(actor, session, now=None):
    code = start_session(actor, now=now, session=session)
    return collect_cookie(code, now=now, session=session)


def test_a_handoff_code_gives_one_cookie_and_the_cookie_resumes(session, people):
    _, mentee, _ = people
    code = start_session(mentee, session=session)
    token = collect_cookie(code, session=session)
    assert token and collect_cookie(code, session=session) is None
    assert resume_session(token, session=session) == mentee
    stored = session.exec(select(SignInSession.token_hash)).all()
    assert token not in stored and token_hash(token) in stored


def test_a_handoff_code_expires_after_a_minute(session, people):
    _, mentee, _ = people
    now = utcnow()
    code = start_session(mentee, now=now, session=session)
    assert collect_cookie(code, now=now + timedelta(seconds=61), session=session) is None


def test_idle_and_absolute_expiry(session, people, monkeypatch):
    _, mentee, _ = people
    now = utcnow()
    token = _signed_in(mentee, session, now)
    assert (
        resume_session(token, now=now + timedelta(hours=7, minutes=59), session=session) == mentee
    )
    # Used at 7:59, so still alive at 15:58; idle for 8 h 1 min after that, it is gone.
    assert resume_session(token, now=now + timedelta(hours=15, minutes=58), session=session)
    assert resume_session(token, now=now + timedelta(hours=24), session=session) is None
    monkeypatch.setenv("PORTAL_SESSION_MAX_HOURS", "2")
    fresh = _signed_in(mentee, session, now)
    assert resume_session(fresh, now=now + timedelta(hours=1), session=session) == mentee
    assert resume_session(fresh, now=now + timedelta(hours=2, seconds=1), session=session) is None


def test_sign_out_ends_the_session(session, people):
    _, mentee, _ = people
    token = _signed_in(mentee, session)
    end_session(token, session=session)
    assert resume_session(token, session=session) is None


def test_password_change_signs_out_other_devices_but_not_this_one(session, people):
    _, mentee, _ = people
    here, laptop = _signed_in(mentee, session), _signed_in(mentee, session)
    ended = change_password(
        mentee, builders.PASSWORD, "amber quartz meadow", "amber quartz meadow",
        keep_session=here, session=session,
    )  # fmt: skip
    assert ended == 1
    assert resume_session(here, session=session) == mentee
    assert resume_session(laptop, session=session) is None


def test_an_admin_signs_a_participant_out_everywhere_but_a_mentor_cannot(session, people):
    admin, mentee, mentor = people
    token = _signed_in(mentee, session)
    with pytest.raises(NotAllowed):
        sign_out_everywhere(mentor, mentee.person_id, session=session)
    assert sign_out_everywhere(admin, mentee.person_id, session=session) == 1
    assert resume_session(token, session=session) is None
