"""Pilot set-up, the topic catalogue, joining and withdrawing: rules and refusals."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import func, select

from core.db import unit_of_work
from core.errors import DomainError, NotAllowed, ValidationFailed
from core.models import Enrollment, EnrollmentStatus, Milestone, PilotStatus, Role, Topic, TopicKind
from core.people.participants import (
    PersonInput,
    add_participant,
    list_participants,
    withdraw_participant,
)
from core.people.profiles import my_goals, participant_detail, save_goal
from core.pilots.settings import PilotInput, create_pilot, save_catalogue, set_status, update_pilot
from tests import builders


def test_create_pilot_seeds_catalogue_milestones_and_admin(session):
    admin = builders.staff(session)
    pilot = create_pilot(
        admin, PilotInput("P", date(2027, 1, 4), date(2027, 6, 30)), session=session
    )
    assert pilot.status == PilotStatus.DRAFT
    categories = set(
        session.exec(
            select(Topic.category).where(Topic.pilot_id == pilot.id, Topic.kind == TopicKind.LEARN)
        ).all()
    )
    assert categories == {
        "Digital tools and collaboration", "AI and data", "Cybersecurity",
        "Social media and personal brand", "Generational and workplace expectations",
        "DEI and inclusion",
    }  # fmt: skip
    names = session.exec(
        select(Milestone.name).where(Milestone.pilot_id == pilot.id).order_by(Milestone.position)
    ).all()
    assert names[0] == "Programme kickoff" and names[-1] == "Showcase to the sponsor"
    assert len(names) == 7
    assert list_participants(admin, pilot.id, session=session)[0].role == Role.ADMIN


def test_pilot_input_errors_name_each_field(session):
    admin = builders.staff(session)
    with pytest.raises(ValidationFailed) as err:
        create_pilot(
            admin,
            PilotInput(
                " ", date(2027, 6, 1), date(2027, 1, 1), sponsor_email="boss@",
                success_criteria=[{"metric": "nonsense", "target": 1}, {"metric": "avg_satisfaction", "target": None}],
            ),
            session=session,
        )  # fmt: skip
    assert set(err.value.errors) == {
        "name",
        "end_date",
        "sponsor_email",
        "success_criteria 1",
        "success_criteria 2",
    }


def test_only_staff_create_and_only_admins_change(session):
    admin = builders.staff(session)
    pilot = builders.pilot(session, admin)
    mentee, _ = builders.participant(session, admin, pilot, "m@x.com", Role.MENTEE)
    with pytest.raises(NotAllowed):
        create_pilot(
            mentee, PilotInput("Mine", date(2027, 1, 1), date(2027, 2, 1)), session=session
        )
    with pytest.raises(NotAllowed, match="Only administrators"):
        update_pilot(
            mentee,
            pilot.id,
            PilotInput("Mine", date(2027, 1, 1), date(2027, 2, 1)),
            session=session,
        )
    with pytest.raises(NotAllowed):
        list_participants(mentee, pilot.id, session=session)
    other_admin = builders.staff(session, "other@x.com", "Other")
    with pytest.raises(NotAllowed):
        list_participants(other_admin, pilot.id, session=session)


def test_status_moves_one_step(session):
    admin = builders.staff(session)
    pilot = create_pilot(
        admin, PilotInput("P", date(2027, 1, 4), date(2027, 6, 30)), session=session
    )
    with pytest.raises(ValidationFailed, match="cannot go from draft to running"):
        set_status(admin, pilot.id, PilotStatus.RUNNING, session=session)
    assert (
        set_status(admin, pilot.id, PilotStatus.RECRUITING, session=session).status == "recruiting"
    )


def test_catalogue_edit_is_all_or_nothing(session, engine):
    admin = builders.staff(session)
    pilot = builders.pilot(session, admin)
    session.commit()
    before = session.exec(select(func.count()).select_from(Topic)).one()
    with pytest.raises(ValidationFailed) as err, unit_of_work(engine) as uow:
        save_catalogue(admin, pilot.id, [
            {"name": "Quantum basics", "category": "AI and data"},
            {"name": "Quantum basics", "category": "AI and data"},
            {"name": "", "category": "X"},
        ], session=uow)  # fmt: skip
    assert set(err.value.errors) == {"row 2", "row 3"}
    assert session.exec(select(func.count()).select_from(Topic)).one() == before


def test_add_participant_refuses_manager_loop_and_duplicates(session):
    admin = builders.staff(session)
    pilot = builders.pilot(session, admin)
    add_participant(
        admin,
        pilot.id,
        PersonInput("a@x.com", "A", Role.MENTEE, manager_email="b@x.com"),
        session=session,
    )
    with pytest.raises(ValidationFailed, match="manager loop"):
        add_participant(
            admin,
            pilot.id,
            PersonInput("b@x.com", "B", Role.MENTOR, manager_email="a@x.com"),
            session=session,
        )
    with pytest.raises(ValidationFailed, match="already in this pilot"):
        add_participant(admin, pilot.id, PersonInput("a@x.com", "A", Role.MENTOR), session=session)


def test_withdraw_and_last_admin(session):
    admin = builders.staff(session)
    pilot = builders.pilot(session, admin)
    _, enrollment = builders.participant(session, admin, pilot, "m@x.com", Role.MENTEE)
    withdrawn = withdraw_participant(admin, enrollment.id, session=session)
    assert withdrawn.status == EnrollmentStatus.WITHDRAWN
    admin_enrollment = session.exec(select(Enrollment).where(Enrollment.role == Role.ADMIN)).one()
    with pytest.raises(DomainError, match="at least one administrator"):
        withdraw_participant(admin, admin_enrollment.id, session=session)


def test_mentee_goals_are_private_to_them_and_admins(session):
    admin = builders.staff(session)
    pilot = builders.pilot(session, admin)
    lea, lea_enrollment = builders.participant(session, admin, pilot, "lea@x.com", Role.MENTEE)
    sam, _ = builders.participant(session, admin, pilot, "sam@x.com", Role.MENTEE)
    builders.ready_mentee(session, lea, pilot, {"Generative AI basics": 1})
    assert [g.topic for g in my_goals(sam, pilot.id, session=session)] == []
    with pytest.raises(NotAllowed):
        participant_detail(sam, lea_enrollment.id, session=session)
    assert [
        g.topic for g in participant_detail(admin, lea_enrollment.id, session=session).goals
    ] == ["Generative AI basics"]
    mentor, _ = builders.participant(session, admin, pilot, "max@x.com", Role.MENTOR)
    with pytest.raises(NotAllowed, match="mentees"):
        save_goal(mentor, pilot.id, topic_id=1, priority=1, objective="x" * 20, session=session)


def test_cannot_edit_another_mentees_goal_and_limits_hold(session):
    from core.errors import NotFound

    admin = builders.staff(session)
    pilot = builders.pilot(session, admin)
    lea, _ = builders.participant(session, admin, pilot, "lea@x.com", Role.MENTEE)
    sam, _ = builders.participant(session, admin, pilot, "sam@x.com", Role.MENTEE)
    builders.ready_mentee(session, lea, pilot, {"Generative AI basics": 1})
    goal = my_goals(lea, pilot.id, session=session)[0]
    with pytest.raises(NotFound):
        save_goal(sam, pilot.id, topic_id=goal.topic_id, priority=1,
                  objective="Take over Lea's goal please", goal_id=goal.id, session=session)  # fmt: skip
    with pytest.raises(ValidationFailed, match="already have a goal on this topic"):
        save_goal(lea, pilot.id, topic_id=goal.topic_id, priority=2,
                  objective="The same topic a second time", session=session)  # fmt: skip
