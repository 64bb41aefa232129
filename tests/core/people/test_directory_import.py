"""The organisation directory from five HR systems' exports, synced into a real SQLite file."""

from __future__ import annotations

import csv
import io
import os
from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from core.db import make_engine, migrate, unit_of_work
from core.errors import NotAllowed, ValidationFailed
from core.models import Enrollment, EnrollmentStatus, Person, Role
from core.pairs.run import run_matching
from core.people.directory_import import (
    DirectoryOptions,
    import_directory,
    loop_text,
    manager_loops,
    preview_directory,
)
from core.people.directory_invite import (
    DirectoryInvite,
    invite_from_directory,
    invite_roster_from_directory,
    search_directory,
    withdraw_leavers,
)
from core.tracking.at_risk import at_risk_pairs
from tests import builders
from tests.builders import directory as lumen

TODAY = date(2026, 3, 1)


@pytest.fixture
def staff(engine: Engine):
    with unit_of_work(engine) as session:
        return builders.staff(session)


def people(engine: Engine) -> dict[str, Person]:
    with Session(engine) as session:
        return {p.email: p for p in session.exec(select(Person)).all()}


def run_import(engine, actor, data, filename, options=None):
    with unit_of_work(engine) as session:
        return import_directory(actor, data, filename, options, session=session, today=TODAY)


def run_preview(engine, actor, data, filename, options=None):
    with unit_of_work(engine) as session:
        return preview_directory(actor, data, filename, options, session=session, today=TODAY)


# --- the five shapes ---------------------------------------------------------------------------

PROPOSED = {
    "workday": {
        "employee_id": "Employee_ID", "email": "WorkEmail", "name": "Preferred_Name",
        "job_title": "BusinessTitle", "grade": "Job_Level", "department": "Department_Name",
        "manager_id": "Manager_ID", "location": "Location", "time_zone": "Time_Zone",
        "status": "Worker_Status", "end_date": "Termination_Date",
    },
    "bamboohr": {
        "employee_id": "Employee #", "first_name": "First Name", "last_name": "Last Name",
        "email": "Work Email", "job_title": "Job Title", "grade": "Job Level",
        "department": "Department", "location": "Location", "manager_id": "Supervisor ID",
        "status": "Status", "end_date": "Termination Date",
    },
    "personio": {
        "employee_id": "id", "first_name": "first_name", "last_name": "last_name",
        "email": "email", "job_title": "position", "department": "department",
        "location": "office", "manager_name": "supervisor", "grade": "level", "status": "status",
    },
    "hibob": {
        "email": "/root/email", "first_name": "/root/firstName", "last_name": "/root/surname",
        "employee_id": "/work/employeeIdInCompany", "job_title": "/work/title",
        "department": "/work/department", "location": "/work/site",
        "manager_email": "/work/reportsTo/email", "status": "/internal/status",
        "end_date": "/internal/terminationDate",
    },
    "successfactors": {
        "status": "STATUS", "employee_id": "USERID", "first_name": "FIRSTNAME",
        "last_name": "LASTNAME", "email": "EMAIL", "manager_id": "MANAGER",
        "department": "DEPARTMENT", "job_title": "TITLE", "location": "LOCATION",
        "time_zone": "TIMEZONE",
    },
}  # fmt: skip
SYSTEMS = {"workday": "Workday", "bamboohr": "BambooHR", "personio": "Personio",
           "hibob": "HiBob", "successfactors": "SAP SuccessFactors"}  # fmt: skip
GRADES = {
    "workday": lumen.WORKDAY_GRADES,
    "bamboohr": lumen.BAMBOO_GRADES,
    "personio": lumen.PERSONIO_GRADES,
    "hibob": dict.fromkeys(lumen.NAMES),
    "successfactors": dict.fromkeys(lumen.NAMES),
}


@pytest.mark.parametrize("shape", list(lumen.SHAPES))
def test_each_export_gives_the_same_organisation(engine, staff, shape):
    filename, build = lumen.SHAPES[shape]
    data = build()
    preview = run_preview(engine, staff, data, filename)
    assert preview.file_errors == []
    assert preview.system == SYSTEMS[shape]
    assert preview.mapping == PROPOSED[shape]
    assert all(c.reason for c in preview.columns)

    result = run_import(engine, staff, data, filename)

    assert (result.created, result.updated, result.leavers) == (7, 0, 0)
    found = people(engine)
    assert lumen.LEAVER not in found  # a leaver who was never in the portal is not added
    for email, name in lumen.NAMES.items():
        person = found[email]
        assert person.name == name
        assert person.manager_email == lumen.MANAGERS[email]
        assert person.grade == GRADES[shape][email]
        assert person.in_directory and not person.is_leaver
    assert found["lukasz.nowak@lumen.example"].department == ""  # empty in every file
    assert found["lukasz.nowak@lumen.example"].time_zone == "Europe/Warsaw"
    assert found["jurgen.schafer@lumen.example"].time_zone == "Europe/Berlin"
    assert found["chloe.martin@lumen.example"].location == "Paris"
    assert found["mei.tanaka@lumen.example"].job_title == ""


def test_bamboohr_never_takes_the_home_email(engine, staff):
    preview = run_preview(engine, staff, lumen.bamboohr_xlsx(), "lumen.xlsx")
    home = next(c for c in preview.columns if c.header == "Home Email")
    assert home.field is None and "personal" in home.reason
    assert "gmail" not in " ".join(people(engine))
    refused = run_preview(
        engine, staff, lumen.bamboohr_xlsx(), "lumen.xlsx",
        DirectoryOptions(mapping={"email": "Home Email"}),
    )  # fmt: skip
    assert any("personal addresses" in e for e in refused.file_errors)


def test_successfactors_two_header_rows_and_no_mgr(engine, staff):
    preview = run_preview(engine, staff, lumen.successfactors_csv(), "users.csv")
    assert preview.labels[:2] == ["Status", "User ID"]
    assert [r.row for r in preview.rows][0] == 3  # the labels are row 2, people start at 3
    hr = next(c for c in preview.columns if c.header == "HR")
    assert hr.field is None
    ceo = next(r for r in preview.rows if r.employee_id == "E100")
    assert ceo.manager_email is None and not ceo.problems


def test_grade_labels_wait_for_the_admins_table(engine, staff):
    data = lumen.workday_csv()
    preview = run_preview(engine, staff, data, "wd.csv")
    table = {g.label: g.number for g in preview.grades}
    assert table["Senior Manager"] == 8 and table["Intern"] == 1
    # The admin's own scale wins: the company counts directors as 20.
    run_import(engine, staff, data, "wd.csv", DirectoryOptions(grades={"Director": 20}))
    assert people(engine)["sofia.hernandez@lumen.example"].grade == 20


def test_termination_date_in_the_future_is_still_active(engine, staff):
    preview = run_preview(engine, staff, lumen.workday_csv(), "wd.csv")
    lukasz = next(r for r in preview.rows if r.employee_id == "E105")
    tom = next(r for r in preview.rows if r.employee_id == "E107")
    assert not lukasz.leaving
    assert tom.leaving and tom.left_on == date(2025, 11, 30)


# --- sync ------------------------------------------------------------------------------------


def _edited_workday(edit) -> bytes:
    rows = lumen.workday_rows()
    header = rows[0]
    records = [dict(zip(header, r, strict=True)) for r in rows[1:]]
    edit(records)
    out = io.StringIO()
    writer = csv.DictWriter(out, header, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(records)
    return out.getvalue().encode()


def test_reimport_lists_three_changes_a_new_person_and_a_leaver(engine, staff):
    run_import(engine, staff, lumen.workday_csv(), "wd.csv")

    def edit(records):
        by_id = {r["Employee_ID"]: r for r in records}
        by_id["E104"]["BusinessTitle"] = "Senior Software Engineer"
        by_id["E105"]["Department_Name"] = "Controlling"
        by_id["E106"]["Manager_ID"] = "E104"
        by_id["E102"].update(Worker_Status="Terminated", Termination_Date="2026-02-15")
        by_id["E103"]["Manager_ID"] = "E100"  # Sofía leaves; Chloé now reports to the CEO
        records.append({**by_id["E104"], "Employee_ID": "E108", "WorkEmail": "zoe.ngata@lumen.example",
                        "Preferred_Name": "Zoë Ngata", "BusinessTitle": "Data Analyst",
                        "Job_Level": "Analyst"})  # fmt: skip

    second = _edited_workday(edit)
    preview = run_preview(engine, staff, second, "wd2.csv")
    changes = {r.email: r.changes for r in preview.rows if r.action == "update"}
    assert changes == {
        "ngozi.okafor@lumen.example": ["job title: Software Engineer → Senior Software Engineer"],
        "lukasz.nowak@lumen.example": ["department: — → Controlling"],
        "mei.tanaka@lumen.example": [
            "manager: chloe.martin@lumen.example → ngozi.okafor@lumen.example"
        ],
        "chloe.martin@lumen.example": [
            "manager: sofia.hernandez@lumen.example → amelie.dubois@lumen.example"
        ],
    }
    assert [r.email for r in preview.rows if r.action == "leaver"] == [
        "sofia.hernandez@lumen.example"
    ]
    assert [r.email for r in preview.rows if r.action == "new"] == ["zoe.ngata@lumen.example"]

    result = run_import(engine, staff, second, "wd2.csv")

    assert (result.created, result.updated, result.unchanged, result.leavers) == (1, 4, 2, 1)
    found = people(engine)
    assert found["ngozi.okafor@lumen.example"].job_title == "Senior Software Engineer"
    assert found["lukasz.nowak@lumen.example"].department == "Controlling"
    assert found["mei.tanaka@lumen.example"].manager_email == "ngozi.okafor@lumen.example"
    sofia = found["sofia.hernandez@lumen.example"]
    assert sofia.is_leaver and sofia.left_on == date(2026, 2, 15)
    assert found["zoe.ngata@lumen.example"].name == "Zoë Ngata"
    assert found["zoe.ngata@lumen.example"].grade == 3


def test_someone_missing_from_the_new_export_is_a_leaver(engine, staff):
    run_import(engine, staff, lumen.hibob_csv(), "bob.csv")
    rows = list(csv.reader(io.StringIO(lumen.hibob_csv().decode())))
    without_mei = [r for r in rows if r[0] != "mei.tanaka@lumen.example"]
    out = io.StringIO()
    csv.writer(out).writerows(without_mei)
    preview = run_preview(engine, staff, out.getvalue().encode(), "bob.csv")
    assert [a.email for a in preview.absent] == ["mei.tanaka@lumen.example"]
    run_import(engine, staff, out.getvalue().encode(), "bob.csv")
    assert people(engine)["mei.tanaka@lumen.example"].is_leaver


def test_the_mapping_is_remembered_for_the_next_import(engine, staff):
    data = lumen.personio_csv()
    # The admin decides that the office is not a location the portal should keep.
    run_import(engine, staff, data, "p.csv", DirectoryOptions(mapping={"location": ""}))
    preview = run_preview(engine, staff, data, "p.csv")
    assert "location" not in preview.mapping
    remembered = next(c for c in preview.columns if c.header == "email")
    assert remembered.reason.startswith("as you chose in the last import")


# --- whole-file checks -----------------------------------------------------------------------

HEADER = "Employee_ID,WorkEmail,Preferred_Name,Job_Level,Manager_ID,Reporting to\r\n"


def test_manager_problems_are_row_problems_and_nothing_is_written(engine, staff):
    data = (
        HEADER
        + "A1,ana@x.com,Ana Alves,3,A9,\r\n"  # unknown id
        + "A2,ben@x.com,Ben Bauer,4,A2,\r\n"  # manages himself
        + "A3,cy@x.com,Cy Cole,5,A4,\r\n"  # a loop A3 -> A4 -> A3
        + "A4,dee@x.com,Dee Diaz,6,A3,\r\n"
        + "A5,eve@x.com,Eve Egan,7,,Jo Kim\r\n"  # two Jo Kims
        + "A6,jo1@x.com,Jo Kim,8,,\r\n"
        + "A7,jo2@x.com,Jo Kim,9,,\r\n"
        + "A8,fay@x.com,Fay Fox,10,,Nobody Known\r\n"
        + "A9b,ANA@x.com ,Ana Again,3,,\r\n"  # the same e-mail as row 2, other case
    ).encode()
    preview = run_preview(engine, staff, data, "bad.csv")
    problems = {r.row: "; ".join(r.problems) for r in preview.rows if r.problems}
    assert "Manager_ID: no one in the file has the employee id 'A9'" in problems[2]
    assert "WorkEmail: ana@x.com also appears in row 10" in problems[2]
    assert "Manager_ID: a person cannot be their own manager" in problems[3]
    assert "manager loop: cy@x.com → dee@x.com → cy@x.com" in problems[4]
    assert "manager loop: dee@x.com → cy@x.com → dee@x.com" in problems[5]
    assert "Reporting to: 2 people in the file are named 'Jo Kim' (rows 7, 8)" in problems[6]
    assert "nobody in the file is named 'Nobody Known'" in problems[9]
    assert sorted(problems) == [2, 3, 4, 5, 6, 9, 10]
    frame = preview.to_frame()
    assert list(frame.columns)[0] == "problem"
    assert all(frame["problem"].iloc[:7] != "") and all(frame["problem"].iloc[7:] == "")
    with pytest.raises(ValidationFailed) as refused:
        run_import(engine, staff, data, "bad.csv")
    assert "row 2" in refused.value.errors
    assert set(people(engine)) == {"admin@example.com"}


def test_manager_loop_finder_is_linear_on_a_long_chain():
    chain = {f"p{i}": f"p{i + 1}" for i in range(100_000)}
    chain["p100000"] = "p0"
    loops = manager_loops(chain, list(chain))
    assert len(loops) == 100_001
    assert loop_text(*loops["p5"], shown=3) == "p5 → p6 → p7 → … 99998 more → p5"


def test_only_the_programme_team_imports_the_directory(engine, staff):
    with unit_of_work(engine) as session:
        pilot = builders.pilot(session, staff)
        mentee, _ = builders.participant(session, staff, pilot, "lea@x.com", Role.MENTEE)
    with pytest.raises(NotAllowed):
        run_preview(engine, mentee, lumen.workday_csv(), "wd.csv")
    with pytest.raises(NotAllowed):
        run_import(engine, mentee, lumen.workday_csv(), "wd.csv")


# --- inviting from the directory and the reporting line -------------------------------------


def test_admins_find_and_invite_people_from_the_directory(engine, staff):
    run_import(engine, staff, lumen.workday_csv(), "wd.csv")
    with unit_of_work(engine) as session:
        pilot = builders.pilot(session, staff)
        engineering = search_directory(staff, pilot.id, department="Engineering", session=session)
        assert [e.name for e in engineering] == [
            "Chloé Martin", "Mei Tanaka", "Ngozi Okafor", "Sofía Hernández",
        ]  # fmt: skip
        seniors = search_directory(staff, pilot.id, grade_min=9, session=session)
        assert {e.email for e in seniors} == {
            "amelie.dubois@lumen.example", "jurgen.schafer@lumen.example",
            "sofia.hernandez@lumen.example",
        }  # fmt: skip
        chosen = [DirectoryInvite(e.person_id, Role.MENTEE) for e in seniors]
        assert invite_from_directory(staff, pilot.id, chosen, session=session) == 3
        roster = b"email,role,capacity\r\nNgozi.Okafor@lumen.example,mentor,2\r\n"
        assert invite_roster_from_directory(staff, pilot.id, roster, "r.csv", session=session) == 1
        with pytest.raises(ValidationFailed) as refused:
            invite_roster_from_directory(
                staff, pilot.id, b"email,role\r\nnobody@lumen.example,mentor\r\n", "r.csv",
                session=session,
            )  # fmt: skip
        assert "not in the organisation directory" in refused.value.errors["row 2"]
        enrolled = session.exec(select(Enrollment).where(Enrollment.pilot_id == pilot.id)).all()
        statuses = {e.role: e.status for e in enrolled if e.role != Role.ADMIN}
        assert statuses == {Role.MENTEE: EnrollmentStatus.INVITED, Role.MENTOR: "invited"}
        assert {e.capacity for e in enrolled if e.role == Role.MENTOR} == {2}


def test_matching_refuses_a_mentor_two_non_participant_managers_below_the_mentee(engine, staff):
    """Directory: Ines (mentee) <- Dan <- Mo <- Tariq (mentor); Dan and Mo are not in the pilot."""
    directory = (
        "Employee_ID,WorkEmail,Preferred_Name,Job_Level,Department_Name,Manager_ID\r\n"
        "D1,ines@acme.example,Inès Duval,12,Finance,\r\n"
        "D2,dan@acme.example,Dan Roth,9,Finance,D1\r\n"
        "D3,mo@acme.example,Mo Saleh,7,Finance,D2\r\n"
        "D4,tariq@acme.example,Tariq Aziz,3,Finance,D3\r\n"
        "D5,yuki@acme.example,Yuki Sato,3,IT,\r\n"
    ).encode()
    run_import(engine, staff, directory, "acme.csv")
    with unit_of_work(engine) as session:
        pilot = builders.pilot(session, staff)
        found = {e.email: e for e in search_directory(staff, pilot.id, session=session)}
        invite_from_directory(staff, pilot.id, [
            DirectoryInvite(found["ines@acme.example"].person_id, Role.MENTEE),
            DirectoryInvite(found["tariq@acme.example"].person_id, Role.MENTOR),
        ], session=session)  # fmt: skip
        ines = builders.join_by_email(session, staff, pilot.id, "ines@acme.example")
        tariq = builders.join_by_email(session, staff, pilot.id, "tariq@acme.example")
        builders.ready_mentee(session, ines, pilot, {"Generative AI basics": 1})
        builders.ready_mentor(session, tariq, pilot, {"Generative AI basics": 3})
        summary = run_matching(staff, pilot.id, session=session)
    assert summary.suggested == 0
    assert summary.unmatched == [
        {
            "enrollment_id": summary.unmatched[0]["enrollment_id"],
            "name": "Inès Duval",
            "reason": "the only mentor who knows these goal topics is in the reporting line",
        }
    ]


def test_a_leaver_in_a_pilot_is_offered_for_withdrawal_and_their_pair_is_at_risk(engine, staff):
    run_import(engine, staff, lumen.workday_csv(), "wd.csv")
    with unit_of_work(engine) as session:
        pilot = builders.pilot(session, staff)
        found = {e.email: e for e in search_directory(staff, pilot.id, session=session)}
        invite_from_directory(staff, pilot.id, [
            DirectoryInvite(found["jurgen.schafer@lumen.example"].person_id, Role.MENTEE),
            DirectoryInvite(found["mei.tanaka@lumen.example"].person_id, Role.MENTOR),
        ], session=session)  # fmt: skip
        for email in ("jurgen.schafer@lumen.example", "mei.tanaka@lumen.example"):
            builders.join_by_email(session, staff, pilot.id, email)
        from core.pairs.review import PairDecision, list_pairs, publish_pairs, review_pairs

        actors = {p.email: p for p in session.exec(select(Person)).all()}
        from core.auth import actor_for

        builders.ready_mentee(session, actor_for(actors["jurgen.schafer@lumen.example"]), pilot,
                              {"Generative AI basics": 1})  # fmt: skip
        builders.ready_mentor(session, actor_for(actors["mei.tanaka@lumen.example"]), pilot,
                              {"Generative AI basics": 3})  # fmt: skip
        run_matching(staff, pilot.id, session=session)
        rows = list_pairs(staff, pilot.id, session=session)
        review_pairs(staff, pilot.id, [PairDecision(p.pair_id, "approve") for p in rows],
                     session=session)  # fmt: skip
        publish_pairs(staff, pilot.id, session=session)
        pilot_id = pilot.id

    def mei_leaves(records):
        next(r for r in records if r["Employee_ID"] == "E106")["Worker_Status"] = "Terminated"

    data = _edited_workday(mei_leaves)
    preview = run_preview(engine, staff, data, "wd.csv")
    assert [(p.name, p.role) for p in preview.leaver_participants] == [("Mei Tanaka", "mentor")]
    run_import(engine, staff, data, "wd.csv")
    with unit_of_work(engine) as session:
        flagged = at_risk_pairs(staff, pilot_id, session=session, today=TODAY)
        assert [r.reasons[0] for r in flagged] == ["The mentor left the organisation"]
        assert withdraw_leavers(staff, [preview.leaver_participants[0].enrollment_id],
                                session=session) == 1  # fmt: skip
        flagged = at_risk_pairs(staff, pilot_id, session=session, today=TODAY)
        assert flagged[0].reasons == ["The mentor withdrew; the mentee has no new pair"]


# --- the same bulk writes on PostgreSQL ---------------------------------------------------------

POSTGRES = os.environ.get("TEST_POSTGRES_URL")


@pytest.mark.postgres
@pytest.mark.skipif(not POSTGRES, reason="TEST_POSTGRES_URL is not set (see .ci/run)")
def test_import_and_resync_on_postgres(pg_url):
    engine = make_engine(pg_url)
    migrate(engine)
    with unit_of_work(engine) as session:
        admin = builders.staff(session)
    run_import(engine, admin, lumen.workday_csv(), "wd.csv")

    def edit(records):
        next(r for r in records if r["Employee_ID"] == "E104")["Department_Name"] = "Data"
        next(r for r in records if r["Employee_ID"] == "E106")["Worker_Status"] = "Terminated"

    result = run_import(engine, admin, _edited_workday(edit), "wd.csv")
    assert (result.created, result.updated, result.leavers) == (0, 1, 1)
    found = people(engine)
    assert found["ngozi.okafor@lumen.example"].department == "Data"
    assert found["mei.tanaka@lumen.example"].is_leaver
    assert found["ngozi.okafor@lumen.example"].manager_email == "chloe.martin@lumen.example"
    engine.dispose()
