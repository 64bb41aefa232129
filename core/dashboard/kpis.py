"""The success criteria measured: one tile per criterion, with the pilot's target.

The catalogue itself (labels, units, directions, defaults) lives in core.dashboard.metrics. A
tile compares the value, rounded as it is shown, with the target, so what people read is what
was judged.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from core.dashboard.commitment import leadership_commitment
from core.dashboard.learning import rating_pairs
from core.dashboard.metrics import DEFAULT_CRITERIA, DIGITS, METRICS, format_kpi
from core.dashboard.momentum import pair_activity
from core.dashboard.reach import cross_department_share
from core.dashboard.satisfaction import end_answers
from core.models import Role, TopicKind
from core.pairs.coverage import count_mentees
from core.privacy.gate import HIDDEN_PREFIX, gate
from core.wording import count_of

if TYPE_CHECKING:
    from core.dashboard.frames import PilotFrames


CANDID_FROM = 4  # candour pulses are 1-5; 4 and 5 mean "yes, I could speak candidly"


@dataclass(frozen=True)
class KpiTile:
    key: str
    label: str
    value: float | None  # None: nothing to measure yet (see detail)
    target: float | None
    unit: str
    met: bool | None  # None without a value or a target
    detail: str
    comparison: str = ">="

    @property
    def hidden(self) -> bool:
        """Hidden by the privacy gate (the detail says why), not merely without data yet."""
        return self.value is None and self.detail.startswith(HIDDEN_PREFIX)

    @property
    def display_value(self) -> str:
        return "hidden" if self.hidden else format_kpi(self.value, self.unit)

    @property
    def display_target(self) -> str:
        if self.target is None:
            return "no target"
        word = "at least" if self.comparison == ">=" else "at most"
        return f"Target: {word} {format_kpi(self.target, self.unit)}"


Measured = tuple[float | None, str]


def _gated(frames: PilotFrames, measured: Measured, people: pd.Series, who: str) -> Measured:
    """A figure built from answers, through the privacy gate with the people who gave them."""
    value, detail = measured
    if value is None:
        return measured
    figure = gate(value, people, frames.threshold, who=who)
    return (figure.value, detail) if figure.shown else (None, str(figure.reason))


def _share(part: int, whole: int, of_what: str) -> Measured:
    if whole == 0:
        return None, f"No {of_what} yet."
    return 100 * part / whole, f"{part} of {whole} {of_what}."


def _mentees_matched(frames: PilotFrames) -> Measured:
    """Counted by core.pairs.coverage, like the Matching and Pilot progress pages."""
    people = frames.participants
    mentees = people.loc[(people["role"] == Role.MENTEE) & people["pair_standing"].notna()]
    counts = count_mentees(zip(mentees["eligible"], mentees["pair_standing"], strict=True))
    if counts.in_pilot == 0:
        return None, "No mentees in the pilot yet."
    return 100 * counts.with_pair / counts.in_pilot, f"{counts.matched_label}."


def _pairs_accepted(frames: PilotFrames) -> Measured:
    published = frames.pair_facts.loc[frames.pair_facts["published"]]
    return _share(int(published["accepted"].sum()), len(published), "published pairs")


def _pairs_met_4_times(frames: PilotFrames) -> Measured:
    pairs = pair_activity(frames)
    return _share(int((pairs["sessions"] >= 4).sum()), len(pairs), "accepted pairs")


def _sessions_per_pair(frames: PilotFrames) -> Measured:
    pairs = pair_activity(frames)
    if pairs.empty:
        return None, "No accepted pairs yet."
    total = int(pairs["sessions"].sum())
    return total / len(
        pairs
    ), f"{count_of(total, 'session')} over {count_of(len(pairs), 'accepted pair')}."


def _milestones_on_track(frames: PilotFrames) -> Measured:
    facts = frames.pair_facts
    accepted = facts.loc[facts["accepted"], "pair_id"]
    as_of = pd.Timestamp(frames.as_of)
    due = frames.milestones.loc[frames.milestones["due_date"] <= as_of]
    done = frames.pair_milestones
    done = done.loc[
        done["pair_id"].isin(accepted)
        & done["milestone_id"].isin(due["milestone_id"])
        & (done["completed_on"] <= as_of)
    ]
    return _share(len(done), len(accepted) * len(due), "pair milestones due so far")


def _pairs_completed(frames: PilotFrames) -> Measured:
    accepted = frames.pair_facts.loc[frames.pair_facts["accepted"]]
    return _share(int(accepted["completed"].sum()), len(accepted), "accepted pairs")


def _gain(frames: PilotFrames, role: str, kind: str, who: str) -> Measured:
    both = rating_pairs(frames, role, kind)
    if both.empty:
        return None, f"No {who} rated a topic at both check-ins yet."
    people = both["person_id"].nunique()
    measured = float(both["gain"].mean()), f"{len(both)} topic ratings from {people} {who}."
    return _gated(frames, measured, both["person_id"], f"{who} answered")


def _confidence_gain(frames: PilotFrames) -> Measured:
    return _gain(frames, Role.MENTEE, TopicKind.LEARN, "mentees")


def _learned_back_gain(frames: PilotFrames) -> Measured:
    return _gain(frames, Role.MENTOR, TopicKind.OFFER, "mentors")


def _more_confident(frames: PilotFrames) -> Measured:
    per_person = rating_pairs(frames, Role.MENTEE, TopicKind.LEARN).groupby("person_id")["gain"]
    gains = per_person.mean()
    measured = _share(int((gains > 0).sum()), len(gains), "mentees who rated at both check-ins")
    return _gated(frames, measured, pd.Series(gains.index), "mentees answered")


def _satisfaction(frames: PilotFrames) -> Measured:
    answered = end_answers(frames).dropna(subset=["satisfaction"])
    scores = answered["satisfaction"].astype(float)
    if scores.empty:
        return None, "No end check-ins yet."
    measured = float(scores.mean()), f"{len(scores)} end check-ins."
    return _gated(frames, measured, answered["person_id"], "people answered")


def _yes_share(column: str) -> Callable[[PilotFrames], Measured]:
    def measure(frames: PilotFrames) -> Measured:
        answered = end_answers(frames).dropna(subset=[column])
        answers = answered[column].astype(bool)
        measured = _share(int(answers.sum()), len(answers), "end check-ins that answered")
        return _gated(frames, measured, answered["person_id"], "people answered")

    return measure


def _mentees_oriented(frames: PilotFrames) -> Measured:
    row = leadership_commitment(frames).set_index("measure").loc["mentees_oriented"]
    return _share(int(row["numerator"]), int(row["denominator"]), "mentees who joined")


def _cross_department(frames: PilotFrames) -> Measured:
    share = cross_department_share(frames)
    if share is None:
        return None, "No matched pairs with both departments recorded yet."
    return share, "Of matched pairs with both departments recorded."


def _candid(frames: PilotFrames) -> Measured:
    """Hidden below the privacy threshold even for the whole pilot, as core.tracking.pulse
    promises: pulses are the most personal answer a participant gives."""
    pulses = frames.pulses
    people = pulses["person_id"].nunique()
    if pulses.empty:
        return None, "No after-session answers yet."
    candid = int((pulses["score"] >= CANDID_FROM).sum())
    measured = (
        100 * candid / len(pulses),
        f"{candid} of {count_of(len(pulses), 'answer')} from {count_of(people, 'person', 'people')}.",
    )
    return _gated(frames, measured, pulses["person_id"], "people answered")


MEASURES: dict[str, Callable[[PilotFrames], Measured]] = {
    "pct_mentees_matched": _mentees_matched,
    "pct_pairs_accepted": _pairs_accepted,
    "pct_pairs_met_4_times": _pairs_met_4_times,
    "avg_sessions_per_pair": _sessions_per_pair,
    "pct_milestones_on_track": _milestones_on_track,
    "pct_pairs_completed": _pairs_completed,
    "avg_confidence_gain": _confidence_gain,
    "pct_mentees_more_confident": _more_confident,
    "avg_learned_back_gain": _learned_back_gain,
    "avg_satisfaction": _satisfaction,
    "pct_would_recommend": _yes_share("would_recommend"),
    "pct_take_part_again": _yes_share("take_part_again"),
    "pct_mentees_oriented": _mentees_oriented,
    "pct_pairs_cross_department": _cross_department,
    "pct_sessions_candid": _candid,
}


def _tile(frames: PilotFrames, key: str, target: float | None) -> KpiTile:
    metric = METRICS.get(key)
    if metric is None:
        return KpiTile(
            key, key, None, target, "", None, "Unknown measure: choose another in the pilot set-up."
        )
    value, detail = MEASURES[key](frames)
    if value is not None:
        value = round(value, DIGITS.get(metric.unit, 1))
    met = None
    if value is not None and target is not None:
        met = value >= target if metric.comparison == ">=" else value <= target
    return KpiTile(key, metric.label, value, target, metric.unit, met, detail, metric.comparison)


def compute_kpis(frames: PilotFrames, criteria: Sequence[dict] | None = None) -> list[KpiTile]:
    """One tile per criterion, in the given order. Without `criteria`, the pilot's own success
    criteria, or DEFAULT_CRITERIA when the admins set none."""
    if criteria is None:
        criteria = frames.pilot.success_criteria or DEFAULT_CRITERIA
    tiles = []
    for criterion in criteria:
        target = criterion.get("target")
        tiles.append(
            _tile(frames, str(criterion.get("metric")), None if target is None else float(target))
        )
    return tiles


def all_kpis(frames: PilotFrames) -> list[KpiTile]:
    """Every measure of the catalogue, with the pilot's target where it set one."""
    targets = {c.get("metric"): c.get("target") for c in frames.pilot.success_criteria}
    return compute_kpis(frames, [{"metric": k, "target": targets.get(k)} for k in METRICS])
