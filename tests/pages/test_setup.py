"""AppTest of the set-up pages: first run, sign in, join, pilot set-up, participants."""

from __future__ import annotations

import pytest
from sqlmodel import Session, func, select

from core.accounts.sign_in import authenticate
from core.models import Enrollment, LearningGoal, Person, Pilot, Role
from tests import builders
from tests.builders.apptest import app, submit_button, texts


@pytest.fixture(autouse=True)
def _db(monkeypatch, db_url):
    monkeypatch.setenv("DATABASE_URL", db_url)


def test_first_run_creates_admin_and_keeps_input_on_error(engine):
    at = app().run()
    assert "Welcome to the reverse-mentoring portal" in texts(at)
    at.text_input(key="first_email").input("dei@example.com")
    at.text_input(key="first_name").input("Dana DEI")
    at.text_input(key="first_password").input("short")
    at.text_input(key="first_confirm").input("short")
    at.button(key="first_submit").click().run()
    assert "Password" in texts(at) and "at least 12 characters" in texts(at)
    assert at.text_input(key="first_email").value == "dei@example.com"
    at.text_input(key="first_password").input("a long password")
    at.text_input(key="first_confirm").input("a long password")
    at.button(key="first_submit").click().run()
    assert at.session_state["actor"].email == "dei@example.com"
    with Session(engine, expire_on_commit=False) as s:
        assert authenticate("dei@example.com", "a long password", session=s).actor.is_staff


def test_sign_in_wrong_then_right(engine):
    with Session(engine, expire_on_commit=False) as s:
        builders.staff(s)
        s.commit()
    at = app().run()
    at.text_input(key="sign_in_email").input("admin@example.com")
    at.text_input(key="sign_in_password").input("wrong password")
    at.button(key="sign_in_submit").click().run()
    assert "Email or password is not right" in texts(at)
    at.text_input(key="sign_in_password").input(builders.PASSWORD)
    at.button(key="sign_in_submit").click().run()
    assert at.session_state["actor"].email == "admin@example.com"


def test_invited_mentee_joins_through_the_personal_link(engine):
    with Session(engine, expire_on_commit=False) as s:
        admin = builders.staff(s)
        pilot = builders.pilot(s, admin)
        from core.people.participants import PersonInput, add_participant

        enrollment = add_participant(
            admin, pilot.id, PersonInput("lea@example.com", "Lea Leader", Role.MENTEE), session=s
        )
        token = builders.invitation_token(s, admin, enrollment.id)
        s.commit()
    at = app()
    at.query_params["token"] = token
    at.run()
    at.switch_page("pages/accept_invitation.py").run()
    assert "Lea Leader" in texts(at) and pilot.name in texts(at)
    at.text_input(key="invite_password").input("my new password")
    at.text_input(key="invite_confirm").input("my new password")
    at.button(key="invite_submit").click().run()
    assert at.session_state["actor"].name == "Lea Leader"
    at.switch_page("pages/my_goals.py").run()
    assert at.session_state["pilot_id"] == pilot.id
    assert "My learning goals" in texts(at)


def test_new_pilot_validation_and_creation(engine):
    with Session(engine, expire_on_commit=False) as s:
        admin = builders.staff(s)
        s.commit()
    at = app(admin).run()
    at.switch_page("pages/new_pilot.py").run()
    at.text_input(key="new_pilot_name").input("")
    submit_button(at, "new_pilot_create").click().run()
    assert "Name" in texts(at) and "is required" in texts(at)
    at.text_input(key="new_pilot_name").input("Digital leaders 2027")
    submit_button(at, "new_pilot_create").click().run()
    with Session(engine, expire_on_commit=False) as s:
        pilot = s.exec(select(Pilot)).one()
        assert pilot.name == "Digital leaders 2027"


def test_mentee_adds_goal_and_bad_goal_keeps_text(engine):
    with Session(engine, expire_on_commit=False) as s:
        admin = builders.staff(s)
        pilot = builders.pilot(s, admin)
        mentee, enrollment = builders.participant(s, admin, pilot, "lea@example.com", Role.MENTEE)
        topic = builders.topic_id(s, pilot, "Generative AI basics")
        s.commit()
    at = app(mentee, pilot.id).run()
    at.switch_page("pages/my_goals.py").run()
    at.selectbox(key="goals_new_topic_0").set_value(topic)
    at.text_area(key="goals_new_objective_0").input("AI")
    submit_button(at, "goals_add").click().run()
    assert "Objective" in texts(at) and "at least 15 characters" in texts(at)
    assert at.text_area(key="goals_new_objective_0").value == "AI"
    at.text_area(key="goals_new_objective_0").input("Draft my monthly update with an AI assistant")
    submit_button(at, "goals_add").click().run()
    with Session(engine, expire_on_commit=False) as s:
        goals = s.exec(
            select(LearningGoal).where(LearningGoal.enrollment_id == enrollment.id)
        ).all()
        assert [g.objective for g in goals] == ["Draft my monthly update with an AI assistant"]


def test_mentee_cannot_open_admin_pages(engine):
    with Session(engine, expire_on_commit=False) as s:
        admin = builders.staff(s)
        pilot = builders.pilot(s, admin)
        mentee, _ = builders.participant(s, admin, pilot, "lea@example.com", Role.MENTEE)
        s.commit()
    at = app(mentee, pilot.id).run()
    # Admin pages are not even registered in a mentee's navigation.
    with pytest.raises(ValueError, match="participants.py"):
        at.switch_page("pages/participants.py")


def test_participants_page_adds_person(engine):
    with Session(engine, expire_on_commit=False) as s:
        admin = builders.staff(s)
        pilot = builders.pilot(s, admin)
        s.commit()
    at = app(admin, pilot.id).run()
    at.switch_page("pages/participants.py").run()
    assert pilot.invite_code in texts(at)
    at.text_input(key="participants_email").input("not-an-email")
    at.text_input(key="participants_name").input("Max Mentor")
    at.selectbox(key="participants_role").set_value(Role.MENTOR)
    submit_button(at, "participants_add").click().run()
    assert "not a valid email address" in texts(at)
    at.text_input(key="participants_email").input("max@example.com")
    submit_button(at, "participants_add").click().run()
    with Session(engine, expire_on_commit=False) as s:
        count = s.exec(select(func.count()).select_from(Enrollment)).one()
        assert count == 2
        assert (
            s.exec(select(Person).where(Person.email == "max@example.com")).one().name
            == "Max Mentor"
        )


def test_first_run_with_sample_pilot_names_the_demo_accounts(engine):
    at = app().run()
    at.text_input(key="first_email").input("dei@example.com")
    at.text_input(key="first_name").input("Dana DEI")
    at.text_input(key="first_password").input("a long password")
    at.text_input(key="first_confirm").input("a long password")
    at.checkbox(key="first_sample").check()
    at.button(key="first_submit").click().run()
    assert "lucas.jensen@sample.example.com (mentee)" in texts(at)
    assert "sample-pilot-2027" in texts(at)
    assert at.session_state["pilot_id"] is not None


def test_profile_keeps_a_fixed_offset_from_the_participant_form(engine):
    with Session(engine, expire_on_commit=False) as s:
        admin = builders.staff(s)
        pilot = builders.pilot(s, admin)
        from core.people.participants import PersonInput, add_participant

        enrollment = add_participant(
            admin,
            pilot.id,
            PersonInput("lea@example.com", "Lea Leader", Role.MENTEE, time_zone="UTC + 2"),
            session=s,
        )
        mentee = builders.join_by_link(s, admin, enrollment.id)
        s.commit()
    at = app(mentee, pilot.id).run()
    at.switch_page("pages/my_profile.py").run()
    assert at.selectbox(key="profile_tz").value == "UTC+2"
    at.button(key="profile_save").click().run()
    with Session(engine) as s:
        person = s.exec(select(Person).where(Person.email == "lea@example.com")).one()
        assert person.time_zone == "UTC+2"


def test_first_run_announces_as_many_people_as_the_sample_has(engine):
    at = app().run()
    assert "organisation of 67 people" in at.checkbox(key="first_sample").help


def test_pilot_setup_moves_the_status_and_shows_both_catalogues(engine):
    with Session(engine, expire_on_commit=False) as s:
        admin = builders.staff(s)
        pilot = builders.pilot(s, admin)
        s.commit()
    at = app(admin, pilot.id).run()
    at.switch_page("pages/pilot_setup.py").run()
    assert not at.exception, at.exception
    assert {"setup_topics_save", "setup_offers_save"} <= {b.key for b in at.button}
    at.button(key="setup_status_matching").click().run()
    assert "The pilot is now matching." in texts(at)
    with Session(engine) as s:
        assert s.get(Pilot, pilot.id).status == "matching"
