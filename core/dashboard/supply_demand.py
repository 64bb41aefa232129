"""What mentees want to learn against what mentors can teach, per learn topic.

The gap tells the programme team whom to recruit next: a topic many leaders ask for and no
junior volunteer offers cannot be matched however clever the matching is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from core.models import EnrollmentStatus, TopicKind

if TYPE_CHECKING:
    from core.dashboard.frames import PilotFrames

# A must-have goal weighs three times a nice-to-have one.
PRIORITY_WEIGHT = {1: 3, 2: 2, 3: 1}


def topic_supply_demand(frames: PilotFrames) -> pd.DataFrame:
    """One row per learn topic: topic_id, topic, category, demand, mentees, supply, mentors,
    no_one_can_teach; most wanted first.

    demand = Σ goal weights (priority 1 → 3, 2 → 2, 3 → 1); supply = Σ mentors' expertise levels
    (1..3). Withdrawn and opted-out participants are left out: they will not be matched. Inactive
    topics appear only while someone still has a goal or expertise on them.
    """
    people = frames.participants
    available = people.loc[
        (people["status"] != EnrollmentStatus.WITHDRAWN) & ~people["opted_out"], "enrollment_id"
    ]
    goals = frames.goals.loc[frames.goals["enrollment_id"].isin(available)]
    skills = frames.expertise.loc[frames.expertise["enrollment_id"].isin(available)]
    demand = (
        goals.assign(weight=goals["priority"].map(PRIORITY_WEIGHT).fillna(0))
        .groupby("topic_id")
        .agg(demand=("weight", "sum"), mentees=("enrollment_id", "nunique"))
    )
    supply = skills.groupby("topic_id").agg(
        supply=("level", "sum"), mentors=("enrollment_id", "nunique")
    )
    topics = frames.topics.loc[frames.topics["kind"] == TopicKind.LEARN]
    table = (
        topics.rename(columns={"name": "topic"})
        .join(demand, on="topic_id")
        .join(supply, on="topic_id")
        .fillna({"demand": 0, "mentees": 0, "supply": 0, "mentors": 0})
        .astype({"demand": int, "mentees": int, "supply": int, "mentors": int})
    )
    used = (table["demand"] > 0) | (table["supply"] > 0)
    table = table.loc[table["active"].astype(bool) | used]
    table["no_one_can_teach"] = (table["demand"] > 0) & (table["mentors"] == 0)
    table = table.sort_values(["demand", "supply", "topic"], ascending=[False, False, True])
    columns = ["topic_id", "topic", "category", "demand", "mentees", "supply", "mentors"]
    return table[[*columns, "no_one_can_teach"]].reset_index(drop=True)
