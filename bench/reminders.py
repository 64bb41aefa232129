"""Benchmark of the reminder run (`python -m core remind`) on a pilot of 20 000 participants.

A running pilot is written into a fresh SQLite file with bulk inserts, dated around today so that
the run needs no `--now`: half mentees, half mentors in eight time zones, pairs accepted over the
last 40 days (most active, some published and waiting for answers, some paused, declined or
ended), sessions since, half the start check-ins done, acceptance events, pair milestones partly
ticked. Then, each in a fresh process as cron or an operator would start it:

    dry run    `remind --dry-run`: plans every message and builds its text, sends nothing
    send       `remind`: claims and delivers every due message to an SMTP sink on 127.0.0.1
               (aiosmtpd in this process, counting what arrives)
    rerun      `remind` again right after: everything is in the outbox, nothing is due

with, for each, the wall time, the messages it reported, the messages the sink received and the
process's peak RSS (its own rusage, read with wait4).

    python bench/reminders.py [--participants 20000] [--seed 7]

Seen on the 2-core machine (8 455 pairs, 11 922 messages due: 6 653 milestone overdue, 1 449
partner accepted, 1 415 check-in due, 1 388 no session, 1 016 match published, 1 admin digest):
dry run 7.2 s, send 1011 s (about 12 a second), rerun 7.8 s, peak RSS 236-270 MB, with the load
average rising from 0.5 to 8 during the send; with other work running (load 13-15) the same
runs took 55 s, 2207 s and 6.4 s. A send is one SMTP conversation and one commit per message;
a profile of 1 244 messages spent 56 % of its time building a fresh TLS context for each one
(`ssl.create_default_context()` in core.mail.delivery.deliver, even without TLS).

Since then a run sends on one SMTP conversation per 20 messages and writes outcomes 100 at a
time. At 4 000 participants (2 476 messages due), run back to back on the same machine: send
64.2 s before, 28.2 s after (dry run 5.4-6.4 s, rerun 7.2-9.3 s, 202-212 MB either way).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ZONES = ["Europe/Paris", "Europe/London", "America/New_York", "America/Sao_Paulo",
         "Asia/Kolkata", "Asia/Tokyo", "Australia/Sydney", "UTC"]  # fmt: skip
DAYS_RUNNING = 40  # the pilot started 40 days ago and runs for 180 days


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def build(path: Path, participants: int, seed: int) -> dict[str, int]:
    """A migrated SQLite file holding one running pilot; returns row counts."""
    from sqlalchemy import insert
    from sqlmodel import Session, select

    from core.auth import create_admin
    from core.db import make_engine, migrate
    from core.models import (
        CheckIn,
        Enrollment,
        MentoringSession,
        Milestone,
        Pair,
        PairEvent,
        PairMilestone,
        Person,
        PilotStatus,
    )
    from core.pilots.settings import PilotInput, create_pilot

    rng = np.random.default_rng(seed)
    today = date.today()
    start = today - timedelta(days=DAYS_RUNNING)
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    with Session(engine) as session:
        admin = create_admin(
            "bench@example.com", "Bench Admin", "benchmark-password", session=session
        )
        pilot = create_pilot(
            admin,
            PilotInput(name="Bench pilot", start_date=start, end_date=start + timedelta(days=180)),
            session=session,
        )
        pilot.status = PilotStatus.RUNNING
        session.add(pilot)
        session.flush()
        pilot_id = pilot.id
        milestones = session.exec(
            select(Milestone.id, Milestone.due_date).where(
                Milestone.pilot_id == pilot_id, Milestone.scope == "pair"
            )
        ).all()
        session.commit()

    mentees = participants // 2
    first = 1000
    people, enrollments = [], []
    for i in range(participants):
        is_mentee = i < mentees
        pid = first + i
        people.append({
            "id": pid, "email": f"p{i}@bench.example.com", "name": f"Person {i}",
            "time_zone": ZONES[i % len(ZONES)], "is_staff": False, "created_at": _at(start),
            "grade": int(rng.integers(9, 15) if is_mentee else rng.integers(2, 7)),
        })  # fmt: skip
        draw = rng.random()
        status = "active" if draw < 0.95 else "invited" if draw < 0.98 else "withdrawn"
        enrollments.append({
            "id": pid, "pilot_id": pilot_id, "person_id": pid,
            "role": "mentee" if is_mentee else "mentor", "status": status,
            "capacity": 1, "availability": ["mon-am", "wed-pm"], "offers": [], "wants": [],
            "learn_back_note": "", "opted_out": False, "consent": True,
            "invited_at": _at(start - timedelta(days=30)),
            "joined_at": _at(start - timedelta(days=20)) if status != "invited" else None,
        })  # fmt: skip

    statuses = ["active", "published", "paused", "declined", "ended"]
    status_p = [0.80, 0.08, 0.04, 0.03, 0.05]
    pairs, sessions, checkins, events, ticks = [], [], [], [], []
    for i in range(mentees):
        mentee, mentor = first + i, first + mentees + i
        if rng.random() > 0.9 or "invited" in (
            enrollments[i]["status"],
            enrollments[mentees + i]["status"],
        ):
            continue
        status = statuses[int(rng.choice(len(statuses), p=status_p))]
        accepted_day = today - timedelta(days=int(rng.integers(0, DAYS_RUNNING)))
        accepted = status in ("active", "paused", "ended")
        published = (
            accepted_day - timedelta(days=2)
            if accepted
            else today - timedelta(days=int(rng.integers(0, 10)))
        )
        pair_id = len(pairs) + 1
        pairs.append({
            "id": pair_id, "pilot_id": pilot_id, "mentee_enrollment_id": mentee,
            "mentor_enrollment_id": mentor, "score": 70.0, "reasons": [], "uncovered": [],
            "alternatives": [], "status": status, "locked": False,
            "mentee_response": "accepted" if accepted else "declined" if status == "declined" else "pending",
            "mentor_response": "accepted" if accepted else "pending", "decline_reason": "",
            "created_at": _at(published - timedelta(days=1)), "published_at": _at(published),
            "accepted_at": _at(accepted_day) if accepted else None,
            "ended_at": _at(today) if status == "ended" else None,
        })  # fmt: skip
        if not accepted:
            continue
        events.append({"pair_id": pair_id, "person_id": mentor, "kind": "accepted", "note": "",
                       "created_at": _at(accepted_day, 9)})  # fmt: skip
        since = (today - accepted_day).days
        for _ in range(int(rng.poisson(since / 14))):
            sessions.append({
                "pair_id": pair_id, "author_id": mentor, "minutes": 45, "topic_ids": [],
                "held_on": accepted_day + timedelta(days=int(rng.integers(0, since + 1))),
                "takeaways": "", "created_at": _at(today), "updated_at": _at(today),
            })  # fmt: skip
        for person in (mentee, mentor):
            if rng.random() < 0.5:
                checkins.append({
                    "pair_id": pair_id, "person_id": person, "phase": "start",
                    "feedback": "", "share_feedback": False,
                    "submitted_at": _at(accepted_day + timedelta(days=1)),
                })  # fmt: skip
        for milestone_id, due in milestones:
            if due < today and rng.random() < 0.5:
                ticks.append({"pair_id": pair_id, "milestone_id": milestone_id,
                              "completed_on": due, "completed_by_id": mentor})  # fmt: skip
    with engine.begin() as conn:
        for model, rows in (
            (Person, people), (Enrollment, enrollments), (Pair, pairs),
            (MentoringSession, sessions), (CheckIn, checkins), (PairEvent, events),
            (PairMilestone, ticks),
        ):  # fmt: skip
            if rows:
                conn.execute(insert(model.__table__), rows)
    engine.dispose()
    return {"participants": participants, "pairs": len(pairs), "sessions": len(sessions),
            "check-ins": len(checkins)}  # fmt: skip


class Sink:
    """An SMTP server that only counts what arrives, by recipient and subject."""

    def __init__(self) -> None:
        self.received: Counter = Counter()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, N802, ANN201
        with self.lock:
            for to in envelope.rcpt_tos:
                self.received[to] += 1
        return "250 OK"

    @property
    def total(self) -> int:
        with self.lock:
            return sum(self.received.values())


def remind(db_url: str, smtp_port: int, *args: str) -> tuple[float, str, float]:
    """(seconds, stdout, peak RSS in MB) of one `python -m core remind` process."""
    env = {**os.environ, "DATABASE_URL": db_url, "SMTP_HOST": "127.0.0.1",
           "SMTP_PORT": str(smtp_port), "SMTP_SECURITY": "none",
           "SMTP_FROM": "portal@bench.example.com"}  # fmt: skip
    env.pop("SMTP_USER", None)
    with tempfile.TemporaryFile("w+") as out:
        began = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "core", "remind", *args], cwd=ROOT,
                                env=env, stdout=out, stderr=subprocess.PIPE, text=True)  # fmt: skip
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - began
        proc.returncode = os.waitstatus_to_exitcode(status)
        err = proc.stderr.read() if proc.stderr else ""
        if proc.returncode != 0:
            raise SystemExit(f"remind {' '.join(args)} failed: {err.strip()}")
        out.seek(0)
        return seconds, out.read(), usage.ru_maxrss / 1024


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with tempfile.TemporaryDirectory(prefix="bench-reminders-") as folder:
            path = Path(folder) / "pilot.db"
            began = time.perf_counter()
            counts = build(path, args.participants, args.seed)
            print(", ".join(f"{v} {k}" for k, v in counts.items())
                  + f" (database built in {time.perf_counter() - began:.1f} s)")  # fmt: skip
            url = f"sqlite:///{path}"
            print(f"{'run':<8} {'seconds':>8} {'messages':>9} {'received':>9} {'RSS MB':>7}  kinds")
            for label, extra in (("dry run", ("--dry-run",)), ("send", ()), ("rerun", ())):
                before = sink.total
                seconds, out, rss = remind(url, port, *extra)
                lines = out.strip().splitlines()
                kinds = Counter(line.split()[0] for line in lines[:-1] if line.strip())
                print(
                    f"{label:<8} {seconds:>8.1f} {len(lines) - 1:>9} {sink.total - before:>9} "
                    f"{rss:>7.0f}  {dict(kinds.most_common()) or '-'}",
                    flush=True,
                )
                print(f"{'':<8} {lines[-1]}")
    finally:
        controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
