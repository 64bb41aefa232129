"""Roster import: what admins upload from Excel and HR tools, checked against a real database."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from core.auth import Actor
from core.cli.main import main as cli_main
from core.db import unit_of_work
from core.errors import NotAllowed, ValidationFailed
from core.models import Enrollment, EnrollmentStatus, Person, Pilot, Role
from core.people.roster_import import (
    FRAME_COLUMNS,
    MAX_ROWS,
    import_roster,
    parse_roster,
    preview_roster,
)
from core.settings import PROJECT_ROOT
from tests import builders

HEADER = ["email", "name", "role", "grade", "department", "manager_email", "capacity"]
GOOD_ROWS = [
    ["claire@example.com", "Claire Martin", "mentee", "14", "Finance", "", ""],
    ["omar@example.com", "Omar Haddad", "mentee", "12", "Operations", "claire@example.com", ""],
    ["priya@example.com", "Priya Nair", "mentor", "4", "Finance", "omar@example.com", "2"],
]


def roster_csv(rows: list[list[str]], delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    return "\r\n".join(delimiter.join(cells) for cells in rows).encode(encoding) + b"\r\n"


def roster_xlsx(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    for cells in rows:
        workbook.active.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def ten_mb_roster() -> bytes:
    row = b"someone@example.com,Some One,mentor\r\n"
    return b"email,name,role\r\n" + row * (10 * 1024 * 1024 // len(row))


@dataclass
class PilotSetup:
    admin: Actor
    pilot_id: int
    pilot_name: str
    invite_code: str


@pytest.fixture
def setup(engine: Engine) -> PilotSetup:
    """A committed pilot with one admin, so every import runs in its own unit of work."""
    with unit_of_work(engine) as session:
        admin = builders.staff(session)
        pilot = builders.pilot(session, admin)
        return PilotSetup(admin, pilot.id, pilot.name, pilot.invite_code)


def people_and_enrollments(engine: Engine) -> tuple[int, int]:
    with Session(engine) as session:
        people = session.exec(select(func.count()).select_from(Person)).one()
        enrollments = session.exec(select(func.count()).select_from(Enrollment)).one()
    return people, enrollments


def refused(engine: Engine, setup: PilotSetup, data: bytes, filename: str) -> dict[str, str]:
    """Import a bad file and prove nothing was written; returns the errors shown to the admin."""
    before = people_and_enrollments(engine)
    with pytest.raises(ValidationFailed) as caught, unit_of_work(engine) as session:
        import_roster(setup.admin, setup.pilot_id, data, filename, session=session)
    assert people_and_enrollments(engine) == before
    return caught.value.errors


def imported(engine: Engine, setup: PilotSetup, data: bytes, filename: str):
    with unit_of_work(engine) as session:
        return import_roster(setup.admin, setup.pilot_id, data, filename, session=session)


def enrolled(engine: Engine, setup: PilotSetup) -> dict[str, tuple[str, str, int]]:
    with Session(engine) as session:
        rows = session.exec(
            select(Person.email, Enrollment.role, Enrollment.status, Enrollment.capacity)
            .join(Enrollment, Enrollment.person_id == Person.id)
            .where(Enrollment.pilot_id == setup.pilot_id)
        ).all()
    return {email: (role, status, capacity) for email, role, status, capacity in rows}


# --- files that import ------------------------------------------------------------------------


def test_good_csv_imports_everyone_who_can_then_join_with_the_invite_code(engine, setup):
    result = imported(engine, setup, roster_csv([HEADER, *GOOD_ROWS]), "roster.csv")

    assert (result.created, result.updated, result.total) == (3, 0, 3)
    assert result.enrolled == {Role.MENTEE: 2, Role.MENTOR: 1, Role.ADMIN: 0}
    assert enrolled(engine, setup) == {
        "admin@example.com": (Role.ADMIN, EnrollmentStatus.ACTIVE, 1),
        "claire@example.com": (Role.MENTEE, EnrollmentStatus.INVITED, 1),
        "omar@example.com": (Role.MENTEE, EnrollmentStatus.INVITED, 1),
        "priya@example.com": (Role.MENTOR, EnrollmentStatus.INVITED, 2),
    }
    with Session(engine) as session:
        omar = session.exec(select(Person).where(Person.email == "omar@example.com")).one()
        assert (omar.name, omar.grade, omar.department, omar.manager_email) == (
            "Omar Haddad",
            12,
            "Operations",
            "claire@example.com",
        )
    with unit_of_work(engine) as session:
        priya_enrollment = session.exec(
            select(Enrollment.id)
            .join(Person, Person.id == Enrollment.person_id)
            .where(Person.email == "priya@example.com")
        ).one()
        priya = builders.join_by_link(session, setup.admin, priya_enrollment)
    assert priya.name == "Priya Nair"
    assert enrolled(engine, setup)["priya@example.com"] == (
        Role.MENTOR,
        EnrollmentStatus.ACTIVE,
        2,
    )


def test_good_xlsx_imports_with_numeric_cells_and_blank_rows(engine, setup):
    data = roster_xlsx(
        [
            ["Email", "Name", "Role", "Grade", "Capacity", "Time zone"],
            ["lea@example.com", "Léa Dubois", "Mentee", 11, None, "Europe/Paris"],
            [],
            ["max@example.com", "Max Weber", "mentor", 3.0, 3, "UTC+1"],
        ]
    )
    preview = parse_roster(data, "roster.xlsx")
    assert preview.file_format == "xlsx"
    assert [(r.row, r.status) for r in preview.rows] == [(2, "ok"), (4, "ok")]

    result = imported(engine, setup, data, "roster.xlsx")

    assert result.enrolled == {Role.MENTEE: 1, Role.MENTOR: 1, Role.ADMIN: 0}
    assert enrolled(engine, setup)["max@example.com"] == (Role.MENTOR, EnrollmentStatus.INVITED, 3)
    with Session(engine) as session:
        lea = session.exec(select(Person).where(Person.email == "lea@example.com")).one()
    assert (lea.name, lea.grade, lea.time_zone) == ("Léa Dubois", 11, "Europe/Paris")


def test_documented_example_roster_imports_cleanly(engine, setup):
    data = (PROJECT_ROOT / "docs" / "roster-example.csv").read_bytes()

    result = imported(engine, setup, data, "roster-example.csv")

    assert (result.created, result.warnings) == (5, ())
    assert result.enrolled == {Role.MENTEE: 2, Role.MENTOR: 2, Role.ADMIN: 1}


def test_utf8_bom_is_read_as_utf8_not_as_part_of_the_email_header(engine, setup):
    data = b"\xef\xbb\xbf" + roster_csv([HEADER, *GOOD_ROWS])

    preview = parse_roster(data, "roster.csv")

    assert (preview.file_errors, preview.columns[0], preview.ok_count) == ([], "email", 3)
    assert imported(engine, setup, data, "roster.csv").total == 3


def test_semicolon_cp1252_file_from_european_excel_imports(engine, setup):
    rows = [
        ["E-mail", "Name", "Role", "Job title", "Department"],
        ["zoe@example.com", "Zoé Müller", "mentor", "Analyste, données", "Développement"],
    ]
    data = roster_csv(rows, delimiter=";", encoding="cp1252")

    result = imported(engine, setup, data, "export.csv")

    assert result.enrolled[Role.MENTOR] == 1
    with Session(engine) as session:
        zoe = session.exec(select(Person).where(Person.email == "zoe@example.com")).one()
    assert (zoe.name, zoe.job_title, zoe.department) == (
        "Zoé Müller",
        "Analyste, données",
        "Développement",
    )


def test_tab_separated_file_with_spaced_headers_and_blank_lines_keeps_spreadsheet_row_numbers():
    data = b"Email\tName\tRole\tManager Email\n\n  ann@example.com \t Ann \tmentee\t\n\t\t\t\n"
    data += b"bob@example.com\tBob\tmentor\tann@example.com\n"

    preview = parse_roster(data, "roster.txt")

    assert preview.file_errors == []
    assert [(r.row, r.email, r.person.name, r.status) for r in preview.rows] == [
        (3, "ann@example.com", "Ann", "ok"),
        (5, "bob@example.com", "Bob", "ok"),
    ]


def test_excel_sep_hint_line_sets_the_delimiter_and_is_not_counted_as_a_row():
    data = b"sep=;\r\nemail;name;role\r\nann@example.com;Ann;mentor\r\n"

    preview = parse_roster(data, "roster.csv")

    assert (preview.file_errors, preview.columns) == ([], ["email", "name", "role"])
    assert [(r.row, r.email, r.status) for r in preview.rows] == [(2, "ann@example.com", "ok")]


def test_unknown_columns_are_ignored_with_a_warning(engine, setup):
    data = roster_csv(
        [["email", "name", "role", "phone"], ["kim@example.com", "Kim", "mentor", "1"]]
    )

    result = imported(engine, setup, data, "roster.csv")

    assert result.total == 1
    assert len(result.warnings) == 1
    assert result.warnings[0].startswith("Ignored column the portal does not use: 'phone'.")


def test_blank_cells_keep_what_the_portal_knows_about_an_existing_person(engine, setup):
    with unit_of_work(engine) as session:
        other = builders.pilot(session, setup.admin, name="Earlier pilot")
        builders.participant(
            session, setup.admin, other, "ines@example.com", Role.MENTOR, grade=3, department="IT"
        )
    data = roster_csv([HEADER, ["ines@example.com", "Inès Costa", "mentor", "", "", "", ""]])

    result = imported(engine, setup, data, "roster.csv")

    assert (result.created, result.updated) == (0, 1)
    # She already has an account, yet she counts in the new pilot only once she accepts.
    assert enrolled(engine, setup)["ines@example.com"] == (Role.MENTOR, EnrollmentStatus.INVITED, 1)
    with Session(engine) as session:
        ines = session.exec(select(Person).where(Person.email == "ines@example.com")).one()
    assert (ines.name, ines.grade, ines.department) == ("Inès Costa", 3, "IT")


def test_preview_frame_lists_every_row_with_its_status_and_problems(engine, setup):
    data = roster_csv([HEADER, GOOD_ROWS[0], ["bad-email", "Bo", "boss", "x", "", "", ""]])

    with Session(engine) as session:
        preview = preview_roster(setup.admin, setup.pilot_id, data, "r.csv", session=session)
    frame = preview.to_frame()

    assert list(frame.columns) == list(FRAME_COLUMNS)
    assert (preview.ok_count, preview.error_count, preview.can_import) == (1, 1, False)
    assert frame["row"].tolist() == [2, 3]
    assert frame["status"].tolist() == ["ok", "error"]
    assert frame["grade"].tolist() == ["14", "x"]
    assert frame["problems"].tolist() == [
        "",
        "email: 'bad-email' is not a valid email address (expected name@company.com); "
        "role: 'boss' is not a role; use mentee, mentor or admin; "
        "grade: 'x' is not a whole number (e.g. 7)",
    ]


# --- files that are refused, writing nothing ---------------------------------------------------


def test_empty_file_is_refused(engine, setup):
    assert refused(engine, setup, b"", "roster.csv") == {
        "file": "The file is empty. Put a header row (email, name, role, ...) and one person "
        "per row."
    }
    assert refused(engine, setup, b" \r\n\r\n", "roster.csv")["file"].startswith(
        "The file is empty"
    )


def test_header_only_file_is_refused(engine, setup):
    assert refused(engine, setup, roster_csv([HEADER]), "roster.csv") == {
        "file": "The file has a header (row 1) but no people; add one person per row below it."
    }


def test_missing_required_columns_are_named_with_the_columns_found(engine, setup):
    data = roster_csv([["Mail", "Name", "Team"], ["a@example.com", "Ann", "IT"]])

    message = refused(engine, setup, data, "roster.csv")["file"]

    assert message.startswith(
        "Missing required columns: email, role. Columns found: 'Mail', 'Name', 'Team'."
    )


def test_file_over_5_mb_is_refused_without_being_parsed(engine, setup):
    data = ten_mb_roster()

    errors = refused(engine, setup, data, "big.csv")

    assert errors == {
        "file": "The file is 10.0 MB; the limit is 5 MB. Remove unused columns or split it into "
        "smaller files."
    }
    assert parse_roster(data, "big.csv").rows == []


def test_more_than_5000_rows_is_refused(engine, setup):
    rows = [[f"p{i}@example.com", f"Person {i}", "mentor"] for i in range(MAX_ROWS + 1)]

    errors = refused(engine, setup, roster_csv([["email", "name", "role"], *rows]), "r.csv")

    assert errors == {
        "file": "The file has more than 5000 people (rows); split it into files of at most "
        "5000 rows."
    }


def test_exactly_5000_rows_is_accepted_by_the_parser():
    rows = [[f"p{i}@example.com", f"Person {i}", "mentor"] for i in range(MAX_ROWS)]

    preview = parse_roster(roster_csv([["email", "name", "role"], *rows]), "r.csv")

    assert (preview.file_errors, preview.ok_count) == ([], MAX_ROWS)


def test_file_named_xlsx_that_is_not_a_workbook_is_refused(engine, setup):
    assert refused(engine, setup, roster_csv([HEADER, *GOOD_ROWS]), "roster.xlsx") == {
        "file": "'roster.xlsx' is named like an Excel workbook but is not one. Save the roster "
        "again from Excel as .xlsx or CSV."
    }
    assert refused(engine, setup, b"PK\x03\x04 broken", "roster.xlsx")["file"].startswith(
        "This file could not be read as an Excel .xlsx workbook."
    )


def test_duplicate_emails_in_the_file_mark_every_occurrence(engine, setup):
    rows = [
        HEADER,
        GOOD_ROWS[0],
        ["Claire@Example.com", "Claire M", "mentee", "", "", "", ""],
        GOOD_ROWS[2],
        ["claire@example.com", "Claire", "mentee", "", "", "", ""],
    ]

    errors = refused(engine, setup, roster_csv(rows), "roster.csv")

    assert errors == {
        "row 2": "email: claire@example.com also appears in rows 3, 5; keep one row per person",
        "row 3": "email: claire@example.com also appears in rows 2, 5; keep one row per person",
        "row 5": "email: claire@example.com also appears in rows 2, 3; keep one row per person",
    }


def test_person_already_in_the_pilot_is_a_row_error_naming_their_role(engine, setup):
    with unit_of_work(engine) as session:
        pilot = session.get(Pilot, setup.pilot_id)
        builders.participant(session, setup.admin, pilot, "priya@example.com", Role.MENTOR)

    errors = refused(engine, setup, roster_csv([HEADER, *GOOD_ROWS]), "roster.csv")

    assert errors == {"row 4": "email: priya@example.com is already in this pilot as mentor"}


def test_unknown_and_missing_roles_say_which_roles_exist(engine, setup):
    rows = [
        HEADER,
        ["a@example.com", "Ann", "senior", "", "", "", ""],
        ["b@example.com", "Bob", "", "", "", "", ""],
    ]

    assert refused(engine, setup, roster_csv(rows), "roster.csv") == {
        "row 2": "role: 'senior' is not a role; use mentee, mentor or admin",
        "row 3": "role: is required; use mentee, mentor or admin",
    }


def test_malformed_email_is_a_row_error(engine, setup):
    rows = [HEADER, GOOD_ROWS[0], ["ann.example.com", "Ann", "mentor", "", "", "", ""]]

    assert refused(engine, setup, roster_csv(rows), "roster.csv") == {
        "row 3": "email: 'ann.example.com' is not a valid email address (expected name@company.com)"
    }


def test_non_numeric_grade_and_capacity_are_row_errors(engine, setup):
    rows = [
        HEADER,
        ["a@example.com", "Ann", "mentee", "senior", "", "", ""],
        ["b@example.com", "Bob", "mentor", "7.5", "", "", "two"],
        ["c@example.com", "Cid", "mentor", "40", "", "", "5"],
    ]

    assert refused(engine, setup, roster_csv(rows), "roster.csv") == {
        "row 2": "grade: 'senior' is not a whole number (e.g. 7)",
        "row 3": "grade: '7.5' is not a whole number (e.g. 7); "
        "capacity: 'two' is not a whole number (e.g. 2)",
        "row 4": "grade: must be a whole number between 0 and 30; "
        "capacity: a mentor takes 1 to 3 mentees",
    }


def test_manager_loops_in_the_file_are_named_on_every_row_of_the_loop(engine, setup):
    rows = [
        HEADER,
        ["a@example.com", "Ann", "mentee", "", "", "b@example.com", ""],
        ["b@example.com", "Bob", "mentee", "", "", "a@example.com", ""],
        ["c@example.com", "Cid", "mentor", "", "", "a@example.com", ""],
        ["d@example.com", "Dee", "mentor", "", "", "d@example.com", ""],
    ]

    assert refused(engine, setup, roster_csv(rows), "roster.csv") == {
        "row 2": "manager_email: creates a manager loop: a@example.com → b@example.com → "
        "a@example.com",
        "row 3": "manager_email: creates a manager loop: b@example.com → a@example.com → "
        "b@example.com",
        "row 5": "manager_email: a person cannot be their own manager",
    }


def test_manager_loop_through_people_the_portal_already_knows(engine, setup):
    with unit_of_work(engine) as session:
        other = builders.pilot(session, setup.admin, name="Earlier pilot")
        builders.participant(
            session, setup.admin, other, "boss@example.com", Role.MENTEE, manager_email="new@x.org"
        )
    rows = [HEADER, ["new@x.org", "Nia", "mentor", "", "", "boss@example.com", ""]]

    assert refused(engine, setup, roster_csv(rows), "roster.csv") == {
        "row 2": "manager_email: creates a manager loop: new@x.org → boss@example.com → new@x.org"
    }


def test_one_bad_row_refuses_the_whole_file(engine, setup):
    rows = [HEADER, *GOOD_ROWS, ["x@example.com", "", "mentor", "", "", "", ""]]

    assert refused(engine, setup, roster_csv(rows), "roster.csv") == {"row 5": "name: is required"}


def test_unquoted_separator_in_a_value_is_a_row_error():
    data = roster_csv([["email", "name", "role"], ["a@example.com", "Smith", "Ann", "mentee"]])

    preview = parse_roster(data, "r.csv")

    assert preview.rows[0].problems == [
        "role: 'ann' is not a role; use mentee, mentor or admin",
        "columns: this row has 4 values but the header has 3 columns; put text containing the "
        "separator (e.g. 'Smith, Ann') in quotes",
    ]


def test_only_pilot_admins_may_preview_or_import(engine, setup):
    with unit_of_work(engine) as session:
        pilot = session.get(Pilot, setup.pilot_id)
        mentor, _ = builders.participant(session, setup.admin, pilot, "m@example.com", Role.MENTOR)
    data = roster_csv([HEADER, *GOOD_ROWS])
    before = people_and_enrollments(engine)

    with Session(engine) as session:
        with pytest.raises(NotAllowed, match="Only administrators of the pilot 'Pilot 2027'"):
            preview_roster(mentor, setup.pilot_id, data, "r.csv", session=session)
        with pytest.raises(NotAllowed):
            import_roster(mentor, setup.pilot_id, data, "r.csv", session=session)

    assert people_and_enrollments(engine) == before


# --- command line ---------------------------------------------------------------------------


def run_cli(db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": db_url}
    return subprocess.run(
        [sys.executable, "-m", "core", "import-roster", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_imports_as_the_pilot_creator(engine, db_url, setup, tmp_path: Path):
    roster = tmp_path / "roster.csv"
    roster.write_bytes(roster_csv([HEADER, *GOOD_ROWS]))
    engine.dispose()

    done = run_cli(db_url, setup.pilot_name, str(roster))

    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == (
        f"Imported 3 people into 'Pilot 2027' (2 mentees, 1 mentor): 3 new, 0 already known. "
        f"They join with the invite code {setup.invite_code}.\n"
    )
    assert set(enrolled(engine, setup)) == {
        "admin@example.com",
        "claire@example.com",
        "omar@example.com",
        "priya@example.com",
    }


def test_cli_dry_run_writes_nothing(engine, db_url, setup, tmp_path: Path):
    roster = tmp_path / "roster.csv"
    roster.write_bytes(roster_csv([HEADER, *GOOD_ROWS]))
    before = people_and_enrollments(engine)
    engine.dispose()

    done = run_cli(
        db_url, str(setup.pilot_id), str(roster), "--as", "ADMIN@example.com", "--dry-run"
    )

    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == "Dry run: all 3 rows are fine (2 mentees, 1 mentor); nothing imported.\n"
    assert people_and_enrollments(engine) == before


def test_cli_row_errors_print_one_line_and_exit_2(engine, db_url, setup, tmp_path: Path):
    rows = [
        HEADER,
        ["a@example.com", "Ann", "boss", "", "", "", ""],
        GOOD_ROWS[0],
        ["bad", "Bob", "mentor", "x", "", "", ""],
        ["c@example.com", "", "mentor", "", "", "", ""],
        ["d@example.com", "Dee", "", "", "", "", ""],
    ]
    roster = tmp_path / "roster.csv"
    roster.write_bytes(roster_csv(rows))
    before = people_and_enrollments(engine)
    engine.dispose()

    done = run_cli(db_url, setup.pilot_name, str(roster))

    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "error: 4 rows have problems; nothing imported. "
        "row 2: role: 'boss' is not a role; use mentee, mentor or admin; "
        "row 4: email: 'bad' is not a valid email address (expected name@company.com); "
        "grade: 'x' is not a whole number (e.g. 7); "
        "row 5: name: is required (and 1 more)\n"
    )
    assert people_and_enrollments(engine) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["Nope", "{roster}"],
            "error: No pilot has the id or name 'Nope'. Check the spelling or use its id.\n",
        ),
        (["{pilot}", "{missing}"], "error: no such file: {missing}\n"),
        (
            ["{pilot}", "{empty}"],
            "error: The file is empty. Put a header row (email, name, role, ...) and one person "
            "per row.\n",
        ),
        (
            ["{pilot}", "{big}"],
            "error: {big} is 10.0 MB; the limit is 5 MB. Split it into smaller files.\n",
        ),
        (
            ["{pilot}", "{roster}", "--as", "ghost@example.com"],
            "error: No account has the email ghost@example.com.\n",
        ),
        (
            ["{pilot}", "{roster}", "--as", "m@example.com"],
            "error: Only administrators of the pilot 'Pilot 2027' can do this. Ask one of them to "
            "add you as an administrator.\n",
        ),
    ],
    ids=["unknown-pilot", "missing-file", "empty-file", "10-mb-file", "unknown-admin", "not-admin"],
)
def test_cli_bad_input_prints_one_error_line_and_exits_2(
    engine, db_url, setup, tmp_path: Path, monkeypatch, capsys, args: list[str], message: str
):
    """In-process through the same entry point as `python -m core` (a subprocess per case would
    only add start-up time; the subprocess tests above cover the real process)."""
    with unit_of_work(engine) as session:
        pilot = session.get(Pilot, setup.pilot_id)
        builders.participant(session, setup.admin, pilot, "m@example.com", Role.MENTOR)
    places = {
        "pilot": str(setup.pilot_id),
        "roster": str(tmp_path / "roster.csv"),
        "empty": str(tmp_path / "empty.csv"),
        "big": str(tmp_path / "big.csv"),
        "missing": str(tmp_path / "missing.csv"),
    }
    Path(places["roster"]).write_bytes(roster_csv([HEADER, *GOOD_ROWS]))
    Path(places["empty"]).write_bytes(b"")
    Path(places["big"]).write_bytes(ten_mb_roster())
    before = people_and_enrollments(engine)
    monkeypatch.setenv("DATABASE_URL", db_url)

    code = cli_main(["import-roster", *(a.format(**places) for a in args)])

    assert (code, capsys.readouterr()) == (2, ("", message.format(**places)))
    assert people_and_enrollments(engine) == before
