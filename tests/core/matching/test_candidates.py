"""Scoring only the pairs that can be allowed gives what scoring every pair gives.

The dense reference is `score_matrix` (every mentee against every mentor); the expected
shortlists are rebuilt here from it by plain sorting, not by the engine's selection code.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

import core.matching.candidates as candidates
import core.matching.scoring as scoring
from core.matching import score_matrix
from core.matching.candidates import (
    allowed_pairs,
    candidate_blocks,
    mentors_of,
    top_candidates,
)
from core.matching.instance import Instance, Mentee, Mentor
from core.matching.scoring import ScoreModel


def random_instance(n: int, m: int, seed: int, topics: int) -> Instance:
    """Goals of up to six topics (deep trie nodes), grades that often clash, unknown grades."""
    rng = random.Random(seed)
    names = [f"t{k}" for k in range(topics)]
    weight = [1 / (k + 1) for k in range(topics)]  # a few topics are known by many mentors

    def some(low: int, high: int) -> list[str]:
        chosen: list[str] = []
        for _ in range(rng.randint(low, high)):
            t = rng.choices(names, weight)[0]
            if t not in chosen:
                chosen.append(t)
        return chosen

    mentees = tuple(
        Mentee(
            id=f"e{i}",
            department=rng.choice(["", "Finance", "Sales"]),
            grade=rng.choice([None, 3, 4, 5, 6, 7]),
            manager=f"r{rng.randrange(m)}" if m and rng.random() < 0.1 else None,
            time_zone=rng.choice(["UTC", "Europe/Paris", "Asia/Kolkata"]),
            goals={t: rng.randint(1, 3) for t in some(0, 6)},
            offers=tuple(some(0, 2)),
            availability=tuple(rng.sample(["mon-am", "tue-pm", "wed-am"], rng.randint(0, 2))),
        )
        for i in range(n)
    )
    mentors = tuple(
        Mentor(
            id=f"r{j}",
            department=rng.choice(["", "Finance", "Data"]),
            grade=rng.choice([None, 1, 2, 3, 4, 5, 6]),
            time_zone=rng.choice(["UTC", "America/New_York"]),
            expertise={t: rng.randint(1, 3) for t in some(0, 4)},
            capacity=rng.randint(1, 3),
            wants=tuple(some(0, 2)),
            availability=tuple(rng.sample(["mon-am", "tue-pm", "wed-am"], rng.randint(0, 2))),
        )
        for j in range(m)
    )
    forbidden = frozenset((f"e{rng.randrange(n)}", f"r{rng.randrange(m)}") for _ in range(n // 4))
    return Instance(tuple(names), mentees, mentors, forbidden=forbidden, min_grade_gap=1)


CASES = [(90, 70, 1, 8), (150, 40, 2, 15), (40, 200, 3, 5), (120, 120, 4, 25)]


@pytest.fixture(params=["trie", "tiny trie blocks", "row blocks", "narrowed", "tiny narrowed"])
def block_sizes(request, monkeypatch):
    """Which blocks the candidates come from: the trie (forced, whatever it costs), or the
    plain row blocks the cost model falls back to; "narrowed": shortlist scans first against
    the mentors who know each row's pivot goal, whatever the size (see `scan`)."""
    monkeypatch.setattr(candidates, "BLOCK_OVERHEAD_CELLS", 0)
    monkeypatch.setattr(candidates, "TRIE_SHARE", 2.0)
    if request.param in ("narrowed", "tiny narrowed"):
        monkeypatch.setattr(candidates, "PIVOT_MIN_MENTORS", 0)
        monkeypatch.setattr(candidates, "PIVOT_SHARE", 1.0)
    if request.param == "tiny narrowed":
        monkeypatch.setattr(candidates, "SCAN_CELLS", 300)
        monkeypatch.setattr(candidates, "SCAN_CHUNK", 2)
    if request.param == "tiny trie blocks":
        # ... and scans of a few rows, in column chunks of 2, with one class of mentors.
        monkeypatch.setattr(candidates, "SCAN_CELLS", 300)
        monkeypatch.setattr(candidates, "SCAN_CHUNK", 2)
        monkeypatch.setattr(candidates, "SCAN_BREAKING", 1)
        monkeypatch.setattr(scoring, "MAX_REST_CLASSES", 1)
        monkeypatch.setattr(scoring, "BLOCK_CELLS", 50)
        monkeypatch.setattr(scoring, "MIN_BLOCK_ROWS", 1)
        monkeypatch.setattr(candidates, "LEAF_ROWS", 2)
        monkeypatch.setattr(candidates, "MAX_DEPTH", 6)
    if request.param == "row blocks":
        monkeypatch.setattr(candidates, "TRIE_SHARE", 0.0)
    return request.param


@pytest.mark.parametrize("n, m, seed, topics", CASES)
def test_allowed_pairs_and_their_scores_equal_the_full_matrix(n, m, seed, topics, block_sizes):
    inst = random_instance(n, m, seed, topics)
    centi, allowed = score_matrix(inst)
    rows, cols, scores = allowed_pairs(ScoreModel.build(inst))
    want_rows, want_cols = np.nonzero(allowed)
    assert allowed.any() and not allowed.all()
    assert np.array_equal(rows, want_rows) and np.array_equal(cols, want_cols)
    assert np.array_equal(scores, centi[want_rows, want_cols])


@pytest.mark.parametrize("n, m, seed, topics", CASES)
def test_no_pair_is_scored_twice_and_pairs_without_a_common_topic_mostly_never(
    n, m, seed, topics, block_sizes
):
    inst = random_instance(n, m, seed, topics)
    model = ScoreModel.build(inst)
    seen = np.zeros((n, m), dtype=np.int64)
    for block_rows, packed in candidate_blocks(model):
        block_cols = mentors_of(packed, m)
        seen[np.ix_(block_rows, np.arange(m) if block_cols is None else block_cols)] += 1
    _, allowed = score_matrix(inst)
    assert seen.max() == 1
    assert (seen[allowed] == 1).all()
    goals = np.array([[t in e.goals for t in inst.topics] for e in inst.mentees])
    knows = np.array([[t in r.expertise for t in inst.topics] for r in inst.mentors])
    share = (goals.astype(int) @ knows.T.astype(int)) > 0
    if block_sizes == "row blocks":
        # Every pair the grade rule lets through, once; none it forbids.
        junior = np.array(
            [
                [e.grade is None or r.grade is None or r.grade <= e.grade - 1 for r in inst.mentors]
                for e in inst.mentees
            ]
        )
        assert not junior.all()
        assert (seen[junior] == 1).all() and (seen[~junior] == 0).all()
    else:
        assert seen[~share].sum() < 0.5 * (~share).sum()


@pytest.mark.parametrize("n, m, seed, topics", CASES)
def test_pairs_scored_one_by_one_get_their_block_scores_and_stay_under_the_bound(
    n, m, seed, topics, block_sizes
):
    inst = random_instance(n, m, seed, topics)
    centi, allowed = score_matrix(inst)
    model = ScoreModel.build(inst)
    rows, cols = (a.reshape(-1) for a in np.meshgrid(np.arange(n), np.arange(m), indexing="ij"))
    goals = np.array([[e.goals.get(t, 0) for t in inst.topics] for e in inst.mentees])
    weight = np.select([goals == 1, goals == 2, goals == 3], [3, 2, 1], 0)
    level = np.array([[r.expertise.get(t, 0) for t in inst.topics] for r in inst.mentors])
    counts = (weight @ level.T).reshape(-1)
    assert np.array_equal(
        model.coverage.counts(np.arange(n), model.coverage.table).reshape(-1), counts
    )
    values = model.pair_values(rows, cols, counts)
    assert np.array_equal(values, centi.reshape(-1).astype(np.float64))
    bound = model.coverage_scale[rows] * counts
    bound += model.rest_bounds(np.arange(n), np.arange(model.rest_class.max() + 1))[
        rows, model.rest_class[cols]
    ]
    assert (values <= bound).all()


@pytest.mark.parametrize("n, m, seed, topics", CASES)
@pytest.mark.parametrize("k", [1, 3, 12])
def test_shortlists_equal_the_ones_sorted_from_the_full_matrix(
    n, m, seed, topics, k, block_sizes, monkeypatch
):
    inst = random_instance(n, m, seed, topics)
    centi, allowed = score_matrix(inst)
    narrowed = []
    scan_narrowed = candidates._narrowed_scan

    def counted(model, rows, *args):
        narrowed.append(len(rows))
        return scan_narrowed(model, rows, *args)

    monkeypatch.setattr(candidates, "_narrowed_scan", counted)
    cand = top_candidates(ScoreModel.build(inst), k)
    # The narrowed scans ran where they were asked for, and only there.
    assert bool(narrowed) == ("narrowed" in block_sizes)
    assert np.array_equal(cand.has_allowed, allowed.any(axis=1))
    for i in range(n):
        ranked = sorted(np.nonzero(allowed[i])[0].tolist(), key=lambda j: (-centi[i, j], j))
        listed = cand.cols[cand.ptr[i] : cand.ptr[i + 1]].tolist()
        assert listed == ranked[:k]
        assert cand.centi[cand.ptr[i] : cand.ptr[i + 1]].tolist() == [
            centi[i, j] for j in ranked[:k]
        ]
        assert cand.left_out[i] == (centi[i, ranked[k]] if len(ranked) > k else -1)


def test_least_count_is_the_count_whose_bound_reaches_the_value_rounded_down():
    value = np.array([10.0, -np.inf, 5.0, np.inf])
    rest = np.array([[0.0, 4.0, 12.0, -1.0], [0.0, 0.0, 0.0, 0.0], [4.0, 5.0, 6.0, 0.0], [0.0] * 4])
    scale = np.array([[2.0], [2.0], [0.0], [1.0]])
    want = [
        [5, 3, 1, 5],  # 10/2, 6/2, below 1 becomes 1, 11/2 rounded down
        [1, 1, 1, 1],  # no value to reach: any count will do
        [255, 1, 1, 255],  # coverage weighs nothing: only a rest of 5 or more reaches 5
        [255, 255, 255, 255],  # nothing reaches +inf
    ]
    need = candidates.least_count(value, rest, scale, np.uint8)
    assert need.dtype == np.uint8
    assert need.tolist() == want
