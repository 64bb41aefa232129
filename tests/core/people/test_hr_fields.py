"""HR fields belong to the organisation: a pilot admin cannot rewrite a person of another
pilot (name, department, grade, manager), which would change that pilot's reporting-line rule."""

from __future__ import annotations

import pytest
from sqlmodel import select

from core.errors import ValidationFailed
from core.models import Enrollment, Person, Role
from core.people.participants import PersonInput, add_participant
from core.people.roster_import import import_roster, preview_roster
from tests import builders


@pytest.fixture
def two_pilots(session):
    staff = builders.staff(session)
    first = builders.pilot(session, staff, name="Pilot 1")
    builders.participant(session, staff, first, "ben@example.com", Role.MENTEE, grade=12,
                         department="Finance", manager_email="")  # fmt: skip
    mentor, _ = builders.participant(session, staff, first, "mia@example.com", Role.MENTOR, grade=3)
    # A pilot admin who is not staff runs pilot 2.
    lead = builders.staff(session, "lead@example.com", "Lead Admin")
    person = session.exec(select(Person).where(Person.email == "lead@example.com")).one()
    person.is_staff = False
    session.add(person)
    session.flush()
    from core.auth import actor_for

    lead = actor_for(person)
    second = builders.pilot(session, staff, name="Pilot 2")
    enrollment = Enrollment(
        pilot_id=second.id, person_id=person.id, role=Role.ADMIN, status="active"
    )
    session.add(enrollment)
    session.flush()
    return staff, lead, first, second


ROW = "email,name,role,department,grade,manager_email\n"


def test_a_roster_of_another_pilot_cannot_rewrite_its_people(session, two_pilots):
    _, lead, _, second = two_pilots
    data = (ROW + "ben@example.com,Ben Renamed,mentee,Sales,12,mia@example.com\n").encode()
    preview = preview_roster(lead, second.id, data, "roster.csv", session=session)
    (row,) = preview.rows
    assert row.status != "ok"
    problem = " ".join(row.problems)
    assert "only the programme team may change" in problem
    assert "name Ben → Ben Renamed" in problem and "department Finance → Sales" in problem
    with pytest.raises(ValidationFailed):
        import_roster(lead, second.id, data, "roster.csv", session=session)
    ben = session.exec(select(Person).where(Person.email == "ben@example.com")).one()
    assert (ben.name, ben.department, ben.manager_email) == ("Ben", "Finance", None)


def test_the_same_roster_without_changes_enrolls_him_as_invited(session, two_pilots):
    _, lead, _, second = two_pilots
    data = (ROW + "ben@example.com,Ben,mentee,Finance,12,\n").encode()
    result = import_roster(lead, second.id, data, "roster.csv", session=session)
    assert result.updated == 1
    status = session.exec(
        select(Enrollment.status)
        .join(Person, Person.id == Enrollment.person_id)
        .where(Person.email == "ben@example.com", Enrollment.pilot_id == second.id)
    ).one()
    assert status == "invited"


def test_staff_may_change_hr_fields(session, two_pilots):
    staff, _, _, second = two_pilots
    enrollment = add_participant(
        staff, second.id, PersonInput("ben@example.com", "Ben Bauer", Role.MENTEE, department="Sales",
                                      grade=12), session=session,
    )  # fmt: skip
    assert enrollment.status == "invited"
    ben = session.exec(select(Person).where(Person.email == "ben@example.com")).one()
    assert (ben.name, ben.department) == ("Ben Bauer", "Sales")


def test_the_single_add_form_refuses_too(session, two_pilots):
    _, lead, _, second = two_pilots
    with pytest.raises(ValidationFailed, match="only the programme team"):
        add_participant(
            lead, second.id, PersonInput("ben@example.com", "Ben", Role.MENTEE, grade=2,
                                         department="Finance"), session=session,
        )  # fmt: skip
