"""Working data for admins (CSV, XLSX) and `python -m core export`."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

import openpyxl
import pytest

from core.cli.main import main
from core.dashboard.exports import SHEETS, export_csv, export_tables, export_xlsx
from core.errors import NotAllowed
from core.models import Person
from tests.builders.dashboard import (  # noqa: F401
    M1_FEEDBACK,
    M2_FEEDBACK,
    T1_FEEDBACK,
    build_template,
    dashboard_template,
    open_copy,
    world,
)


def test_tables_hold_pairs_sessions_and_who_checked_in(world):
    session, built, _ = world
    tables = export_tables(built.admin, built.pilot_id, session=session)
    pairs, sessions, checkins = (tables[name] for name in SHEETS)
    assert len(pairs) == 6
    first = pairs.iloc[0]
    assert (first["mentee_name"], first["mentor_email"], first["sessions"], first["minutes"]) == (
        "Margaret Okafor",
        "t1@example.com",
        5,
        240,
    )
    assert pairs["uncovered_goals"].tolist()[3:5] == ["Responsible AI", "Data literacy"]
    assert len(sessions) == 15
    assert sessions.iloc[1]["topics"] == "Cybersecurity basics"  # p2 on 13 January
    assert list(checkins.columns) == ["pair_id", "role", "phase", "submitted_on"]
    assert len(checkins) == 12
    assert checkins.iloc[0].tolist()[1:3] == ["mentee", "start"]


def test_no_free_text_or_answers_leave(world):
    session, built, _ = world
    blob = b"".join(export_csv(built.admin, built.pilot_id, session=session).values())
    text = blob.decode("utf-8-sig")
    for secret in (M1_FEEDBACK, M2_FEEDBACK, T1_FEEDBACK, "Private takeaway"):
        assert secret not in text
    assert "satisfaction" not in text and "ratings" not in text


def test_csv_files_and_workbook(world):
    session, built, _ = world
    files = export_csv(built.admin, built.pilot_id, session=session)
    assert sorted(files) == ["checkins.csv", "pairs.csv", "sessions.csv"]
    assert files["pairs.csv"].startswith("\ufeffpair_id,status,score,".encode())
    workbook = openpyxl.load_workbook(
        io.BytesIO(export_xlsx(built.admin, built.pilot_id, session=session))
    )
    assert workbook.sheetnames == list(SHEETS)
    assert [c.value for c in workbook["checkins"][1]] == [
        "pair_id",
        "role",
        "phase",
        "submitted_on",
    ]
    assert workbook["pairs"].max_row == 7 and workbook["sessions"].max_row == 16
    assert workbook["pairs"]["G2"].value == "Zoë Łukasz-Nowak"


def test_names_that_look_like_formulas_stay_text(world):
    session, built, _ = world
    person = session.get(Person, built.actors["m1"].person_id)
    person.name = '=HYPERLINK("http://evil.example","x")'
    session.add(person)
    session.flush()
    csv = export_csv(built.admin, built.pilot_id, session=session)["pairs.csv"].decode("utf-8-sig")
    assert "'=HYPERLINK" in csv
    sheet = openpyxl.load_workbook(
        io.BytesIO(export_xlsx(built.admin, built.pilot_id, session=session))
    )["pairs"]
    assert sheet["D2"].value == person.name and sheet["D2"].data_type == "s"


def test_only_admins_export(world):
    session, built, _ = world
    with pytest.raises(NotAllowed):
        export_tables(built.actors["t1"], built.pilot_id, session=session)


TODAY = datetime.now(UTC).date().isoformat()


@pytest.mark.parametrize(
    ("fmt", "files"),
    [
        ("html", [f"reverse-mentoring-report-{TODAY}.html"]),
        ("pdf", [f"reverse-mentoring-report-{TODAY}.pdf"]),
        ("xlsx", [f"reverse-mentoring-data-{TODAY}.xlsx"]),
        (
            "csv",
            [
                f"reverse-mentoring-checkins-{TODAY}.csv",
                f"reverse-mentoring-pairs-{TODAY}.csv",
                f"reverse-mentoring-sessions-{TODAY}.csv",
            ],
        ),
        ("letters", [f"reverse-mentoring-recognition-letters-{TODAY}.zip"]),
    ],
)
def test_cli_writes_each_format(world, tmp_path, monkeypatch, capsys, fmt, files):
    _, built, url = world
    monkeypatch.setenv("DATABASE_URL", url)
    out = tmp_path / "out"
    assert main(["export", str(built.pilot_id), "--format", fmt, "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == files
    assert sorted(capsys.readouterr().out.splitlines()) == [str(out / name) for name in files]
    if fmt == "letters":
        with zipfile.ZipFile(out / files[0]) as archive:
            assert len(archive.namelist()) == 3


def test_cli_finds_the_pilot_by_name_and_acts_as_the_named_admin(world, tmp_path, monkeypatch):
    _, built, url = world
    monkeypatch.setenv("DATABASE_URL", url)
    argv = ["export", "Reverse mentoring 2026", "--format", "html", "--out", str(tmp_path)]
    assert main([*argv, "--as", "ADMIN@example.com"]) == 0
    html = (tmp_path / f"reverse-mentoring-report-{TODAY}.html").read_text()
    assert 'data-kpi="pct_pairs_met_4_times"' in html


@pytest.mark.parametrize(
    ("pilot", "extra", "message"),
    [
        ("No such pilot", [], "error: No pilot has the id or name 'No such pilot'."),
        ("999", [], "error: No pilot has the id or name '999'."),
        ("Reverse mentoring 2026", ["--as", "m1@example.com"], "error: Only administrators"),
        ("Reverse mentoring 2026", ["--as", "nobody@example.com"], "error: No account"),
    ],
)
def test_cli_refuses_bad_input_in_one_line(
    world, tmp_path, monkeypatch, capsys, pilot, extra, message
):
    _, _, url = world
    monkeypatch.setenv("DATABASE_URL", url)
    out = tmp_path / "out"
    assert main(["export", pilot, "--format", "pdf", "--out", str(out), *extra]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith(message)
    assert not out.exists()
