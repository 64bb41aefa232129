"""`python -m core remind` on PostgreSQL, as two servers sharing one database run it: two runs in
a row and two processes started at once send each due message exactly once, counted at a real
SMTP server. On PostgreSQL the second of two concurrent runs finds the advisory lock taken and
exits, instead of waiting as on SQLite."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from core.db import make_engine, migrate, unit_of_work
from core.models import utcnow
from tests.builders.tracking import _build as build_tracking_world  # the SQLite tests' world
from tests.core.reminders.test_job import DUE_TODAY, deliveries, finish, remind

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_world(pg_url: str) -> str:
    """The tracking world (pairs A, B and C in a running pilot) in a fresh PostgreSQL database."""
    engine = make_engine(pg_url)
    migrate(engine)
    with unit_of_work(engine) as session:
        build_tracking_world(session)
    engine.dispose()
    return pg_url


def test_two_runs_in_a_row_send_once(pg_world, mailbox):
    now = (utcnow() + timedelta(days=1)).isoformat()
    first = finish(remind(pg_world, "--now", now))
    assert f"{DUE_TODAY} message(s) due: {DUE_TODAY} sent" in first
    second = finish(remind(pg_world, "--now", now))
    assert "0 message(s) due" in second
    counted = deliveries(mailbox)
    assert sum(counted.values()) == DUE_TODAY and set(counted.values()) == {1}


def test_two_processes_at_once_send_once(pg_world, mailbox):
    procs = [remind(pg_world), remind(pg_world)]
    outputs = [finish(p) for p in procs]
    counted = deliveries(mailbox)
    assert sum(counted.values()) == DUE_TODAY, outputs
    assert set(counted.values()) == {1}
    # Each run either claimed and sent, or found the other one claiming and said so; what the
    # runs report sending adds up to what arrived.
    last_lines = [out.strip().splitlines()[-1] for out in outputs]
    reported = [re.search(r"(\d+) sent,", line) for line in last_lines]
    for line, found in zip(last_lines, reported, strict=True):
        assert found or line.startswith("Another reminder run is claiming"), line
    assert sum(int(found.group(1)) for found in reported if found) == DUE_TODAY
