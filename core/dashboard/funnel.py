"""Where people drop out between the invitation and the end of the pilot."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from core.models import Role

if TYPE_CHECKING:
    from core.dashboard.frames import PilotFrames

FUNNEL_STEPS = (
    "Invited",
    "Joined",
    "Profile complete",
    "Matched",
    "Accepted",
    "First session",
    "Completed",
)
ROLE_LABELS = {Role.MENTEE: "Mentees (senior leaders)", Role.MENTOR: "Mentors (junior volunteers)"}


def funnel(frames: PilotFrames) -> pd.DataFrame:
    """People per step and role: step, step_order, role, role_label, people, pct_of_invited.

    Each step counts the people who reached it AND every step before it, so the funnel never
    widens:
    - Invited: every mentee and mentor enrollment, including people who later withdrew;
    - Joined: signed in with the invite code (`joined_at` set);
    - Profile complete: a mentee with at least one learning goal, a mentor with at least one area
      of expertise, and in both cases weekly availability and consent given;
    - Matched: in a matched pair (see core.dashboard.frames);
    - Accepted: in a pair both members accepted;
    - First session: an accepted pair of theirs held at least one session (in the date range);
    - Completed: in a pair that completed the pilot (see core.dashboard.frames).
    """
    people = frames.participants
    facts = frames.pair_facts
    rows = []
    for role in (Role.MENTEE, Role.MENTOR):
        group = people.loc[people["role"] == role]
        side = facts[f"{role}_enrollment_id"]

        def reached(mask: pd.Series, group: pd.DataFrame = group, side: pd.Series = side):
            return group["enrollment_id"].isin(side[mask])

        steps = [
            pd.Series(True, index=group.index),
            group["joined"],
            group["items"].ge(1) & group["has_availability"] & group["consent"],
            reached(facts["matched"]),
            reached(facts["accepted"]),
            reached(facts["accepted"] & (facts["sessions"] > 0)),
            reached(facts["completed"]),
        ]
        so_far = pd.Series(True, index=group.index)
        invited = len(group)
        for order, (label, step) in enumerate(zip(FUNNEL_STEPS, steps, strict=True)):
            so_far &= step.astype(bool)
            count = int(so_far.sum())
            rows.append(
                {
                    "step": label,
                    "step_order": order,
                    "role": role,
                    "role_label": ROLE_LABELS[role],
                    "people": count,
                    "pct_of_invited": round(100 * count / invited, 1) if invited else None,
                }
            )
    columns = ["step", "step_order", "role", "role_label", "people", "pct_of_invited"]
    return pd.DataFrame(rows, columns=columns).astype({"pct_of_invited": float})
