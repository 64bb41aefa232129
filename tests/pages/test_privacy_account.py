"""Each person's data rights on the Account page: download everything (also after withdrawing),
see who can see each part, find where to correct it, and erase it after confirming."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import pytest
from sqlmodel import Session, select

from core.db import unit_of_work
from core.models import AuditEntry, Person
from core.people.participants import withdraw_participant
from core.tracking.session_log import SessionInput, annotate_session, record_session
from tests.builders.apptest import app, texts
from tests.builders.tracking import tracking_db_url, tracking_template, tracking_world  # noqa: F401

MIA_TAKEAWAYS = "Drafted a weekly update with an assistant"
MIA_NOTE = "Mia's own note: ask Max about prompt libraries"
MAX_NOTE = "Max's private note: Mia seemed rushed"


@pytest.fixture(autouse=True)
def _db(monkeypatch, db_url):
    monkeypatch.setenv("DATABASE_URL", db_url)


@pytest.fixture
def logged(engine, world):
    """Mia logged a session of pair A with takeaways and her note; Max added his own note."""
    with unit_of_work(engine) as session:
        entry = record_session(
            world.mentee_a, world.pair_a,
            SessionInput(held_on=date.today(), minutes=45, takeaways=MIA_TAKEAWAYS,
                         private_note=MIA_NOTE),
            session=session,
        )  # fmt: skip
        annotate_session(world.mentor_a, entry.id, private_note=MAX_NOTE, session=session)
    return world


def _account(actor, pilot_id=None):
    at = app(actor, pilot_id).run()
    at.switch_page("pages/account.py").run()
    assert not at.exception, at.exception
    return at


def _download(at) -> dict[str, bytes]:
    at.button(key="account_data_prepare").click().run()
    assert not at.exception, at.exception
    assert [b.label for b in at.get("download_button")] == ["Download my data (ZIP)"]
    archive = zipfile.ZipFile(io.BytesIO(at.session_state["account_data_zip"]))
    return {name: archive.read(name) for name in archive.namelist()}


def _part(data: dict, key: str) -> list[dict]:
    return next(p["rows"] for p in data["parts"] if p["part"] == key)


def test_the_download_holds_my_goals_sessions_and_own_notes_and_nobody_elses(logged):
    files = _download(_account(logged.mentee_a, logged.pilot_id))
    assert sorted(files) == ["my-data.html", "my-data.json"]
    data = json.loads(files["my-data.json"])
    assert data["person"] == "Mentee A"
    assert {g["topic"] for g in _part(data, "goals")} == {
        "Generative AI basics", "Cybersecurity basics",
    }  # fmt: skip
    assert [s["takeaways"] for s in _part(data, "sessions")] == [MIA_TAKEAWAYS]
    assert [n["note"] for n in _part(data, "private_notes")] == [MIA_NOTE]
    everything = files["my-data.json"] + files["my-data.html"]
    assert MAX_NOTE.encode() not in everything
    assert "Mia&#x27;s own note" in files["my-data.html"].decode()


def test_the_download_is_recorded_in_the_audit_trail(engine, logged):
    _download(_account(logged.mentee_a, logged.pilot_id))
    with Session(engine) as s:
        actions = s.exec(
            select(AuditEntry.action).where(AuditEntry.subject_id == logged.mentee_a.person_id)
        ).all()
    assert "person.data_downloaded" in actions


def test_a_withdrawn_person_still_downloads_their_own_notes(engine, logged):
    with unit_of_work(engine) as session:
        withdraw_participant(logged.admin, logged.enrollments["mentee_a"], session=session)
    at = _account(logged.mentee_a)  # no pilot left to choose in the sidebar
    assert at.session_state["pilot_id"] is None
    data = json.loads(_download(at)["my-data.json"])
    assert [n["note"] for n in _part(data, "private_notes")] == [MIA_NOTE]
    assert [e["status"] for e in _part(data, "enrollments")] == ["withdrawn"]


def test_the_page_says_who_can_see_each_part(logged):
    at = _account(logged.mentee_a, logged.pilot_id)
    frame = at.table[0].value
    assert frame.loc["Private notes", "Your pair partner"] == "—"
    assert frame.loc["Learning goals", "Your pair partner"] == "all of it"
    assert frame.loc["Shared session log", "The pilot's admins"] == (
        "dates and lengths, never the takeaways"
    )
    assert (
        "Deleted 90 days after the pilot closes"
        in frame.loc["Private notes", "How long it is kept"]
    )


def test_a_participant_is_pointed_to_the_profile_to_correct_it(logged):
    links = _account(logged.mentee_a, logged.pilot_id).get("page_link")
    assert [link.proto.label for link in links] == ["Correct my profile"]
    assert links[0].proto.page.endswith("my_profile")
    admin = _account(logged.admin, logged.pilot_id)
    assert not admin.get("page_link")  # the admin has no profile page in this pilot
    assert "ask the programme team to correct them" in texts(admin)


def _dialog_open(at) -> bool:
    return any(b.key == "account_erase_confirm" for b in at.button)


def test_erasure_asks_first_then_erases_and_signs_out(engine, logged):
    at = _account(logged.mentee_a, logged.pilot_id)
    at.button(key="account_erase").click().run()
    assert _dialog_open(at)
    shown = texts(at)
    assert "Your private notes and everything you wrote" in shown
    assert "This cannot be undone, and you are signed out." in shown
    at.button(key="account_erase_cancel").click().run()
    assert not _dialog_open(at)
    with Session(engine) as s:
        assert s.get(Person, logged.mentee_a.person_id).erased_at is None

    at.button(key="account_erase").click().run()
    at.button(key="account_erase_confirm").click().run()
    assert not at.exception, at.exception
    with Session(engine) as s:
        mia = s.get(Person, logged.mentee_a.person_id)
        assert mia.erased_at is not None
        assert (mia.name, mia.email) != ("Mentee A", "mia@example.com")
    assert at.session_state["actor"] is None
    assert "Your data has been erased and you are signed out." in texts(at)
    assert "Sign in" in [t.value for t in at.title]
