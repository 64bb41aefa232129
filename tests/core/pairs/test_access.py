from datetime import date

import pytest

from core.errors import DomainError, NotAllowed, NotFound
from core.models import Pair, PairStatus, Role
from core.pairs.access import (
    membership,
    my_current_pair,
    my_pairs,
    pair_for_admin,
)
from core.people.participants import withdraw_participant
from core.tracking.session_log import SessionInput, record_session
from tests.builders.tracking import (  # noqa: F401
    NOT_ADMINS,
    NOT_MEMBERS_OF_PAIR_A,
    make_pair,
    tracking_db_url,
    tracking_template,
    tracking_world,
)


def test_each_member_gets_their_pair(session, world):
    assert membership(world.mentee_a, world.pair_a, session=session).pair.id == world.pair_a
    assert membership(world.mentor_a, world.pair_a, session=session).pair.id == world.pair_a


@pytest.mark.parametrize("who", NOT_MEMBERS_OF_PAIR_A)
def test_everyone_else_is_refused(session, world, who):
    with pytest.raises(NotAllowed, match="You are not a member of this pair."):
        membership(getattr(world, who), world.pair_a, session=session)


def test_unknown_pair_is_not_found(session, world):
    with pytest.raises(NotFound):
        membership(world.mentee_a, 999_999, session=session)


@pytest.mark.parametrize("status", [PairStatus.SUGGESTED, PairStatus.APPROVED])
def test_pairs_not_yet_published_stay_hidden_from_their_members(session, world, status):
    pair = make_pair(
        session,
        world.pilot_id,
        world.enrollments["lone_mentee"],
        world.enrollments["mentor_a"],
        status=status,
    )
    with pytest.raises(NotAllowed):
        membership(world.lone_mentee, pair.id, session=session)
    assert my_current_pair(world.lone_mentee, world.pilot_id, session=session) is None


def test_withdrawn_member_loses_access(session, world):
    withdraw_participant(world.mentee_a, world.enrollments["mentee_a"], session=session)
    with pytest.raises(NotAllowed, match="You withdrew from this pilot"):
        membership(world.mentee_a, world.pair_a, session=session)
    # the partner still sees the (now ended) pair's history
    assert membership(world.mentor_a, world.pair_a, session=session).pair.status == "ended"


def test_my_current_pair_shows_the_partner_and_no_admin_fields(session, world):
    view = my_current_pair(world.mentee_a, world.pilot_id, session=session)
    assert view is not None
    assert (view.id, view.status, view.my_role, view.partner_name, view.my_response) == (
        world.pair_a,
        PairStatus.ACTIVE,
        Role.MENTEE,
        "Mentor A",
        "accepted",
    )
    assert not hasattr(view, "decline_reason") and not hasattr(view, "score")


def test_mentor_with_two_mentees_gets_both_newest_first(session, world):
    views = my_pairs(world.mentor_b, world.pilot_id, session=session)
    assert [(v.id, v.partner_name) for v in views] == [
        (world.pair_c, "Mentee C"),
        (world.pair_b, "Mentee B"),
    ]
    current = my_current_pair(world.mentor_b, world.pilot_id, session=session)
    assert current is not None and current.id == world.pair_c


def test_most_recent_current_pair_wins_and_ended_pairs_are_history(session, world):
    pair = session.get(Pair, world.pair_a)
    pair.status = PairStatus.ENDED  # set-up: an earlier pair that ended
    session.add(pair)
    newer = make_pair(
        session,
        world.pilot_id,
        world.enrollments["mentee_a"],
        world.enrollments["mentor_b"],
        status=PairStatus.PUBLISHED,
    )
    current = my_current_pair(world.mentee_a, world.pilot_id, session=session)
    assert current is not None and (current.id, current.status) == (newer.id, "published")
    history = my_pairs(world.mentee_a, world.pilot_id, session=session, include_ended=True)
    assert [v.id for v in history] == [newer.id, world.pair_a]


def test_admin_and_unpaired_mentee_have_no_pair(session, world):
    assert my_current_pair(world.lone_mentee, world.pilot_id, session=session) is None
    assert my_pairs(world.admin, world.pilot_id, session=session) == []


def test_someone_outside_the_pilot_cannot_ask_for_their_pair(session, world):
    with pytest.raises(NotAllowed):
        my_current_pair(world.outsider_admin, world.pilot_id, session=session)


def test_pair_for_admin_gives_the_pilots_admins_any_pair(session, world):
    assert pair_for_admin(world.admin, world.pair_a, session=session).id == world.pair_a


@pytest.mark.parametrize("who", NOT_ADMINS)
def test_pair_for_admin_refuses_everyone_else(session, world, who):
    with pytest.raises(NotAllowed):
        pair_for_admin(getattr(world, who), world.pair_a, session=session)


def test_world_is_as_documented(session, world):
    """Guards the fixture the other tracking tests rely on."""
    pilot = world.pilot(session)
    assert (pilot.start_date, pilot.end_date, pilot.status) == (world.start, world.end, "running")
    assert world.start < date.today() < world.end
    statuses = {world.pair(session, p).status for p in (world.pair_a, world.pair_b, world.pair_c)}
    assert statuses == {PairStatus.ACTIVE}
    assert world.pilot(session).inactivity_days == 21


def test_writes_are_refused_on_a_published_pair(session, world):
    pair = make_pair(
        session,
        world.pilot_id,
        world.enrollments["lone_mentee"],
        world.enrollments["mentor_a"],
        status=PairStatus.PUBLISHED,
    )
    with pytest.raises(DomainError, match="must accept the match"):
        record_session(world.lone_mentee, pair.id, SessionInput(date.today(), 30), session=session)
