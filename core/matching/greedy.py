"""The obvious heuristic, kept as a yardstick: take the best remaining pair until none fits.

Admins and reviewers ask "why not just give everyone their best mentor?"; the benchmark answers
with the gap between this baseline and the optimum on the same instance.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from core.matching.instance import Id, Instance
from core.matching.scoring import ScoreModel, top_candidates

# Above this many pairs the baseline only looks at each mentee's top-k list.
FULL_GREEDY_CELLS = 4_000_000


@dataclass(frozen=True)
class GreedyResult:
    pairs: list[tuple[Id, Id, float]]
    total_centi: int
    matched: int
    seconds: float
    scope: str

    @property
    def total_score(self) -> float:
        return self.total_centi / 100


def greedy_assign(
    rows: np.ndarray, cols: np.ndarray, weight: np.ndarray, capacity: np.ndarray, n: int
) -> np.ndarray:
    """Per mentee, the position of its chosen pair in the input arrays (-1 = none).

    Pairs are taken by weight, ties by mentee then mentor index, so the result is reproducible.
    """
    order = np.lexsort((cols, rows, -weight))
    left = capacity.astype(np.int64).tolist()
    todo = int(np.count_nonzero(np.bincount(rows, minlength=n))) if len(rows) else 0
    chosen = [-1] * n
    for p, i, j in zip(order.tolist(), rows[order].tolist(), cols[order].tolist(), strict=True):
        if chosen[i] < 0 and left[j] > 0:
            chosen[i] = p
            left[j] -= 1
            todo -= 1
            if todo == 0:
                break
    return np.array(chosen, dtype=np.int64)


def greedy_pairs(
    inst: Instance, objective: str = "score", k: int = 10, full: bool | None = None
) -> GreedyResult:
    """Greedy pairs for the instance, honouring locked pairs like the optimiser does."""
    from core.matching.assignment import prepare_locks

    start = time.perf_counter()
    model = ScoreModel.build(inst)
    locks = prepare_locks(inst, model)
    n, m = model.n, model.m
    if full is None:
        full = n * m <= FULL_GREEDY_CELLS
    if full:
        parts_r, parts_c, parts_w = [], [], []
        for block in model.row_blocks():
            centi, allowed = model.block(block)
            r, c = np.nonzero(allowed)
            parts_r.append(block[r])
            parts_c.append(c)
            parts_w.append(centi[r, c].astype(np.int64))
        rows = np.concatenate(parts_r) if parts_r else np.empty(0, dtype=np.int64)
        cols = np.concatenate(parts_c) if parts_c else np.empty(0, dtype=np.int64)
        centi = np.concatenate(parts_w) if parts_w else np.empty(0, dtype=np.int64)
        scope = "all allowed pairs"
    else:
        cand = top_candidates(model, k)
        rows, cols, centi = cand.rows, cand.cols, cand.centi
        scope = f"each mentee's top-{k} list"
    keep = ~locks.locked_mentee[rows] & (locks.capacity_left[cols] > 0)
    rows, cols, centi = rows[keep], cols[keep], centi[keep]
    weight = centi + (locks.big if objective == "coverage" else 0)
    chosen = greedy_assign(rows, cols, weight, locks.capacity_left, n)
    picked = chosen[chosen >= 0]
    found = [(int(i), int(j), int(c)) for i, j, c in zip(rows[picked], cols[picked], centi[picked])]
    pairs: list[tuple[Id, Id, float]] = []
    total = 0
    for i, j, c in sorted([*locks.pairs, *found]):
        pairs.append((inst.mentees[i].id, inst.mentors[j].id, c / 100))
        total += c
    return GreedyResult(pairs, total, len(pairs), time.perf_counter() - start, scope)
