"""`python -m core export-person EMAIL --out DIR`: the person's data as JSON and a readable HTML
page, the same as the Account page's download, on a real SQLite file."""

from __future__ import annotations

import json

from sqlmodel import Session, select

from core.models import AuditEntry
from tests.core.privacy.closed_pilots import closed_template, closed_world  # noqa: F401


def test_writes_json_and_html_with_her_own_text_and_nobody_elses(
    closed_world, core_command, tmp_path
):
    old = closed_world.world.old
    closed_world.session.close()
    out = tmp_path / "request-0042"
    done = core_command(
        closed_world.url, "export-person", " Old-Mentee@Example.com ", "--out", str(out)
    )
    assert (done.returncode, done.stderr) == (0, "")
    pid = old.mentee.person_id
    assert done.stdout.splitlines() == [
        str(out / f"person-{pid}-data.json"), str(out / f"person-{pid}-data.html"),
    ]  # fmt: skip

    data = json.loads((out / f"person-{pid}-data.json").read_text())
    parts = {p["part"]: p["rows"] for p in data["parts"]}
    assert parts["profile"][0]["email"] == "old-mentee@example.com"
    assert [g["objective"] for g in parts["goals"]] == [old.texts["objective"]]
    assert [n["note"] for n in parts["private_notes"]] == [old.texts["mentee note"]]
    assert [c["feedback"] for c in parts["checkins"]] == [old.texts["mentee feedback"]]
    assert [s["takeaways"] for s in parts["sessions"]] == [old.texts["takeaways"]]
    text = json.dumps(data, ensure_ascii=False)
    for others in ("mentor note", "mentor feedback", "concern", "pair note"):
        assert old.texts[others] not in text, others

    page = (out / f"person-{pid}-data.html").read_text()
    assert old.texts["mentee note"] in page and "Who can see it:" in page
    assert "<script" not in page

    with Session(closed_world.engine) as fresh:
        (row,) = fresh.exec(
            select(AuditEntry).where(AuditEntry.action == "person.data_exported")
        ).all()
        assert (row.actor_id, row.subject_id, row.after) == (None, pid, {"by": "the command line"})


def test_an_unknown_email_is_one_line_exit_2_and_writes_nothing(
    closed_world, core_command, tmp_path
):
    closed_world.session.close()
    out = tmp_path / "out"
    done = core_command(closed_world.url, "export-person", "nobody@example.com", "--out", str(out))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "error: No person has the email nobody@example.com.\n"
    assert not out.exists()
    with Session(closed_world.engine) as fresh:
        assert not fresh.exec(
            select(AuditEntry).where(AuditEntry.action == "person.data_exported")
        ).all()
