"""Why a pair was suggested, and why a mentee got nobody, in sentences an admin can pass on.

A suggestion nobody can explain does not get approved, and "unmatched" without a reason sends
the admin hunting through spreadsheets. Reasons name topics by their display names and say what
to change (add a mentor who knows X, relax a rule) rather than quote numbers from the formula.
"""

from __future__ import annotations

import numpy as np

from core.matching.instance import (
    PRIORITY_LABELS,
    Instance,
    Mentee,
    Mentor,
    Topic,
    utc_offset_hours,
)
from core.matching.scoring import ScoreModel


def _quoted(inst: Instance, topics: list) -> str:
    names = [f"'{inst.topic_name(t)}'" for t in topics]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _goal_order(inst: Instance, mentee: Mentee) -> list:
    """Goals by priority (must-have first), then in the pilot's topic order."""
    tix = inst.topic_index
    return sorted(mentee.goals, key=lambda t: (mentee.goals[t], tix[t]))


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def pair_reasons(inst: Instance, mentee: Mentee, mentor: Mentor) -> tuple[list[str], list[Topic]]:
    """(reasons, uncovered goal topics) for one pair, strongest reasons first; the topics are the
    instance's keys (topic ids when the instance comes from the database)."""
    reasons = []
    goals = _goal_order(inst, mentee)
    covered = sorted(
        (t for t in goals if t in mentor.expertise),
        key=lambda t: (mentee.goals[t], -mentor.expertise[t], inst.topic_index[t]),
    )
    for t in covered:
        reasons.append(
            f"Covers '{inst.topic_name(t)}' ({PRIORITY_LABELS[mentee.goals[t]]})"
            f" with level {mentor.expertise[t]} expertise"
        )
    offered = set(mentee.offers)
    learn_back = [t for t in mentor.wants if t in offered]
    if learn_back:
        reasons.append(f"Wants to learn {_quoted(inst, learn_back)}, which the mentee offers")
    if mentee.department and mentor.department and mentee.department != mentor.department:
        reasons.append(f"Cross-department: {mentee.department} ↔ {mentor.department}")
    apart = abs(utc_offset_hours(mentee.time_zone) - utc_offset_hours(mentor.time_zone))
    timing = "Same time zone" if apart == 0 else f"Time zones {apart:g} h apart"
    if mentee.availability and mentor.availability:
        shared = len(set(mentee.availability) & set(mentor.availability))
        slots = (
            _plural(shared, "shared weekly slot", "shared weekly slots")
            if shared
            else ("no shared weekly slot")
        )
        timing += f"; {slots}"
    reasons.append(timing)
    uncovered = [t for t in goals if t not in mentor.expertise]
    return reasons, uncovered


def unmatched_reasons(
    inst: Instance,
    model: ScoreModel,
    rows: np.ndarray,
    load: np.ndarray,
    capacity_left: np.ndarray,
    objective: str,
) -> dict[int, str]:
    """The most specific reason each of `rows` (unmatched mentees) got no mentor.

    Mentors who know a goal topic but are blocked are counted once, under the first rule they
    break (grade, then reporting line, then forbidden), so the counts add up.
    """
    reasons: dict[int, str] = {}
    rows = np.asarray(rows, dtype=np.intp)
    without_goals = np.array([not inst.mentees[i].goals for i in rows.tolist()], dtype=bool)
    for i in rows[without_goals].tolist():
        reasons[i] = "no learning goals entered"
    rows = rows[~without_goals]
    full = load >= model.capacity
    for block in model.row_blocks(rows):
        knows = model.covers_block(block)
        grade_ok = model.rules.grade_ok_block(block)
        r_pos, c_pos = model.rules.blocked_in_block(block)
        reporting = np.zeros(len(block), dtype=np.int64)
        forbidden = np.zeros(len(block), dtype=np.int64)
        open_ = knows & grade_ok
        for r, c in zip(r_pos.tolist(), c_pos.tolist(), strict=True):
            if open_[r, c]:
                open_[r, c] = False
                if (int(block[r]), c) in model.rules.reporting:
                    reporting[r] += 1
                else:
                    forbidden[r] += 1
        n_know = knows.sum(axis=1)
        n_grade = (knows & ~grade_ok).sum(axis=1)
        n_open = open_.sum(axis=1)
        n_full = (open_ & full[None, :]).sum(axis=1)
        n_locked_full = (open_ & (capacity_left <= 0)[None, :]).sum(axis=1)
        for r, i in enumerate(block.tolist()):
            mentee = inst.mentees[i]
            if n_know[r] == 0:
                topics = _quoted(inst, _goal_order(inst, mentee))
                reasons[i] = f"no mentor in the pilot knows {topics}"
            elif n_open[r] == 0:
                if n_know[r] == 1:
                    why = (
                        "is not junior enough"
                        if n_grade[r]
                        else "is in the reporting line"
                        if reporting[r]
                        else "was declined or forbidden"
                    )
                    reasons[i] = f"the only mentor who knows these goal topics {why}"
                    continue
                parts = []
                if n_grade[r]:
                    verb = "is" if n_grade[r] == 1 else "are"
                    parts.append(f"{n_grade[r]} {verb} not junior enough")
                if reporting[r]:
                    verb = "is" if reporting[r] == 1 else "are"
                    parts.append(f"{reporting[r]} {verb} in the reporting line")
                if forbidden[r]:
                    parts.append(f"{forbidden[r]} declined or forbidden")
                reasons[i] = (
                    f"all {n_know[r]} mentors who know these goal topics are blocked: "
                    + ", ".join(parts)
                )
            elif n_full[r] < n_open[r]:
                reasons[i] = "pairing with a compatible mentor would add nothing to the total score"
            else:
                n = int(n_open[r])
                head = (
                    "the compatible mentor is fully booked"
                    if n == 1
                    else f"the {n} compatible mentors are fully booked"
                )
                if n_locked_full[r] == n:
                    reasons[i] = f"{head} by locked pairs"
                elif objective == "coverage":
                    reasons[i] = f"{head} by pairs needed to match more mentees"
                else:
                    reasons[i] = f"{head} by pairs with a higher total score"
    return reasons
