"""Schema lives in Alembic migrations: they match the models and keep existing rows."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
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
