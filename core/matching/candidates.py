"""Which pairs are worth scoring: bounded scans for shortlists and proofs, and the full list.

Shortlists (`top_candidates`) and the optimality proof's rescans (`scan`) need each mentee's
best few mentors and the pairs that break a certificate, not every score. A scan first adds up
each pair's coverage count (goal weight x expertise level over the mentee's goals, small
integers, a few bytes a pair; a zero means no common topic, so the pair is not allowed) and
then scores exactly only the pairs whose bound, coverage_scale x count + a bound on the other
terms for the mentor's class (time zone, wishes to learn), can reach the row's keep-th best
score or beat the certificate. About one pair in fifty is scored at company scale, and every
scored pair gets bit for bit the score the dense block gives it.

The full list of allowed pairs (`allowed_pairs`, for small pilots and the exact reference)
still comes from blocks: an inverted index of topics, then the grade rule, then scores. A pair
whose mentor knows none of the mentee's goal topics is never allowed, and neither is one whose
mentor is not junior enough. The mentors that can be allowed for a mentee are the union of the
postings (mentors who know a topic) of its goals, within the grade limit. Mentees are split
like a trie over their goals, most widely known topic first: a node's rows share the topics on
its path, so they share one column set, and a pair lands in exactly one block:

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
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

import core.matching.scoring as scoring
from core.matching.scoring import (
    ScoreModel,
    key_value,
    run_on_workers,
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
        return run_on_workers(task, blocks)


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
    has_allowed: np.ndarray  # bool per mentee: some mentor is allowed at all

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
    """Each mentee's k best allowed mentors, from one bounded scan (see `scan`).

    Ties are broken by mentor index (lower first) through a combined integer key, so the lists
    do not depend on how blocks or a selection algorithm order equal values.
    """
    n, m = model.n, model.m
    keep = max(0, min(k + 1, m))
    span = float(m)
    tie = tie_break(m)
    has_allowed = np.zeros(n, dtype=bool)
    empty = np.empty(0, dtype=np.int64)
    r_all, c_all, key_all = empty, empty, np.empty(0)
    if keep:

        def best(part: ScanPart):
            key = part.centi * span + tie[part.c]
            pos = np.searchsorted(part.rows, part.r)
            order = order_by_row(pos, key)
            pos, key = pos[order], key[order]
            first = np.arange(len(pos)) - np.searchsorted(pos, pos, side="left") < keep
            return part.rows, part.allowed, part.r[order][first], part.c[order][first], key[first]

        parts = scan(model, keep, best)
        for block_rows, has, *_ in parts:
            has_allowed[block_rows] = has
        if parts:
            r_all = np.concatenate([p[2] for p in parts]).astype(np.int64)
            c_all = np.concatenate([p[3] for p in parts]).astype(np.int64)
            key_all = np.concatenate([p[4] for p in parts])
    order = np.argsort(r_all, kind="stable")  # blocks are sorted within, rows may interleave
    r_all, c_all, key_all = r_all[order], c_all[order], key_all[order]
    rank = np.arange(len(r_all)) - np.searchsorted(r_all, r_all, side="left")
    k = min(k, keep)
    listed = rank < k
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(r_all[listed], minlength=n), out=ptr[1:])
    left_out = np.full(n, -1, dtype=np.int64)
    last = rank == k
    left_out[r_all[last]] = key_value(key_all[last], span)
    return Candidates(ptr, c_all[listed], key_value(key_all[listed], span), left_out, has_allowed)


# ------------------------------------------------------------------------------ bounded scans

# Coverage counts per block (1 to 4 bytes a pair): a few MB, reused by the block's passes.
SCAN_CELLS = 1 << 21
# Columns per chunk when looking for each row's most promising mentors.
SCAN_CHUNK = 64
# Column chunks per row searched first for pairs that break a certificate.
SCAN_BREAKING = 24


@dataclass(frozen=True)
class ScanPrice:
    """What a pair must beat to break an optimality certificate: score > floor[i] + price[j]
    (floor = u - bonus per mentee, price = v per mentor)."""

    floor: np.ndarray
    price: np.ndarray


@dataclass(frozen=True)
class ScanPart:
    """One block of a scan: every pair it knows exactly, and the rows' thresholds.

    `theta[p]` is the `keep`-th best score of row `rows[p]` (-inf when it has fewer allowed
    pairs): every allowed pair scoring at least theta is among (r, c, centi), and so is every
    pair that beats the scan's price; nothing else is, except pairs that beat neither, which a
    caller may drop. `allowed` says whether the row has any allowed pair among the scanned
    mentors (None in scans with a price, a floor or excluded pairs, whose callers do not
    need it).
    """

    rows: np.ndarray
    allowed: np.ndarray | None
    theta: np.ndarray
    r: np.ndarray  # mentee indexes
    c: np.ndarray  # mentor indexes
    centi: np.ndarray  # float64 holding integers


def order_by_row(pos: np.ndarray, key: np.ndarray) -> np.ndarray:
    """Order of (row position, key) entries by row, largest key first within a row; keys are
    below 2^40, positions below 2^12 (one block), so one float64 sort key holds both."""
    if len(pos) and float(key.max()) < 2.0**40 and int(pos.max()) < 2**12:
        return np.argsort(pos * 2.0**40 - key)
    return np.lexsort((-key, pos))


def _row_kth(pos: np.ndarray, key: np.ndarray, keep: int, n_rows: int) -> np.ndarray:
    """Per row position, the keep-th largest key among its entries (-inf if fewer)."""
    out = np.full(n_rows, -np.inf)
    if len(pos) == 0:
        return out
    order = order_by_row(pos, key)
    pos_sorted = pos[order]
    rank = np.arange(len(order)) - np.searchsorted(pos_sorted, pos_sorted, side="left")
    at = rank == keep - 1
    out[pos_sorted[at]] = key[order[at]]
    return out


def _kth_score(
    model: ScoreModel, pos: np.ndarray, cols: np.ndarray, centi: np.ndarray, keep: int, n_rows: int
) -> np.ndarray:
    """Per row position, the centi-score of its keep-th best pair (ties by mentor index) among
    (pos, mentor, centi) entries; -inf if it has fewer."""
    span, tie = float(model.m), tie_break(model.m)
    theta = _row_kth(pos, centi * span + tie[cols], keep, n_rows)
    found = theta > 0
    theta[found] = (theta[found] - 1.0) // span  # back to a centi-score
    theta[~found] = -np.inf
    return theta


@dataclass(frozen=True)
class _Columns:
    """The mentors a group of rows is scanned against, ordered by rest class so that each
    class is one run of columns, with the coverage table gathered for them."""

    cols: np.ndarray
    table: np.ndarray
    classes: np.ndarray  # the rest classes present, in column order
    runs: np.ndarray  # how many columns each has
    position: np.ndarray  # per mentor, its place in `cols` (-1: not there)

    @staticmethod
    def positions(cols: np.ndarray, m: int) -> np.ndarray:
        position = np.full(m, -1, dtype=np.int64)
        position[cols] = np.arange(len(cols))
        return position

    @classmethod
    def gather(cls, model: ScoreModel, mask: np.ndarray) -> _Columns:
        cols = np.nonzero(mask)[0]
        cols = cols[np.argsort(model.rest_class[cols], kind="stable")]
        classes, runs = np.unique(model.rest_class[cols], return_counts=True)
        table = np.ascontiguousarray(model.coverage.table[:, cols])
        return cls(cols, table, classes, runs, cls.positions(cols, model.m))

    def subset(self, mask: np.ndarray) -> _Columns:
        """The columns where `mask` (per column) holds, in the same order."""
        at = np.flatnonzero(mask)
        label = np.repeat(np.arange(len(self.classes)), self.runs)[at]
        runs = np.bincount(label, minlength=len(self.classes))
        present = runs > 0
        cols = self.cols[at]
        return _Columns(
            cols,
            self.table.take(at, axis=1),
            self.classes[present],
            runs[present],
            self.positions(cols, len(self.position)),
        )


def least_count(value: np.ndarray, rest: np.ndarray, scale: np.ndarray, dtype) -> np.ndarray:
    """Per row and rest class, the smallest count whose bound scale x count + rest can reach
    `value` (per row), rounded down, as `dtype` (its largest value: no count can).

    One formula in place, a pass each; rows whose coverage weighs nothing (scale 0: only the
    rest can reach) and undefined quotients are fixed up only when there are any. -inf values
    (no keep-th best) clip to 1, +inf to the largest value."""
    top = np.iinfo(dtype).max
    with np.errstate(divide="ignore", invalid="ignore"):
        need = np.subtract(value[:, None], rest, dtype=np.float64)
        need /= scale
    np.floor(need, out=need)
    positive = scale > 0
    if not positive.all():
        need = np.where(positive, need, np.where(rest >= value[:, None], 1, top))
    undefined = np.isnan(need)
    if undefined.any():
        need[undefined] = 1
    return np.clip(need, 1, top, out=need).astype(dtype)


def _scan_block(
    model: ScoreModel,
    rows: np.ndarray,
    columns: _Columns,
    keep: int,
    price: ScanPrice | None,
    excluded: tuple[np.ndarray, np.ndarray] | None,
    floor: np.ndarray | None = None,
    rest: np.ndarray | None = None,
) -> ScanPart:
    """Score, out of rows x columns, only the pairs that can reach a row's `keep` best or
    beat the price (see ScanPart); the rest are ruled out by coverage count + rest bound.

    `floor` (per row, no price): a score the row's keep-th best is known to reach through
    other mentors. Then only the pairs whose bound reaches it are scored, and theta is the
    floor itself. `rest`: the rows' rest bounds for the columns' classes, if known already.

    First each row's most promising mentors (the `keep` column chunks with the highest
    coverage) are scored, and the keep-th best of them is a floor for the row's keep-th best
    score; a pair whose bound stays under that floor can be neither among the keep best nor
    tie with them. Then only pairs whose bound reaches the floor (or could beat the price)
    are scored, exactly as the dense block would score them.
    """
    cols = columns.cols
    w = len(cols)
    n_rows = len(rows)
    dtype = model.coverage.table.dtype
    scale = model.coverage_scale[rows][:, None]
    if rest is None:
        rest = model.rest_bounds(rows, columns.classes)  # rows x classes
    count = model.coverage.counts(rows, columns.table)
    # Blocked pairs and pairs the caller knows already become "no common topic".
    r_blk, c_blk = model.rules.blocked_in_block(rows, cols, columns.position)
    count[r_blk, c_blk] = 0
    if excluded is not None:
        count[excluded] = 0
    if floor is not None:
        second = np.repeat(least_count(floor, rest, scale, dtype), columns.runs, axis=1)
        flat = np.flatnonzero(count >= second)
        pos, col = np.divmod(flat, w)
        centi = model.pair_values(rows[pos], cols[col], count.reshape(-1)[flat])
        useful = centi >= floor[pos]
        pos, col, centi = pos[useful], col[useful], centi[useful]
        # A row with a floor has allowed pairs elsewhere already: no pass over `count` for it.
        return ScanPart(rows, None, floor, rows[pos], cols[col], centi)
    n_chunks = -(-w // SCAN_CHUNK)
    if n_chunks > keep:
        maxima = np.maximum.reduceat(count, np.arange(0, w, SCAN_CHUNK), axis=1)
        first = np.partition(maxima, n_chunks - keep, axis=1)[:, n_chunks - keep]
        first = np.maximum(first, 1).astype(dtype)
    else:
        maxima = count
        first = np.ones(n_rows, dtype=dtype)
    # Only shortlists ask whether a row has any allowed pair (no price: see `scan`); a chunk
    # maximum of 0 means no common topic anywhere in the chunk.
    allowed = maxima.max(axis=1) > 0 if price is None and excluded is None else None
    flat = np.flatnonzero(count >= first[:, None])
    pos, col = np.divmod(flat, w)
    centi = model.pair_values(rows[pos], cols[col], count.reshape(-1)[flat])
    theta = _kth_score(model, pos, cols[col], centi, keep, n_rows)
    second = np.repeat(least_count(theta, rest, scale, dtype), columns.runs, axis=1)
    parts_pos, parts_col, parts_centi = [pos], [col], [centi]
    flat = np.flatnonzero(count >= second)
    counts2 = count.reshape(-1)[flat]
    p2, c2 = np.divmod(flat, w)
    new = counts2 < first[p2]  # the others were scored first
    if new.any():
        p2, c2 = p2[new], c2[new]
        parts_pos.append(p2)
        parts_col.append(c2)
        parts_centi.append(model.pair_values(rows[p2], cols[c2], counts2[new]))
    if price is not None:
        np.minimum(second, first[:, None], out=second)
        pos = np.concatenate(parts_pos)
        beats = (
            np.concatenate(parts_centi)
            > price.floor[rows[pos]] + price.price[cols[np.concatenate(parts_col)]]
        )
        has = np.zeros(n_rows, dtype=bool)
        has[pos[beats]] = True
        found = _breaking_pairs(model, rows, columns, count, scale, rest, second, price, has)
        for part, values in zip((parts_pos, parts_col, parts_centi), found, strict=True):
            part.append(values)
    pos = np.concatenate(parts_pos)
    col = np.concatenate(parts_col)
    centi = np.concatenate(parts_centi)
    useful = centi >= theta[pos]
    if price is not None:
        useful |= centi > price.floor[rows[pos]] + price.price[cols[col]]
    pos, col, centi = pos[useful], col[useful], centi[useful]
    return ScanPart(rows, allowed, theta, rows[pos], cols[col], centi)


def _breaking_pairs(
    model: ScoreModel,
    rows: np.ndarray,
    columns: _Columns,
    count: np.ndarray,
    scale: np.ndarray,
    rest: np.ndarray,
    known: np.ndarray,
    price: ScanPrice,
    has: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row positions, column positions, centi) of pairs with count < `known` that beat the
    price, at least one per row that has any: enough for the next round of the proof to make
    progress, without scoring every pair that might beat it (`has`: rows that have one among
    the pairs scored already).

    A pair's bound on what it beats the price by is scale x count + rest - price - floor;
    each row first scores its pairs in the SCAN_BREAKING column chunks where that bound is
    largest, and only a row that found no pair beating the price there scores all its pairs
    whose bound is positive.
    """
    cols = columns.cols
    w = len(cols)
    floor = price.floor[rows]
    margin = count.astype(np.float64)
    margin *= scale
    margin += np.repeat(rest, columns.runs, axis=1)
    margin -= np.take(price.price, cols)[None, :]
    margin -= floor[:, None]
    # Pairs scored already, and pairs without a common topic, are out of the search.
    np.copyto(margin, -np.inf, where=(count >= known) | (count == 0))
    n_chunks = -(-w // SCAN_CHUNK)
    if n_chunks > SCAN_BREAKING:
        maxima = np.maximum.reduceat(margin, np.arange(0, w, SCAN_CHUNK), axis=1)
        cut = np.partition(maxima, n_chunks - SCAN_BREAKING, axis=1)[:, n_chunks - SCAN_BREAKING]
        cut = np.maximum(cut, 0.0)
    else:
        cut = np.zeros(len(rows))
    chosen = (margin >= cut[:, None]) & (margin > 0)
    flat = np.flatnonzero(chosen)
    pos, col = np.divmod(flat, w)
    centi = model.pair_values(rows[pos], cols[col], count.reshape(-1)[flat])
    beats = centi > floor[pos] + np.take(price.price, cols[col])
    lacking = ~has
    lacking[pos[beats]] = False
    if lacking.any():
        rest_rows = np.nonzero(lacking)[0]
        more = (margin[rest_rows] > 0) & ~chosen[rest_rows]
        flat = np.flatnonzero(more)
        if len(flat):
            p2, c2 = np.divmod(flat, w)
            p2 = rest_rows[p2]
            pos = np.concatenate([pos, p2])
            col = np.concatenate([col, c2])
            centi = np.concatenate([centi, model.pair_values(rows[p2], cols[c2], count[p2, c2])])
    return pos, col, centi


# A shortlist scan narrows a row to the mentors who know its pivot goal when they are at most
# this share of the mentors junior enough for it; above it the narrowing saves too little.
PIVOT_SHARE = 0.8
# ... and only for grade groups of at least this many mentors: below it the rows whose pivot
# does not settle them cost more than narrowing saves (20 000 x 30 000: shortlists 2.2 s
# without, 3.5 s with; 100 000 x 150 000: 38.2 s without, 34.0 s with, back to back).
PIVOT_MIN_MENTORS = 60_000


def _pivot_groups(
    model: ScoreModel, group: np.ndarray, columns: _Columns
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Rows of one grade group by pivot goal: (rows ascending, which of `columns` know the
    pivot topic, per code and rest class of `columns` the largest value among the mentors who
    do not know it).

    The pivot is the goal that adds the most to a count at its best (weight x the highest
    level among these mentors; among equals, the topic fewest of them know). A mentor who
    does not know it counts at most the row's other goals at their best within its class, and
    at company scale a row's best mentors count more than that, so they all know the pivot.
    """
    table = columns.table
    most = table.max(axis=1).astype(np.int64)  # per code, over these mentors (padding: 0)
    posting = np.count_nonzero(table, axis=1)
    codes = model.coverage.codes[group]
    if codes.shape[1] == 0:  # nobody has a goal
        return []
    contrib = most[codes]
    slot = np.argmax(contrib * (len(columns.cols) + 1) - posting[codes], axis=1)
    pivot = codes[np.arange(len(group)), slot]
    topic = model.coverage.topics[pivot]
    label = np.repeat(np.arange(len(columns.classes)), columns.runs)
    narrowed = []
    for t in np.unique(topic[topic >= 0]).tolist():
        chosen = topic == t
        inside = table[pivot[chosen][0]] > 0
        if not 0 < np.count_nonzero(inside) <= PIVOT_SHARE * len(inside):
            continue
        out = np.flatnonzero(~inside)
        best_out = np.zeros((len(table), len(columns.classes)), dtype=table.dtype)
        if len(out):
            lab = label[out]
            starts = np.flatnonzero(np.r_[True, lab[1:] != lab[:-1]])
            best_out[:, lab[starts]] = np.maximum.reduceat(table.take(out, axis=1), starts, axis=1)
        narrowed.append((group[chosen], inside, best_out))
    return narrowed


def _rows_of(part: ScanPart, chosen: np.ndarray) -> ScanPart:
    """The part restricted to the rows where `chosen` holds."""
    pairs = chosen[np.searchsorted(part.rows, part.r)]
    allowed = None if part.allowed is None else part.allowed[chosen]
    return ScanPart(
        part.rows[chosen],
        allowed,
        part.theta[chosen],
        part.r[pairs],
        part.c[pairs],
        part.centi[pairs],
    )


def _narrowed_scan(
    model: ScoreModel,
    rows: np.ndarray,
    columns: _Columns,
    narrow: _Columns,
    other_columns: _Columns,
    best_out: np.ndarray,
    keep: int,
) -> list[ScanPart]:
    """The shortlist scan of `rows` against `columns` (see ScanPart), narrowed: first against
    the mentors who know the rows' pivot topic (`narrow`); a row is
    settled there when no other mentor can reach its keep-th best: in each rest class, its
    count is at most the sum of `best_out` (codes x classes) over the row's goals. Other rows
    are scanned against the other mentors (`other_columns`, gathered once per pivot: gathering
    just the classes a block can still reach cost more than the counts it saved, 11.5 G table
    bytes against 8.2 G counts at 100 000 x 150 000); a class that cannot reach the row's
    keep-th best needs a count no mentor of it has, so its pairs are never scored, and each
    row's keep best are among the best of either side."""
    rest = model.rest_bounds(rows, columns.classes)

    def rest_of(chosen, sub: _Columns) -> np.ndarray:
        return rest[chosen][:, np.searchsorted(columns.classes, sub.classes)]

    part = _scan_block(model, rows, narrow, keep, None, None, rest=rest_of(slice(None), narrow))
    scale = model.coverage_scale[rows][:, None]
    need = least_count(part.theta, rest, scale, model.coverage.table.dtype)
    outside = best_out[model.coverage.codes[rows]].sum(axis=1, dtype=np.int64)
    reach = need <= outside  # rows x classes
    open_rows = reach.any(axis=1)
    if not open_rows.any():
        return [part]
    parts = [_rows_of(part, ~open_rows)] if not open_rows.all() else []
    part = _rows_of(part, open_rows)
    reached = reach[open_rows].any(axis=0)  # per class of `columns`
    if not reached[np.searchsorted(columns.classes, other_columns.classes)].any():
        return parts + [part]
    # Rows with a keep-th best inside look outside only for pairs that can beat it.
    known = np.isfinite(part.theta)
    for chosen in (known, ~known):
        if not chosen.any():
            continue
        here = _rows_of(part, chosen)
        floor = here.theta if chosen is known else None
        rest_here = rest_of(np.nonzero(open_rows)[0][chosen], other_columns)
        other = _scan_block(
            model, here.rows, other_columns, keep, None, None, floor, rest=rest_here
        )
        r = np.concatenate([here.r, other.r])
        c = np.concatenate([here.c, other.c])
        centi = np.concatenate([here.centi, other.centi])
        pos = np.searchsorted(here.rows, r)
        theta = _kth_score(model, pos, c, centi, keep, len(here.rows))
        useful = centi >= theta[pos]
        allowed = here.allowed if other.allowed is None else here.allowed | other.allowed
        parts.append(ScanPart(here.rows, allowed, theta, r[useful], c[useful], centi[useful]))
    return parts


def scan(
    model: ScoreModel,
    keep: int,
    fn: Callable[[ScanPart], T],
    rows: np.ndarray | None = None,
    mentor_ok: np.ndarray | None = None,
    price: ScanPrice | None = None,
    excluded: tuple[np.ndarray, np.ndarray] | None = None,
) -> list[T]:
    """fn(part) for blocks of `rows` against the mentors junior enough for them (and
    `mentor_ok`), on a few threads; each row is in exactly one part.

    `keep`: each row's keep best allowed pairs are among those its part returns (see
    ScanPart); `price`: so is every pair that beats it. `excluded` (mentee indexes, mentor
    indexes) are pairs treated as not allowed, typically those the caller holds already.

    Without a price or excluded pairs (shortlists), a row is first scanned against the mentors
    who know its pivot goal only (`_pivot_groups`), about a fifth of them at company scale; the rows that this does not settle are scanned against the rest of the mentors who
    can still make their list.
    """
    rows = np.arange(model.n) if rows is None else np.asarray(rows, dtype=np.intp)
    keep = max(1, keep)
    if len(rows) == 0 or model.m == 0:
        return []
    rules = model.rules
    limit = rules.mentee_limit[rows]
    if excluded is not None:
        ex_rows, ex_cols = (np.asarray(a, dtype=np.int64) for a in excluded)
        ex_ptr = np.zeros(model.n + 1, dtype=np.int64)
        np.cumsum(np.bincount(ex_rows, minlength=model.n), out=ex_ptr[1:])
        order = np.argsort(ex_rows, kind="stable")
        ex_rows, ex_cols = ex_rows[order], ex_cols[order]
    narrowing = price is None and excluded is None
    results: list[T] = []

    def blocks_of(group: np.ndarray, width: int, narrowed=None) -> list:
        step = max(1, min(len(group), SCAN_CELLS // max(1, width)))
        return [(group[a : a + step], narrowed) for a in range(0, len(group), step)]

    with single_threaded_blas():
        for value in np.unique(limit).tolist():
            group = rows[limit == value]
            cols_mask = rules.mentor_grade <= value
            if mentor_ok is not None:
                cols_mask &= mentor_ok
            if not cols_mask.any():
                continue
            key = np.packbits(cols_mask).tobytes()
            columns = model.scan_columns.get(key)
            if columns is None:
                columns = model.scan_columns[key] = _Columns.gather(model, cols_mask)
            cols = columns.cols
            position = columns.position if excluded is not None else None

            def task(item, columns=columns, position=position) -> list[T]:
                block, narrowed = item
                if narrowed is not None:
                    narrow, outside = narrowed.column_sets()
                    found = _narrowed_scan(
                        model,
                        block,
                        columns,
                        narrow,
                        outside,
                        narrowed.best_out,
                        keep,
                    )
                    narrowed.block_done()
                    return [fn(p) for p in found]
                ex = None
                if position is not None:
                    counts = ex_ptr[block + 1] - ex_ptr[block]
                    at = np.repeat(ex_ptr[block] - np.cumsum(counts) + counts, counts)
                    at = at + np.arange(int(counts.sum()))
                    owner = np.repeat(np.arange(len(block)), counts)
                    where = position[ex_cols[at]]
                    kept = where >= 0
                    ex = (owner[kept], where[kept])
                return [fn(_scan_block(model, block, columns, keep, price, ex))]

            tasks = []
            left = np.ones(len(group), dtype=bool)
            if narrowing and len(cols) >= PIVOT_MIN_MENTORS:
                for sub, inside, best_out in _pivot_groups(model, group, columns):
                    pivot = _Pivot(columns, inside, best_out)
                    its_blocks = blocks_of(sub, pivot.width, pivot)
                    pivot.blocks = len(its_blocks)
                    tasks += its_blocks
                    left[np.searchsorted(group, sub)] = False
            tasks += blocks_of(group[left], len(cols))
            results += [r for each in run_on_workers(task, tasks) for r in each]
    return results


class _Pivot:
    """The rows of one pivot goal: its two column sets (the mentors who know the pivot, and
    the others) are gathered once for all its blocks, when the first one runs, and dropped
    when the last one is done. Blocks run in order, so only the pivots being scanned hold
    theirs (each is codes x mentors bytes: all of them at once would not fit at company scale).
    """

    def __init__(self, columns: _Columns, inside: np.ndarray, best_out: np.ndarray):
        self.columns, self.inside, self.best_out = columns, inside, best_out
        self.width = int(np.count_nonzero(inside))
        self.blocks = 0
        self._sets: tuple[_Columns, _Columns] | None = None
        self._lock = threading.Lock()

    def column_sets(self) -> tuple[_Columns, _Columns]:
        with self._lock:
            if self._sets is None:
                self._sets = (self.columns.subset(self.inside), self.columns.subset(~self.inside))
            return self._sets

    def block_done(self) -> None:
        with self._lock:
            self.blocks -= 1
            if self.blocks == 0:
                self._sets = None
