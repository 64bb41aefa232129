"""Benchmark of the pilot dashboard on synthetic pilots of 200, 2 000 and 20 000 participants.

For each size a pilot is written into a fresh SQLite file with bulk inserts (half mentees, half
mentors, goals, expertise, pairs in every status, sessions, milestones, check-ins, pulses). A
fresh subprocess then measures, three times over, the three steps a dashboard page takes:

    load      load_frames: the bulk queries into DataFrames
    datasets  every dataset (compute_dashboard) and every KPI (all_kpis)
    charts    every chart spec, built and serialised (to_dict)

and reports the median of each, then peak memory: the process's peak RSS (imports included), its
growth over the peak right after the imports, and the peak of Python allocations (tracemalloc)
during one more full run.

    python bench/dashboard.py [--sizes 200,2000,20000] [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.people.availability import SLOTS  # noqa: E402  (after the path set-up above)

DEFAULT_SIZES = "200,2000,20000"
TARGETS = {2000: 1.0, 20000: 5.0}  # seconds, load + datasets + charts
DEPARTMENTS = [
    "Finance",
    "Engineering",
    "Sales",
    "Marketing",
    "HR",
    "Legal",
    "Operations",
    "Product",
    "Data",
    "Support",
    "Procurement",
    "Strategy",
]
START = date(2026, 1, 5)
END = date(2026, 6, 26)
AS_OF = date(2026, 7, 15)


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=UTC)


def build(path: Path, participants: int, seed: int) -> tuple[int, int]:
    """A migrated SQLite file holding one synthetic pilot; returns (pilot id, admin person id)."""
    from sqlalchemy import insert
    from sqlmodel import Session, select

    from core.auth import create_admin
    from core.db import make_engine, migrate
    from core.models import (
        CandourPulse,
        CheckIn,
        CheckInRating,
        Enrollment,
        Expertise,
        LearningGoal,
        MentoringSession,
        Milestone,
        Pair,
        PairMilestone,
        Person,
        PilotStatus,
        Topic,
        TopicKind,
    )
    from core.pilots.settings import PilotInput, create_pilot

    rng = np.random.default_rng(seed)
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    with Session(engine) as session:
        admin = create_admin(
            "bench@example.com", "Bench Admin", "benchmark-password", session=session
        )
        pilot = create_pilot(
            admin,
            PilotInput(name="Bench pilot", start_date=START, end_date=END, privacy_threshold=5),
            session=session,
        )
        pilot.status = PilotStatus.RUNNING
        session.add(pilot)
        session.flush()
        pilot_id = pilot.id
        learn = session.exec(
            select(Topic.id).where(Topic.pilot_id == pilot_id, Topic.kind == TopicKind.LEARN)
        ).all()
        offer = session.exec(
            select(Topic.id).where(Topic.pilot_id == pilot_id, Topic.kind == TopicKind.OFFER)
        ).all()
        milestones = session.exec(
            select(Milestone.id, Milestone.due_date).where(
                Milestone.pilot_id == pilot_id, Milestone.scope == "pair"
            )
        ).all()
        session.commit()

    mentees = participants // 2
    first_person = 1000
    people, enrollments, goals, skills = [], [], [], []
    popularity = 1.0 / (np.arange(len(learn)) + 2.0)
    popularity /= popularity.sum()
    for i in range(participants):
        is_mentee = i < mentees
        person_id = first_person + i
        people.append(
            {
                "id": person_id,
                "email": f"p{i}@bench.example.com",
                "name": f"Person {i}",
                "department": DEPARTMENTS[int(rng.integers(len(DEPARTMENTS)))],
                "career_stage": (
                    ("Senior", "Executive")[int(rng.random() < 0.3)]
                    if is_mentee
                    else ("Early career", "Mid career")[int(rng.random() < 0.25)]
                ),
                "grade": int(rng.integers(9, 15) if is_mentee else rng.integers(2, 7)),
                "time_zone": "UTC",
                "is_staff": False,
                "created_at": _at(START),
            }
        )
        joined = rng.random() < 0.95
        enrollments.append(
            {
                "id": person_id,
                "pilot_id": pilot_id,
                "person_id": person_id,
                "role": "mentee" if is_mentee else "mentor",
                "status": "withdrawn" if rng.random() < 0.03 else "active" if joined else "invited",
                "capacity": 1 if is_mentee else int(rng.integers(1, 3)),
                "availability": [SLOTS[k] for k in rng.choice(15, 4, replace=False)]
                if joined and rng.random() < 0.9
                else [],
                "offers": [],
                "wants": [int(offer[k]) for k in rng.choice(len(offer), 2, replace=False)]
                if not is_mentee
                else [],
                "learn_back_note": "",
                "opted_out": False,
                "consent": joined and rng.random() < 0.92,
                "orientation_completed_at": _at(START)
                if is_mentee and rng.random() < 0.6
                else None,
                "invited_at": _at(START - timedelta(days=30)),
                "joined_at": _at(START - timedelta(days=20)) if joined else None,
                "withdrawn_at": None,
            }
        )
        if not joined:
            continue
        count = int(rng.integers(1, 5 if is_mentee else 6))
        chosen = rng.choice(len(learn), count, replace=False, p=popularity if is_mentee else None)
        for k in chosen:
            if is_mentee:
                goals.append(
                    {
                        "enrollment_id": person_id,
                        "topic_id": int(learn[k]),
                        "priority": int(rng.integers(1, 4)),
                        "objective": "Use this topic in my weekly work",
                        "preferred_format": "",
                        "created_at": _at(START),
                        "updated_at": _at(START),
                    }
                )
            else:
                skills.append(
                    {
                        "enrollment_id": person_id,
                        "topic_id": int(learn[k]),
                        "level": int(rng.integers(1, 4)),
                        "note": "",
                    }
                )

    statuses = ["active", "ended", "paused", "published", "approved", "suggested", "declined"]
    status_p = [0.6, 0.15, 0.05, 0.08, 0.05, 0.04, 0.03]
    pairs, sessions, pair_milestones, checkins, pulses = [], [], [], [], []
    ratings: list[dict] = []
    days = (END - START).days
    goal_topics: dict[int, list[int]] = {}
    for goal in goals:
        goal_topics.setdefault(goal["enrollment_id"], []).append(goal["topic_id"])
    session_id = 0
    for i in range(mentees):
        if rng.random() > 0.85:
            continue
        mentee = first_person + i
        mentor = first_person + mentees + int(rng.integers(participants - mentees))
        status = statuses[int(rng.choice(len(statuses), p=status_p))]
        accepted = status in ("active", "ended", "paused")
        pair_id = len(pairs) + 1
        pairs.append(
            {
                "id": pair_id,
                "pilot_id": pilot_id,
                "mentee_enrollment_id": mentee,
                "mentor_enrollment_id": mentor,
                "score": float(np.round(rng.uniform(20, 100), 2)),
                "reasons": [],
                "uncovered": [int(learn[0])] if rng.random() < 0.2 else [],
                "alternatives": [],
                "status": status,
                "locked": False,
                "mentee_response": "accepted" if accepted else "pending",
                "mentor_response": "accepted" if accepted else "pending",
                "decline_reason": "",
                "created_at": _at(START),
                "published_at": _at(START) if status not in ("approved", "suggested") else None,
                "accepted_at": _at(START + timedelta(days=2)) if accepted else None,
                "ended_at": _at(START + timedelta(days=int(rng.integers(30, days + 10))))
                if status == "ended"
                else None,
            }
        )
        if not accepted:
            continue
        topics = goal_topics.get(mentee, [int(learn[0])])
        for _ in range(int(rng.poisson(5))):
            session_id += 1
            sessions.append(
                {
                    "id": session_id,
                    "pair_id": pair_id,
                    "author_id": mentor,
                    "held_on": START + timedelta(days=int(rng.integers(0, days))),
                    "minutes": int(rng.choice([30, 45, 60, 90])),
                    "topic_ids": [int(rng.choice(topics))],
                    "takeaways": "",
                    "created_at": _at(START),
                    "updated_at": _at(START),
                }
            )
            if rng.random() < 0.5:
                pulses.append(
                    {
                        "session_id": session_id,
                        "person_id": mentee,
                        "score": int(rng.integers(1, 6)),
                    }
                )
        for milestone_id, due in milestones:
            if rng.random() < 0.6:
                pair_milestones.append(
                    {
                        "pair_id": pair_id,
                        "milestone_id": milestone_id,
                        "completed_on": due + timedelta(days=int(rng.integers(-10, 20))),
                        "completed_by_id": mentor,
                    }
                )
        wants = enrollments[mentor - first_person]["wants"]
        for phase, share in (("start", 0.9), ("end", 0.6)):
            for person, rated in ((mentee, topics), (mentor, wants)):
                if rng.random() > share:
                    continue
                end = phase == "end"
                checkin_id = len(checkins) + 1
                ratings.extend(
                    {"checkin_id": checkin_id, "topic_id": t, "rating": int(rng.integers(1, 6))}
                    for t in dict.fromkeys(rated)
                )
                checkins.append(
                    {
                        "id": checkin_id,
                        "pair_id": pair_id,
                        "person_id": person,
                        "phase": phase,
                        "satisfaction": int(rng.integers(2, 6)) if end else None,
                        "would_recommend": bool(rng.random() < 0.8) if end else None,
                        "take_part_again": bool(rng.random() < 0.7) if end else None,
                        "feedback": "Synthetic feedback" if end else "",
                        "share_feedback": False,
                        "submitted_at": _at(END if end else START + timedelta(days=3)),
                    }
                )
    with engine.begin() as conn:
        for model, rows in (
            (Person, people),
            (Enrollment, enrollments),
            (LearningGoal, goals),
            (Expertise, skills),
            (Pair, pairs),
            (MentoringSession, sessions),
            (PairMilestone, pair_milestones),
            (CheckIn, checkins),
            (CheckInRating, ratings),
            (CandourPulse, pulses),
        ):
            if rows:
                conn.execute(insert(model.__table__), rows)
    engine.dispose()
    return pilot_id, admin.person_id


def _peak_rss_mb() -> float:
    """This process's peak resident memory. ru_maxrss would carry the parent's peak across
    exec (the parent holds the whole synthetic pilot while building it); VmHWM does not."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(path: Path, pilot_id: int, admin_id: int, runs: int = 3) -> dict:
    """Runs in its own process: timings of the three steps and the peak memory."""
    from sqlmodel import Session

    from core.auth import Actor
    from core.dashboard.charts import dashboard_charts
    from core.dashboard.datasets import compute_dashboard
    from core.dashboard.frames import load_frames
    from core.dashboard.kpis import all_kpis
    from core.db import make_engine

    engine = make_engine(f"sqlite:///{path}")
    actor = Actor(admin_id, "bench@example.com", "Bench Admin", True)
    baseline = _peak_rss_mb()

    def once() -> tuple[float, float, float, dict]:
        t0 = time.perf_counter()
        with Session(engine) as session:
            frames = load_frames(actor, pilot_id, session=session, as_of=AS_OF)
        t1 = time.perf_counter()
        data = compute_dashboard(frames)
        all_kpis(frames)
        t2 = time.perf_counter()
        for chart in dashboard_charts(data).values():
            chart.to_dict()
        t3 = time.perf_counter()
        counts = {
            "pairs": len(frames.pairs),
            "sessions": len(frames.sessions),
            "checkins": len(frames.checkins),
        }
        return t1 - t0, t2 - t1, t3 - t2, counts

    timings = [once() for _ in range(runs)]
    tracemalloc.start()
    once()
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    load, datasets, charts = (statistics.median(t[i] for t in timings) for i in range(3))
    return {
        "load": load,
        "datasets": datasets,
        "charts": charts,
        "total": load + datasets + charts,
        "rss_peak_mb": _peak_rss_mb(),
        "rss_growth_mb": _peak_rss_mb() - baseline,
        "traced_peak_mb": traced_peak / 2**20,
        **timings[0][3],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        path, pilot_id, admin_id = args.child
        print(json.dumps(measure(Path(path), int(pilot_id), int(admin_id))))
        return 0
    header = (
        f"{'participants':>12} {'pairs':>6} {'sessions':>8} {'check-ins':>9} {'load s':>7} "
        f"{'datasets s':>10} {'charts s':>8} {'total s':>7} {'target':>7} {'RSS MB':>7} "
        f"{'+RSS MB':>7} {'traced MB':>9}"
    )
    print(header)
    with tempfile.TemporaryDirectory(prefix="bench-dashboard-") as folder:
        for size in (int(s) for s in args.sizes.split(",")):
            path = Path(folder) / f"pilot-{size}.db"
            built = time.perf_counter()
            pilot_id, admin_id = build(path, size, args.seed)
            built = time.perf_counter() - built
            child = subprocess.run(
                [sys.executable, __file__, "--child", str(path), str(pilot_id), str(admin_id)],
                check=True,
                capture_output=True,
                text=True,
            )
            r = json.loads(child.stdout.strip().splitlines()[-1])
            target = TARGETS.get(size)
            verdict = "-" if target is None else ("ok" if r["total"] < target else "SLOW")
            print(
                f"{size:>12} {r['pairs']:>6} {r['sessions']:>8} {r['checkins']:>9} "
                f"{r['load']:>7.3f} {r['datasets']:>10.3f} {r['charts']:>8.3f} "
                f"{r['total']:>7.3f} {verdict:>7} {r['rss_peak_mb']:>7.0f} "
                f"{r['rss_growth_mb']:>7.0f} {r['traced_peak_mb']:>9.1f}"
                f"   (database built in {built:.1f} s)",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
