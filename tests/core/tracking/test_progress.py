from datetime import date, timedelta

import pandas as pd
import pytest
from sqlmodel import select

from core.errors import DomainError, NotAllowed, ValidationFailed
from core.models import Milestone, PairStatus, PilotStatus
from core.pairs.exit import end_pair
from core.tracking.checkins import submit_checkin
from core.tracking.milestone_progress import tick_pair_milestone
from core.tracking.progress_overview import PairProgress, close_pilot, pilot_progress
from core.tracking.session_log import SessionInput, record_session
from tests.builders.tracking import (  # noqa: F401
    NOT_ADMINS,
    make_pair,
    tracking_db_url,
    tracking_template,
    tracking_world,
)

TODAY = date.today()


@pytest.mark.parametrize("who", NOT_ADMINS)
def test_progress_is_for_the_pilots_admins(session, world, who):
    with pytest.raises(NotAllowed):
        pilot_progress(getattr(world, who), world.pilot_id, session=session)


@pytest.mark.parametrize("who", NOT_ADMINS)
def test_closing_is_for_the_pilots_admins(session, world, who):
    with pytest.raises(NotAllowed):
        close_pilot(getattr(world, who), world.pilot_id, session=session)
    assert world.pilot(session).status == PilotStatus.RUNNING


def test_one_row_per_started_pair_with_counts(session, world):
    first_meeting = session.exec(
        select(Milestone.id).where(
            Milestone.pilot_id == world.pilot_id, Milestone.key == "first_meeting"
        )
    ).one()
    two_days_ago = TODAY - timedelta(days=2)
    record_session(world.mentee_a, world.pair_a, SessionInput(two_days_ago, 45), session=session)
    record_session(world.mentor_a, world.pair_a, SessionInput(TODAY, 30), session=session)
    tick_pair_milestone(world.mentor_a, world.pair_a, first_meeting, two_days_ago, session=session)
    submit_checkin(world.mentor_b, world.pair_b, "start", {}, satisfaction=1, needs_help=True,
                   session=session)  # fmt: skip
    end_pair(world.mentee_c, world.pair_c, session=session)
    make_pair(  # published, not accepted yet: not in the table
        session,
        world.pilot_id,
        world.enrollments["lone_mentee"],
        world.enrollments["mentor_a"],
        status=PairStatus.PUBLISHED,
    )
    rows = pilot_progress(
        world.admin, world.pilot_id, session=session, today=TODAY + timedelta(days=5)
    )
    assert rows == [
        PairProgress(
            world.pair_a, "Mentee A", "Mentor A", "active",
            1, 5, 1, 2, 75, TODAY, 0, False, False, False, False,
            True, "Remind the pair of the overdue milestone",
        ),
        PairProgress(
            world.pair_b, "Mentee B", "Mentor B", "active",
            0, 5, 1, 0, 0, None, 1, False, False, True, False,
            True, "Talk to each member privately about how the pair is going",
        ),
        PairProgress(
            world.pair_c, "Mentee C", "Mentor B", "ended",
            0, 5, 0, 0, 0, None, 0, False, False, False, False,
            # Ended months before the pilot's end: Mentee C could be matched again.
            True, "Offer a re-match",
        ),
    ]  # fmt: skip
    frame = pd.DataFrame(rows)
    assert frame.shape == (3, 17)
    assert frame["minutes"].tolist() == [75, 0, 0]


def test_close_pilot_keeps_pairs_and_stops_logging(session, world):
    pilot = close_pilot(world.admin, world.pilot_id, session=session)
    assert pilot.status == PilotStatus.CLOSED
    assert {world.pair(session, p).status for p in (world.pair_a, world.pair_b)} == {"active"}
    with pytest.raises(DomainError, match="is closed"):
        record_session(world.mentee_a, world.pair_a, SessionInput(TODAY, 30), session=session)
    with pytest.raises(ValidationFailed) as failure:
        close_pilot(world.admin, world.pilot_id, session=session)
    assert failure.value.errors == {
        "status": "only a running pilot can be closed (this one is closed)"
    }
