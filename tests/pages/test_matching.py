"""AppTest of the matching page and of accepting/declining a published pair."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from core.models import Pair, PairStatus, Role
from tests import builders
from tests.builders.apptest import app, metric, submit_button, texts


@pytest.fixture(autouse=True)
def _db(monkeypatch, db_url):
    monkeypatch.setenv("DATABASE_URL", db_url)


@pytest.fixture
def world(engine):
    with Session(engine, expire_on_commit=False) as s:
        admin = builders.staff(s)
        pilot = builders.pilot(s, admin)
        lea, _ = builders.participant(
            s, admin, pilot, "lea@x.com", Role.MENTEE, grade=12, department="Finance"
        )
        max_, _ = builders.participant(
            s, admin, pilot, "max@x.com", Role.MENTOR, grade=3, department="IT"
        )
        builders.ready_mentee(s, lea, pilot, {"Generative AI basics": 1})
        builders.ready_mentor(s, max_, pilot, {"Generative AI basics": 3})
        s.commit()
    return admin, pilot, lea, max_


def _publish(engine, admin, pilot) -> None:
    """Match, approve everything and publish, as the admin would on the Matching page."""
    from core.db import unit_of_work
    from core.pairs.review import PairDecision, list_pairs, publish_pairs, review_pairs
    from core.pairs.run import run_matching

    with unit_of_work(engine) as s:
        run_matching(admin, pilot.id, session=s)
        rows = list_pairs(admin, pilot.id, session=s)
        review_pairs(admin, pilot.id, [PairDecision(p.pair_id, "approve") for p in rows], session=s)
        publish_pairs(admin, pilot.id, session=s)


def test_run_review_publish(engine, world):
    admin, pilot, lea, max_ = world
    at = app(admin, pilot.id).run()
    at.switch_page("pages/matching.py").run()
    assert "No matching yet" in texts(at)
    submit_button(at, "matching_run").click().run()
    assert "1 pairs suggested (proved optimal); 1 of 1 mentees in the pilot have a pair" in texts(
        at
    )
    assert metric(at, "Mentees in the pilot with a pair") == "1 of 1"
    at.button(key="matching_approve_all").click().run()
    submit_button(at, "matching_publish").click().run()
    assert "1 pairs published" in texts(at)
    with Session(engine) as s:
        assert s.exec(select(Pair)).one().status == PairStatus.PUBLISHED


def _published_pair_id(engine) -> int:
    with Session(engine) as s:
        return s.exec(select(Pair.id)).one()


def test_mentee_and_mentor_accept(engine, world):
    admin, pilot, lea, max_ = world
    _publish(engine, admin, pilot)
    pair_id = _published_pair_id(engine)
    at = app(lea, pilot.id).run()
    at.switch_page("pages/my_pair.py").run()
    assert "Your suggested mentor: Max" in texts(at)
    assert "Covers 'Generative AI basics'" in texts(at)
    at.button(key=f"pair_accept_{pair_id}").click().run()
    assert "Waiting for Max to accept too" in texts(at)
    at = app(max_, pilot.id).run()
    at.switch_page("pages/my_pair.py").run()
    at.button(key=f"pair_accept_{pair_id}").click().run()
    with Session(engine) as s:
        assert s.exec(select(Pair)).one().status == PairStatus.ACTIVE
    # Once both accepted, the page turns into the running pair's workspace.
    assert "Your mentee: Lea" in texts(at)
    assert "Session log" in [t.label for t in at.tabs]


def test_decline_with_reason(engine, world):
    admin, pilot, lea, max_ = world
    _publish(engine, admin, pilot)
    pair_id = _published_pair_id(engine)
    at = app(max_, pilot.id).run()
    at.switch_page("pages/my_pair.py").run()
    at.text_area(key=f"pair_decline_reason_{pair_id}").input("Schedules do not fit")
    at.button(key=f"pair_decline_{pair_id}").click().run()
    assert "Declined" in texts(at)
    with Session(engine) as s:
        pair = s.exec(select(Pair)).one()
        assert (pair.status, pair.decline_reason) == (PairStatus.DECLINED, "Schedules do not fit")
