"""The same code on a real PostgreSQL server (DATABASE_URL in production). `.ci/run` starts one
and sets TEST_POSTGRES_URL; without it these tests are skipped."""

from __future__ import annotations

import os

import pytest
from sqlmodel import Session, select

from core.dashboard.view import dashboard_view
from core.db import make_engine, migrate, unit_of_work
from core.models import Pair, PairStatus, Person
from core.pairs.run import run_matching
from core.sample.pilot import load_sample_pilot
from tests import builders

ADMIN_URL = os.environ.get("TEST_POSTGRES_URL")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not ADMIN_URL, reason="TEST_POSTGRES_URL is not set (see .ci/run)"),
]


def test_sample_pilot_matching_and_dashboard_on_postgres(pg_url):
    engine = make_engine(pg_url)
    migrate(engine)
    with unit_of_work(engine) as s:
        admin = builders.staff(s)
        pilot = load_sample_pilot(admin, session=s)
    with Session(engine) as s:
        assert len(s.exec(select(Person)).all()) >= 60
        active = s.exec(select(Pair).where(Pair.status == PairStatus.ACTIVE)).all()
        assert len(active) >= 15
        view = dashboard_view(admin, pilot.id, session=s)
        assert len(view.charts) == 9
        assert {t.key for t in view.content.tiles} >= {"pct_mentees_matched", "avg_satisfaction"}
    with unit_of_work(engine) as s:
        summary = run_matching(admin, pilot.id, session=s)
        assert summary.proved_optimal
    engine.dispose()


def test_a_failed_write_leaves_nothing_on_postgres(pg_url):
    from core.errors import ValidationFailed
    from core.models import Topic
    from core.pilots.settings import save_catalogue

    engine = make_engine(pg_url)
    migrate(engine)
    with unit_of_work(engine) as s:
        admin = builders.staff(s)
        pilot = builders.pilot(s, admin)
    with Session(engine) as s:
        before = len(s.exec(select(Topic)).all())
    with pytest.raises(ValidationFailed), unit_of_work(engine) as s:
        save_catalogue(
            admin, pilot.id, [{"name": "New one", "category": "AI"}, {"name": ""}], session=s
        )
    with Session(engine) as s:
        assert len(s.exec(select(Topic)).all()) == before
    engine.dispose()
