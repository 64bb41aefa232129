"""What people learned, both ways: mentees' confidence on their goal topics from the start to the
end check-in, and mentors' ratings of what they learned back on leadership topics."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from core.dashboard.privacy import suppress_small_groups
from core.models import Role, TopicKind

if TYPE_CHECKING:
    from core.dashboard.frames import PilotFrames

CHANGE_COLUMNS = ["topic_id", "topic", "respondents", "mean_start", "mean_end", "gain"]


def rating_pairs(frames: PilotFrames, role: str, kind: str) -> pd.DataFrame:
    """One row per (pair, person, topic) rated at both the start and the end check-in by a
    `role` respondent on a `kind` topic: pair_id, person_id, topic_id, start, end, gain."""
    changes = frames.rating_changes
    kinds = frames.topics.set_index("topic_id")["kind"]
    keep = (changes["role"] == role) & (changes["topic_id"].map(kinds) == kind)
    return changes.loc[keep, ["pair_id", "person_id", "topic_id", "start", "end", "gain"]]


def _change_per_topic(frames: PilotFrames, role: str, kind: str) -> pd.DataFrame:
    both = rating_pairs(frames, role, kind)
    per_topic = both.groupby("topic_id").agg(
        respondents=("person_id", "nunique"),
        mean_start=("start", "mean"),
        mean_end=("end", "mean"),
        gain=("gain", "mean"),
    )
    names = frames.topics.set_index("topic_id")["name"]
    table = per_topic.reset_index()
    table.insert(1, "topic", table["topic_id"].map(names))
    table = table.sort_values(["gain", "topic"], ascending=[False, True]).reset_index(drop=True)
    table = table.astype({"mean_start": float, "mean_end": float, "gain": float})
    return suppress_small_groups(
        table[CHANGE_COLUMNS],
        group_col="topic",
        members_col="respondents",
        value_cols=["topic_id", "mean_start", "mean_end", "gain"],
        threshold=frames.threshold,
    )


def confidence_change(frames: PilotFrames) -> pd.DataFrame:
    """Per learn topic, over mentees who rated it at both check-ins: topic_id, topic,
    respondents, mean_start, mean_end, gain (mean of each person's end − start), hidden.
    Topics with fewer respondents than the privacy threshold are hidden."""
    return _change_per_topic(frames, Role.MENTEE, TopicKind.LEARN)


def learned_back(frames: PilotFrames) -> pd.DataFrame:
    """The two-way benefit: per leadership (offer) topic, over mentors who rated it at both
    check-ins, the same columns as `confidence_change`."""
    return _change_per_topic(frames, Role.MENTOR, TopicKind.OFFER)
