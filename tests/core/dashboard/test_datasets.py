"""Every dataset of the dashboard against the hand-built pilot of tests/dashboard_builders.py."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from core.dashboard.commitment import leadership_commitment
from core.dashboard.datasets import compute_dashboard
from core.dashboard.frames import DashboardFilters, load_frames
from core.dashboard.funnel import FUNNEL_STEPS, funnel
from core.dashboard.learning import confidence_change, learned_back
from core.dashboard.momentum import milestones_vs_plan, pair_activity, sessions_per_week
from core.dashboard.quality import goal_coverage, score_distribution
from core.dashboard.reach import (
    career_stage_pairs,
    cross_department_share,
    reach_by_grade_gap,
)
from core.dashboard.satisfaction import satisfaction
from core.dashboard.supply_demand import topic_supply_demand
from core.errors import NotAllowed, ValidationFailed
from core.models import Role
from core.pilots.catalogue import DEFAULT_LEARN_TOPICS
from tests import builders
from tests.builders.dashboard import (  # noqa: F401
    AS_OF,
    CYBER,
    DATA,
    GENAI,
    LINKEDIN,
    M1_FEEDBACK,
    M2_FEEDBACK,
    RESP_AI,
    STRATEGY,
    T1_FEEDBACK,
    build_template,
    dashboard_template,
    open_copy,
    set_privacy_threshold,
    world,
)


@pytest.fixture
def frames(world):
    session, built, _ = world
    return load_frames(built.admin, built.pilot_id, session=session, as_of=AS_OF)


def records(df: pd.DataFrame, columns: list[str]) -> list[tuple]:
    return [tuple(row) for row in df[columns].itertuples(index=False)]


def test_funnel_counts_each_step_for_both_roles(frames):
    table = funnel(frames)
    mentees = table.loc[table["role"] == Role.MENTEE]
    mentors = table.loc[table["role"] == Role.MENTOR]
    assert mentees["step"].tolist() == list(FUNNEL_STEPS)
    assert mentees["people"].tolist() == [6, 5, 5, 5, 4, 4, 3]
    assert mentors["people"].tolist() == [6, 5, 4, 4, 4, 4, 3]
    assert mentees["pct_of_invited"].tolist() == [100.0, 83.3, 83.3, 83.3, 66.7, 66.7, 50.0]


def test_supply_and_demand_per_topic_flags_what_no_one_can_teach(frames):
    table = topic_supply_demand(frames)
    assert records(
        table.head(5), ["topic", "demand", "mentees", "supply", "mentors", "no_one_can_teach"]
    ) == [
        (GENAI, 6, 3, 6, 3, False),
        (DATA, 3, 2, 3, 2, False),
        (LINKEDIN, 3, 1, 3, 1, False),
        (CYBER, 3, 1, 2, 1, False),
        (RESP_AI, 3, 1, 0, 0, True),
    ]
    # Every other learn topic of the default catalogue is listed with nothing on it.
    assert len(table) == sum(len(topics) for topics in DEFAULT_LEARN_TOPICS.values())
    assert table.iloc[5:][["demand", "supply"]].to_numpy().sum() == 0


def test_score_distribution_bins_matched_pairs_only(frames):
    table = score_distribution(frames)
    assert table["label"].tolist()[:2] == ["0.0–0.1", "0.1–0.2"]
    # p1..p5 are matches (0.92, 0.75, 0.58, 0.41, 0.35); the rejected p6 (0.20) is not.
    assert table["pairs"].tolist() == [0, 0, 0, 1, 1, 1, 0, 1, 0, 1]


def test_goal_coverage_uses_the_latest_matched_pair_of_each_mentee(frames):
    table = goal_coverage(frames)
    assert table["goals"].tolist() == [2, 2, 1, 2, 1]
    assert table["uncovered"].tolist() == [0, 0, 0, 1, 1]
    assert table["covered_share"].tolist() == [1.0, 1.0, 1.0, 0.5, 0.0]
    assert table["covered_share"].mean() == pytest.approx(0.7)


def test_sessions_per_week_fill_quiet_weeks_with_zero(frames):
    table = sessions_per_week(frames)
    assert table["week"].tolist() == [f"2026-W{w:02d}" for w in range(3, 13)]
    assert table["week_start"].iloc[0] == pd.Timestamp("2026-01-12")
    assert table["sessions"].tolist() == [4, 1, 2, 1, 3, 1, 1, 1, 0, 1]
    assert table["minutes"].tolist() == [165, 60, 75, 60, 135, 60, 30, 45, 0, 60]
    assert table["pairs"].tolist() == [3, 1, 2, 1, 3, 1, 1, 1, 0, 1]


def test_pair_activity_covers_accepted_pairs(frames, world):
    _, built, _ = world
    table = pair_activity(frames)
    ids = [built.pair_ids[k] for k in ("p1", "p2", "p3", "p4")]
    assert records(table, ["pair_id", "sessions", "minutes", "minutes_per_session"]) == [
        (ids[0], 5, 240, 48.0),
        (ids[1], 4, 120, 30.0),
        (ids[2], 2, 90, 45.0),
        (ids[3], 4, 240, 60.0),
    ]


def test_milestones_completed_against_plan(frames):
    table = milestones_vs_plan(frames)
    assert table["date"].dt.strftime("%m-%d").tolist() == [
        "01-15", "01-19", "01-20", "01-30", "02-02", "02-05", "02-09", "02-10", "04-01", "06-12"
    ]  # fmt: skip
    assert table["total"].unique().tolist() == [20]  # 4 accepted pairs x 5 pair milestones
    assert table["planned"].tolist() == [0, 4, 4, 4, 8, 8, 12, 12, 16, 20]
    assert table["completed"].tolist() == [1, 2, 3, 4, 4, 5, 5, 6, 7, 7]
    assert table["planned_pct"].tolist() == [0, 20, 20, 20, 40, 40, 60, 60, 80, 100]
    assert table["completed_pct"].tolist() == [5, 10, 15, 20, 20, 25, 25, 30, 35, 35]


def test_confidence_start_to_end_per_topic(frames):
    table = confidence_change(frames)
    top = table.iloc[0]
    assert (top["topic"], top["respondents"]) == (GENAI, 3)
    assert (top["mean_start"], top["mean_end"]) == pytest.approx((2.0, 11 / 3))
    assert top["gain"] == pytest.approx(5 / 3)
    # Data literacy, cybersecurity and responsible AI have one respondent each: hidden.
    assert table["hidden"].tolist() == [False, True, True, True]
    assert table["topic"].iloc[1:].tolist() == ["hidden (fewer than 2)"] * 3
    assert table["topic_id"].iloc[1:].isna().all()


def test_mentors_learned_back_on_leadership_topics(frames):
    table = learned_back(frames)
    assert records(table, ["topic", "respondents", "mean_start", "mean_end", "gain"]) == [
        (STRATEGY, 2, 1.5, 3.5, 2.0)
    ]


def test_satisfaction_overall_and_by_group(frames):
    table = satisfaction(frames)
    rows = records(
        table,
        ["dimension", "group", "respondents", "mean_satisfaction", "pct_would_recommend"],
    )
    expected = [
        ("Overall", "All respondents", 5, 4.0, 80.0),
        ("Role", "Mentees (senior leaders)", 3, 4.0, 200 / 3),
        ("Role", "Mentors (junior volunteers)", 2, 4.0, 100.0),
        ("Department", "Finance", 3, 13 / 3, 100.0),
        ("Department", "Legal", 2, 3.5, 50.0),
        ("Career stage", "Early career", 2, 4.0, 100.0),
        ("Career stage", "Executive", 3, 4.0, 200 / 3),
    ]
    assert [r[:3] for r in rows] == [e[:3] for e in expected]
    for row, want in zip(rows, expected, strict=True):
        assert row[3:] == pytest.approx(want[3:])
    assert not table["hidden"].any()


def test_reach_across_departments_grades_and_stages(frames):
    assert cross_department_share(frames) == pytest.approx(40.0)
    assert records(reach_by_grade_gap(frames), ["grade_gap", "crossing", "pairs"]) == [
        (6, "Same department", 1),
        (7, "Across departments", 1),
        (8, "Across departments", 1),
        (8, "Same department", 2),
    ]
    assert records(career_stage_pairs(frames), ["label", "pairs", "people", "hidden"]) == [
        ("Early career → Executive", 2, 4, False),
        ("Early career → Senior", 2, 3, False),
        ("Mid career → Executive", 1, 2, False),
    ]


def test_leadership_commitment(frames):
    table = leadership_commitment(frames)
    assert records(table, ["measure", "numerator", "denominator"]) == [
        ("sponsor_signed_off", 1, 1),
        ("mentees_oriented", 3, 5),
        ("mentees_attended", 4, 4),
        ("mentees_take_part_again", 2, 3),
    ]
    assert table["pct"].tolist() == pytest.approx([100.0, 60.0, 100.0, 200 / 3])


def test_frames_hold_no_names_no_emails_and_no_free_text(frames, world):
    _, built, _ = world
    texts = set()
    for name in frames.__dataclass_fields__:
        value = getattr(frames, name)
        if isinstance(value, pd.DataFrame):
            assert not {"name_of_person", "email", "feedback", "takeaways", "text"} & set(
                value.columns
            )
            for column in value.columns:
                texts.update(v for v in value[column] if isinstance(v, str))
    forbidden = set(built.names()) | {M1_FEEDBACK, M2_FEEDBACK, T1_FEEDBACK}
    forbidden |= {f"{key}@example.com" for key in ("m1", "t1")}
    assert not forbidden & texts
    assert not any("Private takeaway" in t for t in texts)


def test_department_filter_keeps_people_of_the_department_and_their_pairs(world):
    session, built, _ = world
    frames = load_frames(
        built.admin,
        built.pilot_id,
        DashboardFilters(departments=["Finance"]),
        session=session,
        as_of=AS_OF,
    )
    steps = funnel(frames)
    # Finance: mentees m1, m2, m6 (invited only); mentors t1, t2, t3.
    assert steps.loc[steps["role"] == Role.MENTEE, "people"].tolist() == [3, 2, 2, 2, 2, 2, 2]
    assert steps.loc[steps["role"] == Role.MENTOR, "people"].tolist() == [3, 3, 3, 3, 3, 3, 2]
    # Every pair but p4 (Legal) has a Finance member.
    assert set(frames.pairs["pair_id"]) == {
        built.pair_ids[k] for k in ("p1", "p2", "p3", "p5", "p6")
    }
    assert satisfaction(frames)["respondents"].iloc[0] == 3  # m1, m2, t1


def test_topic_category_filter_narrows_topics_and_people(world):
    session, built, _ = world
    frames = load_frames(
        built.admin,
        built.pilot_id,
        DashboardFilters(topic_categories=("AI and data",)),
        session=session,
        as_of=AS_OF,
    )
    table = topic_supply_demand(frames)
    assert set(table["category"]) == {"AI and data"}
    assert table.loc[table["demand"] > 0, "topic"].tolist() == [GENAI, DATA, RESP_AI]
    # m3 (LinkedIn only) is out; t2 stays for Generative AI.
    assert frames.participants["enrollment_id"].tolist() == [
        built.enrollment_ids[k] for k in ("m1", "m2", "m4", "m5", "t1", "t2", "t3", "t4")
    ]


def test_date_range_keeps_sessions_and_checkins_within_it(world):
    session, built, _ = world
    frames = load_frames(
        built.admin,
        built.pilot_id,
        DashboardFilters(date_from=date(2026, 2, 1), date_to=date(2026, 2, 28)),
        session=session,
        as_of=AS_OF,
    )
    assert len(frames.sessions) == 6
    assert frames.checkins.empty
    assert satisfaction(frames)["respondents"].tolist() == [0]


def test_filters_that_single_people_out_are_refused(world):
    session, built, _ = world
    set_privacy_threshold(session, built.pilot_id, 5)
    with pytest.raises(ValidationFailed) as refused:
        load_frames(
            built.admin,
            built.pilot_id,
            DashboardFilters(departments=("Legal",)),
            session=session,
        )
    assert "only 2 participants match" in refused.value.errors["filters"]
    with pytest.raises(ValidationFailed) as backwards:
        DashboardFilters(date_from=date(2026, 3, 1), date_to=date(2026, 2, 1))
    assert "date_to" in backwards.value.errors


def test_only_the_pilots_admins_load_its_frames(world):
    session, built, _ = world
    with pytest.raises(NotAllowed):
        load_frames(built.actors["m1"], built.pilot_id, session=session)
    other_admin = builders.staff(session, "other@example.com", "Other Admin")
    with pytest.raises(NotAllowed):
        load_frames(other_admin, built.pilot_id, session=session)


def test_an_empty_pilot_gives_empty_datasets(session):
    admin = builders.staff(session)
    pilot = builders.pilot(session, admin, name="Empty pilot")
    data = compute_dashboard(load_frames(admin, pilot.id, session=session))
    assert data.funnel["people"].sum() == 0
    assert data.sessions_per_week.empty and data.milestones_vs_plan.empty
    assert data.score_distribution["pairs"].sum() == 0
    assert data.confidence.empty and data.learned_back.empty and data.goal_coverage.empty
    assert data.satisfaction["respondents"].tolist() == [0]
    assert data.reach_by_grade_gap.empty and data.career_stage_pairs.empty
    assert data.commitment["pct"].isna().tolist() == [False, True, True, True]
