from dataclasses import replace
from datetime import date, timedelta

import pytest

from core.errors import NotAllowed
from core.models import CandourPulse
from core.pilots.settings import pilot_input_of, update_pilot
from core.tracking.pulse import CandourGroup, candour_summary
from core.tracking.session_log import SessionInput, annotate_session, record_session
from tests.builders.tracking import (  # noqa: F401
    NOT_ADMINS,
    count_rows,
    tracking_db_url,
    tracking_template,
    tracking_world,
)

YESTERDAY = date.today() - timedelta(days=1)


def log(session, actor, pair_id: int, candour: int | None) -> int:
    data = SessionInput(YESTERDAY, 30, candour=candour)
    return record_session(actor, pair_id, data, session=session).id


def four_respondents(session, world) -> None:
    """Mia 4 and 2, Max 5, Nora 3: four people, five pulses."""
    first = log(session, world.mentee_a, world.pair_a, 4)
    annotate_session(world.mentor_a, first, candour=5, session=session)
    log(session, world.mentee_a, world.pair_a, 2)
    log(session, world.mentee_b, world.pair_b, 3)


@pytest.mark.parametrize("who", NOT_ADMINS)
def test_only_the_pilots_admins_see_the_summary(session, world, who):
    with pytest.raises(NotAllowed):
        candour_summary(getattr(world, who), world.pilot_id, session=session)


def test_hidden_without_respondents(session, world):
    summary = candour_summary(world.admin, world.pilot_id, session=session)
    assert summary.overall == CandourGroup(
        "Everyone", False, None, None, "Hidden: fewer than 5 respondents"
    )


def test_hidden_under_the_threshold(session, world):
    four_respondents(session, world)
    summary = candour_summary(world.admin, world.pilot_id, session=session)
    assert (summary.threshold, summary.overall.shown, summary.overall.mean) == (5, False, None)
    assert summary.overall.count is None
    assert summary.overall.message == "Hidden: fewer than 5 respondents"


def test_shown_at_the_threshold_with_the_exact_mean(session, world):
    four_respondents(session, world)
    log(session, world.mentor_b, world.pair_b, 1)
    log(session, world.mentee_c, world.pair_c, 5)
    summary = candour_summary(world.admin, world.pilot_id, session=session)
    assert summary.overall == CandourGroup("Everyone", True, 20 / 6, 6, "5 respondents")
    # 3 mentees and 2 mentors: each side is under 5, so neither side is shown
    assert (summary.mentees.shown, summary.mentors.shown) == (False, False)


def test_sides_are_shown_only_when_both_reach_the_threshold(session, world):
    four_respondents(session, world)
    log(session, world.mentor_b, world.pair_b, 1)
    log(session, world.mentee_c, world.pair_c, 5)
    pilot = world.pilot(session)
    update_pilot(
        world.admin, pilot.id, replace(pilot_input_of(pilot), privacy_threshold=2), session=session
    )
    summary = candour_summary(world.admin, world.pilot_id, session=session)
    assert summary.mentees == CandourGroup("Mentees", True, 14 / 4, 4, "3 respondents")
    assert summary.mentors == CandourGroup("Mentors", True, 6 / 2, 2, "2 respondents")
    update_pilot(
        world.admin, pilot.id, replace(pilot_input_of(pilot), privacy_threshold=3), session=session
    )
    summary = candour_summary(world.admin, world.pilot_id, session=session)
    assert summary.mentees.shown is False and summary.mentors.shown is False
    assert summary.overall.shown is True


def test_one_pulse_per_person_and_session(session, world):
    sid = log(session, world.mentee_a, world.pair_a, 4)
    annotate_session(world.mentee_a, sid, candour=2, session=session)
    annotate_session(world.mentor_a, sid, candour=3, session=session)
    annotate_session(world.mentor_a, sid, candour=5, session=session)
    assert count_rows(session, CandourPulse) == (2,)
    annotate_session(world.mentor_a, sid, candour=None, session=session)
    assert count_rows(session, CandourPulse) == (1,)


# --- who may write a pulse -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "who",
    [
        "outsider_admin",  # another pilot's admin
        "admin",  # this pilot's admin: the pulse is the pair members' own
        "mentee_b",  # a mentee of another pair
        "mentor_b",  # a mentor of another pair
        "lone_mentee",  # a participant without a pair
    ],
)
def test_only_a_member_of_the_pair_writes_a_pulse_on_its_session(session, world, who):
    from core.tracking.pulse import set_pulse

    entry = log(session, world.mentee_a, world.pair_a, None)
    with pytest.raises(NotAllowed):
        set_pulse(entry, getattr(world, who), 5, session=session)
    with pytest.raises(NotAllowed):
        annotate_session(getattr(world, who), entry, candour=5, session=session)
    assert count_rows(session, CandourPulse) == (0,)


def test_a_withdrawn_member_no_longer_writes_a_pulse(session, world):
    from core.people.participants import withdraw_participant
    from core.tracking.pulse import set_pulse

    entry = log(session, world.mentee_a, world.pair_a, None)
    withdraw_participant(world.admin, world.enrollments["mentor_a"], session=session)
    with pytest.raises(NotAllowed, match="withdrew"):
        set_pulse(entry, world.mentor_a, 4, session=session)
    assert count_rows(session, CandourPulse) == (0,)
    set_pulse(entry, world.mentee_a, 4, session=session)  # still a member, so allowed
    assert count_rows(session, CandourPulse) == (1,)


def test_a_pulse_out_of_range_is_refused_even_without_the_form(session, world):
    from core.errors import ValidationFailed
    from core.tracking.pulse import set_pulse

    entry = log(session, world.mentee_a, world.pair_a, None)
    with pytest.raises(ValidationFailed):
        set_pulse(entry, world.mentee_a, 9, session=session)
