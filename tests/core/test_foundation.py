from core.accounts.sign_in import authenticate
from core.models import Role
from core.people.profiles import my_goals, my_profile
from tests import builders


def test_pilot_roundtrip(session):
    admin = builders.staff(session)
    p = builders.pilot(session, admin)
    mentee, _ = builders.participant(session, admin, p, "lea@example.com", Role.MENTEE, grade=9)
    builders.ready_mentee(
        session, mentee, p, {"Generative AI basics": 1, "Cybersecurity basics": 2}
    )
    assert [g.topic for g in my_goals(mentee, p.id, session=session)] == [
        "Generative AI basics",
        "Cybersecurity basics",
    ]
    prof = my_profile(mentee, p.id, session=session)
    assert (prof.complete_steps, prof.total_steps) == (3, 3)
    assert (
        authenticate("LEA@example.com ", builders.PASSWORD, session=session).actor.email
        == "lea@example.com"
    )
