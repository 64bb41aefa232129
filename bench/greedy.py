"""The obvious heuristic, kept as a yardstick: take the best remaining pair until none fits.

Admins and reviewers ask "why not just give everyone their best mentor?"; the benchmark answers
with the gap between this baseline and the optimum on the same instance.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from core.matching.assignment import prepare_locks
from core.matching.candidates import allowed_pairs, top_candidates
from core.matching.instance import Id, Instance
from core.matching.scoring import ScoreModel

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
    inst: Instance, objective: str = "score", k: int = 40, full: bool | None = None
) -> GreedyResult:
    """Greedy pairs for the instance, honouring locked pairs like the optimiser does."""
    start = time.perf_counter()
    model = ScoreModel.build(inst)
    locks = prepare_locks(inst, model)
    n, m = model.n, model.m
    if full is None:
        full = n * m <= FULL_GREEDY_CELLS
    if full:
        rows, cols, centi = allowed_pairs(model)
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
    found = zip(rows[picked].tolist(), cols[picked].tolist(), centi[picked].tolist(), strict=True)
    pairs: list[tuple[Id, Id, float]] = []
    total = 0
    for i, j, c in sorted([*locks.pairs, *found]):
        pairs.append((inst.mentees[i].id, inst.mentors[j].id, c / 100))
        total += c
    return GreedyResult(pairs, total, len(pairs), time.perf_counter() - start, scope)
