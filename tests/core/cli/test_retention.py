"""`python -m core retention [--apply]` on a real SQLite file with two closed pilots: "old"
closed 91 days ago (due, retention 90 days) and "recent" closed 89 days ago (kept)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from core.models import AuditEntry
from tests.core.privacy.closed_pilots import (  # noqa: F401
    closed_template,
    closed_world,
    stored_texts,
)

# Counted by hand from tests.core.privacy.closed_pilots.
LISTED = (
    "2 private notes, 1 session takeaways, 2 check-in feedback, 1 concerns, 1 goal objectives, "
    "1 expertise notes, 1 learn-back notes, 1 decline reasons, 1 pair notes, "
    "1 planned session titles"
)


def days_ago(n: int) -> str:
    return (datetime.now(UTC) - timedelta(days=n)).date().isoformat()


def test_without_apply_it_lists_and_removes_nothing(closed_world, core_command):
    old, recent = closed_world.world.old, closed_world.world.recent
    closed_world.session.close()
    done = core_command(closed_world.url, "retention")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines() == [
        f"due: 'Pilot old' (id {old.pilot_id}), closed {days_ago(91)}, due since {days_ago(1)}: "
        + LISTED,
        f"kept until {days_ago(-1)}: 'Pilot recent' (id {recent.pilot_id}), closed "
        f"{days_ago(89)}: " + LISTED,
        "12 texts in 1 pilot(s) are due; nothing removed (run with --apply to remove them).",
    ]
    with Session(closed_world.engine) as fresh:
        assert stored_texts(fresh, old.pilot_id) == old.texts
        assert not fresh.exec(
            select(AuditEntry).where(AuditEntry.action.startswith("pilot.ret"))
        ).all()


def test_apply_removes_what_is_due_prints_the_counts_and_a_second_run_finds_nothing(
    closed_world, core_command
):
    old, recent = closed_world.world.old, closed_world.world.recent
    closed_world.session.close()
    done = core_command(closed_world.url, "retention", "--apply")
    assert (done.returncode, done.stderr) == (0, "")
    lines = done.stdout.splitlines()
    assert lines[0] == (
        f"removed: 'Pilot old' (id {old.pilot_id}), closed {days_ago(91)}, due since "
        f"{days_ago(1)}: " + LISTED
    )
    assert lines[1].startswith("kept until ") and "'Pilot recent'" in lines[1]
    assert lines[2] == f"Removed 12 texts from 1 pilot(s): {LISTED}."
    with Session(closed_world.engine) as fresh:
        after = stored_texts(fresh, old.pilot_id)
        assert all(text not in after.values() for text in old.texts.values())
        assert stored_texts(fresh, recent.pilot_id) == recent.texts
        (row,) = fresh.exec(
            select(AuditEntry).where(AuditEntry.action == "pilot.retention_applied")
        ).all()
        assert (row.pilot_id, row.actor_id, row.after["by"]) == (
            old.pilot_id, None, "the command line",
        )  # fmt: skip

    again = core_command(closed_world.url, "retention", "--apply")
    assert again.returncode == 0
    assert again.stdout.splitlines()[-1] == "Nothing is due."
    with Session(closed_world.engine) as fresh:
        assert (
            len(
                fresh.exec(
                    select(AuditEntry).where(AuditEntry.action == "pilot.retention_applied")
                ).all()
            )
            == 1
        )

    trail = core_command(closed_world.url, "audit", "Pilot old")
    assert trail.returncode == 0
    (applied,) = [line for line in trail.stdout.splitlines() if "pilot.retention_applied" in line]
    assert " (the command line) pilot.retention_applied" in applied
