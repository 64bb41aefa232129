""" "Nudge both" sends the message that fits the card now, to both members only, records it on
the pair, and never overrides a member's opt-out."""

from __future__ import annotations

import pytest
from sqlmodel import select

from core.db import unit_of_work
from core.errors import DomainError, NotAllowed
from core.models import PairEvent, Pilot
from core.reminders.nudges import last_nudged, nudge_pair
from core.reminders.preferences import set_preference


@pytest.fixture
def inactive_after_three_days(engine, world):
    """Pairs were accepted 5 days ago without a session: at risk with a 3-day limit."""
    with unit_of_work(engine) as s:
        s.get(Pilot, world.pilot_id).inactivity_days = 3


def test_nudge_both_reaches_both_members_and_is_recorded(
    engine, world, mailbox, inactive_after_three_days
):
    with unit_of_work(engine) as s:
        result = nudge_pair(world.admin, world.pair_a, session=s)
    assert result.sent_to == ("Mentee A", "Mentor A") and result.opted_out == ()
    assert sorted(m["To"].split("<")[-1].rstrip(">") for m in mailbox.messages) == [
        "max@example.com",
        "mia@example.com",
    ]
    text = mailbox.text(mailbox.to("mia@example.com")[0])
    assert "since your last reverse-mentoring session with Mentor A" in text
    assert "http://localhost:8501/my_pair" in text and "Ada Admin, for the programme team" in text
    with unit_of_work(engine) as s:
        [event] = s.exec(select(PairEvent).where(PairEvent.kind == "nudged")).all()
        assert (event.pair_id, event.person_id) == (world.pair_a, world.admin.person_id)
        assert set(last_nudged(world.admin, world.pilot_id, session=s)) == {world.pair_a}
    with unit_of_work(engine) as s, pytest.raises(DomainError, match="already nudged"):
        nudge_pair(world.admin, world.pair_a, session=s)
    assert len(mailbox.messages) == 2


def test_a_members_opt_out_holds_against_the_admin(
    engine, world, mailbox, inactive_after_three_days
):
    with unit_of_work(engine) as s:
        set_preference(world.mentor_a, "no_session", "never", session=s)
    with unit_of_work(engine) as s:
        result = nudge_pair(world.admin, world.pair_a, session=s)
    assert result.sent_to == ("Mentee A",) and result.opted_out == ("Mentor A",)
    assert mailbox.to("max@example.com") == []


def test_only_the_pilots_admins_nudge(session, world, inactive_after_three_days):
    for who in (world.mentee_a, world.outsider_admin):
        with pytest.raises(NotAllowed):
            nudge_pair(who, world.pair_a, session=session)


def test_a_pair_that_is_not_at_risk_is_not_nudged(session, world, mailbox):
    with pytest.raises(DomainError, match="nothing was sent"):
        nudge_pair(world.admin, world.pair_a, session=session)
    assert mailbox.messages == []
