"""Retention: free text of a pilot closed more than `retention_days` (90) days ago is removed,
in one transaction, with one audit row and no text in it; a pilot closed more recently keeps
everything. On a real SQLite file (whose bytes are searched afterwards), and once on PostgreSQL.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from core.db import make_engine, migrate, unit_of_work
from core.errors import NotAllowed
from core.models import AuditEntry, Pilot, Role
from core.privacy.catalogue import CATALOGUE
from core.privacy.retention import (
    ACTION,
    CONCERN_PLACEHOLDER,
    FREE_TEXTS,
    PLANNED_TITLE,
    SCHEDULE,
    apply_retention,
    retention_due,
    run_retention,
)
from tests import builders
from tests.core.privacy.closed_pilots import (  # noqa: F401
    REMOVED,
    closed_pilot,
    closed_template,
    closed_world,
    numbers,
    stored_texts,
)

# What each text reads after retention: emptied, except a concern and a planned session's title.
EMPTIED = {
    "mentee note": "",
    "mentor note": "",
    "takeaways": "",
    "mentee feedback": "",
    "mentor feedback": "",
    "concern": CONCERN_PLACEHOLDER,
    "objective": "",
    "expertise note": "",
    "learn-back note": "",
    "decline reason": "",
    "pair note": "",
    "planned title": "Reverse-mentoring session",
}


def file_bytes(url: str) -> bytes:
    """Read only while this process holds no connection to the file: closing any descriptor of
    it would drop SQLite's POSIX locks on it, and that connection would then read stale pages."""
    path = Path(url.split("///", 1)[1])
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def audit_rows(session: Session) -> list[AuditEntry]:
    return list(session.exec(select(AuditEntry).where(AuditEntry.action == ACTION)).all())


def test_a_pilot_closed_91_days_ago_loses_its_free_text_and_one_closed_89_days_ago_keeps_it(
    closed_world,
):
    engine, session, db_url = closed_world.engine, closed_world.session, closed_world.url
    old, recent = closed_world.world.old, closed_world.world.recent
    old_numbers, recent_numbers = numbers(session, old.pilot_id), numbers(session, recent.pilot_id)
    session.close()
    engine.dispose()
    raw = file_bytes(db_url)
    assert old.texts["mentee note"].encode() in raw  # the search below can fail

    report = run_retention(engine)

    assert [p.pilot_id for p in report.due] == [old.pilot_id]
    assert report.due[0].counts == REMOVED
    assert [p.pilot_id for p in report.waiting] == [recent.pilot_id]
    with Session(engine) as fresh:
        assert stored_texts(fresh, old.pilot_id) == EMPTIED
        assert stored_texts(fresh, recent.pilot_id) == recent.texts
        # Rows and numbers stay, so the pilot's results keep their counts.
        assert numbers(fresh, old.pilot_id) == old_numbers
        assert numbers(fresh, recent.pilot_id) == recent_numbers
    engine.dispose()
    raw = file_bytes(db_url)
    for text in old.texts.values():
        assert text.encode() not in raw, text
    assert recent.texts["mentee note"].encode() in raw


def test_listing_counts_what_is_due_and_removes_nothing(closed_world):
    session, old, recent = closed_world.session, closed_world.world.old, closed_world.world.recent
    report = retention_due(SCHEDULE, session=session)
    assert not report.applied
    assert [(p.pilot_id, p.counts) for p in report.due] == [(old.pilot_id, REMOVED)]
    assert [(p.pilot_id, p.counts) for p in report.waiting] == [(recent.pilot_id, REMOVED)]
    assert report.waiting[0].due_at.date() == datetime.now(UTC).date() + timedelta(days=1)
    session.commit()
    session.expire_all()
    assert stored_texts(session, old.pilot_id) == old.texts
    assert audit_rows(session) == []


def test_applying_twice_removes_once_and_records_one_row_without_any_text(closed_world):
    session, old = closed_world.session, closed_world.world.old
    first = apply_retention(SCHEDULE, session=session)
    session.commit()
    second = apply_retention(SCHEDULE, session=session)
    session.commit()
    assert first.total == sum(REMOVED.values())
    assert (second.total, second.due) == (0, [])
    (row,) = audit_rows(session)
    assert (row.pilot_id, row.actor_id, row.subject_id) == (old.pilot_id, None, None)
    assert row.after["removed"] == REMOVED
    assert row.after["by"] == "the server's schedule"
    recorded = json.dumps([row.before, row.after], ensure_ascii=False).lower()
    for text in old.texts.values():
        assert text.lower() not in recorded
    for person in (old.mentee, old.mentor):
        assert person.email not in recorded and person.name.lower() not in recorded


def test_a_run_that_fails_half_way_removes_nothing(closed_world):
    """Private notes are deleted before concerns are emptied; the database refusing the
    concern's update (a trigger) must roll the deleted notes back as well."""
    engine, session, old = closed_world.engine, closed_world.session, closed_world.world.old
    session.close()
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TRIGGER refuse BEFORE UPDATE ON concern BEGIN SELECT RAISE(ABORT, 'refused'); END"
        )
    with pytest.raises(IntegrityError):
        run_retention(engine)
    with Session(engine) as fresh:
        assert stored_texts(fresh, old.pilot_id) == old.texts
        assert audit_rows(fresh) == []


def test_only_the_programme_team_applies_it_when_a_person_does(closed_world):
    session, admin, old = closed_world.session, closed_world.world.admin, closed_world.world.old
    pilot = session.get(Pilot, old.pilot_id)
    pilot_admin, _ = builders.participant(
        session, admin, pilot, "pilot-admin@example.com", Role.ADMIN
    )
    for somebody in (old.mentee, old.mentor, pilot_admin):
        with pytest.raises(NotAllowed):
            apply_retention(somebody, session=session)
        with pytest.raises(NotAllowed):
            retention_due(somebody, session=session)
    session.rollback()
    assert stored_texts(session, old.pilot_id) == old.texts

    apply_retention(admin, session=session)
    session.commit()
    (row,) = audit_rows(session)
    assert (row.actor_id, row.after["by"]) == (admin.person_id, "the programme team")


def test_a_pilot_closed_before_closed_at_existed_counts_from_its_end_date(closed_world):
    session, recent = closed_world.session, closed_world.world.recent
    pilot = session.get(Pilot, recent.pilot_id)
    pilot.closed_at = None
    pilot.end_date = date.today() - timedelta(days=91)
    session.add(pilot)
    session.commit()
    due = retention_due(SCHEDULE, session=session).due
    assert recent.pilot_id in [p.pilot_id for p in due]
    # Re-opened, it is no longer closed: nothing of it is due however old its end date.
    pilot.status = "running"
    session.add(pilot)
    session.commit()
    assert recent.pilot_id not in [p.pilot_id for p in retention_due(SCHEDULE, session=session).due]


def test_a_longer_retention_setting_keeps_the_text_longer(closed_world):
    session, old = closed_world.session, closed_world.world.old
    pilot = session.get(Pilot, old.pilot_id)
    pilot.retention_days = 365
    session.add(pilot)
    session.commit()
    report = apply_retention(SCHEDULE, session=session)
    assert report.due == []
    assert stored_texts(session, old.pilot_id) == old.texts


def test_every_text_the_catalogue_promises_to_delete_after_the_close_is_removed():
    promised = {item.key for item in CATALOGUE if "after the pilot closes" in item.kept}
    assert promised == {
        "enrollments", "goals", "expertise", "pairs", "sessions", "private_notes", "checkins",
        "concerns",
    }  # fmt: skip
    assert promised <= {text.part for text in FREE_TEXTS}
    assert set(REMOVED) == {text.label for text in FREE_TEXTS}
    assert PLANNED_TITLE == "Reverse-mentoring session"


@pytest.mark.postgres
@pytest.mark.skipif(not os.environ.get("TEST_POSTGRES_URL"), reason="TEST_POSTGRES_URL not set")
def test_the_same_on_postgres(pg_url):
    engine = make_engine(pg_url)
    migrate(engine)
    try:
        with unit_of_work(engine) as s:
            admin = builders.staff(s)
            old = closed_pilot(s, admin, "old", closed_days_ago=91)
            recent = closed_pilot(s, admin, "recent", closed_days_ago=89)
        report = run_retention(engine, now=datetime.now(UTC))
        assert [(p.pilot_id, p.counts) for p in report.due] == [(old.pilot_id, REMOVED)]
        assert run_retention(engine).total == 0
        with Session(engine) as s:
            assert stored_texts(s, old.pilot_id) == EMPTIED
            assert stored_texts(s, recent.pilot_id) == recent.texts
            assert len(audit_rows(s)) == 1
    finally:
        engine.dispose()
