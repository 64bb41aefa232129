"""Small groups are hidden from every breakdown, including by subtraction from the overall."""

from __future__ import annotations

import pandas as pd

from core.dashboard.frames import load_frames
from core.dashboard.learning import learned_back
from core.dashboard.privacy import (
    hidden_groups,
    hidden_label,
    hidden_note,
    suppress_small_groups,
    visible,
)
from core.dashboard.reach import career_stage_pairs
from core.dashboard.satisfaction import satisfaction
from tests.builders.dashboard import (  # noqa: F401
    AS_OF,
    build_template,
    dashboard_template,
    open_copy,
    set_privacy_threshold,
    world,
)


def frames_at(world, threshold: int):
    session, built, _ = world
    set_privacy_threshold(session, built.pilot_id, threshold)
    return load_frames(built.admin, built.pilot_id, session=session, as_of=AS_OF)


def groups(sizes: dict[str, int], within: list[str] | None = None) -> pd.DataFrame:
    df = pd.DataFrame({"group": list(sizes), "people": list(sizes.values())})
    df["value"] = df["people"] * 1.5
    if within is not None:
        df["dimension"] = within
    return df


def test_groups_below_the_threshold_lose_their_name_and_figures():
    out = suppress_small_groups(
        groups({"A": 10, "B": 2, "C": 3}),
        group_col="group",
        members_col="people",
        value_cols=["value"],
        threshold=5,
    )
    assert out["group"].tolist() == ["A", hidden_label(5), hidden_label(5)]
    assert out["hidden"].tolist() == [False, True, True]
    assert out["people"].tolist()[0] == 10 and out["people"].iloc[1:].isna().all()
    assert out["value"].iloc[1:].isna().all()
    assert hidden_groups(out) == 2
    assert visible(out)["group"].tolist() == ["A"]
    assert hidden_note(out, "groups") == (
        "2 groups with fewer than 5 people not shown, to protect privacy."
    )


def test_a_lone_small_group_takes_the_next_smallest_with_it():
    """Otherwise the overall figure minus the visible groups would give the hidden one away."""
    out = suppress_small_groups(
        groups({"A": 10, "B": 8, "C": 3, "D": 1}),
        group_col="group",
        members_col="people",
        value_cols=["value"],
        threshold=5,
    )
    assert out["group"].tolist() == ["A", *[hidden_label(5)] * 3]
    assert hidden_groups(out) == 3


def test_each_breakdown_is_suppressed_on_its_own():
    out = suppress_small_groups(
        groups({"x": 6, "y": 2, "p": 7, "q": 7}, within=["one", "one", "two", "two"]),
        group_col="group",
        members_col="people",
        value_cols=["value"],
        threshold=5,
        within="dimension",
    )
    assert out["group"].tolist() == [hidden_label(5), hidden_label(5), "p", "q"]
    assert out["dimension"].tolist() == ["one", "one", "two", "two"]


def test_nothing_hidden_means_no_note():
    out = suppress_small_groups(
        groups({"A": 5}), group_col="group", members_col="people", value_cols=["value"], threshold=5
    )
    assert hidden_groups(out) == 0 and hidden_note(out, "groups") is None


def test_a_department_of_two_is_shown_at_threshold_two(world):
    table = satisfaction(frames_at(world, 2))
    legal = table.loc[table["group"] == "Legal"].iloc[0]
    assert (legal["respondents"], legal["mean_satisfaction"]) == (2, 3.5)


def test_a_department_of_two_is_hidden_at_threshold_five(world):
    table = satisfaction(frames_at(world, 5))
    assert "Legal" not in table["group"].tolist()
    overall = table.iloc[0]
    assert (overall["group"], overall["respondents"], overall["mean_satisfaction"]) == (
        "All respondents",
        5,
        4.0,
    )
    departments = table.loc[table["dimension"] == "Department"]
    assert departments["group"].tolist() == [hidden_label(5)] * 2
    assert departments["mean_satisfaction"].isna().all()
    assert hidden_groups(table) == 6  # every role, department and career-stage group
    assert visible(table)["group"].tolist() == ["All respondents"]


def test_finance_is_hidden_with_legal_when_legal_alone_would_be_given_away(world):
    table = satisfaction(frames_at(world, 3))
    departments = table.loc[table["dimension"] == "Department"]
    # Legal (2) is below 3; Finance (3) is not, but Finance and the overall would reveal Legal.
    assert departments["hidden"].tolist() == [True, True]


def test_topics_and_stage_pairs_follow_the_threshold(world):
    frames = frames_at(world, 4)
    assert learned_back(frames)["hidden"].tolist() == [True]  # two mentors rated it
    stages = career_stage_pairs(frames)
    assert stages["label"].tolist() == ["Early career → Executive", *[hidden_label(4)] * 2]
    assert stages["mentor_stage"].iloc[1:].isna().all()
