"""Somebody who withdrew no longer reads the pilot: not its settings, not its invite code."""

import pytest

from core.errors import NotAllowed
from core.people.participants import withdraw_participant
from core.pilots.settings import list_topics, pilot_for_participant
from tests.builders.tracking import (  # noqa: F401
    tracking_db_url,
    tracking_template,
    tracking_world,
)


@pytest.mark.parametrize("by", ["admin", "self"])
def test_a_withdrawn_participant_cannot_read_the_pilot_row(session, world, by):
    assert pilot_for_participant(world.mentor_a, world.pilot_id, session=session).invite_code
    actor = world.admin if by == "admin" else world.mentor_a
    withdraw_participant(actor, world.enrollments["mentor_a"], session=session)
    with pytest.raises(NotAllowed):
        pilot_for_participant(world.mentor_a, world.pilot_id, session=session)
    with pytest.raises(NotAllowed):
        list_topics(world.mentor_a, world.pilot_id, session=session)
    # Their former partner still reads it.
    assert pilot_for_participant(world.mentee_a, world.pilot_id, session=session)
