"""`python -m core audit PILOT [--since YYYY-MM-DD]`: one line per audit row of the pilot, the
actor named by email, on a real SQLite file."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from core.models import AuditEntry, PilotStatus
from core.pilots.settings import set_status
from tests.core.privacy.closed_pilots import closed_template, closed_world  # noqa: F401

LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d (\S+) (\S+)( about \S+)?( before=.* after=.*)?$"
)


def test_one_line_per_row_naming_the_actor_by_email_with_before_and_after(
    closed_world, core_command
):
    session, world = closed_world.session, closed_world.world
    set_status(world.admin, world.old.pilot_id, PilotStatus.RUNNING, session=session)
    session.commit()
    rows = session.exec(select(AuditEntry).where(AuditEntry.pilot_id == world.old.pilot_id)).all()
    session.close()

    done = core_command(closed_world.url, "audit", "Pilot old")
    assert (done.returncode, done.stderr) == (0, "")
    lines = done.stdout.splitlines()
    assert len(lines) == len(rows) >= 4  # created, two invitations, the status change
    assert all(LINE.match(line) for line in lines), lines
    assert {LINE.match(line).group(1) for line in lines} <= {
        "admin@example.com", "old-mentee@example.com", "old-mentor@example.com",
    }  # fmt: skip
    assert lines[0].split(" ", 4)[2:4] == ["admin@example.com", "pilot.created"]
    assert lines[-1].endswith(
        'admin@example.com pilot.status_changed before={"status":"closed"} '
        'after={"status":"running"}'
    )
    assert not any("recent-" in line for line in lines)  # the other pilot's rows are not shown
    by_id = core_command(closed_world.url, "audit", str(world.old.pilot_id))
    assert by_id.stdout == done.stdout


def test_since_keeps_the_rows_from_that_day_on(closed_world, core_command):
    closed_world.session.close()
    today = datetime.now(UTC).date()
    done = core_command(closed_world.url, "audit", "Pilot old", "--since", today.isoformat())
    assert done.returncode == 0 and len(done.stdout.splitlines()) >= 3

    tomorrow = (today + timedelta(days=1)).isoformat()
    later = core_command(closed_world.url, "audit", "Pilot old", "--since", tomorrow)
    assert (later.returncode, later.stdout) == (0, "")
    assert later.stderr == f"No audit rows for 'Pilot old' since {tomorrow}.\n"


def test_bad_input_is_one_line_and_exit_2(closed_world, core_command):
    closed_world.session.close()
    for args, message in (
        (("Pilot old", "--since", "2027-02-30"),
         "error: --since '2027-02-30' is not a date: use YYYY-MM-DD"),
        (("Pilot nobody",),
         "error: No pilot has the id or name 'Pilot nobody'. Check the spelling or use its id."),
    ):  # fmt: skip
        done = core_command(closed_world.url, "audit", *args)
        assert (done.returncode, done.stdout, done.stderr) == (2, "", message + "\n")
