"""`python -m core match|score --instance FILE.json`, run as a user would run it."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from core.cli import match as cli

ROOT = Path(__file__).resolve().parents[3]

INSTANCE = {
    "topics": [{"id": "ai", "name": "AI prompting"}, "data", "cloud", "strategy"],
    "mentees": [
        {"id": "ceo", "department": "Finance", "grade": 9, "time_zone": "Europe/Paris",
         "goals": {"ai": 1, "data": 2}, "offers": ["strategy"],
         "availability": ["mon-am", "tue-pm"]},
        {"id": "cfo", "department": "Finance", "grade": 8, "manager": "ceo",
         "goals": {"cloud": 1, "data": 3}},
        {"id": 7, "grade": 7, "goals": {"data": 2}},
        {"id": "cto", "grade": 8, "goals": {"strategy": 1}},
    ],
    "mentors": [
        {"id": "ann", "department": "Engineering", "grade": 2, "time_zone": "UTC",
         "expertise": {"ai": 3, "data": 1}, "wants": ["strategy"], "availability": ["mon-am"]},
        {"id": "bob", "department": "Data", "grade": 3, "manager": "lead",
         "expertise": {"cloud": 2, "data": 3}, "capacity": 2},
        {"id": 42, "grade": 1, "expertise": {"data": 2, "ai": 1}},
    ],
    "people": [{"id": "lead", "manager": "cto"}],
    "forbidden": [["cfo", 42]],
}  # fmt: skip


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "core", *args], cwd=ROOT, capture_output=True, text=True
    )


@pytest.fixture
def instance_file(tmp_path: Path) -> Path:
    path = tmp_path / "pilot.json"
    path.write_text(json.dumps(INSTANCE))
    return path


def test_match_json_pairs_add_up_and_agree_with_score(instance_file: Path):
    done = run("match", "--instance", str(instance_file), "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert {"pairs", "unmatched", "total_score"} <= set(out)
    assert all({"mentee", "mentor", "score", "reasons"} <= set(p) for p in out["pairs"])
    assert round(out["total_score"] * 100) == sum(round(p["score"] * 100) for p in out["pairs"])
    assert out["proved_optimal"] is True
    matched = {p["mentee"] for p in out["pairs"]}
    assert matched | {u["mentee"] for u in out["unmatched"]} == {"ceo", "cfo", 7, "cto"}
    assert {u["mentee"]: u["reason"] for u in out["unmatched"]} == {
        "cto": "no mentor in the pilot knows 'strategy'"
    }

    scored = run("score", "--instance", str(instance_file), "--json")
    assert scored.returncode == 0, scored.stderr
    scores = {(s["mentee"], s["mentor"]): s["score"] for s in json.loads(scored.stdout)["scores"]}
    for p in out["pairs"]:
        assert scores[(p["mentee"], p["mentor"])] == p["score"]
    # hard-rule breakers are absent: grade, reporting line (bob -> lead -> cto) and forbidden
    assert ("cfo", 42) not in scores
    assert ("cto", "bob") not in scores
    assert all(mentee != "cto" for mentee, _ in scores)


def test_coverage_objective_on_the_command_line(instance_file: Path):
    done = run("match", "--instance", str(instance_file), "--json", "--objective", "coverage")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["objective"] == "coverage"


def test_readable_tables(instance_file: Path):
    done = run("match", "--instance", str(instance_file))
    assert done.returncode == 0, done.stderr
    assert "Total score" in done.stdout and "proved optimal" in done.stdout
    assert "Covers 'AI prompting' (must have)" in done.stdout
    scored = run("score", "--instance", str(instance_file))
    assert scored.returncode == 0 and "allowed pairs" in scored.stdout


@pytest.mark.parametrize(
    "content, message",
    [
        ('{"topics": ["a"], "mentees": [{"id": "x", "goals": {"b": 1}}], "mentors": []}',
         'unknown topic "b"'),
        ('{"topics": ["a"], "mentees": [{"id": "x"}], "mentors": [{"id": "x"}]}',
         'duplicate id "x"'),
        ('{"topics": ["a"], "mentees": [], "mentors": [{"id": "y", "capacity": 0}]}',
         "capacity"),
        ('{"topics": ["a"], "mentees": [{"id": "x", "manager": "y"}],'
         ' "mentors": [{"id": "y", "manager": "x"}]}', "manager loop"),
        ('{"topics": ["a"], "mentees": [', "not valid JSON"),
    ],
)  # fmt: skip
def test_malformed_instances_fail_in_one_line(tmp_path: Path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    done = run("match", "--instance", str(path), "--json")
    assert done.returncode != 0
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0]
    assert "Traceback" not in done.stderr
    # `score` shares the loader; checked in-process to keep the suite quick
    code, out, err = call("score", "--instance", str(path), "--json")
    assert code == 2 and out == "" and err.count("\n") == 1 and message in err


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m core")
    cli.add_commands(top.add_subparsers(dest="command", required=True))
    return top


def call(*argv: str) -> tuple[int, str, str]:
    args = parser().parse_args(list(argv))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = args.handler(args)
    return code, out.getvalue(), err.getvalue()


def test_handlers_work_in_process(instance_file: Path):
    code, out, err = call("match", "--instance", str(instance_file), "--json")
    assert code == 0 and err == ""
    assert json.loads(out)["pairs"]
    code, out, err = call("score", "--instance", str(tmp := instance_file), "--json")
    assert code == 0 and json.loads(out)["scores"] and tmp.exists()


def test_match_needs_exactly_one_source(instance_file: Path):
    code, _, err = call("match")
    assert code == 2 and err.startswith("error: give a PILOT")
    code, _, err = call("match", "pilot-1", "--instance", str(instance_file))
    assert code == 2 and "not both" in err
