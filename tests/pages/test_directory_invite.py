"""AppTest of Invite from the directory: a pilot admin finds people in the organisation chart,
chooses them and a role, or uploads a short file of e-mails with roles; each invited person gets
a personal link."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select

from core.db import unit_of_work
from core.models import Enrollment, OutboxMessage, Person, Pilot, Role
from core.people.directory_import import import_directory
from core.people.directory_invite import DirectoryInvite, invite_from_directory
from tests import builders
from tests.builders import directory as lumen
from tests.builders.apptest import app, metric, submit_button, texts

PAGE = "pages/invite_from_directory.py"
SOFIA, NGOZI, MEI = (
    "sofia.hernandez@lumen.example",
    "ngozi.okafor@lumen.example",
    "mei.tanaka@lumen.example",
)


@pytest.fixture(autouse=True)
def _db(monkeypatch, db_url):
    monkeypatch.setenv("DATABASE_URL", db_url)


@pytest.fixture
def world(engine):
    """The Lumen directory (seven people and a leaver) and a pilot run by its admin."""
    with unit_of_work(engine) as s:
        admin = builders.staff(s)
        import_directory(admin, lumen.workday_csv(), "wd.csv", session=s, today=date(2026, 3, 1))
        pilot = builders.pilot(s, admin)
    return admin, pilot.id


def person_id(engine, email: str) -> int:
    with Session(engine) as s:
        return s.exec(select(Person.id).where(Person.email == email)).one()


def enrolled(engine, pilot_id: int) -> dict[str, tuple[str, str, int]]:
    with Session(engine) as s:
        rows = s.exec(
            select(Person.email, Enrollment.role, Enrollment.status, Enrollment.capacity)
            .join(Enrollment, Enrollment.person_id == Person.id)
            .where(Enrollment.pilot_id == pilot_id, Enrollment.role != Role.ADMIN)
        ).all()
    return {email: (role, status, capacity) for email, role, status, capacity in rows}


def invitations(engine) -> list[str]:
    with Session(engine) as s:
        return sorted(
            s.exec(select(OutboxMessage.to_email).where(OutboxMessage.kind == "invitation")).all()
        )


def table(at, column: str):
    """A read-only table has no widget key in AppTest: the one with this column."""
    (frame,) = [df.value for df in at.dataframe if column in df.value.columns]
    return frame


def open_page(admin, pilot_id):
    at = app(admin, pilot_id).run()
    return at.switch_page(PAGE).run()


def test_search_and_filters_narrow_the_directory(engine, world):
    at = open_page(*world)
    assert "Invite from the directory" in texts(at)
    everyone = table(at, "in this pilot")
    # The seven Lumen people who have not left, and the admin; never the leaver.
    assert len(everyone) == 8 and "tom.baker@lumen.example" not in set(everyone["email"])
    at.selectbox(key="invite_dir_department").set_value("Engineering").run()
    found = table(at, "in this pilot")
    assert list(found["name"]) == ["Chloé Martin", "Mei Tanaka", "Ngozi Okafor", "Sofía Hernández"]
    at.number_input(key="invite_dir_grade_min").set_value(9).run()
    assert list(table(at, "in this pilot")["email"]) == [SOFIA]
    at.selectbox(key="invite_dir_department").set_value("").run()
    at.number_input(key="invite_dir_grade_min").set_value(None)
    at.text_input(key="invite_dir_search").input("TANAKA").run()
    assert list(table(at, "in this pilot")["email"]) == [MEI]
    at.text_input(key="invite_dir_search").input("nobody-like-this").run()
    assert "Nobody in the directory matches" in texts(at)


def test_admin_invites_chosen_people_as_mentors_and_gets_their_links(engine, world):
    admin, pilot_id = world
    at = open_page(admin, pilot_id)
    assert at.button(
        key=f"invite_dir_pick__{at.session_state['once_token_invite_dir_pick']}"
    ).disabled
    at.multiselect(key="invite_dir_people").set_value(
        [person_id(engine, NGOZI), person_id(engine, MEI)]
    )
    at.radio(key="invite_dir_role").set_value(Role.MENTOR).run()
    at.number_input(key="invite_dir_capacity").set_value(2).run()
    submit_button(at, "invite_dir_pick").click().run()
    assert "Invited 2 people from the directory; share each personal link." in texts(at)
    assert enrolled(engine, pilot_id) == {
        NGOZI: (Role.MENTOR, "invited", 2), MEI: (Role.MENTOR, "invited", 2),
    }  # fmt: skip
    assert invitations(engine) == [MEI, NGOZI]
    assert len([c for c in at.code if "/accept_invitation?token=" in c.value]) == 2
    # Invited people (and the pilot's admin) are marked in the list and no longer offered.
    found = table(at, "in this pilot")
    assert dict(zip(found["email"], found["in this pilot"], strict=True))[MEI] == "mentor"
    offered = at.multiselect(key="invite_dir_people").options
    assert len(offered) == 5 and not [o for o in offered if MEI in o or NGOZI in o]


def test_a_repeated_submit_invites_once(engine, world):
    """A double click sends the form twice with the same token: the second is answered with the
    first one's result, and nobody else is invited or mailed."""
    admin, pilot_id = world
    at = open_page(admin, pilot_id)
    token = at.session_state["once_token_invite_dir_pick"]
    at.multiselect(key="invite_dir_people").set_value([person_id(engine, SOFIA)]).run()
    submit_button(at, "invite_dir_pick").click().run()
    assert at.session_state["once_token_invite_dir_pick"] != token
    # The second copy of the click carries the first token.
    at.session_state["once_token_invite_dir_pick"] = token
    at.multiselect(key="invite_dir_people").set_value([person_id(engine, NGOZI)]).run()
    submit_button(at, "invite_dir_pick").click().run()
    assert "Invited 1 people from the directory" in texts(at)
    assert enrolled(engine, pilot_id) == {SOFIA: (Role.MENTEE, "invited", 1)}
    assert invitations(engine) == [SOFIA]


def test_the_links_go_out_by_email_when_a_mail_server_is_set(engine, world, mailbox):
    admin, pilot_id = world
    at = open_page(admin, pilot_id)
    at.multiselect(key="invite_dir_people").set_value([person_id(engine, SOFIA)]).run()
    submit_button(at, "invite_dir_pick").click().run()
    assert "1 personal link(s) emailed." in texts(at)
    assert len(mailbox.messages) == 1 and len(mailbox.to(SOFIA)) == 1
    assert "/accept_invitation?token=" in mailbox.text(mailbox.messages[0])
    assert not [c for c in at.code if "token=" in c.value]


def upload(at, content: bytes, name: str = "invite.csv"):
    return at.file_uploader(key="invite_dir_file").set_value((name, content, "text/csv")).run()


def test_a_roster_file_is_checked_row_by_row_and_nothing_is_invited(engine, world):
    admin, pilot_id = world
    rows = lumen.workday_rows()
    with unit_of_work(engine) as s:
        # Tom was still in the chart a month ago; today's export marks him as left.
        tom = next(r for r in rows if r[1] == "tom.baker@lumen.example")
        tom[9:] = ["Active", ""]
        import_directory(admin, lumen._csv(rows), "before.csv", session=s, today=date(2026, 3, 1))
    with unit_of_work(engine) as s:
        import_directory(admin, lumen.workday_csv(), "wd.csv", session=s, today=date(2026, 3, 1))
        invite_from_directory(
            admin, pilot_id, [DirectoryInvite(person_id(engine, MEI), Role.MENTOR)], session=s
        )
    at = open_page(admin, pilot_id)
    roster = (
        "email,role,capacity\r\n"
        f"{NGOZI.upper()},mentor,2\r\n"
        "nobody@lumen.example,mentee,\r\n"
        "tom.baker@lumen.example,mentee,\r\n"
        f"{SOFIA},boss,\r\n"
        f"{MEI},mentor,1\r\n"
        f"{NGOZI},mentee,\r\n"
        "chloe.martin@lumen.example,mentor,five\r\n"
    ).encode()
    at = upload(at, roster)
    assert metric(at, "Rows ready") == "1" and metric(at, "Rows with a problem") == "6"
    rows = table(at, "problem")
    problems = dict(zip(rows["row"], rows["problem"], strict=True))
    assert problems[2] == ""
    assert "nobody@lumen.example is not in the organisation directory" in problems[3]
    assert "has left the organisation" in problems[4]
    assert "'boss' is not a role; use mentee, mentor or admin" in problems[5]
    assert "is already in this pilot as mentor" in problems[6]
    assert f"{NGOZI} is already in row 2" in problems[7]
    assert problems[8] == "capacity: 'five' is not a whole number (e.g. 2)"
    assert list(rows.columns)[:2] == ["problem", "row"]
    assert "Fix row(s) 3, 4, 5, 6, 7, 8 in your file" in texts(at)
    assert not [b for b in at.button if (b.key or "").startswith("invite_dir_roster__")]
    assert set(enrolled(engine, pilot_id)) == {MEI}


def test_a_good_roster_file_invites_everybody_in_it(engine, world):
    admin, pilot_id = world
    at = open_page(admin, pilot_id)
    at = upload(at, f"Email;Role;Capacity\n{NGOZI};Mentor;3\n {SOFIA} ;mentee;\n".encode())
    rows = table(at, "problem")
    assert list(rows["name"]) == ["Ngozi Okafor", "Sofía Hernández"]
    submit_button(at, "invite_dir_roster").click().run()
    assert "Invited 2 people from the directory" in texts(at)
    assert enrolled(engine, pilot_id) == {
        NGOZI: (Role.MENTOR, "invited", 3), SOFIA: (Role.MENTEE, "invited", 1),
    }  # fmt: skip


def test_a_file_without_the_columns_says_which_are_needed(engine, world):
    at = upload(open_page(*world), b"mail,function\r\nx@y.com,mentee\r\n")
    assert "the first row must name the columns email and role" in texts(at)
    assert enrolled(engine, world[1]) == {}


def test_the_page_is_only_for_the_pilots_admins(engine, world):
    admin, pilot_id = world
    with unit_of_work(engine) as s:
        mentee, _ = builders.participant(s, admin, s.get(Pilot, pilot_id), "lea@x.com", Role.MENTEE)
    at = app(mentee, pilot_id).run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(PAGE)
