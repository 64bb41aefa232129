import pytest
from sqlmodel import Session, col, select

from core.db import unit_of_work
from core.errors import DomainError, NotAllowed, ValidationFailed
from core.models import Concern, Pair, PairEvent, PairStatus
from core.pairs.access import my_current_pair
from core.pairs.exit import (
    end_pair,
    events_by_pair,
    list_concerns,
    pair_events,
    pause_pair,
    raise_concern,
    resolve_concern,
    resume_pair,
)
from core.tracking.my_pair import my_pair
from tests.builders.tracking import (  # noqa: F401
    NOT_ADMINS,
    NOT_MEMBERS_OF_PAIR_A,
    count_rows,
    tracking_db_url,
    tracking_template,
    tracking_world,
)

PRIVATE_REASON = "Max keeps cancelling at the last minute"
CONCERN = "Mia asked me to set up her personal social media accounts in work hours."


def holding_slots(session, mentor_enrollment_id: int) -> int:
    """The matching engine's count of a mentor's taken capacity."""
    return len(
        session.exec(
            select(Pair.id).where(
                Pair.mentor_enrollment_id == mentor_enrollment_id,
                col(Pair.status).in_(PairStatus.HOLDING),
            )
        ).all()
    )


MEMBER_SERVICES = {
    "pause": lambda w, a, s: pause_pair(a, w.pair_a, session=s),
    "resume": lambda w, a, s: resume_pair(a, w.pair_a, session=s),
    "end": lambda w, a, s: end_pair(a, w.pair_a, session=s),
    "raise concern": lambda w, a, s: raise_concern(a, w.pair_a, CONCERN, session=s),
}
ADMIN_SERVICES = {
    "list concerns": lambda w, a, s, cid: list_concerns(a, w.pilot_id, session=s),
    "resolve": lambda w, a, s, cid: resolve_concern(a, cid, session=s),
    "events": lambda w, a, s, cid: pair_events(a, w.pair_a, session=s),
    "every pair's events": lambda w, a, s, cid: events_by_pair(a, w.pilot_id, session=s),
}


@pytest.mark.parametrize("service", MEMBER_SERVICES)
@pytest.mark.parametrize("who", NOT_MEMBERS_OF_PAIR_A)
def test_member_services_refuse_everyone_else(session, world, service, who):
    with pytest.raises(NotAllowed):
        MEMBER_SERVICES[service](world, getattr(world, who), session)
    assert world.pair(session, world.pair_a).status == PairStatus.ACTIVE
    assert count_rows(session, Concern, PairEvent) == (0, 0)


@pytest.mark.parametrize("service", ADMIN_SERVICES)
@pytest.mark.parametrize("who", NOT_ADMINS)
def test_admin_services_refuse_everyone_else(session, world, service, who):
    concern = raise_concern(world.mentor_a, world.pair_a, CONCERN, session=session)
    with pytest.raises(NotAllowed):
        ADMIN_SERVICES[service](world, getattr(world, who), session, concern)


def test_pause_and_resume_keep_the_reason_from_the_partner(session, world):
    view = pause_pair(world.mentee_a, world.pair_a, reason=PRIVATE_REASON, session=session)
    assert view.status == PairStatus.PAUSED
    partner_sees = [
        my_current_pair(world.mentor_a, world.pilot_id, session=session),
        my_pair(world.mentor_a, world.pilot_id, session=session),
    ]
    assert partner_sees[0].status == PairStatus.PAUSED
    assert PRIVATE_REASON not in repr(partner_sees)
    assert resume_pair(world.mentor_a, world.pair_a, session=session).status == PairStatus.ACTIVE
    events = pair_events(world.admin, world.pair_a, session=session)
    assert [(e.kind, e.person_name, e.note) for e in events] == [
        ("paused", "Mentee A", PRIVATE_REASON),
        ("resumed", "Mentor A", ""),
    ]
    end_pair(world.mentor_b, world.pair_b, reason="Moved team", session=session)
    every = events_by_pair(world.admin, world.pilot_id, session=session)
    assert set(every) == {world.pair_a, world.pair_b}  # pair C has no history
    assert every[world.pair_a] == events
    assert [(e.kind, e.person_name, e.note) for e in every[world.pair_b]] == [
        ("ended", "Mentor B", "Moved team")
    ]


def test_ending_frees_the_mentors_capacity(session, world):
    ned = world.enrollments["mentor_b"]
    assert holding_slots(session, ned) == 2
    view = end_pair(world.mentee_b, world.pair_b, reason="Different expectations", session=session)
    assert view.status == PairStatus.ENDED and view.ended_at is not None
    assert holding_slots(session, ned) == 1
    assert world.pair(session, world.pair_b).ended_at is not None


def test_a_paused_pair_can_be_ended(session, world):
    pause_pair(world.mentor_a, world.pair_a, session=session)
    assert end_pair(world.mentor_a, world.pair_a, session=session).status == PairStatus.ENDED


@pytest.mark.parametrize(
    ("first", "then", "message"),
    [
        (None, resume_pair, "it can be resumed only when it is paused"),
        (pause_pair, pause_pair, "it can be paused only when it is active"),
        (end_pair, end_pair, "This pair is ended"),
        (end_pair, resume_pair, "This pair is ended"),
    ],
)
def test_impossible_moves_are_refused(session, world, first, then, message):
    if first:
        first(world.mentee_a, world.pair_a, session=session)
    with pytest.raises(DomainError, match=message):
        then(world.mentee_a, world.pair_a, session=session)


def test_too_long_reason_changes_nothing(engine, world):
    with pytest.raises(ValidationFailed) as failure, unit_of_work(engine) as s:
        pause_pair(world.mentee_a, world.pair_a, reason="r" * 501, session=s)
    assert failure.value.errors == {"reason": "must be at most 500 characters (now 501)"}
    with Session(engine) as s:
        assert s.get(Pair, world.pair_a).status == PairStatus.ACTIVE
        assert count_rows(s, PairEvent) == (0,)


def test_only_the_mentor_raises_a_concern(session, world):
    with pytest.raises(NotAllowed, match="raised here by the mentor"):
        raise_concern(world.mentee_a, world.pair_a, CONCERN, session=session)


@pytest.mark.parametrize(("text", "now"), [("too short", 9), ("c" * 5001, 5001), ("   ", 0)])
def test_concern_length_is_checked(session, world, text, now):
    with pytest.raises(ValidationFailed) as failure:
        raise_concern(world.mentor_a, world.pair_a, text, session=session)
    assert failure.value.errors == {
        "text": f"describe the concern in 10 to 5000 characters (now {now:,})"
    }
    assert count_rows(session, Concern) == (0,)


def test_admins_list_and_resolve_concerns(session, world):
    first = raise_concern(world.mentor_a, world.pair_a, CONCERN, session=session)
    second = raise_concern(
        world.mentor_b, world.pair_c, "We have not met for a month.", session=session
    )
    rows = list_concerns(world.admin, world.pilot_id, session=session)
    assert {(r.id, r.mentee_name, r.mentor_name, r.raised_by, r.text) for r in rows} == {
        (first, "Mentee A", "Mentor A", "Mentor A", CONCERN),
        (second, "Mentee C", "Mentor B", "Mentor B", "We have not met for a month."),
    }
    resolve_concern(world.admin, first, session=session)
    rows = list_concerns(world.admin, world.pilot_id, session=session)
    assert [(r.id, r.resolved_at is not None) for r in rows] == [(second, False), (first, True)]
    assert [
        r.id for r in list_concerns(world.admin, world.pilot_id, open_only=True, session=session)
    ] == [second]
