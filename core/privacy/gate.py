"""The one privacy gate for figures built from what participants answered.

A number computed from check-ins, candour pulses or feedback describes the people who answered.
When fewer than `Pilot.privacy_threshold` distinct people stand behind it, anybody who knows who
was in the filtered group (one department, one day, one topic) can read their answer off the
figure. So every such figure goes through `gate` with the people behind it *after* every filter,
dates included, and is hidden with the reason when they are too few. Breakdowns apply the same
rule row by row (core.dashboard.privacy.suppress_small_groups calls `gate`).

Only counts of people decide; the count itself is not shown when a figure is hidden, since "1
person answered on 3 March" already narrows down who it was.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

HIDDEN_PREFIX = "Hidden:"


def hidden_reason(threshold: int, who: str = "people answered") -> str:
    return (
        f"{HIDDEN_PREFIX} fewer than {threshold} {who} under these filters; a figure from so few "
        "people could single someone out."
    )


@dataclass(frozen=True)
class Gated:
    """A figure after the gate: `value` is None when hidden, and `reason` says why."""

    value: float | None
    people: int
    threshold: int
    reason: str | None = None

    @property
    def shown(self) -> bool:
        return self.reason is None


def distinct_people(people: int | Iterable[object] | pd.Series) -> int:
    """How many different people: a count as it is, or the distinct ids of an iterable."""
    if isinstance(people, int):
        return people
    if isinstance(people, pd.Series):
        return int(people.dropna().nunique())
    return len({p for p in people if p is not None})


def gate(
    value: float | None,
    people: int | Iterable[object] | pd.Series,
    threshold: int,
    *,
    who: str = "people answered",
) -> Gated:
    """`value` if at least `threshold` distinct people stand behind it, else hidden.

    `people` is the ids of the people whose answers the value is computed from (or their
    distinct count, when the caller already has it)."""
    count = distinct_people(people)
    if count < threshold:
        return Gated(None, count, threshold, hidden_reason(threshold, who))
    return Gated(value, count, threshold)
