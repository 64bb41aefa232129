"""A message sent inside a unit of work leaves once the unit has committed: a unit that rolls back
sends nothing, and a unit that a busy database makes run again sends once (real SMTP server)."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy.exc import OperationalError
from sqlmodel import select

from core.db import transaction, unit_of_work
from core.mail.delivery import Outgoing, send
from core.models import OutboxMessage, OutboxStatus


def _note(n: int) -> Outgoing:
    return Outgoing("pat@example.com", f"Note {n}", f"Hello, this is note {n}.")


def test_a_unit_run_again_sends_once(engine, mailbox):
    attempts = []

    def work(session):
        send(_note(1), session=session)
        attempts.append(1)
        if len(attempts) == 1:
            busy = sqlite3.OperationalError("database is locked")
            raise OperationalError("INSERT ...", {}, busy)
        # Nothing has left yet: the unit has not committed.
        assert mailbox.to("pat@example.com") == []

    transaction(engine, work)

    assert len(attempts) == 2
    assert [m["Subject"] for m in mailbox.to("pat@example.com")] == ["Note 1"]
    with unit_of_work(engine, read_only=True) as s:
        rows = s.exec(select(OutboxMessage)).all()
    assert [(r.subject, r.status) for r in rows] == [("Note 1", OutboxStatus.SENT)]
    assert rows[0].sent_at is not None


def test_a_unit_that_rolls_back_sends_nothing(engine, mailbox):
    with pytest.raises(RuntimeError), unit_of_work(engine) as session:
        send(_note(2), session=session)
        raise RuntimeError("the rest of the unit failed")

    assert mailbox.to("pat@example.com") == []
    with unit_of_work(engine, read_only=True) as s:
        assert s.exec(select(OutboxMessage)).all() == []


def test_an_unreachable_server_is_recorded_after_the_commit(engine, mailbox, monkeypatch):
    monkeypatch.setenv("SMTP_PORT", "1")  # nothing listens there
    with unit_of_work(engine) as session:
        row = send(_note(3), session=session)
        assert row.status == OutboxStatus.QUEUED

    with unit_of_work(engine, read_only=True) as s:
        (stored,) = s.exec(select(OutboxMessage)).all()
    assert stored.status == OutboxStatus.FAILED
    assert "ConnectionRefusedError" in stored.error or "Errno" in stored.error
