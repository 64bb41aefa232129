"""How good a (mentee, mentor) pair is, on a 0-100 scale, for all pairs at once.

Scores come out as integer centi-points (score x 100) before any optimisation, so the optimiser
works on exact integers and anyone can re-add the published totals. The arithmetic is organised
so that every score is bit-for-bit the same however the pairs are blocked: topic overlaps are
matrix products of small integers (exact in floating point), and everything after them is
element-wise. A pair scored alone therefore gets exactly the score it got inside a big block.

Scoring works in blocks so that 20,000 x 30,000 pairs never sit in memory at once; which pairs
are scored at all is core.matching.candidates' business.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np
from threadpoolctl import threadpool_limits

from core.matching.instance import (
    Id,
    Instance,
    ensure_valid,
    utc_offset_hours,
)
from core.matching.rules import RuleData
from core.people.availability import SLOTS

# Priority 1 (must have) counts three times as much as priority 3 (nice to have).
PRIORITY_WEIGHT = {1: 3, 2: 2, 3: 1}
# Cells per block: a few float64 temporaries of this size stay within CPU caches.
BLOCK_CELLS = 1 << 19
MIN_BLOCK_ROWS = 48
# Blocks are spread over this many threads (numpy releases the GIL in the heavy parts).
WORKERS = max(1, min(4, os.cpu_count() or 1))
T = TypeVar("T")
# Above this many departments, comparing codes beats a table of (1 + D) x mentors values.
MAX_ONE_HOT_DEPARTMENTS = 48


@dataclass(frozen=True)
class ScoreModel:
    """An instance turned into the arrays the score formula needs, built once per run.

    Mentor-side matrices are stored mentor-major (m x T) and multiplied as `.T` views, which is
    the layout BLAS handles fastest for these thin products.
    """

    n: int
    m: int
    goals: np.ndarray  # n x T goal weights (3/2/1 by priority), small integers
    expertise: np.ndarray  # m x T expertise levels 1-3
    coverage_scale: np.ndarray  # n: coverage weight / (3 * sum of goal weights)
    offers: np.ndarray | None  # n x T, 0/1
    wants: np.ndarray | None  # m x T, 0/1
    reciprocity_scale: np.ndarray | None  # m: reciprocity weight / |wants|
    # Department codes (mentor: -2 if unknown) and the cross-department value w per mentor (0 if
    # unknown). Few departments: mentee codes are 1 + code (0 if unknown) into `cross_table`,
    # (1 + D) x m; many departments: mentee codes (-1 if unknown) compared with the mentor's.
    mentee_dept: np.ndarray | None
    mentor_dept: np.ndarray | None
    dept_by_code: bool
    mentor_cross: np.ndarray | None
    cross_table: np.ndarray | None
    avail: np.ndarray | None  # n x 15, 0/1 (an empty list counts as every slot)
    mentor_avail: np.ndarray | None  # m x 15
    time_table: np.ndarray | None  # mentee class x mentor class: tz factor / min(|A|, |B|)
    mentee_class: np.ndarray | None
    mentor_class: np.ndarray | None
    rules: RuleData
    capacity: np.ndarray
    # The same terms in the forms `pair_values` reads them, one pair at a time: coverage as
    # small integers (see `coverage_counts`), topic and slot sets as packed bit words.
    coverage: CoverageTable
    offer_bits: np.ndarray | None  # n x words, uint64
    want_bits: np.ndarray | None  # m x words
    avail_bits: np.ndarray | None  # n x 1
    mentor_avail_bits: np.ndarray | None  # m x 1
    # A bound on every term but coverage, so that score <= coverage_scale x coverage count +
    # bound, which lets a scan skip pairs: per mentee the part that does not depend on the
    # mentor (rounding, cross-department), and per class of mentors with the same time zone
    # and wishes to learn (see `rest_bounds`) the reciprocity and time parts.
    rest_fixed: np.ndarray  # n
    rest_class: np.ndarray  # m, class of each mentor
    class_wants: np.ndarray | None  # classes x words: any member's wishes
    class_reciprocity: np.ndarray | None  # classes: largest member reciprocity_scale
    class_time: np.ndarray | None  # mentee time class x classes: largest time term
    blocked_key: np.ndarray  # blocked pairs as mentee * m + mentor, ascending
    # What scans gathered about a set of mentors (core.matching.candidates), by the set: the
    # shortlist and every rescan of the proof scan the same few sets, one per grade limit.
    scan_columns: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def build(cls, inst: Instance) -> ScoreModel:
        ensure_valid(inst)
        w = inst.effective_weights
        scale = 10000.0 / sum(w.values())  # score x 100, so rint() gives centi-points
        n, m, t = len(inst.mentees), len(inst.mentors), len(inst.topics)
        tix = inst.topic_index

        goals = np.zeros((n, t), dtype=np.float32)
        for i, p in enumerate(inst.mentees):
            for topic, prio in p.goals.items():
                goals[i, tix[topic]] = PRIORITY_WEIGHT[prio]
        expertise = np.zeros((m, t), dtype=np.float32)
        for j, p in enumerate(inst.mentors):
            for topic, level in p.expertise.items():
                expertise[j, tix[topic]] = level
        gsum = goals.sum(axis=1, dtype=np.float64)
        coverage_scale = np.divide(
            w["coverage"] * scale, 3.0 * gsum, out=np.zeros(n), where=gsum > 0
        )

        offers = wants = rec_scale = None
        if w["reciprocity"] > 0 and any(p.wants for p in inst.mentors):
            offers = np.zeros((n, t), dtype=np.float32)
            for i, p in enumerate(inst.mentees):
                offers[i, [tix[x] for x in p.offers]] = 1
            wants = np.zeros((m, t), dtype=np.float32)
            for j, p in enumerate(inst.mentors):
                wants[j, [tix[x] for x in p.wants]] = 1
            count = wants.sum(axis=1, dtype=np.float64)
            rec_scale = np.divide(w["reciprocity"] * scale, count, out=np.zeros(m), where=count > 0)

        mentee_dept = mentor_dept = mentor_cross = cross_table = None
        by_code = False
        if w["cross_department"] > 0:
            codes: dict[str, int] = {}
            for p in (*inst.mentees, *inst.mentors):
                if p.department:
                    codes.setdefault(p.department, len(codes))
            value = w["cross_department"] * scale
            mentor_cross = np.array([value if p.department else 0.0 for p in inst.mentors])
            mentor_dept = np.array([codes.get(p.department, -2) for p in inst.mentors])
            by_code = len(codes) > MAX_ONE_HOT_DEPARTMENTS
            if by_code:
                mentee_dept = np.array([codes.get(p.department, -1) for p in inst.mentees])
            else:
                # Row 1 + d holds each mentor's cross-department value (w, or 0 in department d
                # or when unknown) for mentees of department d; row 0, for unknown, is 0.
                mentee_dept = np.array([codes.get(p.department, -1) + 1 for p in inst.mentees])
                cross_table = np.zeros((1 + len(codes), m))
                for d in range(len(codes)):
                    cross_table[1 + d] = mentor_cross * (mentor_dept != d)

        rest = np.ones(n)  # rint() adds at most 0.5
        if mentee_dept is not None:
            known = mentee_dept >= (0 if by_code else 1)
            rest += np.where(known, float(mentor_cross.max(initial=0.0)), 0.0)

        avail = mentor_avail = table = mentee_class = mentor_class = None
        if w["time_overlap"] > 0:
            slot_ix = {s: k for k, s in enumerate(SLOTS)}

            def slots(people) -> np.ndarray:
                a = np.zeros((len(people), len(SLOTS)), dtype=np.float32)
                for r, p in enumerate(people):
                    if p.availability:
                        a[r, [slot_ix[s] for s in p.availability]] = 1
                    else:
                        a[r, :] = 1  # no answer: the time factor does not depend on slots
                return a

            def classes(people, a) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
                """People with the same offset and slot count share one row of the table."""
                offset = np.array([utc_offset_hours(p.time_zone) for p in people], dtype=float)
                key = np.stack([offset, a.sum(axis=1, dtype=np.float64)], axis=1).reshape(-1, 2)
                uniq, inverse = np.unique(key, axis=0, return_inverse=True)
                return uniq[:, 0], uniq[:, 1], inverse.reshape(-1).astype(np.intp)

            avail = slots(inst.mentees)
            mentor_avail = slots(inst.mentors)
            off_a, cnt_a, mentee_class = classes(inst.mentees, avail)
            off_b, cnt_b, mentor_class = classes(inst.mentors, mentor_avail)
            tz = np.maximum(0.0, 1.0 - np.abs(off_a[:, None] - off_b[None, :]) / 12.0)
            table = w["time_overlap"] * scale * tz / np.minimum(cnt_a[:, None], cnt_b[None, :])
        rules = RuleData.build(inst)
        want_bits = None if wants is None else bit_words(wants)
        mentor_offset = np.zeros(m) if mentor_class is None else off_b[mentor_class]
        rest_class, class_wants, class_rec, class_offset = _rest_classes(
            want_bits, rec_scale, mentor_offset
        )
        class_time = None
        if mentor_class is not None:
            # shared slots <= min(|A|, |B|), so the time term is at most weight x tz factor.
            apart = np.abs(off_a[:, None] - class_offset[None, :])
            class_time = w["time_overlap"] * scale * np.maximum(0.0, 1.0 - apart / 12.0)

        return cls(
            n=n,
            m=m,
            goals=goals,
            expertise=expertise,
            coverage_scale=coverage_scale,
            offers=offers,
            wants=wants,
            reciprocity_scale=rec_scale,
            mentee_dept=mentee_dept,
            mentor_dept=mentor_dept,
            dept_by_code=by_code,
            mentor_cross=mentor_cross,
            cross_table=cross_table,
            avail=avail,
            mentor_avail=mentor_avail,
            time_table=table,
            mentee_class=mentee_class,
            mentor_class=mentor_class,
            rules=rules,
            capacity=np.array([p.capacity for p in inst.mentors], dtype=np.int64),
            coverage=CoverageTable.build(goals, expertise),
            offer_bits=None if offers is None else bit_words(offers),
            want_bits=want_bits,
            avail_bits=None if avail is None else bit_words(avail),
            mentor_avail_bits=None if mentor_avail is None else bit_words(mentor_avail),
            rest_fixed=rest,
            rest_class=rest_class,
            class_wants=class_wants,
            class_reciprocity=class_rec,
            class_time=class_time,
            blocked_key=rules.blocked_i * max(1, m) + rules.blocked_j,
        )

    def block_rows(self) -> int:
        # Thin products lose efficiency below a few dozen rows, so wide pilots get taller blocks.
        return max(1, min(self.n, max(MIN_BLOCK_ROWS, BLOCK_CELLS // max(1, self.m))))

    def row_blocks(self, rows: np.ndarray | None = None) -> Iterator[np.ndarray]:
        rows = np.arange(self.n) if rows is None else np.asarray(rows, dtype=np.intp)
        size = self.block_rows()
        for start in range(0, len(rows), size):
            yield rows[start : start + size]

    def mentor_side(self, cols: np.ndarray | None = None) -> MentorSide:
        """The mentor-side arrays of a set of columns, gathered once for all the blocks that
        score against them (the blocks of one trie node share their columns)."""
        return MentorSide.gather(self, cols)

    def block(
        self,
        rows: np.ndarray,
        cols: np.ndarray | None = None,
        work: dict | None = None,
        side: MentorSide | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Centi-point scores (float64 holding integers) and the allowed mask of a block.

        With `work` (a dict reused across calls) the results are views into buffers that the
        next call overwrites; reusing them avoids page-faulting fresh memory for every block.
        `side` (from `mentor_side(cols)`) saves gathering the mentor side again.

        Every pair goes through the same float64 operations in the same order, whichever way
        a term is looked up: coverage x scale, + reciprocity, + cross-department, + time, rint.
        """
        rows = np.asarray(rows, dtype=np.intp)
        if side is None:
            side = self.mentor_side(cols)
        shape = (len(rows), side.width)
        buf = _Buffers(work, shape)

        cov = np.matmul(self.goals[rows], side.expertise_t, out=buf("cov", np.float32))
        covers = np.greater(cov, 0, out=buf("covers", bool))
        acc = np.multiply(cov, self.coverage_scale[rows][:, None], out=buf("acc", np.float64))
        tmp = buf("tmp", np.float64)
        if self.offers is not None:
            rec = np.matmul(self.offers[rows], side.wants_t, out=cov)
            np.multiply(rec, side.reciprocity_scale[None, :], out=tmp)
            acc += tmp
        if self.dept_by_code:
            mentee = self.mentee_dept[rows][:, None]
            differ = np.not_equal(mentee, side.dept[None, :], out=buf("b", bool))
            differ &= mentee >= 0
            np.multiply(differ, side.cross[None, :], out=tmp)
            acc += tmp
        elif self.mentee_dept is not None:
            # Each mentee's values (w or 0) are one row of the per-department table, added row
            # by row in place: no gathered copy of the block, and no product.
            table = side.cross_table
            for position, code in enumerate(self.mentee_dept[rows].tolist()):
                line = acc[position]
                np.add(line, table[code], out=line)
        if self.avail is not None:
            shared = np.matmul(self.avail[rows], side.avail_t, out=cov)
            table = self.time_table[self.mentee_class[rows]]
            np.take(table, side.time_class, axis=1, out=tmp, mode="clip")
            tmp *= shared
            acc += tmp
        np.rint(acc, out=acc)
        return acc, self.rules.allowed_mask_block(
            rows, covers, cols, scratch=buf("b", bool), grade=side.grade
        )

    def pair_values(self, rows: np.ndarray, cols: np.ndarray, counts: np.ndarray) -> np.ndarray:
        """Centi-point scores (float64 holding integers) of the pairs (rows[p], cols[p]), given
        their coverage counts; bit for bit what `block` gives them, term by term in the same
        float64 operations, but only for the pairs named."""
        take = np.take
        acc = np.multiply(counts.astype(np.float32), take(self.coverage_scale, rows))
        if self.offers is not None:
            shared = _common_bits(self.offer_bits, rows, self.want_bits, cols)
            acc += shared.astype(np.float32) * take(self.reciprocity_scale, cols)
        if self.mentee_dept is not None:
            # By codes either way: a row of `cross_table` holds the same products, w or 0.
            mentee = take(self.mentee_dept, rows)
            if not self.dept_by_code:
                mentee = mentee - 1
            differ = (mentee != take(self.mentor_dept, cols)) & (mentee >= 0)
            acc += differ * take(self.mentor_cross, cols)
        if self.avail is not None:
            shared = _common_bits(self.avail_bits, rows, self.mentor_avail_bits, cols)
            width = self.time_table.shape[1]
            at = take(self.mentee_class, rows) * width + take(self.mentor_class, cols)
            tmp = take(self.time_table.reshape(-1), at)
            tmp *= shared.astype(np.float32)
            acc += tmp
        return np.rint(acc, out=acc)

    def rest_bounds(self, rows: np.ndarray, classes: np.ndarray) -> np.ndarray:
        """rows x classes: at least what all terms but coverage add to any pair of a mentee
        with a mentor of the class (rounding included)."""
        bound = np.repeat(self.rest_fixed[rows][:, None], len(classes), axis=1)
        if self.offers is not None:
            offered = self.offer_bits[rows][:, None, :] & self.class_wants[classes][None, :, :]
            shared = np.bitwise_count(offered).sum(axis=2, dtype=np.int64)
            bound += shared * self.class_reciprocity[classes][None, :]
        if self.class_time is not None:
            bound += self.class_time[self.mentee_class[rows]][:, classes]
        return bound

    def covers_block(self, rows: np.ndarray) -> np.ndarray:
        """Rule 4 alone: which mentors know at least one of each mentee's goal topics."""
        return (self.goals[np.asarray(rows, dtype=np.intp)] @ self.expertise.T) > 0

    def pair_centi(self, i: int, j: int) -> int:
        centi, _ = self.block(np.array([i]), np.array([j]))
        return int(centi[0, 0])


# Mentors are put in classes by time zone and wishes to learn; above this many classes the
# wishes are reduced to their number (the bounds get looser, the per-block tables stay small).
MAX_REST_CLASSES = 2048


def _rest_classes(
    want_bits: np.ndarray | None, rec_scale: np.ndarray | None, offset: np.ndarray
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None, np.ndarray]:
    """(class per mentor, wishes of any member, largest reciprocity scale, UTC offset) of
    mentor classes within which the reciprocity and time terms share one bound."""
    m = len(offset)
    parts = [offset.reshape(m, 1).view(np.int64)]
    if want_bits is not None:
        parts.append(want_bits.view(np.int64))
    key = np.concatenate(parts, axis=1)
    uniq, cls = np.unique(key, axis=0, return_inverse=True)
    if len(uniq) > MAX_REST_CLASSES and want_bits is not None:
        count = np.bitwise_count(want_bits).sum(axis=1, dtype=np.int64)
        key = np.stack([offset.view(np.int64), count], axis=1)
        uniq, cls = np.unique(key, axis=0, return_inverse=True)
    cls = cls.reshape(-1).astype(np.intp)
    n_cls = len(uniq)
    class_offset = np.zeros(n_cls)
    class_offset[cls] = offset
    class_wants = class_rec = None
    if want_bits is not None:
        class_wants = np.zeros((n_cls, want_bits.shape[1]), dtype=np.uint64)
        np.bitwise_or.at(class_wants, cls, want_bits)
        class_rec = np.zeros(n_cls)
        np.maximum.at(class_rec, cls, rec_scale)
    return cls, class_wants, class_rec, class_offset


def bit_words(flags: np.ndarray) -> np.ndarray:
    """0/1 rows packed into little-endian uint64 words (rows x ceil(columns / 64))."""
    packed = np.packbits(flags > 0, axis=1, bitorder="little")
    words = -(-packed.shape[1] // 8) or 1
    out = np.zeros((len(flags), words * 8), dtype=np.uint8)
    out[:, : packed.shape[1]] = packed
    return out.view(np.uint64)


def _common_bits(a: np.ndarray, rows: np.ndarray, b: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """How many bits rows a[rows[p]] and b[cols[p]] share, pair by pair."""
    if a.shape[1] == 1:
        return np.bitwise_count(np.take(a[:, 0], rows) & np.take(b[:, 0], cols))
    return np.bitwise_count(a[rows] & b[cols]).sum(axis=1, dtype=np.int64)


@dataclass(frozen=True)
class CoverageTable:
    """Coverage before scaling, as small integers: sum over goals of goal weight x expertise.

    Row r of `table` is weight x expertise level of one (weight, topic) that some mentee has
    as a goal, for every mentor, in the narrowest unsigned type that holds any sum; a mentee's
    count against a set of mentors is the sum of its `codes` rows (the last row is zeros, for
    padding). Sums of a few bytes per pair cost a fraction of the float product in `block`,
    and they are the same integers, since that product is exact.
    """

    table: np.ndarray  # codes x m
    codes: np.ndarray  # n x most goals, int64 row numbers into `table`
    topics: np.ndarray  # per row of `table`, the goal topic it stands for (-1: the padding)

    @classmethod
    def build(cls, goals: np.ndarray, expertise: np.ndarray) -> CoverageTable:
        n, m = goals.shape[0], expertise.shape[0]
        rows, topics = np.nonzero(goals)
        weight = goals[rows, topics].astype(np.int64)
        pair, code = np.unique(weight * goals.shape[1] + topics, return_inverse=True)
        most = int(goals.sum(axis=1).max(initial=0.0)) * 3
        dtype = np.uint8 if most < 256 else np.uint16 if most < 65536 else np.uint32
        table = np.zeros((len(pair) + 1, m), dtype=dtype)
        table[:-1] = (pair // goals.shape[1])[:, None] * expertise[:, pair % goals.shape[1]].T
        per_row = np.bincount(rows, minlength=n)
        codes = np.full((n, int(per_row.max(initial=0))), len(pair), dtype=np.int64)
        slot = np.arange(len(rows)) - np.repeat(np.cumsum(per_row) - per_row, per_row)
        codes[rows, slot] = code.reshape(-1)
        topics = np.append(pair % goals.shape[1], -1).astype(np.int64)
        return cls(table, codes, topics)

    def counts(self, rows: np.ndarray, table: np.ndarray, out: np.ndarray | None = None):
        """rows x table columns of counts; `table` is `self.table` or a column subset of it.

        Row by row, one vectorised add per goal: gathering each goal's table rows for the
        whole block first (np.take along axis 0) and adding the blocks cost about nine times
        as much (50 rows x 100 000 mentors: 8.6 ms against 0.9 ms), and the padding of rows
        with fewer goals is skipped rather than added.
        """
        codes = self.codes[rows]
        shape = (len(rows), table.shape[1])
        if out is None:
            out = np.empty(shape, dtype=table.dtype)
        if codes.shape[1] == 0:
            out[...] = 0
            return out
        padding = len(self.table) - 1
        add = np.add
        for position, row_codes in enumerate(codes.tolist()):
            line = out[position]
            if len(row_codes) == 1 or row_codes[1] == padding:
                line[...] = table[row_codes[0]]
                continue
            add(table[row_codes[0]], table[row_codes[1]], out=line)
            for code in row_codes[2:]:
                if code == padding:
                    break
                add(line, table[code], out=line)
        return out


@dataclass(frozen=True)
class MentorSide:
    """What the score formula reads about a set of mentors, as mentor-major arrays; the `_t`
    ones are `.T` views, the layout BLAS handles fastest for these thin products."""

    width: int
    expertise_t: np.ndarray
    wants_t: np.ndarray | None
    reciprocity_scale: np.ndarray | None
    dept: np.ndarray | None
    cross: np.ndarray | None
    cross_table: np.ndarray | None
    avail_t: np.ndarray | None
    time_class: np.ndarray | None
    grade: np.ndarray

    @classmethod
    def gather(cls, model: ScoreModel, cols: np.ndarray | None) -> MentorSide:
        def pick(a: np.ndarray | None, axis: int = 0) -> np.ndarray | None:
            if a is None or cols is None:
                return a
            return np.take(a, cols, axis=axis)

        def transposed(a: np.ndarray | None) -> np.ndarray | None:
            return None if a is None else pick(a).T

        return cls(
            width=model.m if cols is None else len(cols),
            expertise_t=transposed(model.expertise),
            wants_t=transposed(model.wants),
            reciprocity_scale=pick(model.reciprocity_scale),
            dept=pick(model.mentor_dept),
            cross=pick(model.mentor_cross),
            cross_table=pick(model.cross_table, axis=1),
            avail_t=transposed(model.mentor_avail),
            time_class=pick(model.mentor_class),
            grade=pick(model.rules.mentor_grade),
        )


class _Buffers:
    """Named scratch arrays of one block shape, carved from growable flat buffers."""

    def __init__(self, work: dict | None, shape: tuple[int, int]):
        self.work = work
        self.shape = shape

    def __call__(self, name: str, dtype) -> np.ndarray:
        size = self.shape[0] * self.shape[1]
        if self.work is None:
            return np.empty(self.shape, dtype=dtype)
        flat = self.work.get(name)
        if flat is None or flat.size < size or flat.dtype != np.dtype(dtype):
            flat = self.work[name] = np.empty(size, dtype=dtype)
        return flat[:size].reshape(self.shape)


# Scorings take turns while BLAS is limited: its thread count belongs to the whole process, and
# two overlapping limits would restore it in the wrong order and leave it at one thread for good.
_BLAS_TURN = threading.RLock()


@contextmanager
def single_threaded_blas() -> Iterator[None]:
    """Run BLAS on one thread while scoring, and give the process its thread count back after.

    The products here are thin (40 topics), so BLAS threads gain little, and when another
    process holds a core its threads wait on each other and a pass gets ten times slower.
    Blocks are parallelised by `map_blocks` instead.
    """
    with _BLAS_TURN, threadpool_limits(limits=1, user_api="blas"):
        yield


def map_blocks(
    model: ScoreModel,
    fn: Callable[[np.ndarray, np.ndarray, np.ndarray], T],
    rows: np.ndarray | None = None,
) -> list[T]:
    """fn(block rows, centi, allowed) for every block of rows against every mentor, in order, on
    a few threads; the dense reference (core.matching.candidates scores only what can be allowed).

    `centi` and `allowed` live in per-thread buffers that the next block overwrites, so fn must
    return what it needs as new arrays, never as views of them.
    """
    local = threading.local()

    def task(block: np.ndarray) -> T:
        work = local.__dict__.setdefault("work", {})
        centi, allowed = model.block(block, work=work)
        return fn(block, centi, allowed)

    with single_threaded_blas():
        return run_on_workers(task, list(model.row_blocks(rows)))


A = TypeVar("A")


def run_on_workers(task: Callable[[A], T], items: list[A]) -> list[T]:
    """task(item) for each item, results in order, on WORKERS threads (inline for one)."""
    if WORKERS == 1 or len(items) < 2:
        return [task(item) for item in items]
    with ThreadPoolExecutor(WORKERS) as pool:
        return list(pool.map(task, items))


def score_matrix(inst: Instance) -> tuple[np.ndarray, np.ndarray]:
    """All centi-point scores (int64, n x m) and the allowed mask; for small instances only."""
    model = ScoreModel.build(inst)
    centi = np.zeros((model.n, model.m), dtype=np.int64)
    allowed = np.zeros((model.n, model.m), dtype=bool)

    def keep(rows: np.ndarray, c: np.ndarray, a: np.ndarray) -> None:
        centi[rows] = c
        allowed[rows] = a

    map_blocks(model, keep)
    return centi, allowed


def pair_score(inst: Instance, mentee_id: Id, mentor_id: Id) -> float:
    """The published score of one pair (whether or not the hard rules allow it)."""
    model = ScoreModel.build(inst)
    return model.pair_centi(inst.mentee_index[mentee_id], inst.mentor_index[mentor_id]) / 100


def allowed_scores(inst: Instance) -> Iterator[tuple[Id, Id, float]]:
    """(mentee, mentor, score) for every allowed pair, mentee by mentee in input order."""
    model = ScoreModel.build(inst)
    work: dict = {}
    for rows in model.row_blocks():
        with single_threaded_blas():
            centi, allowed = model.block(rows, work=work)
            r, c = np.nonzero(allowed)
            found = list(zip(r.tolist(), c.tolist(), centi[r, c].tolist(), strict=True))
        for ri, cj, value in found:
            yield inst.mentees[rows[ri]].id, inst.mentors[cj].id, value / 100


def tie_break(m: int) -> np.ndarray:
    """Per mentor, what `mask_key` adds to break ties: m for mentor 0 down to 1 for the last."""
    return (m - np.arange(m)).astype(np.float64)


def mask_key(centi: np.ndarray, span: float, tie: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """Turn centi-scores (>= 0) in place into distinct positive sort keys (score, then lower
    mentor index first; `tie` is `tie_break(m)` of the block's columns), 0 where `keep` is False.
    Arithmetic rather than a masked write: the mask is irregular and masked writes are several
    times slower than a multiply."""
    key = centi
    key *= span
    key += tie
    key *= keep
    return key


def key_value(key: np.ndarray, span: float) -> np.ndarray:
    """The centi-score a positive `mask_key` key was made from."""
    return ((key - 1.0) // span).astype(np.int64)


def largest(key: np.ndarray, keep: int) -> tuple[np.ndarray, np.ndarray]:
    """Column indices and values of the `keep` largest entries per row, largest first.

    Values must be distinct within a row (apart from fillers below every real value). Selecting
    over a whole row is slow, so columns are cut into chunks: the `keep` largest values lie in
    the `keep` chunks with the largest maxima (each such value's chunk has a maximum at least as
    large, and at most `keep` chunks can reach the keep-th value), so only those are searched.
    """
    rows, m = key.shape
    chunk = max(16, int(np.sqrt(m / max(keep, 1))))
    n_chunks = -(-m // chunk)
    if n_chunks <= keep * 2:
        idx = np.argpartition(key, m - keep, axis=1)[:, m - keep :] if keep < m else None
        if idx is None:
            idx = np.broadcast_to(np.arange(m), (rows, m))
        vals = np.take_along_axis(key, idx, axis=1)
    else:
        starts = np.arange(0, m, chunk)
        maxima = np.maximum.reduceat(key, starts, axis=1)
        top = np.argpartition(maxima, n_chunks - keep, axis=1)[:, n_chunks - keep :]
        idx = (starts[top][:, :, None] + np.arange(chunk)).reshape(rows, -1)
        outside = idx >= m
        np.minimum(idx, m - 1, out=idx)
        vals = np.take_along_axis(key, idx, axis=1)
        vals[outside] = -np.inf
        width = idx.shape[1]
        best = np.argpartition(vals, width - keep, axis=1)[:, width - keep :]
        idx = np.take_along_axis(idx, best, axis=1)
        vals = np.take_along_axis(vals, best, axis=1)
    order = np.argsort(-vals, axis=1, kind="stable")
    return np.take_along_axis(idx, order, axis=1), np.take_along_axis(vals, order, axis=1)
