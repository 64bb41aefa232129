"""One count of mentees: in the pilot, eligible, with a pair, without one and why."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.dashboard.frames import load_frames
from core.dashboard.kpis import compute_kpis
from core.errors import NotAllowed
from core.models import EnrollmentStatus, MatchRun, PairStatus, Role
from core.pairs.coverage import (
    DECLINED,
    HAS_PAIR,
    NO_MENTOR_FITS,
    NOT_RUN_YET,
    PAIR_ENDED_EARLY,
    REJECTED,
    coverage_summary,
    match_in_words,
    mentees_without_pair,
)
from core.people.participants import PersonInput, add_participant, withdraw_participant
from core.people.profiles import ProfileInput, save_profile
from tests import builders
from tests.builders.tracking import make_pair

READY = ("ann", "eve", "fay", "gus", "hal", "kim", "lee")
NO_CONSENT = "has not agreed to be mentored by someone more junior"
NO_GOALS = "has not entered any learning goals"
NOT_JOINED = "has not joined the pilot yet"


@pytest.fixture
def pilot_world(session):
    """Ten mentees in the pilot, each in another situation, plus one withdrawn and one pending
    volunteer who are not in it; one mentor takes everybody who has a pair."""
    admin = builders.staff(session)
    pilot = builders.pilot(session, admin)
    mentor, mentor_e = builders.participant(
        session, admin, pilot, "max@x.com", Role.MENTOR, capacity=3
    )
    builders.ready_mentor(session, mentor, pilot, {"Generative AI basics": 3}, capacity=3)
    ids = {}
    for name in (*READY, "bea", "cal", "ivy", "pat"):
        actor, enrollment = builders.participant(
            session, admin, pilot, f"{name}@x.com", Role.MENTEE
        )
        ids[name] = enrollment.id
        if name == "cal":  # agreed, but entered no goal
            save_profile(actor, pilot.id, ProfileInput(consent=True), session=session)
        else:
            builders.ready_mentee(session, actor, pilot, {"Generative AI basics": 1})
        if name == "bea":
            save_profile(
                actor,
                pilot.id,
                ProfileInput(availability=["mon-am"], consent=False),
                session=session,
            )
    ids["dee"] = add_participant(
        admin, pilot.id, PersonInput("dee@x.com", "Dee", Role.MENTEE), session=session
    ).id
    withdraw_participant(admin, ids.pop("ivy"), session=session)
    pending = session.get(type(enrollment), ids.pop("pat"))
    pending.status = EnrollmentStatus.PENDING  # a volunteer nobody approved yet
    session.add(pending)
    make_pair(session, pilot.id, ids["ann"], mentor_e.id)
    make_pair(session, pilot.id, ids["eve"], mentor_e.id, status=PairStatus.DECLINED)
    make_pair(session, pilot.id, ids["hal"], mentor_e.id, status=PairStatus.REJECTED)
    for name, ended_on in (("fay", pilot.start_date + timedelta(days=20)), ("gus", pilot.end_date)):
        pair = make_pair(session, pilot.id, ids[name], mentor_e.id, status=PairStatus.ENDED)
        pair.ended_at = datetime.combine(ended_on, datetime.min.time(), tzinfo=UTC)
        session.add(pair)
    session.add(MatchRun(pilot_id=pilot.id, unmatched=[
        {"enrollment_id": ids["kim"], "name": "Kim", "reason": "the only mentor is full"}]))  # fmt: skip
    session.flush()
    return admin, pilot, ids


def test_every_mentee_in_the_pilot_is_counted_once_with_a_reason(session, pilot_world):
    admin, pilot, ids = pilot_world
    cov = coverage_summary(admin, pilot.id, session=session)
    counts = cov.mentees
    # In the pilot: the 7 ready mentees, Bea (no consent), Cal (no goals), Dee (invited).
    assert (counts.in_pilot, counts.eligible, counts.with_pair) == (10, 7, 2)
    assert counts.with_pair + counts.without_pair == counts.in_pilot
    why = {s.name: (s.why, s.detail) for s in cov.unpaired}
    assert why == {
        "Bea": (NO_CONSENT, ""),
        "Cal": (NO_GOALS, ""),
        "Dee": (NOT_JOINED, ""),
        "Eve": (DECLINED, ""),
        "Fay": (PAIR_ENDED_EARLY, ""),
        "Hal": (REJECTED, ""),
        "Kim": (NO_MENTOR_FITS, "the only mentor is full"),
        "Lee": (NOT_RUN_YET, ""),
    }
    # Ann's pair is active; Gus's ended on the pilot's last day, so it counts.
    assert counts.matched_label == "2 of 10 mentees in the pilot have a pair"
    assert counts.without_label == "8 mentees in the pilot without a pair"
    assert HAS_PAIR not in counts.reasons


def test_the_dashboard_tile_counts_the_same_mentees(session, pilot_world):
    admin, pilot, _ = pilot_world
    frames = load_frames(admin, pilot.id, session=session)
    (tile,) = compute_kpis(frames, [{"metric": "pct_mentees_matched", "target": 90}])
    assert (tile.value, tile.detail) == (20.0, "2 of 10 mentees in the pilot have a pair.")


def test_only_the_pilots_admins_see_who_has_no_pair(session, pilot_world):
    admin, pilot, ids = pilot_world
    assert len(mentees_without_pair(admin, pilot.id, session=session)) == 8
    outsider = builders.staff(session, "olga@x.com", "Olga")
    with pytest.raises(NotAllowed):
        mentees_without_pair(outsider, pilot.id, session=session)


def test_a_matching_run_reports_the_same_counts_as_the_pages(session):
    from core.pairs.run import run_matching

    admin = builders.staff(session)
    pilot = builders.pilot(session, admin)
    mentor, _ = builders.participant(session, admin, pilot, "max@x.com", Role.MENTOR)
    builders.ready_mentor(session, mentor, pilot, {"Generative AI basics": 3})
    for name in ("ann", "bob"):
        actor, _ = builders.participant(session, admin, pilot, f"{name}@x.com", Role.MENTEE)
        builders.ready_mentee(session, actor, pilot, {"Generative AI basics": 1})
    builders.participant(session, admin, pilot, "cal@x.com", Role.MENTEE)  # no goals: left out
    summary = run_matching(admin, pilot.id, session=session)
    # One mentor with one place: one of the two ready mentees; Cal is in the pilot too.
    assert (summary.matched, summary.mentees_total) == (1, 3)
    cov = coverage_summary(admin, pilot.id, session=session)
    assert summary.mentees == cov.mentees


@pytest.mark.parametrize(
    ("score", "goals", "expertise", "words"),
    [
        (72.0, {1: 1, 2: 1, 3: 1}, {1: 3, 2: 2}, "strong match: covers 2 of 3 must-have goals"),
        (
            50.0,
            {1: 1, 2: 2},
            {2: 3},
            "good match: covers 0 of 1 must-have goal (1 of 2 goals in all)",
        ),
        (30.0, {1: 2, 2: 3}, {1: 1}, "partial match: covers 1 of 2 goals"),
        (45.0, {}, {1: 1}, "good match: the mentee has no learning goals now"),
    ],
)
def test_the_score_in_words(score, goals, expertise, words):
    assert match_in_words(score, goals, expertise) == words


def test_a_volunteer_waiting_for_approval_is_not_matched(session):
    from core.pairs.run import run_matching

    admin = builders.staff(session)
    pilot = builders.pilot(session, admin)
    mentor, _ = builders.participant(session, admin, pilot, "max@x.com", Role.MENTOR)
    builders.ready_mentor(session, mentor, pilot, {"Generative AI basics": 3})
    pat, enrollment = builders.participant(session, admin, pilot, "pat@x.com", Role.MENTEE)
    builders.ready_mentee(session, pat, pilot, {"Generative AI basics": 1})
    enrollment.status = EnrollmentStatus.PENDING  # volunteered with the pilot code
    session.add(enrollment)
    summary = run_matching(admin, pilot.id, session=session)
    assert summary.suggested == 0
    assert [u["reason"] for u in summary.unmatched] == [
        "is a volunteer waiting for a programme admin's approval"
    ]
    assert (summary.matched, summary.mentees_total) == (0, 0)  # not in the pilot yet
