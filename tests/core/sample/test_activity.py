"""The sample pilot three weeks before its end, as the programme team and the pairs see it.

Counts come from the stories in core.sample.activity: two pairs left without a partner (the
declined match from core.sample.pilot and the mentor who left), one unhappy pair, two drifting pairs
(last session 30 and 33 days ago), three slow starters (first meeting, agreed goals and mid-point
not ticked), one paused pair, twelve finished pairs (end check-ins done by both), and the demo
accounts' two steady pairs with two sessions planned each.
"""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import UTC, date, datetime

from sqlmodel import Session, col, select

from core.auth import actor_for
from core.dashboard.privacy import visible
from core.dashboard.view import dashboard_view
from core.db import make_engine
from core.models import (
    CandourPulse,
    CheckIn,
    Enrollment,
    LearningGoal,
    MentoringSession,
    Pair,
    PairStatus,
    Person,
    PlannedSession,
    Topic,
)
from core.pairs.exit import list_concerns, pair_events
from core.sample.activity import (
    LEFT_PAUSE_REASON,
    LEFT_REASON,
    PAUSE_REASON,
    SPECIAL_STORIES,
    UNHAPPY_CONCERN,
)
from core.sample.pilot import load_sample_pilot
from core.tracking.at_risk import (
    ASKED_FOR_HELP,
    INACTIVE,
    MILESTONE_OVERDUE,
    PARTNER_LEFT,
    at_risk_pairs,
)
from core.tracking.checkins import goal_progress, my_checkins
from core.tracking.milestone_progress import DONE, list_milestones, overdue_milestones
from core.tracking.my_pair import my_pair
from core.tracking.progress_overview import pilot_progress
from core.tracking.pulse import candour_summary
from tests import builders

SLOW_STARTERS, FINISHED, PLANNED = 3, 12, 2 * 2
# Pair milestones due by now: orientation, first meeting, goals agreed, mid-point. Finished pairs
# also ticked the final reflection, due in a week.
DUE_MILESTONES = 4


def _loaded(session: Session):
    admin = builders.staff(session)
    return admin, load_sample_pilot(admin, session=session)


def test_at_risk_list_shows_each_kind_of_trouble(session):
    admin, pilot = _loaded(session)
    risks = at_risk_pairs(admin, pilot.id, session=session)
    assert Counter(r.kinds for r in risks) == {
        (PARTNER_LEFT,): 2,
        (ASKED_FOR_HELP,): 1,
        (INACTIVE,): 2,
        (MILESTONE_OVERDUE,): SLOW_STARTERS,
    }
    by_kind = {
        k: [r for r in risks if r.kinds == (k,)] for k in (PARTNER_LEFT, ASKED_FOR_HELP, INACTIVE)
    }
    assert sorted(r.reasons[0] for r in by_kind[INACTIVE]) == [
        "No session for 30 days (limit 21)",
        "No session for 33 days (limit 21)",
    ]
    left = {r.reasons[0]: r for r in by_kind[PARTNER_LEFT]}
    assert set(left) == {
        "The match was declined; the mentee has no new pair",
        "The mentor withdrew; the mentee has no new pair",
    }
    withdrawn = left["The mentor withdrew; the mentee has no new pair"]
    assert withdrawn.status == PairStatus.ENDED
    # The mentor's private reasons reach the admins through the pair's history.
    events = pair_events(admin, withdrawn.pair_id, session=session)
    assert [(e.kind, e.person_name, e.note) for e in events] == [
        ("paused", withdrawn.mentor_name, LEFT_PAUSE_REASON),
        ("withdrawn", withdrawn.mentor_name, LEFT_REASON),
    ]
    (unhappy,) = by_kind[ASKED_FOR_HELP]
    assert unhappy.reasons == ["The mentor asked the programme team for help in the start check-in"]
    (concern,) = list_concerns(admin, pilot.id, session=session)
    assert (concern.pair_id, concern.raised_by, concern.text, concern.resolved_at) == (
        unhappy.pair_id,
        unhappy.mentor_name,
        UNHAPPY_CONCERN,
        None,
    )

    overdue = overdue_milestones(admin, pilot.id, session=session)
    slow = {r.pair_id for r in risks if r.kinds == (MILESTONE_OVERDUE,)}
    assert len(overdue) == (DUE_MILESTONES - 1) * SLOW_STARTERS
    assert {r.pair_id for r in overdue} == slow
    assert Counter(r.milestone for r in overdue) == {
        "First meeting": SLOW_STARTERS,
        "Goals agreed for the pair": SLOW_STARTERS,
        "Mid-point check-in": SLOW_STARTERS,
    }


def test_progress_and_checkins_cover_every_pair_that_started(session):
    admin, pilot = _loaded(session)
    rows = pilot_progress(admin, pilot.id, session=session)
    started = len(rows)
    # Every pair both accepted started: the special stories, the demo accounts' two and the
    # steady rest.
    accepted = session.exec(
        select(Pair).where(Pair.pilot_id == pilot.id, col(Pair.accepted_at).is_not(None))
    ).all()
    assert started == len(accepted)
    assert started >= sum(count for _, count in SPECIAL_STORIES) + 2
    assert Counter(r.status for r in rows) == {
        PairStatus.ACTIVE: started - 2,
        PairStatus.PAUSED: 1,
        PairStatus.ENDED: 1,
    }
    assert all(1 <= r.sessions <= 8 for r in rows)
    assert all(30 * r.sessions <= r.minutes <= 90 * r.sessions for r in rows)
    # Slow starters ticked orientation only; finished pairs also ticked the final reflection.
    assert Counter(r.milestones_done for r in rows) == {
        DUE_MILESTONES + 1: FINISHED,
        DUE_MILESTONES: started - FINISHED - SLOW_STARTERS,
        1: SLOW_STARTERS,
    }
    assert Counter(r.milestones_overdue for r in rows) == {
        0: started - SLOW_STARTERS,
        DUE_MILESTONES - 1: SLOW_STARTERS,
    }
    paused = next(r for r in rows if r.status == PairStatus.PAUSED)
    assert not paused.at_risk  # paused this week: not yet too long
    events = pair_events(admin, paused.pair_id, session=session)
    assert [(e.kind, e.person_name, e.note) for e in events] == [
        ("paused", paused.mentee, PAUSE_REASON)
    ]

    # Check-in completion is part of the progress rows (no answers, only who did which phase).
    completion = rows
    assert sum(c.mentee_start for c in completion) == started - SLOW_STARTERS
    assert sum(c.mentor_start for c in completion) == started - SLOW_STARTERS
    finished = [c for c in completion if c.mentee_end]
    assert len(finished) == FINISHED
    assert all(c.mentor_end and c.mentee_start and c.mentor_start for c in finished)
    assert all(c.status == PairStatus.ACTIVE for c in finished)  # the pilot is still running
    assert sum(c.mentor_end for c in completion) == FINISHED

    milestones = {m.key: m for m in list_milestones(admin, pilot.id, session=session)}
    assert milestones["kickoff"].completed_on == pilot.start_date


def test_finished_pairs_mostly_gained_confidence(session):
    _admin, pilot = _loaded(session)
    finished = session.exec(
        select(Pair)
        .join(CheckIn, col(CheckIn.pair_id) == Pair.id)
        .where(Pair.pilot_id == pilot.id, CheckIn.phase == "end")
        .distinct()
    ).all()
    assert len(finished) == FINISHED
    satisfaction = []
    for pair in finished:
        for enrollment_id in (pair.mentee_enrollment_id, pair.mentor_enrollment_id):
            member = actor_for(
                session.get(Person, session.get(Enrollment, enrollment_id).person_id)
            )
            start, end = my_checkins(member, pair.id, session=session)
            assert (start.phase, end.phase) == ("start", "end")
            assert set(end.ratings) == set(start.ratings)
            assert all(1 <= v <= 3 for v in start.ratings.values())
            assert all(end.ratings[t] >= start.ratings[t] for t in start.ratings)
            satisfaction.append(end.satisfaction)
            assert end.feedback
            assert end.would_recommend == end.take_part_again == (end.satisfaction >= 4)
            if enrollment_id == pair.mentee_enrollment_id:
                progress = goal_progress(member, pair.id, session=session)
                assert all(g.change is not None and g.change >= 0 for g in progress)
                assert sum(g.change for g in progress) > 0
                assert end.share_feedback == (end.satisfaction >= 4)
            else:
                assert not end.share_feedback
    # Mostly happy; four lukewarm answers that would not recommend the programme.
    assert Counter(satisfaction) == {5: 9, 4: 11, 3: 4}


def _finished_pairs(session: Session, pilot_id: int) -> list[Pair]:
    return session.exec(
        select(Pair)
        .join(CheckIn, col(CheckIn.pair_id) == Pair.id)
        .where(Pair.pilot_id == pilot_id, CheckIn.phase == "end")
        .distinct()
    ).all()


def _expected_shown(counts: Counter, threshold: int) -> dict:
    return {group: n for group, n in counts.items() if n >= threshold}


def _expected_hidden(counts: Counter, threshold: int) -> int:
    return sum(1 for n in counts.values() if 0 < n < threshold)


def test_dashboard_shows_every_chart_with_groups_past_the_privacy_threshold(session):
    """The dashboard hides any topic or group of fewer than 5 people: enough pairs finish for
    its before/after and satisfaction charts to show more than the overall figure. What each
    chart should show is counted here straight from the rows the sample wrote."""
    admin, pilot = _loaded(session)
    threshold = pilot.privacy_threshold
    assert threshold == 5
    view = dashboard_view(admin, pilot.id, session=session)
    data = view.content.data
    finished = _finished_pairs(session, pilot.id)
    assert len(finished) == FINISHED
    enrollment = {e.id: e for e in session.exec(select(Enrollment)).all()}
    person = {p.id: p for p in session.exec(select(Person)).all()}
    topic_name = dict(session.exec(select(Topic.id, Topic.name)).all())

    # Finished mentees rated every goal at both check-ins; finished mentors every learn-back topic.
    goal_counts = Counter(
        topic_name[g.topic_id]
        for pair in finished
        for g in session.exec(
            select(LearningGoal).where(LearningGoal.enrollment_id == pair.mentee_enrollment_id)
        ).all()
    )
    finished_mentors = {pair.mentor_enrollment_id for pair in finished}
    want_counts = Counter(topic_name[t] for e in finished_mentors for t in enrollment[e].wants)

    def respondents(df) -> dict:
        shown = visible(df)
        return dict(zip(shown["topic"], shown["respondents"], strict=True))

    assert respondents(data.confidence) == _expected_shown(goal_counts, threshold)
    assert respondents(data.learned_back) == _expected_shown(want_counts, threshold)
    # As the sample promises: at least four learn topics and two learn-back topics are shown.
    assert len(respondents(data.confidence)) >= 4
    assert len(respondents(data.learned_back)) >= 2

    answered = set(
        session.exec(
            select(CheckIn.person_id).where(
                CheckIn.phase == "end", col(CheckIn.pair_id).in_([p.id for p in finished])
            )
        ).all()
    )
    mentor_people = {enrollment[e].person_id for e in finished_mentors}
    groups = {
        "Role": Counter(
            "Mentors (junior volunteers)" if p in mentor_people else "Mentees (senior leaders)"
            for p in answered
        ),
        "Department": Counter(person[p].department for p in answered),
        "Career stage": Counter(person[p].career_stage for p in answered),
    }
    assert groups["Role"]["Mentees (senior leaders)"] == FINISHED
    shown = visible(data.satisfaction)
    assert set(zip(shown["dimension"], shown["group"], shown["respondents"], strict=True)) == {
        ("Overall", "All respondents", len(answered)),
        *(
            (dimension, group, n)
            for dimension, counts in groups.items()
            for group, n in _expected_shown(counts, threshold).items()
        ),
    }
    hidden = {
        "confidence": _expected_hidden(goal_counts, threshold),
        "learned_back": _expected_hidden(want_counts, threshold),
        "satisfaction": sum(_expected_hidden(c, threshold) for c in groups.values()),
    }
    what = {"confidence": "topics", "learned_back": "topics", "satisfaction": "groups"}
    assert view.notes == {
        chart: f"{n} {what[chart]} with fewer than 5 people not shown, to protect privacy."
        for chart, n in hidden.items()
        if n
    }
    charted = {
        "funnel": data.funnel,
        "supply_demand": data.supply_demand,
        "score_distribution": data.score_distribution,
        "sessions_per_week": data.sessions_per_week,
        "milestones_vs_plan": data.milestones_vs_plan,
        "confidence": data.confidence,
        "learned_back": data.learned_back,
        "satisfaction": data.satisfaction,
        "reach": data.reach_by_grade_gap,
    }
    assert set(charted) == set(view.charts)
    assert {name: len(visible(df)) > 0 for name, df in charted.items()} == dict.fromkeys(
        charted, True
    )
    # The default criteria. The end check-ins' satisfaction is the sample's fixed pool
    # (9 fives, 11 fours, 4 threes: 101 / 24), and exactly those with 4 or more recommend
    # (20 of 24). The other measures depend on how the seeded weeks fall: they get a verdict.
    tiles = {t.label: t for t in view.content.tiles}
    assert set(tiles) == {
        "Mentees matched",
        "Pairs that met 4+ times",
        "Confidence gain",
        "Satisfaction",
        "Would recommend",
    }
    assert (tiles["Satisfaction"].display_value, tiles["Satisfaction"].met) == ("4.21 / 5", True)
    assert (tiles["Would recommend"].display_value, tiles["Would recommend"].met) == (
        "83.3%",
        True,
    )
    assert all(t.met is not None for t in tiles.values())


def test_sessions_are_plausible_and_the_candour_summary_is_shown(session):
    admin, pilot = _loaded(session)
    today = date.today()
    rows = session.exec(
        select(MentoringSession, Pair)
        .join(Pair, col(Pair.id) == MentoringSession.pair_id)
        .where(Pair.pilot_id == pilot.id)
    ).all()
    goals: dict[int, set[int]] = {}
    for goal in session.exec(select(LearningGoal)).all():
        goals.setdefault(goal.enrollment_id, set()).add(goal.topic_id)
    for entry, pair in rows:
        assert pair.accepted_at.date() <= entry.held_on <= today
        assert 30 <= entry.minutes <= 90
        assert entry.topic_ids and set(entry.topic_ids) <= goals[pair.mentee_enrollment_id]
        assert entry.takeaways.endswith(".")
    assert len({pair.id for _, pair in rows}) == len(
        pilot_progress(admin, pilot.id, session=session)
    )

    # Everyone who met answered the pulse at least once: every member of a pair that started.
    started = [r.pair_id for r in pilot_progress(admin, pilot.id, session=session)]
    members = set()
    for pair in session.exec(select(Pair).where(col(Pair.id).in_(started))).all():
        members.add(pair.mentee_enrollment_id)
        members.add(pair.mentor_enrollment_id)
    summary = candour_summary(admin, pilot.id, session=session)
    pulses = session.exec(
        select(CandourPulse.score)
        .join(MentoringSession, col(MentoringSession.id) == CandourPulse.session_id)
        .join(Pair, col(Pair.id) == MentoringSession.pair_id)
        .where(Pair.pilot_id == pilot.id)
    ).all()
    assert summary.overall.shown and summary.mentees.shown and summary.mentors.shown
    assert summary.overall.message == f"{len(members)} respondents"
    assert summary.overall.count == len(pulses)
    assert summary.overall.mean == sum(pulses) / len(pulses)
    candid = sum(score >= 4 for score in pulses)
    assert candid >= 0.75 * len(pulses) and candid < len(pulses)  # mostly 4-5, a few 2-3


def test_demo_mentor_sees_a_lively_pair(session):
    _admin, pilot = _loaded(session)
    demo = session.exec(
        select(Person).where(col(Person.password_hash).is_not(None), Person.is_staff == False)  # noqa: E712
    ).all()
    views = [v for p in demo if (v := my_pair(actor_for(p), pilot.id, session=session))]
    running = [v for v in views if v.pair.status == PairStatus.ACTIVE]
    # Both demo accounts (a mentee and a mentor) land in running pairs with a real history.
    assert sorted(v.pair.my_role for v in running) == ["mentee", "mentor"]
    assert all(len(v.sessions) >= 1 for v in running)
    view = next(v for v in running if v.pair.my_role == "mentor")
    assert 6 <= len(view.sessions) <= 8
    # The end check-in is left for whoever signs in to try.
    assert [c.mine_done and c.partner_done for c in view.checkins] == [True, False]
    assert {m.key: m.status for m in view.milestones if m.can_tick}["midpoint"] == DONE
    assert view.next_milestone.key == "final_reflection"
    now = datetime.now(UTC)
    assert len(view.planned) == 2 and all(p.starts_at > now for p in view.planned)
    assert len(session.exec(select(PlannedSession)).all()) == PLANNED


def test_the_same_seed_gives_the_same_weeks(session, tmp_path, migrated_template):
    _loaded(session)
    other_path = tmp_path / "other.db"
    shutil.copyfile(migrated_template, other_path)
    other_engine = make_engine(f"sqlite:///{other_path}")
    try:
        with Session(other_engine) as other:
            _loaded(other)

            def log(s: Session) -> list[tuple]:
                return [
                    (e.pair_id, e.held_on, e.minutes, tuple(e.topic_ids), e.takeaways)
                    for e in s.exec(select(MentoringSession).order_by(col(MentoringSession.id)))
                ]

            assert log(other) == log(session)
            pulses = select(CandourPulse.session_id, CandourPulse.person_id, CandourPulse.score)
            assert sorted(other.exec(pulses).all()) == sorted(session.exec(pulses).all())
    finally:
        other_engine.dispose()
