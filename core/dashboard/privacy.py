"""Small-group suppression for every breakdown the dashboard and the report show.

A figure for a group of fewer than `Pilot.privacy_threshold` people (say, the two people from
Legal) would tell anyone who knows who is in that group what they answered. Such rows keep their
place in the dataset, so a page can say "2 groups hidden", but lose their name and their figures.

Hiding the small groups alone is not enough when the overall figure is also shown: the hidden
group's answer is the overall minus the visible groups. So when the hidden groups together still
hold fewer than the threshold, the smallest visible group is hidden as well (complementary
suppression), until the hidden remainder is large enough or nothing is left to show.

Whether one row is too small is decided by core.privacy.gate.gate, the rule every single figure
goes through as well.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from core.privacy.gate import gate

HIDDEN_COLUMN = "hidden"
# The group of people whose department or career stage is blank: still a group, still counted.
NOT_RECORDED = "Not recorded"


def hidden_label(threshold: int) -> str:
    return f"hidden (fewer than {threshold})"


HIDDEN_LABEL = re.compile(r"^hidden \(fewer than (\d+)\)$")


def suppress_small_groups(
    df: pd.DataFrame,
    *,
    group_col: str,
    members_col: str,
    value_cols: Sequence[str],
    threshold: int,
    within: str | None = None,
) -> pd.DataFrame:
    """A copy of `df` with a boolean `hidden` column; hidden rows have their group renamed to
    "hidden (fewer than N)" and their members and values blanked.

    `members_col` counts the distinct people behind each row; `value_cols` are blanked too (list
    any column that would identify the group, such as an id). `within` names a column that splits
    `df` into independent breakdowns (e.g. department vs career stage), each suppressed on its
    own; rows whose `within` value is None are never hidden (the whole-pilot figures).
    """
    out = df.copy()
    hide = np.zeros(len(out), dtype=bool)
    if within is None:
        blocks = [np.arange(len(out))]
    else:
        keys = out[within]
        blocks = [np.flatnonzero((keys == key).to_numpy()) for key in pd.unique(keys.dropna())]
    members = out[members_col].to_numpy(dtype=float)
    labels = out[group_col].astype(str).to_numpy()
    for block in blocks:
        hide[block] = _hidden_in_block(members[block], labels[block], threshold)
    out[HIDDEN_COLUMN] = hide
    # Nullable types whether or not anything is hidden, so a dataset's schema never depends on it.
    for column in (members_col, *value_cols):
        integer = pd.api.types.is_integer_dtype(out[column])
        out[column] = out[column].astype("Int64" if integer else "Float64")
    if not hide.any():
        return out
    out[group_col] = out[group_col].astype(object)
    out.loc[hide, group_col] = hidden_label(threshold)
    for column in (members_col, *value_cols):
        out.loc[hide, column] = pd.NA
    # Hidden rows go last in their breakdown: their place in a sorted table would tell their rank.
    block_of = np.full(len(out), -1)  # never-hidden whole-pilot rows stay first
    for number, block in enumerate(blocks):
        block_of[block] = number
    order = np.lexsort((hide, block_of))
    return out.iloc[order].reset_index(drop=True)


def _hidden_in_block(members: np.ndarray, labels: np.ndarray, threshold: int) -> np.ndarray:
    hide = np.array(
        [not gate(None, int(m) if m == m else 0, threshold).shown for m in members], dtype=bool
    )
    # Smallest first; ties broken by the group's name so the result never depends on row order.
    order = sorted(range(len(members)), key=lambda i: (members[i], labels[i]))
    for i in order:
        hidden_total = members[hide].sum()
        if not hide.any() or hidden_total >= threshold or hide.all():
            break
        if not hide[i]:
            hide[i] = True
    return hide


def visible(df: pd.DataFrame) -> pd.DataFrame:
    """The rows a chart may draw."""
    if HIDDEN_COLUMN not in df.columns:
        return df
    return df.loc[~df[HIDDEN_COLUMN].astype(bool)]


def hidden_groups(df: pd.DataFrame) -> int:
    """How many groups a breakdown hid, for the "N groups hidden" note under a chart."""
    if HIDDEN_COLUMN not in df.columns:
        return 0
    return int(df[HIDDEN_COLUMN].sum())


def hidden_note(df: pd.DataFrame, what: str) -> str | None:
    """The line under a chart or table that says what the privacy rule left out, if anything."""
    count = hidden_groups(df)
    if not count:
        return None
    values = df.loc[df[HIDDEN_COLUMN].astype(bool)].to_numpy().ravel()
    threshold = next(
        m.group(1) for v in values if isinstance(v, str) and (m := HIDDEN_LABEL.match(v))
    )
    return f"{count} {what} with fewer than {threshold} people not shown, to protect privacy."
