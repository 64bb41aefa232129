"""Which pairs are worth scoring: an inverted index of topics, then the grade rule, then scores.

A pair whose mentor knows none of the mentee's goal topics is never allowed, and neither is one
whose mentor is not junior enough; at company scale these are about half of all pairs, so they
are never scored. The mentors that can be allowed for a mentee are the union of the postings
(mentors who know a topic) of its goals, within the grade limit. Mentees are split like a trie
over their goals, most widely known topic first: a node's rows share the topics on its path, so
they share one column set, and a pair lands in exactly one block:

    goals (a, b): block [rows with a first] x P(a), then [rows with a, b] x (P(b) - P(a)), ...

Deep nodes hold few rows; below LEAF_ROWS (or MAX_DEPTH) a node scores its rows against the union
of their remaining topics' postings at once, and the mask drops the pairs that share no topic.
Blocks are cut to BLOCK_CELLS pairs, so memory stays bounded whatever the population.

Scores come from `ScoreModel.block` on the block's columns: the arithmetic is the dense one,
element for element, so a pair gets exactly the score the full matrix would give it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

import core.matching.scoring as scoring
from core.matching.scoring import (
    ScoreModel,
    key_value,
    largest,
    mask_key,
    single_threaded_blas,
    tie_break,
)

# A trie node with fewer rows than this is scored as one block instead of being split further:
# splitting saves little work there and costs one more call per topic.
LEAF_ROWS = 24
MAX_DEPTH = 3
# What one more block costs beyond its pairs (gathering the mentor side, a few dozen numpy
# calls), in pairs scored: measured on the 2-core machine at 5 000 x 7 500, about 0.3 ms.
BLOCK_OVERHEAD_CELLS = 20_000
# Below this share of pairs passing the topic and grade rules (estimated on a sample of rows)
# the trie is worth building; above it, most pairs must be scored anyway.
TRIE_SHARE = 0.5
SAMPLE_ROWS = 256
T = TypeVar("T")
# (mentee indexes ascending, mentors as a packed bit mask or None for every mentor). A mask is
# m / 8 bytes and shared by the blocks of one trie node, so thousands of nodes never hold
# thousands of index arrays; `mentors_of` unpacks it when the block is scored.
Block = tuple[np.ndarray, np.ndarray | None]


def share_passing(model: ScoreModel, rows: np.ndarray, mentor_ok: np.ndarray | None) -> float:
    """Share of (row, mentor) pairs that pass the topic and grade rules, on evenly spaced rows."""
    sample = rows[np.linspace(0, len(rows) - 1, min(len(rows), SAMPLE_ROWS)).astype(np.intp)]
    passing = (model.goals[sample] @ model.expertise.T) > 0
    passing &= model.rules.grade_ok_block(sample)
    if mentor_ok is not None:
        passing &= mentor_ok[None, :]
    return float(passing.mean())


def goal_order(model: ScoreModel, rows: np.ndarray, knows: np.ndarray) -> np.ndarray:
    """Each row's goal topics, most widely known first (-1 pads): the trie's branching order."""
    posting = knows.sum(axis=1)
    rank = np.empty(len(posting), dtype=np.int64)
    rank[np.lexsort((np.arange(len(posting)), -posting))] = np.arange(len(posting))
    has = model.goals[rows] > 0
    width = int(has.sum(axis=1).max()) if len(rows) else 0
    key = np.where(has, rank[None, :], len(posting))
    order = np.argsort(key, axis=1, kind="stable")[:, :width]
    return np.where(np.take_along_axis(has, order, axis=1), order, -1)


def grade_blocks(model: ScoreModel, rows: np.ndarray, mentor_ok: np.ndarray | None) -> list[Block]:
    """Row blocks, each against the mentors junior enough for its rows: rows are grouped by
    their grade limit (a handful of values), so no block scores a pair the grade rule forbids,
    and the groups' blocks share one column mask."""
    rules = model.rules
    limit = rules.mentee_limit[rows]
    blocks: list[Block] = []
    for value in np.unique(limit).tolist():
        group = rows[limit == value]
        cols_mask = rules.mentor_grade <= value
        if mentor_ok is not None:
            cols_mask &= mentor_ok
        width = int(np.count_nonzero(cols_mask))
        if width == 0:
            continue
        packed = None if width == model.m else np.packbits(cols_mask)
        step = max(1, min(len(group), max(scoring.MIN_BLOCK_ROWS, scoring.BLOCK_CELLS // width)))
        blocks += [(group[start : start + step], packed) for start in range(0, len(group), step)]
    return blocks


def candidate_blocks(
    model: ScoreModel, rows: np.ndarray | None = None, mentor_ok: np.ndarray | None = None
) -> list[Block]:
    """Blocks that together hold every pair of `rows` passing the topic and grade rules (and
    `mentor_ok`), each such pair exactly once; leaf blocks also hold some pairs that share no
    topic, which the allowed mask removes.

    When most pairs share a topic anyway, the trie's thin blocks cost more than they save; then
    row blocks against every mentor junior enough (`grade_blocks`) are returned instead, which
    score the same pairs the same way (the masks drop the rest).
    """
    rows = np.arange(model.n) if rows is None else np.asarray(rows, dtype=np.intp)
    if len(rows) == 0 or model.m == 0:
        return []
    row_blocks = grade_blocks(model, rows, mentor_ok)
    if share_passing(model, rows, mentor_ok) >= TRIE_SHARE:
        return row_blocks
    knows = np.ascontiguousarray((model.expertise > 0).T)  # topic x mentor
    order = goal_order(model, rows, knows)
    rules = model.rules
    limit = rules.mentee_limit[rows]
    budget = len(rows) * model.m  # what row blocks would score
    pending: list[Block] = []
    cells = 0

    def emit(local: np.ndarray, cols_mask: np.ndarray) -> bool:
        """List the node's blocks; False once the trie costs more than row blocks would."""
        nonlocal cells
        # The grade rule per node, at its most lenient row: splitting nodes by grade as well
        # would make blocks too thin to score efficiently, for little gain.
        cols_mask = cols_mask & (rules.mentor_grade <= limit[local].max())
        width = int(np.count_nonzero(cols_mask))
        if width == 0 or len(local) == 0:
            return True
        packed = np.packbits(cols_mask)
        step = max(scoring.MIN_BLOCK_ROWS, scoring.BLOCK_CELLS // width)
        for start in range(0, len(local), step):
            pending.append((rows[local[start : start + step]], packed))
            cells += len(local[start : start + step]) * width + BLOCK_OVERHEAD_CELLS
        return cells < budget

    def split(local: np.ndarray, depth: int, excluded: np.ndarray) -> bool:
        if depth >= order.shape[1]:
            return True
        if len(local) < LEAF_ROWS or depth >= MAX_DEPTH:
            topics = np.unique(order[local, depth:])
            topics = topics[topics >= 0]
            return not len(topics) or emit(local, knows[topics].any(axis=0) & ~excluded)
        nxt = order[local, depth]
        for t in np.unique(nxt[nxt >= 0]).tolist():
            sub = local[nxt == t]
            if not (emit(sub, knows[t] & ~excluded) and split(sub, depth + 1, excluded | knows[t])):
                return False
        return True

    outside = np.zeros(model.m, dtype=bool) if mentor_ok is None else ~mentor_ok
    if not split(np.arange(len(rows)), 0, outside):
        return row_blocks
    return pending


def mentors_of(packed: np.ndarray | None, m: int) -> np.ndarray | None:
    """A block's mentor indexes (None: every mentor)."""
    return None if packed is None else np.nonzero(np.unpackbits(packed, count=m))[0]


def map_pair_blocks(
    model: ScoreModel,
    fn: Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray], T],
    blocks: list[Block],
) -> list[T]:
    """fn(rows, cols, centi, allowed) for every block, in order, on a few threads.

    `centi` and `allowed` live in per-thread buffers that the next block overwrites, so fn must
    return what it needs as new arrays, never as views of them.
    """
    local = threading.local()
    every_mentor = np.arange(model.m)

    def task(block: Block) -> T:
        state = local.__dict__
        work = state.setdefault("work", {})
        rows, packed = block
        # The blocks of one trie node share their mask object and come one after another, so
        # each thread gathers the mentor side once per node rather than once per block.
        if state.get("packed", work) is not packed:
            cols = mentors_of(packed, model.m)
            state.update(packed=packed, cols=cols, side=model.mentor_side(cols))
        cols = state["cols"]
        centi, allowed = model.block(rows, cols, work=work, side=state["side"])
        return fn(rows, every_mentor if cols is None else cols, centi, allowed)

    with single_threaded_blas():
        if scoring.WORKERS == 1 or len(blocks) < 2:
            return [task(b) for b in blocks]
        with ThreadPoolExecutor(scoring.WORKERS) as pool:
            return list(pool.map(task, blocks))


def allowed_pairs(
    model: ScoreModel, rows: np.ndarray | None = None, mentor_ok: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every allowed pair (mentee index, mentor index, centi-score), in row-major order."""

    def collect(block_rows, cols, centi, allowed):
        r, c = np.nonzero(allowed)
        return (
            block_rows[r].astype(np.int64),
            cols[c].astype(np.int64),
            centi[r, c].astype(np.int64),
        )

    parts = map_pair_blocks(model, collect, candidate_blocks(model, rows, mentor_ok))
    if not parts:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, empty
    r, c, w = (np.concatenate([p[k] for p in parts]) for k in range(3))
    order = np.lexsort((c, r))
    return r[order], c[order], w[order]


@dataclass(frozen=True)
class Candidates:
    """Each mentee's best allowed mentors, best first (CSR layout: row i is ptr[i]:ptr[i+1]).

    `left_out` is the best centi-score among the allowed mentors that did not make the list
    (-1 if none): an exact bound the optimality proof uses instead of rescanning the row.
    """

    ptr: np.ndarray
    cols: np.ndarray
    centi: np.ndarray
    left_out: np.ndarray
    allowed_count: np.ndarray

    @property
    def rows(self) -> np.ndarray:
        return np.repeat(np.arange(len(self.ptr) - 1), np.diff(self.ptr))


def best_per_row(
    rows: np.ndarray, cols: np.ndarray, key: np.ndarray, keep: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The `keep` largest keys of each row among (row, col, key) triples, rows ascending, largest
    first; keys are distinct within a row."""
    order = np.lexsort((-key, rows))
    rows, cols, key = rows[order], cols[order], key[order]
    starts = np.searchsorted(rows, rows, side="left")
    first = np.arange(len(rows)) - starts < keep
    return rows[first], cols[first], key[first]


def top_candidates(model: ScoreModel, k: int) -> Candidates:
    """Each mentee's k best allowed mentors, from one pass over the candidate blocks.

    A mentee's mentors are spread over a few blocks; each block keeps its k + 1 best, and the
    lists are merged. Ties are broken by mentor index (lower first) through a combined integer
    key, so the lists do not depend on how blocks or a selection algorithm order equal values.
    """
    n, m = model.n, model.m
    keep = max(0, min(k + 1, m))
    span = float(m)
    tie = tie_break(m)
    allowed_count = np.zeros(n, dtype=np.int64)
    empty = np.empty(0, dtype=np.int64)
    r_all, c_all, key_all = empty, empty, np.empty(0)
    if keep:

        def best(block_rows, cols, centi, allowed):
            counts = np.count_nonzero(allowed, axis=1)
            key = mask_key(centi, span, tie[cols], allowed)
            pick, vals = largest(key, min(keep, len(cols)))
            found = vals > 0
            r = np.repeat(block_rows, found.sum(axis=1))
            return block_rows, counts, r, cols[pick[found]], vals[found]

        parts = map_pair_blocks(model, best, candidate_blocks(model))
        for block_rows, counts, *_ in parts:
            np.add.at(allowed_count, block_rows, counts)
        if parts:
            r_all = np.concatenate([p[2] for p in parts]).astype(np.int64)
            c_all = np.concatenate([p[3] for p in parts]).astype(np.int64)
            key_all = np.concatenate([p[4] for p in parts])
    r_all, c_all, key_all = best_per_row(r_all, c_all, key_all, keep)
    rank = np.arange(len(r_all)) - np.searchsorted(r_all, r_all, side="left")
    k = min(k, keep)
    listed = rank < k
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(r_all[listed], minlength=n), out=ptr[1:])
    left_out = np.full(n, -1, dtype=np.int64)
    last = rank == k
    left_out[r_all[last]] = key_value(key_all[last], span)
    return Candidates(ptr, c_all[listed], key_value(key_all[listed], span), left_out, allowed_count)
