"""AppTest of the Directory page: upload an HR export, correct the mapping, import."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from core.models import Person, Role
from tests import builders
from tests.builders import directory as lumen
from tests.builders.apptest import app, texts
from ui.directory import NOT_USED


@pytest.fixture(autouse=True)
def _db(monkeypatch, db_url):
    monkeypatch.setenv("DATABASE_URL", db_url)


@pytest.fixture
def staff(engine):
    with Session(engine, expire_on_commit=False) as s:
        admin = builders.staff(s)
        s.commit()
    return admin


def stored(engine) -> dict[str, Person]:
    with Session(engine) as s:
        return {p.email: p for p in s.exec(select(Person)).all()}


def open_directory(actor):
    at = app(actor).run()
    return at.switch_page("pages/directory.py").run()


def import_and_wait(at):
    """Click Import: the run that starts the import draws its bar; once the import thread has
    finished, the next run shows the result."""
    at.button(key="directory_import").click().run()
    bars = at.get("progress")
    assert len(bars) == 1 and bars[0].text.startswith("Importing ")
    assert all(b.key != "directory_import" for b in at.button)  # no second import meanwhile
    assert at.session_state["directory_job"].wait(timeout=120)
    return at.run()


def test_upload_check_and_import_a_workday_export(engine, staff):
    at = open_directory(staff)
    assert "Organisation directory" in texts(at)
    at.file_uploader(key="directory_file").set_value(
        ("lumen_workday.csv", lumen.workday_csv(), "text/csv")
    ).run()
    assert "This looks like a Workday export." in texts(at)
    assert at.selectbox(key="directory_map_email").value == "WorkEmail"
    assert "Workday exports call the work e-mail 'WorkEmail'" in texts(at)
    assert [m.value for m in at.metric][:2] == ["7", "0"]
    grades = at.dataframe(key="directory_grades").value
    assert dict(zip(grades["label"], grades["number"], strict=True))["Senior Manager"] == 8
    import_and_wait(at)
    assert at.get("progress") == []
    assert "Directory imported: 7 new, 0 updated, 0 unchanged, 0 leavers." in texts(at)
    people = stored(engine)
    assert people["ngozi.okafor@lumen.example"].manager_email == "chloe.martin@lumen.example"
    assert people["chloe.martin@lumen.example"].grade == 8


def test_the_admin_corrects_the_mapping_and_the_grade_table(engine, staff):
    at = open_directory(staff)
    at.file_uploader(key="directory_file").set_value(
        ("lumen_workday.csv", lumen.workday_csv(), "text/csv")
    ).run()
    at.selectbox(key="directory_map_department").set_value(NOT_USED)
    director = [g for g in at.dataframe(key="directory_grades").value["label"]].index("Director")
    at.session_state["directory_grades"] = {
        "edited_rows": {director: {"number": 20}}, "added_rows": [], "deleted_rows": [],
    }  # fmt: skip
    at.button(key="directory_apply").click().run()
    assert "left out by you" in texts(at)
    grades = at.dataframe(key="directory_grades").value
    assert dict(zip(grades["label"], grades["number"], strict=True))["Director"] == 20
    assert at.selectbox(key="directory_map_department").value == NOT_USED
    import_and_wait(at)
    people = stored(engine)
    assert people["sofia.hernandez@lumen.example"].grade == 20
    assert people["sofia.hernandez@lumen.example"].department == ""


def test_problems_come_first_and_block_the_import(engine, staff):
    bad = (
        b"Employee_ID,WorkEmail,Preferred_Name,Manager_ID\r\n"
        b"A1,ana@x.com,Ana Alves,\r\nA2,ben@x.com,Ben Bauer,A9\r\n"
    )
    at = open_directory(staff)
    at.file_uploader(key="directory_file").set_value(("bad.csv", bad, "text/csv")).run()
    # A read-only table has no widget key: the preview is the table whose first column is
    # the problem, which is what the admin must see without scrolling.
    frame = next(df.value for df in at.dataframe if list(df.value.columns)[:1] == ["problem"])
    assert "no one in the file has the employee id 'A9'" in frame["problem"].iloc[0]
    assert frame["row"].iloc[0] == 3
    assert all(b.key != "directory_import" for b in at.button)
    assert "Fix the rows with a problem" in texts(at)
    assert set(stored(engine)) == {"admin@example.com"}


def test_the_page_is_not_offered_to_participants(engine, staff):
    with Session(engine, expire_on_commit=False) as s:
        pilot = builders.pilot(s, staff)
        mentee, _ = builders.participant(s, staff, pilot, "lea@x.com", Role.MENTEE)
        s.commit()
    at = app(mentee, pilot.id).run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/directory.py")
