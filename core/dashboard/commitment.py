"""Leadership commitment: reverse mentoring only changes an organisation when its senior leaders
show up. All mentees are the senior leaders of the pilot, so "senior mentees" means mentees."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from core.models import Role
from core.privacy.gate import gate

if TYPE_CHECKING:
    from core.dashboard.frames import PilotFrames

COLUMNS = ["measure", "label", "numerator", "denominator", "pct", "hidden"]


def leadership_commitment(frames: PilotFrames) -> pd.DataFrame:
    """measure, label, numerator, denominator, pct (None when the denominator is 0):

    - sponsor_signed_off: the executive sponsor signed off the pilot (1 of 1, or 0 of 1);
    - mentees_oriented: mentees who joined and completed the orientation, of mentees who joined;
    - mentees_attended: mentees in an accepted pair who attended at least one session, of
      mentees in an accepted pair (one cannot attend before being matched);
    - mentees_take_part_again: mentees whose end check-in says they would take part again, of
      mentees who answered that question.
    These are whole-pilot figures, so they are not broken down; the one built from check-in
    answers goes through the privacy gate (hidden: numerator and pct blank, hidden True).
    """
    people = frames.participants
    mentees = people.loc[(people["role"] == Role.MENTEE) & people["joined"]]
    facts = frames.pair_facts
    accepted = facts.loc[facts["accepted"]]
    in_pair = mentees["enrollment_id"].isin(accepted["mentee_enrollment_id"])
    attended = mentees["enrollment_id"].isin(
        accepted.loc[accepted["sessions"] > 0, "mentee_enrollment_id"]
    )
    answers = frames.checkins.loc[
        (frames.checkins["phase"] == "end") & (frames.checkins["role"] == Role.MENTEE)
    ]
    again = answers.dropna(subset=["take_part_again"]).groupby("person_id")["take_part_again"].any()
    rows = [
        ("sponsor_signed_off", "Sponsor signed off", frames.pilot.sponsor_signed_off, 1),
        ("mentees_oriented", "Mentees who completed orientation", mentees["oriented"].sum(),
         len(mentees)),
        ("mentees_attended", "Matched mentees who attended a session", attended.sum(),
         in_pair.sum()),
        ("mentees_take_part_again", "Mentees who would take part again", again.sum(), len(again)),
    ]  # fmt: skip
    table = pd.DataFrame(
        [(m, label, int(n), int(d)) for m, label, n, d in rows], columns=COLUMNS[:-2]
    )
    table["pct"] = 100 * table["numerator"] / table["denominator"].where(table["denominator"] > 0)
    table = table.astype({"numerator": "Int64", "denominator": "Int64", "pct": float})
    hidden = table["measure"] == "mentees_take_part_again"
    hidden &= not gate(None, pd.Series(again.index), frames.threshold).shown
    table["hidden"] = hidden
    table.loc[hidden, ["numerator", "denominator"]] = pd.NA
    table.loc[hidden, "pct"] = float("nan")
    return table[COLUMNS]
