"""A closed pilot holding one of every free text a person can type, each one known by hand.

People join through the real services (invitation link, goal, expertise, profile); the pair, its
session, notes, pulses, check-ins, concern, pair event and planned session are inserted as
rows, as in tests.builders.dashboard: their services refuse writes to a closed pilot.

Per pilot `key`: mentee `{key}-mentee@example.com`, mentor `{key}-mentor@example.com`; one
active pair and one pair the mentor declined; one session (45 minutes) with takeaways, a private
note by each member and a pulse by each; an end check-in by each with feedback and a rating;
one concern; one pair event with an admin's note; one planned session with a typed title.

`closed_world` gives each test its own copy of a file holding two such pilots, "old" (closed
91 days ago) and "recent" (closed 89 days ago), built once per run.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
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
    Concern,
    Enrollment,
    Expertise,
    LearningGoal,
    MentoringSession,
    Pair,
    PairEvent,
    PairStatus,
    Pilot,
    PilotStatus,
    PlannedSession,
    Role,
    SessionNote,
)
from tests import builders

GOAL, SKILL = "Generative AI basics", "Generative AI basics"


def texts(key: str) -> dict[str, str]:
    """Every free text of pilot `key`, by what it is; each one occurs nowhere else."""
    return {
        "mentee note": f"{key}: my private note, I struggle with prompts",
        "mentor note": f"{key}: private, she seemed stressed",
        "takeaways": f"{key}: we tried three prompt patterns",
        "mentee feedback": f"{key}: patient and clear mentor",
        "mentor feedback": f"{key}: I learned how budgets are decided",
        "concern": f"{key}: my mentee keeps cancelling",
        "objective": f"{key}: write a prompt library for my team",
        "expertise note": f"{key}: I run the AI guild",
        "learn-back note": f"{key}: I want to learn how boards decide",
        "decline reason": f"{key}: we work in the same team",
        "pair note": f"{key}: paused for parental leave",
        "planned title": f"{key}: prompts, part two",
    }


# What retention removes of one such pilot, by FreeText label (counted by hand from the above).
REMOVED = {
    "private notes": 2,
    "session takeaways": 1,
    "check-in feedback": 2,
    "concerns": 1,
    "goal objectives": 1,
    "expertise notes": 1,
    "learn-back notes": 1,
    "decline reasons": 1,
    "pair notes": 1,
    "planned session titles": 1,
}


@dataclass(frozen=True)
class ClosedPilot:
    pilot_id: int
    mentee: Actor
    mentor: Actor
    pair_id: int
    texts: dict[str, str]


def closed_pilot(session: Session, admin: Actor, key: str, closed_days_ago: int) -> ClosedPilot:
    """A pilot with retention_days 90 that closed `closed_days_ago` days ago."""
    start = date.today() - timedelta(days=closed_days_ago + 200)
    pilot = builders.pilot(session, admin, name=f"Pilot {key}", start_date=start)
    t = texts(key)
    mentee, mentee_e = builders.participant(
        session, admin, pilot, f"{key}-mentee@example.com", Role.MENTEE, grade=12,
        name=f"{key.title()} Mentee",
    )  # fmt: skip
    mentor, mentor_e = builders.participant(
        session, admin, pilot, f"{key}-mentor@example.com", Role.MENTOR, grade=3,
        name=f"{key.title()} Mentor",
    )  # fmt: skip
    builders.ready_mentee(session, mentee, pilot, {GOAL: 1})
    builders.ready_mentor(session, mentor, pilot, {SKILL: 3})
    goal_topic = builders.topic_id(session, pilot, GOAL)
    goal = session.exec(select(LearningGoal).where(LearningGoal.enrollment_id == mentee_e.id)).one()
    goal.objective = t["objective"]
    skill = session.exec(select(Expertise).where(Expertise.enrollment_id == mentor_e.id)).one()
    skill.note = t["expertise note"]
    enrollment = session.get(Enrollment, mentor_e.id)
    enrollment.learn_back_note = t["learn-back note"]
    session.add_all([goal, skill, enrollment])

    moment = datetime.now(UTC) - timedelta(days=closed_days_ago + 100)
    pair = Pair(
        pilot_id=pilot.id, mentee_enrollment_id=mentee_e.id, mentor_enrollment_id=mentor_e.id,
        status=PairStatus.ACTIVE, score=0.8, mentee_response="accepted",
        mentor_response="accepted", published_at=moment, accepted_at=moment,
    )  # fmt: skip
    declined = Pair(
        pilot_id=pilot.id, mentee_enrollment_id=mentee_e.id, mentor_enrollment_id=mentor_e.id,
        status=PairStatus.DECLINED, score=0.5, decline_reason=t["decline reason"],
        declined_by_id=mentor.person_id,
    )  # fmt: skip
    session.add_all([pair, declined])
    session.flush()
    held = MentoringSession(
        pair_id=pair.id, author_id=mentor.person_id, held_on=moment.date(), minutes=45,
        topic_ids=[goal_topic], takeaways=t["takeaways"],
    )  # fmt: skip
    session.add(held)
    session.flush()
    session.add_all(
        [
            SessionNote(session_id=held.id, author_id=mentee.person_id, text=t["mentee note"]),
            SessionNote(session_id=held.id, author_id=mentor.person_id, text=t["mentor note"]),
            CandourPulse(session_id=held.id, person_id=mentee.person_id, score=5),
            CandourPulse(session_id=held.id, person_id=mentor.person_id, score=4),
            Concern(pilot_id=pilot.id, pair_id=pair.id, raised_by_id=mentor.person_id,
                    text=t["concern"]),
            PairEvent(pair_id=pair.id, person_id=admin.person_id, kind="paused",
                      note=t["pair note"]),
            PlannedSession(pair_id=pair.id, starts_at=moment + timedelta(days=7),
                           title=t["planned title"], planned_by_id=mentee.person_id),
        ]
    )  # fmt: skip
    for who, satisfaction, feedback in (
        (mentee, 5, t["mentee feedback"]),
        (mentor, 4, t["mentor feedback"]),
    ):
        checkin = CheckIn(
            pair_id=pair.id, person_id=who.person_id, phase="end", satisfaction=satisfaction,
            would_recommend=True, feedback=feedback, share_feedback=who is mentee,
        )  # fmt: skip
        session.add(checkin)
        session.flush()
        session.add(CheckInRating(checkin_id=checkin.id, topic_id=goal_topic, rating=4))
    row = session.get(Pilot, pilot.id)
    row.status = PilotStatus.CLOSED
    row.closed_at = datetime.now(UTC) - timedelta(days=closed_days_ago)
    session.add(row)
    session.flush()
    return ClosedPilot(pilot.id, mentee, mentor, pair.id, t)


def stored_texts(session: Session, pilot_id: int) -> dict[str, str]:
    """What is stored now in each place a free text of the pilot lives, by the `texts` key."""
    pairs = select(Pair.id).where(Pair.pilot_id == pilot_id)
    pair = session.exec(
        select(Pair).where(Pair.pilot_id == pilot_id, Pair.status == PairStatus.ACTIVE)
    ).one()
    declined = session.exec(
        select(Pair).where(Pair.pilot_id == pilot_id, Pair.status == PairStatus.DECLINED)
    ).one()
    held = session.exec(select(MentoringSession).where(MentoringSession.pair_id == pair.id)).one()
    notes = {
        n.author_id: n.text
        for n in session.exec(select(SessionNote).where(SessionNote.session_id == held.id)).all()
    }
    checkins = {
        c.person_id: c
        for c in session.exec(select(CheckIn).where(CheckIn.pair_id.in_(pairs))).all()  # type: ignore[attr-defined]
    }
    mentee_e = session.get(Enrollment, pair.mentee_enrollment_id)
    mentor_e = session.get(Enrollment, pair.mentor_enrollment_id)
    return {
        "mentee note": notes.get(mentee_e.person_id, ""),
        "mentor note": notes.get(mentor_e.person_id, ""),
        "takeaways": held.takeaways,
        "mentee feedback": checkins[mentee_e.person_id].feedback,
        "mentor feedback": checkins[mentor_e.person_id].feedback,
        "concern": session.exec(select(Concern.text).where(Concern.pair_id == pair.id)).one(),
        "objective": session.exec(
            select(LearningGoal.objective).where(LearningGoal.enrollment_id == mentee_e.id)
        ).one(),
        "expertise note": session.exec(
            select(Expertise.note).where(Expertise.enrollment_id == mentor_e.id)
        ).one(),
        "learn-back note": mentor_e.learn_back_note,
        "decline reason": declined.decline_reason,
        "pair note": session.exec(select(PairEvent.note).where(PairEvent.pair_id == pair.id)).one(),
        "planned title": session.exec(
            select(PlannedSession.title).where(PlannedSession.pair_id == pair.id)
        ).one(),
    }


def numbers(session: Session, pilot_id: int) -> tuple:
    """The rows and figures retention must leave as they are."""
    pairs = select(Pair.id).where(Pair.pilot_id == pilot_id)
    sessions = session.exec(
        select(MentoringSession.minutes).where(MentoringSession.pair_id.in_(pairs))  # type: ignore[attr-defined]
    ).all()
    session_ids = select(MentoringSession.id).where(MentoringSession.pair_id.in_(pairs))  # type: ignore[attr-defined]
    pulses = session.exec(
        select(CandourPulse.score).where(CandourPulse.session_id.in_(session_ids))  # type: ignore[attr-defined]
    ).all()
    checkins = session.exec(
        select(CheckIn.satisfaction, CheckIn.would_recommend).where(CheckIn.pair_id.in_(pairs))  # type: ignore[attr-defined]
    ).all()
    ratings = session.exec(
        select(CheckInRating.rating)
        .join(CheckIn, CheckIn.id == CheckInRating.checkin_id)
        .where(CheckIn.pair_id.in_(pairs))  # type: ignore[attr-defined]
    ).all()
    concerns = session.exec(select(Concern.id).where(Concern.pilot_id == pilot_id)).all()
    return (
        sorted(sessions),
        sorted(pulses),
        sorted(checkins, key=str),
        sorted(ratings),
        len(concerns),
    )


# --- two closed pilots, built once per run and copied for every test ------------------------------


@dataclass(frozen=True)
class TwoPilots:
    admin: Actor
    old: ClosedPilot  # closed 91 days ago: due
    recent: ClosedPilot  # closed 89 days ago: kept


@dataclass(frozen=True)
class Opened:
    url: str
    engine: object  # an Engine
    session: Session
    world: TwoPilots

    @property
    def path(self) -> Path:
        return Path(self.url.split("///", 1)[1])


@cache
def build_template(folder: Path, migrated: Path) -> tuple[Path, TwoPilots]:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "closed.db"
    shutil.copyfile(migrated, path)
    engine = make_engine(f"sqlite:///{path}")
    with Session(engine, expire_on_commit=False) as session:
        admin = builders.staff(session)
        world = TwoPilots(
            admin,
            closed_pilot(session, admin, "old", closed_days_ago=91),
            closed_pilot(session, admin, "recent", closed_days_ago=89),
        )
        session.commit()
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path, world


@pytest.fixture(scope="session")
def closed_template(tmp_path_factory: pytest.TempPathFactory, migrated_template: Path):
    return build_template(tmp_path_factory.getbasetemp() / "closed", migrated_template)


@pytest.fixture
def closed_world(closed_template, tmp_path: Path) -> Iterator[Opened]:
    template, world = closed_template
    path = tmp_path / "portal.db"
    shutil.copyfile(template, path)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            yield Opened(url, engine, session, world)
    finally:
        engine.dispose()
