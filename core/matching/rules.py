"""Hard rules: a pair that breaks one is never suggested, whatever its score.

Two forms of the same rules live here. The vectorised form (`RuleData.allowed_mask_block`) keeps
the engine fast on tens of thousands of people: grades compare as broadcast arrays and the two
rules that concern few pairs (reporting lines, forbidden pairs) are stored as sparse pair lists,
never as an n x m matrix. The plain form (`pair_violations`) says in words why one pair is out;
explanations use it, and tests use it as a second opinion on the vectorised form.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.matching.instance import Id, Instance, InstanceError, show

NOT_JUNIOR = "grade"
REPORTING_LINE = "reporting_line"
FORBIDDEN = "forbidden"
NO_COMMON_TOPIC = "no_common_topic"


def ancestors(inst: Instance, person: Id) -> list[Id]:
    """Managers above a person, nearest first (the manager relation is loop-free once loaded)."""
    chain = []
    seen = {person}
    node = inst.managers.get(person)
    while node is not None and node not in seen:
        chain.append(node)
        seen.add(node)
        node = inst.managers.get(node)
    return chain


def reporting_line_arrays(inst: Instance) -> tuple[np.ndarray, np.ndarray]:
    """(mentee, mentor) index arrays where one reports, directly or not, to the other, possibly
    repeated.

    Everyone climbs the manager relation one level per step, all at once: O((n + m) * depth)
    array work instead of n * m pair tests or a walk per person. The relation is loop-free once
    loaded; the step count is capped anyway, so a loop could only end the walk early.
    """
    managers = inst.managers
    node = {person: k for k, person in enumerate(managers)}
    # A manager outside the relation ends the chain and is neither mentee nor mentor.
    parent = np.array(
        [-1 if boss is None else node.get(boss, -1) for boss in managers.values()] + [-1],
        dtype=np.int64,
    )
    total = len(parent)
    mentee_at = np.full(total, -1, dtype=np.int64)
    mentor_at = np.full(total, -1, dtype=np.int64)
    mentee_nodes = np.array([node[p.id] for p in inst.mentees], dtype=np.int64)
    mentor_nodes = np.array([node[p.id] for p in inst.mentors], dtype=np.int64)
    mentee_at[mentee_nodes] = np.arange(len(mentee_nodes))
    mentor_at[mentor_nodes] = np.arange(len(mentor_nodes))

    def climb(starts: np.ndarray, found_at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(start position, index found above it) for every ancestor found in `found_at`."""
        who = np.arange(len(starts))
        at = parent[starts]
        found_who, found = [], []
        for _ in range(total):
            alive = at >= 0
            who, at = who[alive], at[alive]
            if len(at) == 0:
                break
            hit = found_at[at]
            is_hit = hit >= 0
            found_who.append(who[is_hit])
            found.append(hit[is_hit])
            at = parent[at]
        if not found:
            empty = np.empty(0, dtype=np.int64)
            return empty, empty
        return np.concatenate(found_who), np.concatenate(found)

    mentee_side, boss_mentor = climb(mentee_nodes, mentor_at)
    mentor_side, boss_mentee = climb(mentor_nodes, mentee_at)
    return (
        np.concatenate([mentee_side, boss_mentee]),
        np.concatenate([boss_mentor, mentor_side]),
    )


def reporting_line_pairs(inst: Instance) -> set[tuple[int, int]]:
    """(mentee, mentor) index pairs where one reports, directly or not, to the other."""
    i, j = reporting_line_arrays(inst)
    return set(zip(i.tolist(), j.tolist(), strict=True))


def forbidden_pairs(inst: Instance) -> set[tuple[int, int]]:
    """Forbidden pairs as indexes; pairs naming people outside the instance cannot apply."""
    mentee_ix, mentor_ix = inst.mentee_index, inst.mentor_index
    return {
        (mentee_ix[a], mentor_ix[b]) for a, b in inst.forbidden if a in mentee_ix and b in mentor_ix
    }


@dataclass(frozen=True)
class RuleData:
    """The rules compiled into arrays once per instance."""

    # Mentee grade minus the gap (+inf when unknown) and mentor grade (-inf when unknown): a pair
    # is junior enough when mentor_grade <= mentee_limit, and unknown grades never block.
    mentee_limit: np.ndarray
    mentor_grade: np.ndarray
    # Sparse blocked pairs (reporting line or forbidden), sorted by mentee then mentor.
    blocked_i: np.ndarray
    blocked_j: np.ndarray
    reporting: frozenset[tuple[int, int]]
    forbidden: frozenset[tuple[int, int]]

    @classmethod
    def build(cls, inst: Instance) -> RuleData:
        gap = inst.min_grade_gap
        limit = np.array(
            [np.inf if m.grade is None else m.grade - gap for m in inst.mentees], dtype=np.float64
        )
        grade = np.array(
            [-np.inf if m.grade is None else m.grade for m in inst.mentors], dtype=np.float64
        )
        line_i, line_j = reporting_line_arrays(inst)
        forbidden = forbidden_pairs(inst)
        far = np.array(sorted(forbidden), dtype=np.int64).reshape(-1, 2)
        # Sorted by mentee then mentor, each pair once, as one integer key per pair.
        width = max(1, len(inst.mentors))
        key = np.unique(np.concatenate([line_i * width + line_j, far[:, 0] * width + far[:, 1]]))
        return cls(
            mentee_limit=limit,
            mentor_grade=grade,
            blocked_i=key // width,
            blocked_j=key % width,
            reporting=frozenset(zip(line_i.tolist(), line_j.tolist(), strict=True)),
            forbidden=frozenset(forbidden),
        )

    def grade_ok_block(
        self,
        rows: np.ndarray,
        cols: np.ndarray | None = None,
        out: np.ndarray | None = None,
        grade: np.ndarray | None = None,
    ) -> np.ndarray:
        """`grade`, when given, is `mentor_grade[cols]` gathered already."""
        if grade is None:
            grade = self.mentor_grade if cols is None else self.mentor_grade[cols]
        return np.less_equal(grade[None, :], self.mentee_limit[rows][:, None], out=out)

    def blocked_in_block(
        self, rows: np.ndarray, cols: np.ndarray | None = None, position: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Blocked pairs that fall in the block, as (row position, column position) arrays.

        `position` (per mentor, its place in `cols` or -1), when the caller keeps one for
        columns it scans many times: building it for each block cost more than the lookup."""
        if len(self.blocked_i) == 0 or len(rows) == 0:
            empty = np.empty(0, dtype=np.int64)
            return empty, empty
        lo = np.searchsorted(self.blocked_i, rows, side="left")
        hi = np.searchsorted(self.blocked_i, rows, side="right")
        counts = hi - lo
        total = int(counts.sum())
        if total == 0:
            empty = np.empty(0, dtype=np.int64)
            return empty, empty
        row_pos = np.repeat(np.arange(len(rows)), counts)
        starts = np.repeat(lo - np.cumsum(counts) + counts, counts)
        idx = starts + np.arange(total)
        col = self.blocked_j[idx]
        if cols is None:
            return row_pos, col
        if position is not None:
            col_pos = position[col]
            keep = col_pos >= 0
        elif len(cols) and bool((cols[1:] > cols[:-1]).all()):
            # Columns from a mask ascend: a binary search places each pair, with no m-sized map.
            col_pos = np.minimum(np.searchsorted(cols, col), len(cols) - 1)
            keep = cols[col_pos] == col
        else:
            where = np.full(len(self.mentor_grade), -1, dtype=np.int64)
            where[cols] = np.arange(len(cols))
            col_pos = where[col]
            keep = col_pos >= 0
        return row_pos[keep], col_pos[keep]

    def allowed_mask_block(
        self,
        rows: np.ndarray,
        covers: np.ndarray,
        cols: np.ndarray | None = None,
        scratch: np.ndarray | None = None,
        grade: np.ndarray | None = None,
    ) -> np.ndarray:
        """Allowed pairs of a block, given `covers` (rule 4: the mentor knows a goal topic).

        `covers` is reused as the output buffer: the caller computed it for this block only.
        """
        mask = covers
        mask &= self.grade_ok_block(rows, cols, out=scratch, grade=grade)
        r, c = self.blocked_in_block(rows, cols)
        mask[r, c] = False
        return mask


def allowed_mask_block(
    rules: RuleData, rows: np.ndarray, covers: np.ndarray, cols: np.ndarray | None = None
) -> np.ndarray:
    """All four hard rules for a block of pairs, given rule 4 (`covers`) from the topic product."""
    return rules.allowed_mask_block(rows, covers, cols)


def pair_violations(inst: Instance, mentee_id: Id, mentor_id: Id) -> list[str]:
    """Every hard rule the pair breaks, in words (empty when the pair is allowed)."""
    try:
        mentee = inst.mentees[inst.mentee_index[mentee_id]]
        mentor = inst.mentors[inst.mentor_index[mentor_id]]
    except KeyError as exc:
        raise InstanceError(f"{show(exc.args[0])} is not a mentee or mentor here") from None
    problems = []
    if (
        mentee.grade is not None
        and mentor.grade is not None
        and mentor.grade > mentee.grade - inst.min_grade_gap
    ):
        problems.append(
            f"not junior enough: mentor grade {mentor.grade}, mentee grade {mentee.grade}"
            f" (the mentor must be at least {inst.min_grade_gap} below)"
        )
    if mentor.id in ancestors(inst, mentee.id):
        problems.append("reporting line: the mentee reports to the mentor")
    if mentee.id in ancestors(inst, mentor.id):
        problems.append("reporting line: the mentor reports to the mentee")
    if (mentee.id, mentor.id) in inst.forbidden:
        problems.append("forbidden: an admin forbade this pair or one of them declined it")
    if not any(t in mentor.expertise for t in mentee.goals):
        problems.append("no common topic: the mentor knows none of the mentee's goals")
    return problems
