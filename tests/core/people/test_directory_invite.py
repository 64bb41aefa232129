"""Inviting from the directory with personal links: who may, all or none, and once per form."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from core.accounts.tokens import find_token
from core.db import unit_of_work
from core.errors import NotAllowed, ValidationFailed
from core.models import Enrollment, OutboxMessage, Person, Pilot, Role, TokenPurpose
from core.people.directory_import import import_directory
from core.people.directory_invite import (
    DirectoryInvite,
    read_directory_roster,
    send_directory_invitations,
    send_roster_invitations,
)
from core.submissions import once
from tests import builders
from tests.builders import directory as lumen

NGOZI, MEI = "ngozi.okafor@lumen.example", "mei.tanaka@lumen.example"


@pytest.fixture
def world(engine: Engine):
    with unit_of_work(engine) as s:
        admin = builders.staff(s)
        import_directory(admin, lumen.workday_csv(), "wd.csv", session=s, today=date(2026, 3, 1))
        pilot = builders.pilot(s, admin)
        people = {p.email: p.id for p in s.exec(select(Person)).all()}
    return admin, pilot.id, people


def counts(engine: Engine, pilot_id: int) -> tuple[int, int]:
    with Session(engine) as s:
        enrolled = s.exec(
            select(func.count()).where(Enrollment.pilot_id == pilot_id, Enrollment.role != "admin")
        ).one()
        mailed = s.exec(
            select(func.count()).where(OutboxMessage.kind == "invitation")  # type: ignore[arg-type]
        ).one()
    return enrolled, mailed


def test_each_invited_person_gets_a_working_personal_link(engine, world):
    admin, pilot_id, people = world
    invites = [
        DirectoryInvite(people[NGOZI], Role.MENTOR, 2),
        DirectoryInvite(people[MEI], Role.MENTEE),
    ]
    with unit_of_work(engine) as s:
        sent = send_directory_invitations(admin, pilot_id, invites, session=s)
    assert sorted(x.email for x in sent) == [MEI, NGOZI]
    with unit_of_work(engine) as s:
        for x in sent:
            token = find_token(x.link.split("token=", 1)[1], TokenPurpose.INVITE, session=s)
            assert token.person_id == people[x.email] and token.pilot_id == pilot_id
    assert counts(engine, pilot_id) == (2, 2)


def test_the_same_form_token_invites_once(engine, world):
    admin, pilot_id, people = world
    invites = [DirectoryInvite(people[NGOZI], Role.MENTEE)]

    def submit(token: str) -> dict:
        with unit_of_work(engine) as s:
            return once(s, token, admin, lambda: {
                "invited": len(send_directory_invitations(admin, pilot_id, invites, session=s))
            })  # fmt: skip

    assert submit("form-token-1") == {"invited": 1}
    assert submit("form-token-1") == {"invited": 1}
    assert counts(engine, pilot_id) == (1, 1)


def test_a_refused_person_means_nobody_is_invited(engine, world):
    admin, pilot_id, people = world
    with unit_of_work(engine) as s:
        send_directory_invitations(
            admin, pilot_id, [DirectoryInvite(people[MEI], Role.MENTOR)], session=s
        )
    with pytest.raises(ValidationFailed) as refused, unit_of_work(engine) as s:
        send_directory_invitations(
            admin, pilot_id,
            [DirectoryInvite(people[NGOZI], Role.MENTEE), DirectoryInvite(people[MEI], Role.MENTEE)],
            session=s,
        )  # fmt: skip
    assert refused.value.errors == {MEI: f"email: {MEI} is already in this pilot as mentor"}
    assert counts(engine, pilot_id) == (1, 1)


def test_only_the_pilots_admins_invite(engine, world):
    admin, pilot_id, people = world
    with unit_of_work(engine) as s:
        other = builders.pilot(s, admin, name="Another pilot")
        outsider, _ = builders.participant(s, admin, other, "olga@x.com", Role.ADMIN)
        mentee, _ = builders.participant(s, admin, s.get(Pilot, pilot_id), "lea@x.com", Role.MENTEE)
    roster = f"email,role\n{NGOZI},mentee\n".encode()
    for actor in (outsider, mentee):
        with pytest.raises(NotAllowed), unit_of_work(engine) as s:
            send_directory_invitations(
                actor, pilot_id, [DirectoryInvite(people[NGOZI], Role.MENTEE)], session=s
            )
        with pytest.raises(NotAllowed), unit_of_work(engine) as s:
            read_directory_roster(actor, pilot_id, roster, "r.csv", session=s)
        with pytest.raises(NotAllowed), unit_of_work(engine) as s:
            send_roster_invitations(actor, pilot_id, roster, "r.csv", session=s)
    assert counts(engine, pilot_id)[1] == 2  # only the two set-up invitations of this test


def test_a_roster_with_one_bad_row_invites_nobody(engine, world):
    admin, pilot_id, _people = world
    roster = f"email,role\n{NGOZI},mentee\n{MEI},mentee\n{MEI},mentor\n".encode()
    with pytest.raises(ValidationFailed) as refused, unit_of_work(engine) as s:
        send_roster_invitations(admin, pilot_id, roster, "r.csv", session=s)
    assert refused.value.errors == {
        "row 4": f"email: {MEI} is already in row 3; keep one of the two"
    }
    assert counts(engine, pilot_id) == (0, 0)


def test_a_mentor_capacity_outside_the_rule_names_the_row_and_the_bounds(engine, world):
    admin, pilot_id, _people = world
    roster = f"email,role,capacity\n{NGOZI},mentor,5\n".encode()
    with pytest.raises(ValidationFailed) as refused, unit_of_work(engine) as s:
        send_roster_invitations(admin, pilot_id, roster, "r.csv", session=s)
    assert refused.value.errors == {"row 2": "capacity: a mentor takes 1 to 3 mentees, not 5"}
