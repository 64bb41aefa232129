"""A running pilot with pairs, for the tracking tests.

People go through the real services (tests/builders.py). Pairs are inserted as rows: creating them
is the matching feature's job, and here it is only set-up. Signing people up hashes passwords
(about 0.1 s each), so the world is built once per test run into a database file that every test
copies, the same way conftest copies the migrated schema.

Test modules use it with
    from tests.builders.tracking import tracking_db_url, tracking_template, tracking_world  # noqa: F401
which overrides conftest's `db_url` (so `engine` and `session` open a copy of the world) and adds
a `world` fixture.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from core.auth import Actor, actor_for
from core.db import make_engine, unit_of_work
from core.models import (
    Enrollment,
    Pair,
    PairStatus,
    Person,
    Pilot,
    PilotStatus,
    Role,
    Topic,
)
from tests import builders

START_DAYS_AGO = 10  # the pilot started 10 days ago and runs for 180 days
ACCEPTED_DAYS_AGO = 5  # every pair of the world was accepted 5 days ago

EMAILS = {
    "admin": "admin@example.com",
    "mentee_a": "mia@example.com",
    "mentor_a": "max@example.com",
    "mentee_b": "nora@example.com",
    "mentor_b": "ned@example.com",
    "mentee_c": "cleo@example.com",
    "lone_mentee": "lou@example.com",
    "outsider_admin": "olga@example.com",
}


def days_ago(days: int) -> datetime:
    """Noon UTC `days` before today: a stable timestamp for crafted dates."""
    return datetime.combine(date.today() - timedelta(days=days), time(12), tzinfo=UTC)


def make_pair(
    session: Session,
    pilot_id: int,
    mentee_enrollment_id: int,
    mentor_enrollment_id: int,
    *,
    status: str = PairStatus.ACTIVE,
    accepted_days_ago: int | None = ACCEPTED_DAYS_AGO,
) -> Pair:
    """A pair as the matching feature leaves it: accepted `accepted_days_ago` days ago when it is
    active, paused or ended, otherwise created just now."""
    accepted = accepted_days_ago is not None and status in (
        PairStatus.ACTIVE,
        PairStatus.PAUSED,
        PairStatus.ENDED,
    )
    base = accepted_days_ago if accepted_days_ago is not None else ACCEPTED_DAYS_AGO
    pair = Pair(
        pilot_id=pilot_id,
        mentee_enrollment_id=mentee_enrollment_id,
        mentor_enrollment_id=mentor_enrollment_id,
        status=status,
        score=0.8,
        reasons=["Shares 2 of the mentee's goals"],
        mentee_response="accepted" if accepted else "pending",
        mentor_response="accepted" if accepted else "pending",
        accepted_at=days_ago(base) if accepted else None,
    )
    if accepted:
        pair.created_at, pair.published_at = days_ago(base + 3), days_ago(base + 2)
    elif status not in (PairStatus.SUGGESTED, PairStatus.APPROVED):
        pair.published_at = pair.created_at  # published (and perhaps declined) just now
    session.add(pair)
    session.flush()
    return pair


def _build(session: Session) -> None:
    admin = builders.staff(session)
    pilot = builders.pilot(session, admin, start_date=date.today() - timedelta(days=START_DAYS_AGO))

    def person(key: str, role: str, capacity: int = 1) -> tuple[Actor, Enrollment]:
        return builders.participant(
            session, admin, pilot, EMAILS[key], role, capacity=capacity,
            name=key.replace("_", " ").title(),
        )  # fmt: skip

    mentee_a, mentee_a_e = person("mentee_a", Role.MENTEE)
    builders.ready_mentee(
        session, mentee_a, pilot, {"Generative AI basics": 1, "Cybersecurity basics": 2}
    )
    mentor_a, mentor_a_e = person("mentor_a", Role.MENTOR)
    builders.ready_mentor(session, mentor_a, pilot, {"Generative AI basics": 3})
    mentee_b, mentee_b_e = person("mentee_b", Role.MENTEE)
    builders.ready_mentee(session, mentee_b, pilot, {"Data literacy": 1})
    mentor_b, mentor_b_e = person("mentor_b", Role.MENTOR, capacity=2)
    builders.ready_mentor(session, mentor_b, pilot, {"Data literacy": 2}, capacity=2, wants=())
    mentee_c, mentee_c_e = person("mentee_c", Role.MENTEE)
    builders.ready_mentee(session, mentee_c, pilot, {"LinkedIn presence": 1})
    lone, _ = person("lone_mentee", Role.MENTEE)
    builders.ready_mentee(session, lone, pilot, {"Data literacy": 2})
    pilot.status = PilotStatus.RUNNING  # set-up: skip the matching phase
    session.add(pilot)
    for mentee_e, mentor_e in ((mentee_a_e, mentor_a_e), (mentee_b_e, mentor_b_e), (mentee_c_e, mentor_b_e)):  # fmt: skip
        make_pair(session, pilot.id, mentee_e.id, mentor_e.id)  # type: ignore[arg-type]
    outsider = builders.staff(session, EMAILS["outsider_admin"], "Olga Outsider")
    builders.pilot(session, outsider, name="Another pilot")


@pytest.fixture(scope="session", name="tracking_template")
def tracking_template(migrated_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once per run even when several modules import this fixture."""
    path = tmp_path_factory.getbasetemp() / "tracking_world.db"
    if not path.exists():
        building = path.with_suffix(".building")
        shutil.copyfile(migrated_template, building)
        engine: Engine = make_engine(f"sqlite:///{building}")
        with unit_of_work(engine) as session:
            _build(session)
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()
        building.rename(path)
    return path


@pytest.fixture(name="db_url")
def tracking_db_url(tmp_path: Path, tracking_template: Path) -> str:
    target = tmp_path / "portal.db"
    shutil.copyfile(tracking_template, target)
    return f"sqlite:///{target}"


@dataclass(frozen=True)
class TrackingWorld:
    """Pilot with pairs A (Mia + Max), B (Nora + Ned) and C (Cleo + Ned, who takes two), an
    unpaired mentee (Lou), and Olga, the admin of another pilot."""

    admin: Actor
    pilot_id: int
    mentee_a: Actor
    mentor_a: Actor
    mentee_b: Actor
    mentor_b: Actor
    mentee_c: Actor
    lone_mentee: Actor
    outsider_admin: Actor
    pair_a: int
    pair_b: int
    pair_c: int
    enrollments: dict[str, int]  # key of EMAILS -> enrollment id in the pilot
    topics: dict[str, int]  # topic name -> id (learn and offer topics of the pilot)

    @property
    def start(self) -> date:
        return date.today() - timedelta(days=START_DAYS_AGO)

    @property
    def end(self) -> date:
        return self.start + timedelta(days=180)

    def pilot(self, session: Session) -> Pilot:
        found = session.get(Pilot, self.pilot_id)
        assert found is not None
        return found

    def pair(self, session: Session, pair_id: int) -> Pair:
        found = session.get(Pair, pair_id)
        assert found is not None
        return found


def load_world(session: Session) -> TrackingWorld:
    people = {
        key: session.exec(select(Person).where(Person.email == email)).one()
        for key, email in EMAILS.items()
    }
    pilot = session.exec(select(Pilot).where(Pilot.name == "Pilot 2027")).one()
    enrollments = {
        key: e.id
        for key, p in people.items()
        if (
            e := session.exec(
                select(Enrollment).where(
                    Enrollment.pilot_id == pilot.id, Enrollment.person_id == p.id
                )
            ).first()
        )
    }
    pairs = {
        (mentee, mentor): pid
        for pid, mentee, mentor in session.exec(
            select(Pair.id, Pair.mentee_enrollment_id, Pair.mentor_enrollment_id).where(
                Pair.pilot_id == pilot.id
            )
        ).all()
    }
    topics = dict(
        session.exec(select(Topic.name, Topic.id).where(Topic.pilot_id == pilot.id)).all()
    )
    actors = {key: actor_for(p) for key, p in people.items()}
    e = enrollments
    return TrackingWorld(
        admin=actors["admin"],
        pilot_id=pilot.id,  # type: ignore[arg-type]
        mentee_a=actors["mentee_a"],
        mentor_a=actors["mentor_a"],
        mentee_b=actors["mentee_b"],
        mentor_b=actors["mentor_b"],
        mentee_c=actors["mentee_c"],
        lone_mentee=actors["lone_mentee"],
        outsider_admin=actors["outsider_admin"],
        pair_a=pairs[(e["mentee_a"], e["mentor_a"])],
        pair_b=pairs[(e["mentee_b"], e["mentor_b"])],
        pair_c=pairs[(e["mentee_c"], e["mentor_b"])],
        enrollments=enrollments,  # type: ignore[arg-type]
        topics=topics,
    )


@pytest.fixture(name="world")
def tracking_world(session: Session) -> TrackingWorld:
    return load_world(session)


def count_rows(session: Session, *models: type) -> tuple[int, ...]:
    """Row counts, to prove a failed unit of work left nothing behind."""
    return tuple(session.exec(select(func.count()).select_from(m)).one() for m in models)


# Who must be refused by services on pair A (world.pair_a), as attribute names of TrackingWorld.
NOT_MEMBERS_OF_PAIR_A = ("mentor_b", "mentee_b", "lone_mentee", "admin", "outsider_admin")
# Who must be refused by the pilot admins' services.
NOT_ADMINS = ("mentee_a", "mentor_a", "lone_mentee", "outsider_admin")
