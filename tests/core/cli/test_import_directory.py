"""`python -m core import-directory FILE [--map field=Header] [--dry-run] [--as STAFF_EMAIL]`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import Session, select

from core.cli.main import main as cli_main
from core.db import unit_of_work
from core.models import Person
from tests import builders
from tests.builders import directory as lumen

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {}
    for shape, (filename, build) in lumen.SHAPES.items():
        paths[shape] = tmp_path / filename
        paths[shape].write_bytes(build())
    return paths


@pytest.fixture
def one_staff(engine, monkeypatch, db_url):
    monkeypatch.setenv("DATABASE_URL", db_url)
    with unit_of_work(engine) as session:
        builders.staff(session)


def stored(engine) -> dict[str, Person]:
    with Session(engine) as session:
        return {p.email: p for p in session.exec(select(Person)).all()}


def test_import_as_a_user_runs_it(engine, db_url, files, one_staff):
    done = subprocess.run(
        [sys.executable, "-m", "core", "import-directory", str(files["workday"])],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "DATABASE_URL": db_url},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert lines[0] == "Columns of lumen_workday.csv (Workday):"
    assert any("'WorkEmail'" in line and "-> email" in line for line in lines)
    assert "Grade table:" in lines
    assert any("'Senior Manager'" in line and "-> 8 " in line for line in lines)
    assert lines[-1] == "Imported the directory from lumen_workday.csv: 7 new, 0 updated, " + (
        "0 unchanged, 0 leavers."
    )
    assert stored(engine)["chloe.martin@lumen.example"].grade == 8


def test_dry_run_prints_everything_and_writes_nothing(engine, files, one_staff, capsys):
    assert cli_main(["import-directory", str(files["successfactors"]), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "(SAP SuccessFactors)" in out
    assert "'MANAGER'" in out and "manager_id" in out
    assert "Dry run: all 8 rows are fine (7 new" in out
    assert set(stored(engine)) == {"admin@example.com"}


def test_map_overrides_the_proposal(engine, files, one_staff, capsys):
    code = cli_main(
        [
            "import-directory",
            str(files["personio"]),
            "--map",
            "location=",
            "--map",
            "job_title=level",
        ]
    )
    assert code == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "'level'" in out and "chosen by you" in out
    ngozi = stored(engine)["ngozi.okafor@lumen.example"]
    assert (ngozi.location, ngozi.job_title, ngozi.grade) == ("", "Band 4", None)


def test_refusals_are_one_line_on_stderr(engine, files, one_staff, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("Employee_ID,WorkEmail,Preferred_Name,Manager_ID\nA1,a@x.com,Ann,A7\n")
    assert cli_main(["import-directory", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: 1 row has problems; nothing imported.")
    assert "row 2: Manager_ID: no one in the file has the employee id 'A7'" in err

    assert cli_main(["import-directory", str(files["hibob"]), "--map", "email"]) == 2
    assert "write it as field=Header" in capsys.readouterr().err

    assert cli_main(["import-directory", str(files["hibob"]), "--as", "nobody@x.com"]) == 2
    assert capsys.readouterr().err == "error: No account has the email nobody@x.com.\n"

    with unit_of_work(engine) as session:
        builders.staff(session, "second@example.com", "Sam Second")
    assert cli_main(["import-directory", str(files["hibob"])]) == 2
    assert "2 programme administrators exist; give --as EMAIL" in capsys.readouterr().err
    assert cli_main(["import-directory", str(files["hibob"]), "--as", "Second@Example.com"]) == 0
    assert set(stored(engine)) == {"admin@example.com", "second@example.com", *lumen.NAMES}
