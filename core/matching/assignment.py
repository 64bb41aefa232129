"""Choosing the pairs: a maximum-weight b-matching, solved exactly and proved optimal.

The problem: each mentee gets at most one mentor, each mentor at most `capacity` mentees, and
the sum of integer pair weights is maximised, by one min-cost flow solver. Small pilots give it
every allowed pair. Large ones only give it each mentee's best few mentors, which is usually
enough but not always; so the answer is checked against *every* allowed pair with an LP dual
certificate, and just the pairs that break the certificate are added until it holds. A result
is marked `proved_optimal` only when the certificate checks out in exact integer arithmetic.

OR-Tools' SimpleMinCostFlow takes no starting flow, so each round solves afresh, but from the
last round's potentials (reduced costs); the graph it sees grows only by the breaking pairs and
those just short of breaking, and few rounds are needed.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python.min_cost_flow import SimpleMinCostFlow

from core.matching.candidates import (
    Candidates,
    ScanPart,
    ScanPrice,
    allowed_pairs,
    order_by_row,
    scan,
    top_candidates,
)
from core.matching.explain import pair_reasons, unmatched_reasons
from core.matching.instance import Id, Instance, InstanceError, Topic, ensure_valid, show
from core.matching.rules import pair_violations
from core.matching.scoring import ScoreModel, tie_break

OBJECTIVES = ("score", "coverage")
METHODS = ("auto", "dense", "sparse")
# "auto" gives the flow every allowed pair while mentees x (mentor slots + mentees) stays below
# this (pilots of a few hundred people); above it the shortlist plus certificate is faster, and
# it keeps memory linear in the number of people.
DENSE_CELLS = 250_000
DEFAULT_K = 10
# The shortlist pass keeps this many times k mentors per mentee: k go to the solver, the rest
# are a reserve the optimality check reads from memory instead of rescoring the row.
RESERVE_FACTOR = 4
MAX_ROUNDS = 60
# Pairs this many centi-points short of breaking the certificate join the breaking ones (see
# _optimise): at 20 000 x 30 000 that saved one round of four (300 did best of 100, 300, 1000).
NEAR_BREAKING = 300
# A rescanned row keeps at least this many pairs with contested mentors (positive dual): a
# mentee who wants what few mentors know ranks many of them above its own match, and each one
# left out keeps the row's bound above its dual, so the row would be rescanned round after round.
CONTESTED_RESERVE = 100
# Rescans wait for a round whose memory holds no breaking pair only when they would score more
# than this many pairs per graph arc: about what one more flow round costs (at 50 000 x 75 000
# a round is ~4 us an arc, a rescan ~10 ns a pair), so small rescans are not put off for it.
# 350 rather than 400 since the first round's larger graph at 20 000 x 30 000: with 400, the
# contended first round rescanned 4 310 rows at once (2.3 s) instead of 2 454 in later rounds.
DEFER_CELLS_PER_ARC = 350
# From this many arcs (mentees x k) the first flow round gets only each mentee's k/2 best: its
# solution is thrown away, only its duals are used, and at 100 000 x 150 000 a round on 500 000
# arcs gave duals as good as one on a million (the same 4 rounds, the first 2.9 s instead of
# 5-6 s; the proof 26-30 s instead of 30-36 s in interleaved runs). At 20 000 x 30 000 (below
# the gate) it was no faster normal and cost a round contended.
HALF_FIRST_ROUND_ARCS = 600_000
# Below this many arcs (mentees x k) the first round gets each mentee's 3k/2 best instead: at
# 20 000 x 30 000 normal (200 000 arcs) its duals settle the proof in 2 rounds instead of 3 (the
# proof 1.06-1.17 s instead of 1.46-1.70 s; contended the same 4 rounds, 3.25 s against 3.27 s,
# on one saved shortlist); at 50 000 x 75 000 (500 000) it kept the 3 rounds and cost 1.3 s.
WIDE_FIRST_ROUND_ARCS = 300_000
FIRST_ROUND_FACTOR = 1.5


@dataclass(frozen=True)
class SuggestedPair:
    """One suggestion, with what an admin needs to approve it without opening a spreadsheet."""

    mentee: Id
    mentor: Id
    score: float
    reasons: list[str]
    uncovered: list[str]  # names of the goal topics the mentor has no expertise in
    locked: bool = False
    uncovered_topics: tuple[Topic, ...] = ()  # ... and their keys, in the same order


@dataclass
class MatchResult:
    """Pairs, the people left out and why, and enough numbers to trust the run.

    Scores are centi-points / 100, so `total_score` is exactly the sum of the pair scores once
    each is read back as an integer number of centi-points (`total_centi`).
    """

    pairs: list[SuggestedPair]
    unmatched: list[tuple[Id, str]]
    alternatives: dict[Id, list[tuple[Id, float]]]
    total_score: float
    matched: int
    proved_optimal: bool
    timings: dict[str, float]
    method: str
    k: int | None
    objective: str = "score"
    total_centi: int = 0
    rounds: int = 0
    # LP dual certificate for the pairs that were optimised (locked pairs left out): u per
    # mentee and v per mentor, in weight units; None when no proof was produced.
    certificate: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)

    def to_dict(self) -> dict:
        """The JSON shape the CLI prints (timings left out so equal inputs print equal text)."""
        return {
            "pairs": [
                {
                    "mentee": p.mentee,
                    "mentor": p.mentor,
                    "score": p.score,
                    "reasons": p.reasons,
                    "uncovered": p.uncovered,
                    "locked": p.locked,
                }
                for p in self.pairs
            ],
            "unmatched": [{"mentee": i, "reason": r} for i, r in self.unmatched],
            "total_score": self.total_score,
            "matched": self.matched,
            "objective": self.objective,
            "proved_optimal": self.proved_optimal,
            "method": self.method,
            "k": self.k,
            "alternatives": [
                {"mentee": i, "mentors": [{"mentor": j, "score": s} for j, s in alts]}
                for i, alts in self.alternatives.items()
            ],
        }


@dataclass(frozen=True)
class Locks:
    """Locked pairs taken out of the problem before optimising."""

    pairs: list[tuple[int, int, int]]  # (mentee index, mentor index, centi-score)
    locked_mentee: np.ndarray
    capacity_left: np.ndarray
    big: int  # bonus per matched mentee under the coverage objective


def prepare_locks(inst: Instance, model: ScoreModel) -> Locks:
    """Check locked pairs against the hard rules and capacities, and set them aside."""
    locked_mentee = np.zeros(model.n, dtype=bool)
    left = model.capacity.copy()
    pairs = []
    for mentee_id, mentor_id in inst.locked:
        where = f"locked pair {show([mentee_id, mentor_id])}"
        problems = pair_violations(inst, mentee_id, mentor_id)
        if problems:
            raise InstanceError(f"{where} breaks a hard rule: {problems[0]}")
        i, j = inst.mentee_index[mentee_id], inst.mentor_index[mentor_id]
        if locked_mentee[i]:
            raise InstanceError(f"{where}: mentee {show(mentee_id)} is locked to two mentors")
        locked_mentee[i] = True
        left[j] -= 1
        if left[j] < 0:
            raise InstanceError(
                f"{where}: mentor {show(mentor_id)} has more locked pairs than capacity"
                f" ({model.capacity[j]})"
            )
        pairs.append((i, j, model.pair_centi(i, j)))
    return Locks(sorted(pairs), locked_mentee, left, 10000 * model.n + 1)


# ----------------------------------------------------------------------------------- solvers


def _compact(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(values, return_inverse=True) for small non-negative integers, by counting."""
    present = np.zeros(int(values.max()) + 1 if len(values) else 0, dtype=bool)
    present[values] = True
    uniq = np.nonzero(present)[0]
    local = np.cumsum(present) - 1
    return uniq, local[values]


def solve_flow(
    rows: np.ndarray,
    cols: np.ndarray,
    weight: np.ndarray,
    capacity: np.ndarray,
    duals: tuple[np.ndarray, np.ndarray] | None = None,
    most_matched: bool = False,
) -> np.ndarray:
    """Which candidate pairs to take (bool per pair) for the maximum total weight.

    A transportation problem: every mentee ships one unit to the sink, either through one of
    its candidate mentors (cost wmax - w) or through a bypass arc (cost wmax) meaning
    "unmatched". Supplies balance, so min cost = max weight.

    `duals` (u per mentee, v per mentor, from an earlier round's certificate) warm-start the
    solver: the costs are replaced by their reduced costs u + v - w (pairs), u (bypass) and -v
    (mentor to sink). That is the same problem shifted by node potentials, so it has the same
    optimal flows, but the solver starts next to the answer: only the pairs added since break
    the potentials. (Measured: no gain at 20 000 mentees; at 100 000 the rounds after the
    first took 6 s instead of the first round's 22 s.)

    `most_matched` (the coverage objective, whose weights carry a bonus per matched mentee
    larger than any total of scores) solves the same problem as a maximum flow of least cost:
    no bypass arcs, pair costs wmax - w, which differ by scores only. The cost-scaling solver
    runs one phase per factor of five in the largest cost, so costs of 10^4 instead of the
    bonus's 10^9 save a third of its phases (at 20 000 x 30 000 contended, 0.6 s a round).
    Its potentials cannot be shifted (the solver's own source feeds the mentees at cost 0),
    so `duals` are not used then.
    """
    if len(rows) == 0:
        return np.zeros(0, dtype=bool)
    mentees, r_local = _compact(rows)
    mentors, c_local = _compact(cols)
    n_r, n_c = len(mentees), len(mentors)
    sink = n_r + n_c
    wmax = int(weight.max())
    if most_matched or duals is None:
        pair_cost = wmax - weight
        bypass_cost = np.full(n_r, wmax, dtype=np.int64)
        room_cost = np.zeros(n_c, dtype=np.int64)
    else:
        u, v = duals
        pair_cost = u[rows] + v[cols] - weight
        bypass_cost = u[mentees]
        room_cost = -v[mentors]
    flow = SimpleMinCostFlow()
    pair_arcs = flow.add_arcs_with_capacity_and_unit_cost(
        r_local.astype(np.int32),
        (n_r + c_local).astype(np.int32),
        np.ones(len(rows), dtype=np.int64),
        pair_cost.astype(np.int64),
    )
    if not most_matched:
        flow.add_arcs_with_capacity_and_unit_cost(
            np.arange(n_r, dtype=np.int32),
            np.full(n_r, sink, dtype=np.int32),
            np.ones(n_r, dtype=np.int64),
            bypass_cost.astype(np.int64),
        )
    flow.add_arcs_with_capacity_and_unit_cost(
        np.arange(n_r, sink, dtype=np.int32),
        np.full(n_c, sink, dtype=np.int32),
        np.minimum(capacity[mentors], n_r).astype(np.int64),
        room_cost.astype(np.int64),
    )
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[:n_r] = 1
    supplies[sink] = -n_r
    flow.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supplies)
    status = flow.solve_max_flow_with_min_cost() if most_matched else flow.solve()
    if status != SimpleMinCostFlow.OPTIMAL:
        raise RuntimeError(f"min cost flow failed with status {status}")
    return np.asarray(flow.flows(np.asarray(pair_arcs, dtype=np.int32))) > 0


# ------------------------------------------------------------------------------- certificate


@dataclass(frozen=True)
class Certificate:
    u: np.ndarray  # per mentee (0 for mentees outside the problem)
    v: np.ndarray  # per mentor (0 for mentors without capacity left, who are not in the LP)
    valid: bool  # dual feasible on the graph's pairs and dual objective == primal total


def _shortest_distances(tails, heads, costs, n_nodes: int) -> np.ndarray | None:
    """Bellman-Ford from a virtual root joined to every node at cost 0, vectorised by rounds.

    Each round relaxes only the arcs leaving nodes whose distance fell in the round before:
    the others cannot improve anything, and after the first few rounds they are nearly all of
    them (at 100 000 x 150 000, a fifth of the arcs relaxed instead of every arc every round).
    Returns None on a negative cycle, which would mean the flow is not optimal.
    """
    order = np.argsort(tails, kind="stable")
    tails, heads, costs = tails[order], heads[order], costs[order]
    ptr = np.zeros(n_nodes + 1, dtype=np.int64)
    np.cumsum(np.bincount(tails, minlength=n_nodes), out=ptr[1:])
    dist = np.zeros(n_nodes, dtype=np.int64)
    changed = np.nonzero(np.diff(ptr))[0]
    for _ in range(n_nodes + 1):
        counts = ptr[changed + 1] - ptr[changed]
        total = int(counts.sum())
        at = np.repeat(ptr[changed] - np.cumsum(counts) + counts, counts) + np.arange(total)
        reach = dist[tails[at]] + costs[at]
        target = heads[at]
        better = reach < dist[target]
        if not better.any():
            return dist
        before = dist.copy()
        np.minimum.at(dist, target[better], reach[better])
        changed = np.nonzero(dist < before)[0]
    return None


def certify(
    rows: np.ndarray,
    cols: np.ndarray,
    weight: np.ndarray,
    take: np.ndarray,
    capacity: np.ndarray,
    n: int,
    m: int,
) -> Certificate:
    """LP dual (u, v) proving `take` optimal over the graph's pairs.

    The LP  max sum w x  s.t.  sum_j x_ij <= 1,  sum_i x_ij <= c_j,  x >= 0  has the dual
    min sum u_i + sum c_j v_j  s.t.  u_i + v_j >= w_ij,  u, v >= 0. Distances d in the residual
    graph of the flow (source s -> mentee -> mentor -> sink t -> s) give v_j = max(0, d(t) - d(j)),
    zero for mentors with room left. For a matched mentee u_i = w_ij - v_j (so the dual objective
    equals the primal total exactly), 0 otherwise. Residual-path inequalities make this feasible
    whenever the matching is optimal; `valid` says whether it actually is, checked in integers.
    """
    u = np.zeros(n, dtype=np.int64)
    v = np.zeros(m, dtype=np.int64)
    if len(rows) == 0:
        return Certificate(u, v, True)
    mentees, r_local = _compact(rows)
    mentors, c_local = _compact(cols)
    n_r, n_c = len(mentees), len(mentors)
    s, t = n_r + n_c, n_r + n_c + 1
    mentor_node = n_r + c_local
    matched = np.zeros(n_r, dtype=bool)
    matched[r_local[take]] = True
    load = np.bincount(c_local[take], minlength=n_c)
    cap = capacity[mentors]
    mentor_ids = np.arange(n_r, s)
    mentee_ids = np.arange(n_r)
    free_room = load < cap
    used = load > 0
    flowing = bool(take.any())
    # Residual arcs (tail, head, cost): a free pair goes mentee -> mentor at -w, a taken one
    # mentor -> mentee at +w; s -> mentee while the mentee is unmatched, back once matched;
    # mentor -> t while it has room, back once it has a mentee; t -> s, and s -> t with flow.
    tails = np.concatenate(
        [
            np.where(take, mentor_node, r_local),
            np.where(matched, mentee_ids, s),
            mentor_ids[free_room],
            np.full(int(used.sum()), t),
            [t, s] if flowing else [t],
        ]
    ).astype(np.int64)
    heads = np.concatenate(
        [
            np.where(take, r_local, mentor_node),
            np.where(matched, s, mentee_ids),
            np.full(int(free_room.sum()), t),
            mentor_ids[used],
            [s, t] if flowing else [s],
        ]
    ).astype(np.int64)
    costs = np.zeros(len(tails), dtype=np.int64)
    costs[: len(rows)] = np.where(take, weight, -weight)
    dist = _shortest_distances(tails, heads, costs, n_r + n_c + 2)
    if dist is None:
        return Certificate(u, v, False)
    v_local = np.maximum(0, dist[t] - dist[n_r:s])
    v[mentors] = v_local
    u[mentees[r_local[take]]] = weight[take] - v_local[c_local[take]]
    primal = int(weight[take].sum())
    dual = int(u.sum()) + int((v[mentors] * cap).sum())
    feasible = bool((u >= 0).all()) and bool((u[rows] + v[cols] >= weight).all())
    return Certificate(u, v, feasible and dual == primal)


# ------------------------------------------------------------------------------------ search


def _rescan(
    model: ScoreModel,
    scan_rows: np.ndarray,
    graph: tuple[np.ndarray, np.ndarray],
    cert: Certificate,
    capacity: np.ndarray,
    big: int,
    k: int,
    reserve: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Scan `scan_rows` afresh against every mentor with room, keeping what later rounds need.

    Kept per row (besides its graph pairs), in bounded memory: the k pairs that break the
    certificate most, and the best `reserve` + max(reserve, CONTESTED_RESERVE) pairs by score,
    whatever their mentor's dual. The returned `left_out` (best dropped score per row) bounds
    every dropped pair whatever the duals become, so a row is scanned again only if its u
    falls below that bound; kept pairs are checked against each new dual from memory. Keeping
    the contested mentors (positive dual) matters: they score high but rarely break the
    certificate, and without them in memory the bound of a row that wants them never clears.
    The scan scores only the pairs that can be among those kept (see candidates.scan).
    Returns (rows, cols, centi) of the kept pairs and left_out for `scan_rows`.
    """
    best = reserve + max(reserve, CONTESTED_RESERVE)
    span = float(model.m)
    tie = tie_break(model.m)
    price = ScanPrice(cert.u.astype(np.float64) - big, cert.v.astype(np.float64))

    def check(part: ScanPart, reserve_best: int):
        r, c, centi = part.r, part.c, part.centi
        order = order_by_row(np.searchsorted(part.rows, r), centi * span + tie[c])
        r, c, centi = r[order], c[order], centi[order]
        start = np.searchsorted(r, r, side="left")
        kept = np.arange(len(r)) - start < reserve_best
        reduced = centi + big - cert.u[r] - cert.v[c]
        breaking = np.nonzero(reduced > 0)[0]
        if len(breaking):
            most = breaking[np.lexsort((c[breaking], -reduced[breaking], r[breaking]))]
            first = np.searchsorted(r[most], r[most], side="left")
            kept[most[np.arange(len(most)) - first < k]] = True
        # Pairs the scan did not return score under the rows' theta.
        left = np.where(np.isfinite(part.theta), part.theta - 1, -1).astype(np.int64)
        position = np.searchsorted(part.rows, r[~kept])
        np.maximum.at(left, position, centi[~kept].astype(np.int64))
        return r[kept], c[kept], centi[kept].astype(np.int64), part.rows, left

    # First each row's best pairs (and those of them that break the certificate): that settles
    # most rows, since once nothing dropped can score above u - bonus, nothing dropped can
    # break the certificate, and `left_out` says so.
    parts = scan(
        model,
        best + 1,
        lambda part: check(part, best),
        rows=scan_rows,
        mentor_ok=capacity > 0,
        excluded=graph,
    )
    left_out = np.full(model.n, -1, dtype=np.int64)
    for part in parts:
        left_out[part[3]] = part[4]
    kept = [p[:3] for p in parts]
    unsettled = scan_rows[left_out[scan_rows] + big > cert.u[scan_rows]]
    if len(unsettled):
        # The other rows are searched for the pairs that beat the duals (a pass of float
        # arithmetic), among the pairs not kept already; their k most breaking are kept too,
        # and left_out still bounds what is dropped.
        held = [np.concatenate([p[i] for p in kept]) for i in range(2)]
        kept += [
            p[:3]
            for p in scan(
                model,
                1,
                lambda part: check(part, 0),
                rows=unsettled,
                mentor_ok=capacity > 0,
                price=price,
                excluded=(np.concatenate([graph[0], held[0]]), np.concatenate([graph[1], held[1]])),
            )
        ]
    if not kept:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, empty, left_out[scan_rows]
    return (
        np.concatenate([p[0] for p in kept]),
        np.concatenate([p[1] for p in kept]),
        np.concatenate([p[2] for p in kept]),
        left_out[scan_rows],
    )


@dataclass
class _Solved:
    take_rows: np.ndarray
    take_cols: np.ndarray
    take_centi: np.ndarray
    proved: bool
    rounds: int
    certificate: Certificate | None
    rescanned: int = 0  # row scans made by the proof, over all rounds


def _optimise(
    model: ScoreModel,
    cand: Candidates,
    locks: Locks,
    big: int,
    dense: bool,
    k: int,
) -> _Solved:
    """Solve, prove, add the pairs that break the proof (column generation), repeat.

    The flow sees the graph: each mentee's k best mentors plus every pair added since. The
    memory also holds a reserve (the rest of the shortlist, and what rescans kept), checked
    against each round's duals for free; `left_out` bounds every pair outside the memory, so a
    row is rescored only when its bound is not enough, and, when that would score many pairs
    (DEFER_CELLS_PER_ARC), only in a round where the memory holds no breaking pair: the memory's
    pairs move the duals first, and that settles most rows
    whose bound failed against the first round's duals (at 50 000 x 75 000, 230 rows rescanned
    instead of 6 100; at 100 000 x 150 000 the proof took 47 s instead of 196 s, for one flow
    round more). Only pairs whose reduced cost is positive, or within NEAR_BREAKING of it, enter
    the graph, at most k per row per round, best first, and only in a round where some pair
    breaks the certificate.
    """
    capacity = locks.capacity_left
    free = ~locks.locked_mentee
    if dense:
        rows_todo = np.nonzero(free & cand.has_allowed)[0]
        rows, cols, centi = allowed_pairs(model, rows_todo, capacity > 0)
        in_graph = np.ones(len(rows), dtype=bool)
        left_out = np.full(model.n, -1, dtype=np.int64)
    else:
        rows, cols, centi = cand.rows, cand.cols, cand.centi
        rank = np.arange(len(rows)) - cand.ptr[rows]
        keep = free[rows] & (capacity[cols] > 0)
        rows, cols, centi, rank = rows[keep], cols[keep], centi[keep], rank[keep]
        arcs = int(free.sum()) * k
        first_k = k
        if arcs >= HALF_FIRST_ROUND_ARCS:
            first_k = (k + 1) // 2
        elif arcs < WIDE_FIRST_ROUND_ARCS:
            first_k = int(k * FIRST_ROUND_FACTOR)
        in_graph = rank < first_k
        left_out = np.where(free, cand.left_out, -1)
    rounds = rescanned = 0
    duals = None
    while True:
        rounds += 1
        g = np.nonzero(in_graph)[0]
        g_rows, g_cols, g_centi = rows[g], cols[g], centi[g]
        weight = g_centi + big
        take = solve_flow(g_rows, g_cols, weight, capacity, duals, most_matched=big > 0)
        cert = certify(g_rows, g_cols, weight, take, capacity, model.n, model.m)
        result = _Solved(g_rows[take], g_cols[take], g_centi[take], cert.valid, rounds, cert)
        duals = (cert.u, cert.v)
        if not cert.valid:
            result.certificate = None
            return result
        reduced = centi + big - cert.u[rows] - cert.v[cols]
        breaking = np.nonzero(~in_graph & (reduced > 0))[0]
        # Rows are rescored only once the memory holds no breaking pair: the pairs it holds
        # move the duals, and many rows whose bound fails now are settled by the next round's.
        scan = np.nonzero((left_out >= 0) & (left_out + big > cert.u))[0]
        defer = len(breaking) and len(scan) * model.m > DEFER_CELLS_PER_ARC * len(g)
        if len(scan) and not defer:
            rescanned += len(scan)
            add_r, add_c, add_w, left_out[scan] = _rescan(
                model, scan, (g_rows, g_cols), cert, capacity, big, k, k * RESERVE_FACTOR
            )
            scanned = np.zeros(model.n, dtype=bool)
            scanned[scan] = True
            stay = in_graph | ~scanned[rows]  # a rescan replaces the row's reserve
            rows = np.concatenate([rows[stay], add_r])
            cols = np.concatenate([cols[stay], add_c])
            centi = np.concatenate([centi[stay], add_w])
            in_graph = np.concatenate([in_graph[stay], np.zeros(len(add_r), dtype=bool)])
            order = np.argsort(rows, kind="stable")
            rows, cols, centi, in_graph = rows[order], cols[order], centi[order], in_graph[order]
            reduced = centi + big - cert.u[rows] - cert.v[cols]
            breaking = np.nonzero(~in_graph & (reduced > 0))[0]
        result.rescanned = rescanned
        if len(breaking) == 0:
            return result
        if rounds >= MAX_ROUNDS:
            result.proved = False
            result.certificate = None
            return result
        # Pairs within NEAR_BREAKING of breaking go in with them, k per row, most violated
        # first: the duals move once the breaking pairs are in, and pairs just short of breaking
        # now are the likeliest to break next round, which would cost a round of their own.
        near = np.nonzero(~in_graph & (reduced > -NEAR_BREAKING))[0]
        by_row = np.lexsort((-reduced[near], rows[near]))
        near = near[by_row]
        first = np.searchsorted(rows[near], rows[near], side="left")
        in_graph[near[np.arange(len(near)) - first < k]] = True


# ------------------------------------------------------------------------------------ public


def suggest_pairs(
    instance: Instance,
    objective: str = "score",
    method: str = "auto",
    k: int = DEFAULT_K,
) -> MatchResult:
    """The best pairs under the hard rules, with reasons, alternatives and a proof.

    objective "score" maximises the total score; "coverage" first matches as many mentees as
    possible, then maximises the total score. Locked pairs are kept as they are.
    """
    if objective not in OBJECTIVES:
        raise InstanceError(f"objective must be one of {', '.join(OBJECTIVES)}, not {objective!r}")
    if method not in METHODS:
        raise InstanceError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    if not isinstance(k, int) or k < 1:
        raise InstanceError("k must be a whole number of at least 1")
    with _cyclic_gc_paused():
        return _suggest_pairs(ensure_valid(instance), objective, method, k)


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Python's cycle collector off for one matching run. A run allocates a few small objects
    per pair (reasons, suggestions, alternatives), none in cycles, so reference counting frees
    them; yet their number triggers full collections, and each walks every object of the
    instance too (millions at company scale). Left as it was found, so nested or concurrent
    runs end with the collector on."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _suggest_pairs(inst: Instance, objective: str, method: str, k: int) -> MatchResult:
    t0 = time.perf_counter()
    model = ScoreModel.build(inst)
    locks = prepare_locks(inst, model)
    # At least 4 per mentee, so that 3 alternatives remain besides the chosen mentor.
    cand = top_candidates(model, max(k * RESERVE_FACTOR, 4))
    t1 = time.perf_counter()
    big = locks.big if objective == "coverage" else 0
    free = ~locks.locked_mentee & cand.has_allowed
    slots = int(np.minimum(locks.capacity_left, int(free.sum())).sum())
    n_free = int(free.sum())
    dense = method == "dense" or (method == "auto" and n_free * (slots + n_free) <= DENSE_CELLS)
    solved = _optimise(model, cand, locks, big, dense, k)
    t2 = time.perf_counter()

    chosen: dict[int, tuple[int, int, bool]] = {i: (j, c, True) for i, j, c in locks.pairs}
    for i, j, c in zip(
        solved.take_rows.tolist(),
        solved.take_cols.tolist(),
        solved.take_centi.tolist(),
        strict=True,
    ):
        chosen[i] = (j, c, False)
    load = np.bincount(
        np.array([j for j, _, _ in chosen.values()], dtype=np.int64), minlength=model.m
    )
    pairs = []
    for i in sorted(chosen):
        j, c, locked = chosen[i]
        mentee, mentor = inst.mentees[i], inst.mentors[j]
        reasons, uncovered = pair_reasons(inst, mentee, mentor)
        if locked:
            reasons.insert(0, "Locked by an admin")
        names = [inst.topic_name(t) for t in uncovered]
        pairs.append(
            SuggestedPair(mentee.id, mentor.id, c / 100, reasons, names, locked, tuple(uncovered))
        )
    missing = np.setdiff1d(np.arange(model.n), np.fromiter(chosen, np.int64, len(chosen)))
    why = unmatched_reasons(inst, model, missing, load, locks.capacity_left, objective)
    unmatched = [(inst.mentees[i].id, why[i]) for i in missing.tolist()]
    alternatives: dict[Id, list[tuple[Id, float]]] = {}
    # Each row's first four listed mentors are enough for three besides the chosen one.
    taken = np.full(model.n, -1, dtype=np.int64)
    for i, (j, _, _) in chosen.items():
        taken[i] = j
    owner = cand.rows
    rank = np.arange(len(owner)) - cand.ptr[owner]
    first = np.nonzero(rank < 4)[0]
    first = first[cand.cols[first] != taken[owner[first]]]
    first = first[np.arange(len(first)) - np.searchsorted(owner[first], owner[first]) < 3]
    mentee_ids = [p.id for p in inst.mentees]
    mentor_ids = [p.id for p in inst.mentors]
    for i, j, c in zip(
        owner[first].tolist(), cand.cols[first].tolist(), cand.centi[first].tolist(), strict=True
    ):
        alternatives.setdefault(mentee_ids[i], []).append((mentor_ids[j], c / 100))
    t3 = time.perf_counter()
    total = sum(c for _, c, _ in chosen.values())
    cert = solved.certificate
    return MatchResult(
        pairs=pairs,
        unmatched=unmatched,
        alternatives=alternatives,
        total_score=total / 100,
        matched=len(pairs),
        proved_optimal=solved.proved,
        timings={"scoring_s": t1 - t0, "assignment_s": t2 - t1, "explain_s": t3 - t2},
        method="dense" if dense else "sparse",
        k=None if dense else k,
        objective=objective,
        total_centi=total,
        rounds=solved.rounds,
        certificate=(cert.u, cert.v) if cert is not None else None,
    )
