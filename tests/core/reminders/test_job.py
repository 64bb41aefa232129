"""`python -m core remind`: a dry run lists and sends nothing; runs in a row and two processes
started at once send each due message exactly once (counted at the SMTP server)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

from sqlmodel import select

from core.db import unit_of_work
from core.mail.delivery import Outgoing, outbox_row
from core.models import OutboxMessage, OutboxStatus, utcnow
from core.reminders.job import INTERRUPTED, run_reminders

ROOT = Path(__file__).resolve().parents[3]
# Due today in the tracking world: the start check-in of the five members of pairs A, B and C
# (Ned is in two pairs: two messages), and the weekly summary of each pilot's administrator.
DUE_TODAY = 6 + 2


def remind(db_url: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "core", "remind", *args],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": db_url},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(proc: subprocess.Popen) -> str:
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    return out


def deliveries(mailbox) -> Counter:
    return Counter((m["To"], m["Subject"]) for m in mailbox.messages)


def test_dry_run_lists_and_sends_nothing(db_url, engine, world, mailbox):
    out = finish(remind(db_url, "--dry-run"))
    lines = out.strip().splitlines()
    assert lines[-1] == f"{DUE_TODAY} message(s) due (dry run: nothing sent)."
    assert sum("checkin_due" in line and "max@example.com" in line for line in lines) == 1
    assert sum("ned@example.com" in line for line in lines) == 2
    assert mailbox.messages == []
    with unit_of_work(engine) as s:
        # Only the invitations of the world's set-up are there, no reminder.
        assert s.exec(select(OutboxMessage.kind).distinct()).all() == ["invitation"]


def test_two_runs_in_a_row_send_once(db_url, world, mailbox):
    now = (utcnow() + timedelta(days=1)).isoformat()
    first = finish(remind(db_url, "--now", now))
    assert f"{DUE_TODAY} message(s) due: {DUE_TODAY} sent" in first
    second = finish(remind(db_url, "--now", now))
    assert "0 message(s) due" in second
    counted = deliveries(mailbox)
    assert sum(counted.values()) == DUE_TODAY and set(counted.values()) == {1}


def test_two_processes_at_once_send_once(db_url, world, mailbox):
    procs = [remind(db_url), remind(db_url)]
    outputs = [finish(p) for p in procs]
    counted = deliveries(mailbox)
    assert sum(counted.values()) == DUE_TODAY, outputs
    assert set(counted.values()) == {1}


def test_bad_now_is_one_line(db_url, world):
    proc = remind(db_url, "--now", "next tuesday")
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2 and "is not a date and time" in err


def test_a_run_that_crashed_is_not_repeated(engine, world, mailbox):
    plan = run_reminders(engine, dry_run=True).messages
    victim = next(m for m in plan if m.to_email == "mia@example.com")
    with unit_of_work(engine) as s:
        row = outbox_row(
            Outgoing(victim.to_email, victim.subject, "", dedupe_key=victim.dedupe_key)
        )
        row.created_at = utcnow() - timedelta(hours=2)  # claimed by a run that never finished
        s.add(row)
    report = run_reminders(engine)
    assert report.sent == DUE_TODAY - 1
    assert mailbox.to("mia@example.com") == []
    with unit_of_work(engine) as s:
        stored = s.exec(
            select(OutboxMessage).where(OutboxMessage.dedupe_key == victim.dedupe_key)
        ).one()
    assert (stored.status, stored.error) == (OutboxStatus.FAILED, INTERRUPTED)
