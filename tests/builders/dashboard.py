"""A small pilot where every dashboard number is known by hand.

People go through the real services (invite, join, goals, expertise, profile, orientation).
Pairs, sessions, milestones, check-ins and pulses are inserted as rows: their services belong to
other modules, and the dashboard only reads the rows.

Pilot 2026-01-05 .. 2026-06-26, looked at on AS_OF = 2026-07-15, privacy threshold 2.

mentees (senior leaders)                       mentors (junior volunteers)
key  department  stage      grade  goals        key  department  stage        grade  expertise
m1   Finance     Executive  12     GenAI 1,     t1   Finance     Early career  4      GenAI 3,
                                   Data 2                                             Data 2
m2   Finance     Executive  11     GenAI 2,     t2   Finance     Early career  3      GenAI 2,
                                   Cyber 1                                            LinkedIn 3
m3   Technology  Senior     11     LinkedIn 1   t3   Finance     Mid career    5      Cyber 2,
                                                                                      Data 1
m4   Legal       Executive  12     GenAI 3,     t4   Legal       Early career  4      GenAI 1
                                   RespAI 1
m5   HR          Senior     10     Data 3       t5   HR          Early career  3      (none)
m6   Finance     Senior     11     invited only t6   Technology  Early career  3      invited only

pairs   status     score  sessions (minutes)          end check-ins        notes
p1 m1-t1 active    0.92   5 (240)                     m1, t1               completed
p2 m2-t3 ended     0.75   4 (120), ended 2026-06-30   m2                   completed
p3 m3-t2 ended     0.58   2 (90), ended 2026-03-15    none                 dropped out
p4 m4-t4 active    0.41   4 (240)                     m4, t4               completed
p5 m5-t2 published 0.35   -                           -                    not accepted
p6 m5-t1 rejected  0.20   -                           -                    not a match
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

import pytest
from sqlmodel import Session, select

from core.auth import Actor
from core.db import make_engine
from core.models import (
    CandourPulse,
    CheckIn,
    CheckInRating,
    MentoringSession,
    Milestone,
    Pair,
    PairMilestone,
    PairStatus,
    Pilot,
    Role,
    TopicKind,
)
from core.people.participants import PersonInput, add_participant
from core.people.profiles import ProfileInput, complete_orientation, save_profile
from tests import builders

START, END, AS_OF = date(2026, 1, 5), date(2026, 6, 26), date(2026, 7, 15)

GENAI = "Generative AI basics"
DATA = "Data literacy"
CYBER = "Cybersecurity basics"
LINKEDIN = "LinkedIn presence"
RESP_AI = "Responsible AI"
STRATEGY = "Strategy and big picture"

# key: (name, role, department, career stage, grade, joins)
PEOPLE = {
    "m1": ("Margaret Okafor", Role.MENTEE, "Finance", "Executive", 12, True),
    "m2": ("Henrik Larsen", Role.MENTEE, "Finance", "Executive", 11, True),
    "m3": ("Priya Raman", Role.MENTEE, "Technology", "Senior", 11, True),
    "m4": ("Charles Dubois", Role.MENTEE, "Legal", "Executive", 12, True),
    "m5": ("Fatima Haddad", Role.MENTEE, "HR", "Senior", 10, True),
    "m6": ("George Whitfield", Role.MENTEE, "Finance", "Senior", 11, False),
    "t1": ("Zoë Łukasz-Nowak", Role.MENTOR, "Finance", "Early career", 4, True),
    "t2": ("Kai Jensen", Role.MENTOR, "Finance", "Early career", 3, True),
    "t3": ("Ana Souza", Role.MENTOR, "Finance", "Mid career", 5, True),
    "t4": ("Tom Becker", Role.MENTOR, "Legal", "Early career", 4, True),
    "t5": ("Lena Fischer", Role.MENTOR, "HR", "Early career", 3, True),
    "t6": ("Omar Said", Role.MENTOR, "Technology", "Early career", 3, False),
}
GOALS = {
    "m1": {GENAI: 1, DATA: 2},
    "m2": {GENAI: 2, CYBER: 1},
    "m3": {LINKEDIN: 1},
    "m4": {GENAI: 3, RESP_AI: 1},
    "m5": {DATA: 3},
}
EXPERTISE = {
    "t1": {GENAI: 3, DATA: 2},
    "t2": {GENAI: 2, LINKEDIN: 3},
    "t3": {CYBER: 2, DATA: 1},
    "t4": {GENAI: 1},
}
# Feedback the dashboard must never show; only M1's may appear in t1's recognition letter.
M1_FEEDBACK = "Patient, clear and always prepared"
M2_FEEDBACK = "Sessions felt rushed at times"
T1_FEEDBACK = "I finally understand how budgets are decided"


@dataclass
class DashboardPilot:
    """Ids only: one built pilot is shared by many tests, each on its own copy of the file."""

    admin: Actor
    pilot_id: int
    invite_code: str
    actors: dict[str, Actor] = field(default_factory=dict)
    enrollment_ids: dict[str, int] = field(default_factory=dict)
    pair_ids: dict[str, int] = field(default_factory=dict)
    topics: dict[str, int] = field(default_factory=dict)

    def names(self) -> list[str]:
        return [person[0] for person in PEOPLE.values()]


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _member(session: Session, world: DashboardPilot, key: str) -> None:
    name, role, department, stage, grade, joins = PEOPLE[key]
    email = f"{key}@example.com"
    enrollment = add_participant(
        world.admin,
        world.pilot_id,
        PersonInput(
            email=email,
            name=name,
            role=role,
            department=department,
            career_stage=stage,
            grade=grade,
            capacity=2 if role == Role.MENTOR else 1,
        ),
        session=session,
    )
    world.enrollment_ids[key] = enrollment.id
    if joins:
        world.actors[key] = builders.join_by_link(session, world.admin, enrollment.id)


def build_dashboard_pilot(
    session: Session, *, name: str = "Reverse mentoring 2026", privacy_threshold: int = 2
) -> DashboardPilot:
    admin = builders.staff(session)
    pilot = builders.pilot(
        session,
        admin,
        name=name,
        start_date=START,
        end_date=END,
        privacy_threshold=privacy_threshold,
        sponsor_name="Sam Sponsor",
        sponsor_signed_off=True,
        success_criteria=[
            {"metric": "pct_pairs_met_4_times", "target": 80},
            {"metric": "avg_confidence_gain", "target": 1.0},
            {"metric": "pct_would_recommend", "target": 80},
            {"metric": "avg_satisfaction", "target": 4.0},
            {"metric": "pct_mentees_matched", "target": 90},
        ],
    )
    world = DashboardPilot(admin=admin, pilot_id=pilot.id, invite_code=pilot.invite_code)
    for key in PEOPLE:
        _member(session, world, key)
    for key, goals in GOALS.items():
        builders.ready_mentee(session, world.actors[key], pilot, goals)
    for key, skills in EXPERTISE.items():
        builders.ready_mentor(session, world.actors[key], pilot, skills)
    save_profile(
        world.actors["t5"], pilot.id, ProfileInput(availability=["mon-am"], consent=True),
        session=session,
    )  # fmt: skip
    for key in ("m1", "m2", "m4"):
        complete_orientation(world.actors[key], pilot.id, session=session)
    for topic in (GENAI, DATA, CYBER, LINKEDIN, RESP_AI):
        world.topics[topic] = builders.topic_id(session, pilot, topic)
    world.topics[STRATEGY] = builders.topic_id(session, pilot, STRATEGY, TopicKind.OFFER)
    _pairs(session, world)
    _sessions_and_pulses(session, world)
    _milestones(session, world)
    _checkins(session, world)
    session.flush()
    return world


def _pairs(session: Session, world: DashboardPilot) -> None:
    published, accepted = at(date(2026, 1, 6)), at(date(2026, 1, 8))
    plan = {
        # key: (mentee, mentor, status, score, uncovered, published, accepted, ended)
        "p1": ("m1", "t1", PairStatus.ACTIVE, 0.92, [], True, True, None),
        "p2": ("m2", "t3", PairStatus.ENDED, 0.75, [], True, True, date(2026, 6, 30)),
        "p3": ("m3", "t2", PairStatus.ENDED, 0.58, [], True, True, date(2026, 3, 15)),
        "p4": ("m4", "t4", PairStatus.ACTIVE, 0.41, [RESP_AI], True, True, None),
        "p5": ("m5", "t2", PairStatus.PUBLISHED, 0.35, [DATA], True, False, None),
        "p6": ("m5", "t1", PairStatus.REJECTED, 0.20, [], False, False, None),
    }
    for key, (mentee, mentor, status, score, uncovered, pub, acc, ended) in plan.items():
        pair = Pair(
            pilot_id=world.pilot_id,
            mentee_enrollment_id=world.enrollment_ids[mentee],
            mentor_enrollment_id=world.enrollment_ids[mentor],
            status=status,
            score=score,
            uncovered=[world.topics[name] for name in uncovered],
            mentee_response="accepted" if acc else "pending",
            mentor_response="accepted" if acc else "pending",
            published_at=published if pub else None,
            accepted_at=accepted if acc else None,
            ended_at=at(ended) if ended else None,
        )
        session.add(pair)
        session.flush()
        world.pair_ids[key] = pair.id


SESSIONS = {
    # pair: [(held_on, minutes, topics)]
    "p1": [
        (date(2026, 1, 12), 60, [GENAI]),
        (date(2026, 1, 14), 30, [GENAI, DATA]),
        (date(2026, 1, 26), 45, [DATA]),
        (date(2026, 2, 9), 60, [GENAI]),
        (date(2026, 3, 2), 45, []),
    ],
    "p2": [
        (date(2026, 1, 13), 30, [CYBER]),
        (date(2026, 1, 27), 30, [CYBER]),
        (date(2026, 2, 10), 30, [GENAI]),
        (date(2026, 2, 24), 30, []),
    ],
    "p3": [(date(2026, 1, 15), 45, [LINKEDIN]), (date(2026, 2, 12), 45, [LINKEDIN])],
    "p4": [
        (date(2026, 1, 20), 60, [RESP_AI]),
        (date(2026, 2, 3), 60, [GENAI]),
        (date(2026, 2, 17), 60, []),
        (date(2026, 3, 16), 60, []),
    ],
}
# After p1's sessions: m1 answered three times, t1 once; 2 of 4 answers are candid (4 or 5).
PULSES = {("m1", 0): 5, ("m1", 1): 4, ("m1", 2): 2, ("t1", 0): 3}


def _sessions_and_pulses(session: Session, world: DashboardPilot) -> None:
    mentor_of = {"p1": "t1", "p2": "t3", "p3": "t2", "p4": "t4"}
    for key, held in SESSIONS.items():
        for number, (day, minutes, topics) in enumerate(held):
            row = MentoringSession(
                pair_id=world.pair_ids[key],
                author_id=world.actors[mentor_of[key]].person_id,
                held_on=day,
                minutes=minutes,
                topic_ids=[world.topics[t] for t in topics],
                takeaways="Private takeaway text that must never be exported",
            )
            session.add(row)
            session.flush()
            for (who, pulse_number), score in PULSES.items():
                if key == "p1" and number == pulse_number:
                    session.add(
                        CandourPulse(
                            session_id=row.id, person_id=world.actors[who].person_id, score=score
                        )
                    )


# Milestone key -> completions (pair, day). Due: orientation 01-19, first_meeting 02-02,
# goals_agreed 02-09, midpoint 04-01, final_reflection 06-12.
COMPLETIONS = {
    "orientation": [
        ("p1", date(2026, 1, 15)),
        ("p2", date(2026, 1, 19)),
        ("p4", date(2026, 1, 30)),
    ],
    "first_meeting": [("p1", date(2026, 1, 20)), ("p2", date(2026, 2, 10))],
    "goals_agreed": [("p1", date(2026, 2, 5))],
    "midpoint": [("p1", date(2026, 4, 1))],
}


def _milestones(session: Session, world: DashboardPilot) -> None:
    ids = {
        m.key: m.id
        for m in session.exec(select(Milestone).where(Milestone.pilot_id == world.pilot_id)).all()
    }
    for key, done in COMPLETIONS.items():
        for pair, day in done:
            session.add(
                PairMilestone(
                    pair_id=world.pair_ids[pair],
                    milestone_id=ids[key],
                    completed_on=day,
                    completed_by_id=world.admin.person_id,
                )
            )


def _checkins(session: Session, world: DashboardPilot) -> None:
    t = world.topics
    start, end = at(date(2026, 1, 8)), at(date(2026, 6, 20))
    plan = [
        # (pair, person, phase, ratings, satisfaction, recommend, again, feedback, share)
        ("p1", "m1", "start", {GENAI: 2, DATA: 3}, None, None, None, "", False),
        ("p1", "m1", "end", {GENAI: 4, DATA: 4}, 5, True, True, M1_FEEDBACK, True),
        ("p1", "t1", "start", {STRATEGY: 2}, None, None, None, "", False),
        ("p1", "t1", "end", {STRATEGY: 4}, 4, True, True, T1_FEEDBACK, False),
        ("p2", "m2", "start", {GENAI: 1, CYBER: 2}, None, None, None, "", False),
        ("p2", "m2", "end", {GENAI: 3, CYBER: 2}, 4, True, False, M2_FEEDBACK, False),
        ("p2", "t3", "start", {STRATEGY: 3}, None, None, None, "", False),
        ("p3", "m3", "start", {LINKEDIN: 1}, None, None, None, "", False),
        ("p4", "m4", "start", {GENAI: 3, RESP_AI: 1}, None, None, None, "", False),
        ("p4", "m4", "end", {GENAI: 4, RESP_AI: 2}, 3, False, True, "", False),
        ("p4", "t4", "start", {STRATEGY: 1}, None, None, None, "", False),
        ("p4", "t4", "end", {STRATEGY: 3}, 4, True, None, "", False),
    ]
    for pair, who, phase, ratings, sat, recommend, again, feedback, share in plan:
        checkin = CheckIn(
            pair_id=world.pair_ids[pair],
            person_id=world.actors[who].person_id,
            phase=phase,
            satisfaction=sat,
            would_recommend=recommend,
            take_part_again=again,
            feedback=feedback,
            share_feedback=share,
            submitted_at=start if phase == "start" else end,
        )
        session.add(checkin)
        session.flush()
        for name, value in ratings.items():
            session.add(CheckInRating(checkin_id=checkin.id, topic_id=t[name], rating=value))


# --- one built pilot per test module, copied for every test ---------------------------------------


@dataclass(frozen=True)
class Template:
    path: Path
    world: DashboardPilot


@cache
def build_template(folder: Path, migrated: Path) -> Template:
    """Build the pilot once per test run into a file; tests get a copy each (`open_copy`), so no
    test sees another's writes and the slow part (password hashing on join) runs once."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "dashboard.db"
    shutil.copyfile(migrated, path)
    engine = make_engine(f"sqlite:///{path}")
    with Session(engine, expire_on_commit=False) as session:
        world = build_dashboard_pilot(session)
        session.commit()
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return Template(path, world)


@contextmanager
def open_copy(template: Template, folder: Path) -> Iterator[tuple[Session, DashboardPilot, str]]:
    """A session on a private copy of the template, the built world and the copy's URL."""
    path = folder / "portal.db"
    shutil.copyfile(template.path, path)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            yield session, template.world, url
    finally:
        engine.dispose()


def set_privacy_threshold(session: Session, pilot_id: int, threshold: int) -> None:
    pilot = session.get(Pilot, pilot_id)
    assert pilot is not None
    pilot.privacy_threshold = threshold
    session.add(pilot)
    session.flush()


# Fixtures for the dashboard tests; a test module brings them in with
#     from tests.builders.dashboard import dashboard_template, world  # noqa: F401


@pytest.fixture(scope="session")
def dashboard_template(
    tmp_path_factory: pytest.TempPathFactory, migrated_template: Path
) -> Template:
    """The hand-built pilot, built once per run; every test opens its own copy."""
    return build_template(tmp_path_factory.getbasetemp() / "dashboard", migrated_template)


@pytest.fixture
def world(
    dashboard_template: Template, tmp_path: Path
) -> Iterator[tuple[Session, DashboardPilot, str]]:
    with open_copy(dashboard_template, tmp_path) as opened:
        yield opened


def file_bytes(url: str) -> bytes:
    """The database file and its write-ahead log as bytes. Read only while this process holds
    no connection to the file: closing any descriptor of it would drop SQLite's POSIX locks on
    it, and that connection would then read stale pages."""
    path = Path(url.split("///", 1)[1])
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def figures(session: Session, world: DashboardPilot) -> tuple:
    """Every figure the dashboard derives (tiles, the main datasets and the row counts), to
    compare before and after an erasure."""
    from core.dashboard.datasets import compute_dashboard
    from core.dashboard.frames import load_frames
    from core.dashboard.kpis import all_kpis

    frames = load_frames(world.admin, world.pilot_id, session=session, as_of=AS_OF)
    data = compute_dashboard(frames)
    tiles = tuple((t.key, t.value, t.detail) for t in all_kpis(frames))
    return (
        tiles, data.satisfaction.to_json(), data.confidence.to_json(), data.funnel.to_json(),
        len(frames.sessions), len(frames.checkins), len(frames.ratings), len(frames.pulses),
    )  # fmt: skip
