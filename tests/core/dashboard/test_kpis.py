"""The success criteria: each measure's value on the hand-built pilot, and the verdict."""

from __future__ import annotations

import pytest

from core.dashboard.frames import load_frames
from core.dashboard.kpis import MEASURES, KpiTile, all_kpis, compute_kpis
from core.dashboard.metrics import DEFAULT_CRITERIA, METRICS, format_kpi
from core.models import Pilot
from tests.builders.dashboard import (  # noqa: F401
    AS_OF,
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


def test_the_pilots_criteria_are_judged_in_their_order(frames):
    tiles = compute_kpis(frames)
    assert [(t.key, t.value, t.target, t.met) for t in tiles] == [
        ("pct_pairs_met_4_times", 75.0, 80.0, False),
        ("avg_confidence_gain", 1.17, 1.0, True),
        ("pct_would_recommend", 80.0, 80.0, True),
        ("avg_satisfaction", 4.0, 4.0, True),
        # m1, m2 (ended after the pilot's end), m4, m5 of the 6 mentees in the pilot; m3's pair
        # ended early and m6 never joined.
        ("pct_mentees_matched", 66.7, 90.0, False),
    ]
    assert tiles[0] == KpiTile(
        key="pct_pairs_met_4_times",
        label="Pairs that met 4+ times",
        value=75.0,
        target=80.0,
        unit="%",
        met=False,
        detail="3 of 4 accepted pairs.",
    )
    assert tiles[1].detail == "6 topic ratings from 3 mentees."


def test_every_measure_of_the_catalogue(frames):
    values = {tile.key: tile.value for tile in all_kpis(frames)}
    assert values == {
        "pct_mentees_matched": 66.7,
        "pct_pairs_accepted": 80.0,
        "pct_pairs_met_4_times": 75.0,
        "avg_sessions_per_pair": 3.8,
        "pct_milestones_on_track": 35.0,
        "pct_pairs_completed": 75.0,
        "avg_confidence_gain": 1.17,
        "pct_mentees_more_confident": 100.0,
        "avg_learned_back_gain": 2.0,
        "avg_satisfaction": 4.0,
        "pct_would_recommend": 80.0,
        "pct_take_part_again": 75.0,
        "pct_mentees_oriented": 60.0,
        "pct_pairs_cross_department": 40.0,
        "pct_sessions_candid": 50.0,
    }


def test_milestones_on_track_count_only_what_is_due(world):
    session, built, _ = world
    frames = load_frames(
        built.admin, built.pilot_id, session=session, as_of=AS_OF.replace(month=2, day=3)
    )
    tile = compute_kpis(frames, [{"metric": "pct_milestones_on_track", "target": 50}])[0]
    # Due by 3 February: orientation and first meeting, 8 pair milestones; 4 of them done.
    assert (tile.value, tile.met, tile.detail) == (50.0, True, "4 of 8 pair milestones due so far.")


def test_candour_is_hidden_below_the_privacy_threshold(world):
    session, built, _ = world
    set_privacy_threshold(session, built.pilot_id, 3)
    frames = load_frames(built.admin, built.pilot_id, session=session, as_of=AS_OF)
    tile = compute_kpis(frames, [{"metric": "pct_sessions_candid", "target": 60}])[0]
    assert (tile.value, tile.met) == (None, None)
    assert tile.detail.startswith("Hidden: fewer than 3 people answered under these filters")


def test_defaults_apply_when_the_pilot_set_no_criteria(world):
    session, built, _ = world
    pilot = session.get(Pilot, built.pilot_id)
    pilot.success_criteria = []
    session.add(pilot)
    session.flush()
    frames = load_frames(built.admin, built.pilot_id, session=session, as_of=AS_OF)
    assert [(t.key, t.target) for t in compute_kpis(frames)] == [
        (c["metric"], c["target"]) for c in DEFAULT_CRITERIA
    ]


def test_unknown_measures_and_missing_targets_have_no_verdict(frames):
    unknown, untargeted = compute_kpis(
        frames, [{"metric": "pct_unicorns", "target": 5}, {"metric": "avg_satisfaction"}]
    )
    assert (unknown.value, unknown.met) == (None, None)
    assert "choose another" in unknown.detail
    assert (untargeted.value, untargeted.target, untargeted.met) == (4.0, None, None)


def test_the_catalogue_is_complete_and_readable():
    assert set(METRICS) == set(MEASURES)
    assert {c["metric"] for c in DEFAULT_CRITERIA} <= set(METRICS)
    for label, unit, comparison, description in METRICS.values():
        assert label and description and comparison in (">=", "<=")
        assert unit in ("%", "points", "/5", "sessions")


def test_values_are_formatted_with_their_unit():
    assert format_kpi(75.0, "%") == "75.0%"
    assert format_kpi(1.1667, "points") == "+1.17 points"
    assert format_kpi(4.0, "/5") == "4.00 / 5"
    assert format_kpi(3.75, "sessions") == "3.8 sessions"
    assert format_kpi(None, "%") == "–"
