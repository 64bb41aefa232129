"""A person's data download and erasure, on the hand-built pilot (tests.builders.dashboard).

m1 is Margaret Okafor (mentee of pair p1 with t1, Zoë Łukasz-Nowak). Copies of her name and
email are planted where the portal keeps them for other people: t2's manager, another pair's
alternatives and reasons, a matching run's unmatched list, her partner's private note.
"""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from sqlmodel import select

from core.errors import NotAllowed
from core.models import (
    AuditEntry,
    OutboxMessage,
    Person,
)
from core.people.participants import withdraw_participant
from core.privacy.erasure import compact_database, erase_person
from core.privacy.person_data import collect, my_data, my_data_zip
from tests.builders.dashboard import (  # noqa: F401
    AS_OF,
    M1_FEEDBACK,
    M2_FEEDBACK,
    T1_FEEDBACK,
    dashboard_template,
    figures,
    file_bytes,
    world,
)
from tests.builders.erasure import EMAIL, M1_NOTE, NAME, T1_NOTE, plant_copies


@pytest.fixture
def planted(world):
    session, built, url = world
    plant_copies(session, built)
    session.commit()
    return session, built, url


def test_the_download_holds_her_goals_sessions_and_notes_and_nobody_elses_private_text(planted):
    session, built, _ = planted
    data = my_data(built.actors["m1"], session=session)
    parts = {p["part"]: p for p in data["parts"]}
    goals = {g["topic"]: g["objective"] for g in parts["goals"]["rows"]}
    assert goals == {
        "Generative AI basics": "Be able to use Generative AI basics in my weekly work",
        "Data literacy": "Be able to use Data literacy in my weekly work",
    }
    assert [s["held_on"] for s in parts["sessions"]["rows"]] == [
        "2026-01-12", "2026-01-14", "2026-01-26", "2026-02-09", "2026-03-02",
    ]  # fmt: skip
    assert [n["note"] for n in parts["private_notes"]["rows"]] == [M1_NOTE]
    assert [c["feedback"] for c in parts["checkins"]["rows"] if c["phase"] == "end"] == [
        M1_FEEDBACK
    ]
    assert sorted(p["score"] for p in parts["candour_pulses"]["rows"]) == [2, 4, 5]
    assert parts["private_notes"]["who_can_see"].startswith("You: all of it")
    text = json.dumps(data, ensure_ascii=False)
    for private in (T1_NOTE, T1_FEEDBACK, M2_FEEDBACK, "$argon2", "token="):
        assert private not in text


def test_the_download_is_a_zip_with_json_and_a_readable_page(planted):
    session, built, _ = planted
    archive = zipfile.ZipFile(io.BytesIO(my_data_zip(built.actors["m1"], session=session)))
    assert sorted(archive.namelist()) == ["my-data.html", "my-data.json"]
    page = archive.read("my-data.html").decode()
    assert M1_NOTE in page and "Who can see it:" in page and "<script" not in page


def test_a_withdrawn_person_still_downloads_their_own_notes(planted):
    session, built, _ = planted
    withdraw_participant(built.admin, built.enrollment_ids["m1"], session=session)
    data = collect(built.actors["m1"].person_id, session=session)
    notes = next(p for p in data["parts"] if p["part"] == "private_notes")["rows"]
    assert [n["note"] for n in notes] == [M1_NOTE]


def test_only_the_programme_team_erases_or_collects_somebody_else(planted):
    session, built, _ = planted
    with pytest.raises(NotAllowed):
        erase_person(built.actors["t1"], built.actors["m1"].person_id, session=session)
    with pytest.raises(NotAllowed):
        my_data(built.actors["t1"], session=session, person_id=built.actors["m1"].person_id)


def test_a_dry_run_counts_and_changes_nothing(planted):
    session, built, _ = planted
    report = erase_person(built.admin, built.actors["m1"].person_id, session=session, dry_run=True)
    assert report.counts["private notes deleted"] == 1
    assert report.counts["check-in feedback removed"] == 1
    assert report.counts["copies of the name or email replaced"] >= 4
    session.commit()
    person = session.get(Person, built.actors["m1"].person_id)
    assert (person.name, person.email, person.erased_at) == (NAME, EMAIL, None)
    assert not session.exec(select(AuditEntry).where(AuditEntry.action == "person.erased")).all()


def test_erasure_leaves_no_trace_in_the_file_and_the_dashboard_unchanged(planted):
    session, built, url = planted
    m1 = built.actors["m1"].person_id
    withdraw_participant(built.admin, built.enrollment_ids["m1"], session=session)
    session.commit()
    before = figures(session, built)
    session.commit()  # no transaction of ours may stay open across VACUUM
    engine = session.get_bind()
    compact_database(engine)
    engine.dispose()  # see file_bytes
    raw = file_bytes(url)
    # The test can fail: before erasure, the file holds her name, email, note and feedback.
    for needle in (NAME, EMAIL, M1_NOTE, M1_FEEDBACK):
        assert needle.encode() in raw, needle

    report = erase_person(built.admin, m1, session=session)
    session.commit()
    compact_database(engine)

    engine.dispose()
    raw = file_bytes(url).lower()
    for needle in (NAME, EMAIL, M1_NOTE, M1_FEEDBACK, T1_NOTE):
        assert needle.lower().encode() not in raw, needle
    assert figures(session, built) == before
    session.expire_all()
    assert session.get(Person, built.actors["t2"].person_id).manager_email is None
    assert not session.exec(select(OutboxMessage).where(OutboxMessage.person_id == m1)).all()
    (erased,) = session.exec(select(AuditEntry).where(AuditEntry.action == "person.erased")).all()
    assert (erased.actor_id, erased.subject_id) == (built.admin.person_id, m1)
    assert report.counts["private notes deleted"] == 1
