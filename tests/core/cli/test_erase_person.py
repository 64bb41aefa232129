"""`python -m core erase-person EMAIL --as STAFF_EMAIL [--dry-run]` on the hand-built pilot
(tests.builders.dashboard), run as a real process on its SQLite file.

m1 is Margaret Okafor (mentee of pair p1). Copies of her name and email are planted where the
portal keeps them for other people: t2's manager, another pair's reasons and alternatives, a
matching run's unmatched list, her partner's private note, a message to her. After the command,
neither her name nor her email is anywhere in the file's bytes (write-ahead log included), and
every dashboard figure is what it was.
"""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from core.models import (
    AuditEntry,
    OutboxMessage,
    Person,
)
from core.people.participants import withdraw_participant
from tests.builders.dashboard import (  # noqa: F401
    AS_OF,
    M1_FEEDBACK,
    dashboard_template,
    figures,
    file_bytes,
    world,
)
from tests.builders.erasure import EMAIL, M1_NOTE, NAME, T1_NOTE, plant_copies


@pytest.fixture
def planted(world):
    session, built, url = world
    plant_copies(session, built, manager_email=EMAIL.upper())  # typed with capitals by HR
    m1 = built.actors["m1"]
    session.add(
        OutboxMessage(kind="nudge", to_email=EMAIL, person_id=m1.person_id,
                      subject=f"Hello {NAME}", body_text=f"Dear {NAME}, ...")
    )  # fmt: skip
    withdraw_participant(built.admin, built.enrollment_ids["m1"], session=session)
    session.commit()
    return session, built, url


def test_dry_run_says_what_would_go_and_changes_nothing(planted, core_command):
    session, built, url = planted
    session.close()
    done = core_command(url, "erase-person", EMAIL, "--as", "admin@example.com", "--dry-run")
    assert (done.returncode, done.stderr) == (0, "")
    lines = done.stdout.splitlines()
    assert lines[0] == f"Dry run: erasing {EMAIL} would remove or rewrite:"
    assert "  private notes deleted: 1" in lines
    assert "  check-in feedback removed: 1" in lines
    assert "  messages deleted: 2" in lines  # her invitation and the planted one
    assert lines[-1] == "Nothing was changed."
    with Session(session.get_bind()) as fresh:
        person = fresh.get(Person, built.actors["m1"].person_id)
        assert (person.name, person.email, person.erased_at) == (NAME, EMAIL, None)
        assert not fresh.exec(select(AuditEntry).where(AuditEntry.action == "person.erased")).all()
    session.get_bind().dispose()
    assert NAME.encode() in file_bytes(url)


def test_erasure_leaves_no_trace_in_the_file_and_the_dashboard_unchanged(planted, core_command):
    session, built, url = planted
    m1 = built.actors["m1"].person_id
    before = figures(session, built)
    session.close()
    engine = session.get_bind()
    engine.dispose()
    raw = file_bytes(url).lower()
    # The test can fail: before erasure, the file holds her name, email, note and feedback.
    for needle in (NAME, EMAIL, M1_NOTE, M1_FEEDBACK, T1_NOTE):
        assert needle.lower().encode() in raw, needle

    done = core_command(url, "erase-person", EMAIL, "--as", "admin@example.com")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines()[0] == (
        f"Erased {EMAIL}: person {m1} is now an anonymous placeholder."
    )
    assert "  private notes deleted: 1" in done.stdout.splitlines()

    raw = file_bytes(url).lower()
    for needle in (NAME, EMAIL, M1_NOTE, M1_FEEDBACK, T1_NOTE):
        assert needle.lower().encode() not in raw, needle
    with Session(engine, expire_on_commit=False) as fresh:
        assert figures(fresh, built) == before
        assert fresh.get(Person, built.actors["t2"].person_id).manager_email is None
        (erased,) = fresh.exec(select(AuditEntry).where(AuditEntry.action == "person.erased")).all()
        assert (erased.actor_id, erased.subject_id) == (built.admin.person_id, m1)

    again = core_command(url, "erase-person", EMAIL, "--as", "admin@example.com")
    assert (again.returncode, again.stderr) == (2, f"error: No person has the email {EMAIL}.\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((EMAIL, "--as", "t1@example.com"), "error: t1@example.com is not a programme administrator."),
        ((EMAIL, "--as", "nobody@example.com"), "error: No account has the email nobody@example.com."),
        (("nobody@example.com", "--as", "admin@example.com"),
         "error: No person has the email nobody@example.com."),
        (("admin@example.com", "--as", "admin@example.com"),
         "error: The portal needs at least one programme administrator; add another first."),
    ],
)  # fmt: skip
def test_refusals_are_one_line_and_exit_2(world, core_command, args, message):
    session, built, url = world
    session.close()
    done = core_command(url, "erase-person", *args)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", message + "\n")
    with Session(session.get_bind()) as fresh:
        assert fresh.get(Person, built.actors["m1"].person_id).name == NAME


def test_as_is_required(world, core_command):
    session, _, url = world
    session.close()
    done = core_command(url, "erase-person", EMAIL)
    assert done.returncode == 2
    assert "the following arguments are required: --as" in done.stderr
