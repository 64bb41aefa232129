"""Schema lives in Alembic migrations: they match the models and keep existing rows."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, MetaData, Table, inspect, select, text
from sqlmodel import SQLModel

import core.models  # noqa: F401
from core.db import alembic_config, make_engine, migrate


def test_migrations_match_the_models(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    migrate(engine)
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), SQLModel.metadata) == []


def test_upgrade_from_first_revision_keeps_rows(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    migrate(engine, "0001")
    assert "pair" not in inspect(engine).get_table_names()
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO person (email, name, job_title, department, time_zone, career_stage,"
                " is_staff, created_at) VALUES ('old@x.com', 'Old Timer', '', 'Finance', 'UTC', '',"
                " 1, '2026-01-01 10:00:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO pilot (name, purpose, focus_areas, start_date, end_date, status,"
                " sponsor_name, sponsor_email, sponsor_signed_off, invite_code, min_grade_gap,"
                " match_weights, match_objective, orientation_required, inactivity_days,"
                " privacy_threshold, success_criteria, created_at) VALUES ('Pilot 1', 'p', '[]',"
                " '2026-01-01', '2026-06-01', 'running', '', '', 0, 'ABCD-EFGH', 1, '{}', 'score',"
                " 0, 21, 5, '[]', '2026-01-01 10:00:00')"
            )
        )
    migrate(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM person")).scalar_one() == "Old Timer"
        assert conn.execute(text("SELECT invite_code FROM pilot")).scalar_one() == "ABCD-EFGH"
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    assert {"pair", "mentoringsession", "checkin"} <= set(inspect(engine).get_table_names())
    head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    assert version == head


# --- revision 0004 on a populated database --------------------------------------------------------

T0 = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
# Every table whose rows 0004 rebuilds or rewrites, in an order that respects their parents.
TABLES = (
    "person",
    "pilot",
    "topic",
    "enrollment",
    "learninggoal",
    "expertise",
    "matchrun",
    "pair",
    "milestone",
    "pairmilestone",
    "mentoringsession",
    "sessionnote",
    "candourpulse",
    "plannedsession",
    "checkin",
    "concern",
    "pairevent",
)
RESHAPED = {"checkin": {"ratings"}, "pair": {"uncovered"}}  # compared on their own below


def _filler(column: dict) -> object:
    """A value for a required column the test does not care about, by column type."""
    kind = type(column["type"]).__name__.upper()
    if "INT" in kind:
        return 0
    if kind in ("FLOAT", "REAL", "DOUBLE_PRECISION", "NUMERIC"):
        return 0.0
    if "BOOL" in kind:
        return False
    if "JSON" in kind:
        return []
    if kind == "DATE":
        return T0.date()
    if "DATETIME" in kind or "TIMESTAMP" in kind:
        return T0
    return ""


def _add(conn: Connection, table_name: str, /, **values: object) -> int:
    """Inserts one row with the columns of the table as the database has it now."""
    table = Table(table_name, MetaData(), autoload_with=conn)
    row = {
        c["name"]: values[c["name"]] if c["name"] in values else _filler(c)
        for c in inspect(conn).get_columns(table_name)
        if c["name"] != "id" and (c["name"] in values or not c["nullable"])
    }
    return conn.execute(table.insert().values(**row)).inserted_primary_key[0]


def _rows(
    conn: Connection,
    table_name: str,
    leave_out: set[str] = frozenset(),
    only: set[str] | None = None,
) -> list[tuple]:
    """The table's rows; `only` restricts to the columns an older revision had, since later
    revisions may add columns (with defaults) to the same table."""
    table = Table(table_name, MetaData(), autoload_with=conn)
    kept = [c for c in table.c if c.name not in leave_out and (only is None or c.name in only)]
    return [tuple(r) for r in conn.execute(select(*kept).order_by(table.c.id))]


def _columns(conn: Connection, table_name: str) -> set[str]:
    return {c["name"] for c in inspect(conn).get_columns(table_name)}


@dataclass
class OldPilot:
    """The ids of a pilot written with revision 0003's columns."""

    topics: dict[str, int] = field(default_factory=dict)
    pairs: dict[str, int] = field(default_factory=dict)
    checkins: dict[str, int] = field(default_factory=dict)
    ratings_json: dict[str, dict] = field(default_factory=dict)


def _populate_0003(conn: Connection) -> OldPilot:
    old = OldPilot()
    admin = _add(conn, "person", email="ada@x.com", name="Ada", is_staff=True, created_at=T0)
    mia = _add(conn, "person", email="mia@x.com", name="Mia", department="Finance")
    tom = _add(conn, "person", email="tom@x.com", name="Tom", department="IT")
    lou = _add(conn, "person", email="lou@x.com", name="Lou")
    pilot = _add(
        conn, "pilot", name="Pilot 1", invite_code="ABCD-EFGH", status="running",
        created_by_id=admin, match_weights={"goals": 50},
    )  # fmt: skip
    for kind, name in (
        ("learn", "Generative AI basics"),
        ("learn", "Data literacy"),
        ("learn", "Cybersecurity basics"),
        ("offer", "Strategy and big picture"),
        ("offer", "Data literacy"),  # the same name as a goal topic: the goal topic wins
    ):
        old.topics[f"{kind}:{name}"] = _add(conn, "topic", pilot_id=pilot, kind=kind, name=name)
    ai, data = old.topics["learn:Generative AI basics"], old.topics["learn:Data literacy"]
    cyber, strategy = old.topics["learn:Cybersecurity basics"], old.topics["offer:Strategy and big picture"]  # fmt: skip
    mia_e = _add(conn, "enrollment", pilot_id=pilot, person_id=mia, role="mentee", status="active")
    tom_e = _add(conn, "enrollment", pilot_id=pilot, person_id=tom, role="mentor", status="active", wants=[strategy])  # fmt: skip
    lou_e = _add(conn, "enrollment", pilot_id=pilot, person_id=lou, role="mentee", status="active")
    for topic in (ai, data, cyber):
        _add(conn, "learninggoal", enrollment_id=mia_e, topic_id=topic, priority=1)
    _add(conn, "expertise", enrollment_id=tom_e, topic_id=ai, level=3)
    run = _add(conn, "matchrun", pilot_id=pilot, created_by_id=admin, matched=1, mentees=2)
    old.pairs["active"] = _add(
        conn, "pair", pilot_id=pilot, run_id=run, mentee_enrollment_id=mia_e,
        mentor_enrollment_id=tom_e, status="active", score=0.8, reasons=["Covers AI"],
        uncovered=["Data literacy", "Cybersecurity basics"], mentee_response="accepted",
        mentor_response="accepted", accepted_at=T0,
    )  # fmt: skip
    old.pairs["ended"] = _add(
        conn, "pair", pilot_id=pilot, run_id=run, mentee_enrollment_id=lou_e,
        mentor_enrollment_id=tom_e, status="ended", uncovered=["A topic renamed since"],
        mentee_response="accepted", mentor_response="accepted", ended_at=T0,
    )  # fmt: skip
    # A second pair of Lou's that no longer holds him: the new unique index allows it.
    old.pairs["declined"] = _add(
        conn, "pair", pilot_id=pilot, mentee_enrollment_id=lou_e, mentor_enrollment_id=tom_e,
        status="declined", mentee_response="declined",
    )  # fmt: skip
    active = old.pairs["active"]
    milestone = _add(conn, "milestone", pilot_id=pilot, name="Orientation", due_date=T0.date())
    _add(conn, "pairmilestone", pair_id=active, milestone_id=milestone, completed_on=T0.date(), completed_by_id=mia)  # fmt: skip
    held = _add(conn, "mentoringsession", pair_id=active, author_id=mia, held_on=T0.date(), minutes=45, topic_ids=[ai])  # fmt: skip
    _add(conn, "sessionnote", session_id=held, author_id=mia, text="Private to Mia")
    _add(conn, "candourpulse", session_id=held, person_id=mia, score=4)
    _add(conn, "plannedsession", pair_id=active, starts_at=T0, minutes=30)
    old.ratings_json = {
        "mia start": {str(ai): 2, str(data): 3, str(cyber): 1},
        "mia end": {str(ai): 4, str(data): 5, str(cyber): 3},
        # Never counted by the dashboard, so not carried over: an unknown key, a rating of 9.
        "tom start": {str(strategy): 3, "not a topic": 2, str(ai): 9, "999999": 4},
    }
    for key, ratings in old.ratings_json.items():
        who, phase = key.split()
        old.checkins[key] = _add(
            conn, "checkin", pair_id=active, person_id=mia if who == "mia" else tom,
            phase=phase, ratings=ratings, satisfaction=4 if phase == "end" else None,
            feedback="Great" if phase == "end" else "", submitted_at=T0,
        )  # fmt: skip
    _add(conn, "concern", pilot_id=pilot, pair_id=active, raised_by_id=tom, text="A worry", created_at=T0)  # fmt: skip
    _add(conn, "pairevent", pair_id=active, person_id=mia, kind="paused", note="busy")
    return old


def _upgrade_a_populated_database_keeps_every_row(url: str) -> None:
    engine = make_engine(url)
    migrate(engine, "0003")
    with engine.begin() as conn:
        old = _populate_0003(conn)
    with engine.connect() as conn:
        before = {t: _rows(conn, t, RESHAPED.get(t, set())) for t in TABLES}
        old_columns = {t: _columns(conn, t) for t in TABLES}
    assert all(before.values())  # the test wrote a row in every table it checks

    migrate(engine)
    with engine.connect() as conn:
        after = {t: _rows(conn, t, RESHAPED.get(t, set()), old_columns[t]) for t in TABLES}
        assert after == before
        assert "ratings" not in {c["name"] for c in inspect(conn).get_columns("checkin")}
        ratings = set(conn.execute(text("SELECT checkin_id, topic_id, rating FROM checkinrating")))
        names = dict(conn.execute(text("SELECT id, name FROM topic")).all())
        uncovered = dict(conn.execute(text("SELECT id, uncovered FROM pair")).all())
        assert compare_metadata(MigrationContext.configure(conn), SQLModel.metadata) == []
    t = old.topics
    ai, data, cyber = (t[f"learn:{n}"] for n in ("Generative AI basics", "Data literacy", "Cybersecurity basics"))  # fmt: skip
    strategy = t["offer:Strategy and big picture"]
    c = old.checkins
    assert ratings == {
        (c["mia start"], ai, 2), (c["mia start"], data, 3), (c["mia start"], cyber, 1),
        (c["mia end"], ai, 4), (c["mia end"], data, 5), (c["mia end"], cyber, 3),
        (c["tom start"], strategy, 3),
    }  # fmt: skip
    as_json = lambda v: json.loads(v) if isinstance(v, str) else v  # noqa: E731
    active, ended = (as_json(uncovered[old.pairs[k]]) for k in ("active", "ended"))
    assert active == [data, cyber]  # ids of the goal topics, not of the offer "Data literacy"
    assert [names[i] for i in active] == ["Data literacy", "Cybersecurity basics"]
    assert ended == [] and as_json(uncovered[old.pairs["declined"]]) == []

    # The rebuilt tables carry the new ON DELETE rules: a pilot goes with everything in it.
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM pilot"))
    with engine.connect() as conn:
        left = {
            t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
            for t in (*TABLES, "checkinrating")
        }
    assert left == {**dict.fromkeys(left, 0), "person": 4}
    engine.dispose()


def test_upgrade_a_populated_database_from_0003_keeps_every_row(tmp_path):
    _upgrade_a_populated_database_keeps_every_row(f"sqlite:///{tmp_path / 'old.db'}")


@pytest.mark.postgres
def test_upgrade_a_populated_database_from_0003_keeps_every_row_on_postgres(pg_url):
    _upgrade_a_populated_database_keeps_every_row(pg_url)


def _downgrade_restores_the_old_shapes(url: str) -> None:
    engine = make_engine(url)
    migrate(engine, "0003")
    with engine.begin() as conn:
        old = _populate_0003(conn)
    migrate(engine)
    command.downgrade(alembic_config(url), "0003")
    with engine.connect() as conn:
        ratings = dict(conn.execute(text("SELECT id, ratings FROM checkin")).all())
        uncovered = dict(conn.execute(text("SELECT id, uncovered FROM pair")).all())
        assert "checkinrating" not in inspect(conn).get_table_names()
    as_json = lambda v: json.loads(v) if isinstance(v, str) else v  # noqa: E731
    strategy = old.topics["offer:Strategy and big picture"]
    assert as_json(ratings[old.checkins["mia end"]]) == old.ratings_json["mia end"]
    assert as_json(ratings[old.checkins["tom start"]]) == {str(strategy): 3}
    assert as_json(uncovered[old.pairs["active"]]) == ["Data literacy", "Cybersecurity basics"]
    migrate(engine)  # and up again
    engine.dispose()


def test_downgrade_to_0003_gives_back_json_ratings_and_topic_names(tmp_path):
    _downgrade_restores_the_old_shapes(f"sqlite:///{tmp_path / 'old.db'}")


@pytest.mark.postgres
def test_downgrade_to_0003_gives_back_json_ratings_and_topic_names_on_postgres(pg_url):
    _downgrade_restores_the_old_shapes(pg_url)


def test_upgrade_refuses_a_mentee_holding_two_pairs_and_changes_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    migrate(engine, "0003")
    with engine.begin() as conn:
        old = _populate_0003(conn)
        mia_e = conn.execute(
            text("SELECT mentee_enrollment_id FROM pair WHERE id = :id"),
            {"id": old.pairs["active"]},
        ).scalar_one()
        tom_e = conn.execute(text("SELECT id FROM enrollment WHERE role = 'mentor'")).scalar_one()
        _add(conn, "pair", pilot_id=1, mentee_enrollment_id=mia_e, mentor_enrollment_id=tom_e, status="suggested")  # fmt: skip
    with pytest.raises(RuntimeError, match=f"enrollment {mia_e} \\(2 pairs\\)"):
        migrate(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0003"
        assert "checkinrating" not in inspect(conn).get_table_names()
        assert "ratings" in {c["name"] for c in inspect(conn).get_columns("checkin")}
    engine.dispose()
