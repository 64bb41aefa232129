"""The matching engine on small pilots whose right answer can be worked out by hand."""

from __future__ import annotations

import random

import numpy as np
import pytest

import core.matching.assignment as assignment
import core.matching.scoring as scoring
from core.matching import (
    InstanceError,
    load_instance,
    pair_score,
    pair_violations,
    score_matrix,
    suggest_pairs,
)
from core.matching.instance import Instance, Mentee, Mentor, utc_offset_hours

ONLY_COVERAGE = {"coverage": 100, "reciprocity": 0, "cross_department": 0, "time_overlap": 0}


def build(mentees, mentors, **extra) -> Instance:
    topics = extra.pop("topics", ["ai", "data", "cloud", "strategy", "quantum"])
    return load_instance({"topics": topics, "mentees": mentees, "mentors": mentors, **extra})


def pairs_of(result) -> dict:
    return {p.mentee: p.mentor for p in result.pairs}


def reasons_of(result) -> dict:
    return dict(result.unmatched)


# ----------------------------------------------------------------------------- hard rules


def test_mentor_must_be_junior_enough():
    inst = build(
        [{"id": "boss", "grade": 5, "goals": {"ai": 1}}],
        [
            {"id": "same", "grade": 5, "expertise": {"ai": 3}},
            {"id": "junior", "grade": 4, "expertise": {"ai": 1}},
        ],
    )
    assert pairs_of(suggest_pairs(inst)) == {"boss": "junior"}
    assert "not junior enough" in pair_violations(inst, "boss", "same")[0]

    stricter = build(
        [{"id": "boss", "grade": 5, "goals": {"ai": 1}}],
        [
            {"id": "same", "grade": 5, "expertise": {"ai": 3}},
            {"id": "junior", "grade": 4, "expertise": {"ai": 1}},
        ],
        min_grade_gap=2,
    )
    result = suggest_pairs(stricter)
    assert result.pairs == []
    assert reasons_of(result)["boss"].endswith("2 are not junior enough")


def test_unknown_grades_never_block():
    inst = build(
        [{"id": "boss", "grade": None, "goals": {"ai": 1}}],
        [{"id": "senior", "grade": 9, "expertise": {"ai": 1}}],
    )
    assert pairs_of(suggest_pairs(inst)) == {"boss": "senior"}


def test_reporting_line_blocks_pairs_through_any_chain():
    inst = build(
        [
            {"id": "vp", "goals": {"ai": 1}},
            {"id": "director", "manager": "vp", "goals": {"ai": 1}},
        ],
        [
            # reports to the director through a team lead who is in neither list
            {"id": "dev", "manager": "lead", "expertise": {"ai": 3}},
            {"id": "analyst", "manager": None, "expertise": {"ai": 1}},
        ],
        people=[{"id": "lead", "manager": "director"}],
    )
    assert "reporting line" in pair_violations(inst, "vp", "dev")[0]
    assert "reporting line" in pair_violations(inst, "director", "dev")[0]
    assert pair_violations(inst, "vp", "analyst") == []
    result = suggest_pairs(inst)
    assert pairs_of(result) in ({"vp": "analyst"}, {"director": "analyst"})
    ((_, reason),) = result.unmatched
    assert reason == "the compatible mentor is fully booked by pairs with a higher total score"


def test_mentee_reporting_to_the_mentor_is_blocked_too():
    inst = build(
        [{"id": "manager-of-none", "manager": "coach", "goals": {"ai": 1}}],
        [{"id": "coach", "expertise": {"ai": 3}}],
    )
    assert pair_violations(inst, "manager-of-none", "coach") == [
        "reporting line: the mentee reports to the mentor"
    ]
    assert suggest_pairs(inst).pairs == []


def test_forbidden_pairs_are_never_suggested():
    inst = build(
        [{"id": "m1", "goals": {"ai": 1}}],
        [{"id": "best", "expertise": {"ai": 3}}, {"id": "ok", "expertise": {"ai": 1}}],
        forbidden=[["m1", "best"]],
    )
    assert pairs_of(suggest_pairs(inst)) == {"m1": "ok"}
    only = build(
        [{"id": "m1", "goals": {"ai": 1}}],
        [{"id": "best", "expertise": {"ai": 3}}],
        forbidden=[["m1", "best"]],
    )
    reason = reasons_of(suggest_pairs(only))["m1"]
    assert reason == "the only mentor who knows these goal topics was declined or forbidden"


def test_a_mentor_must_know_one_of_the_goals():
    inst = build(
        [{"id": "m1", "goals": {"quantum": 1, "cloud": 2}}, {"id": "m2", "goals": {}}],
        [{"id": "r1", "expertise": {"ai": 3}}],
        topic_names={"quantum": "Quantum computing"},
    )
    result = suggest_pairs(inst)
    assert result.pairs == []
    assert reasons_of(result) == {
        "m1": "no mentor in the pilot knows 'Quantum computing' and 'cloud'",
        "m2": "no learning goals entered",
    }
    assert pair_violations(inst, "m1", "r1")[-1].startswith("no common topic")


def test_capacity_is_respected_and_the_best_pairs_win():
    mentees = [{"id": f"m{k}", "goals": {"ai": 1, "data": 1}} for k in range(3)]
    # m0 gains most from the mentor's data level, then m1; m2 has the weakest case.
    mentees[0]["goals"] = {"ai": 1}
    mentees[1]["goals"] = {"ai": 1, "data": 3}
    mentees[2]["goals"] = {"ai": 1, "data": 1}
    inst = build(
        mentees, [{"id": "r", "expertise": {"ai": 3}, "capacity": 2}], weights=ONLY_COVERAGE
    )
    result = suggest_pairs(inst)
    assert pairs_of(result) == {"m0": "r", "m1": "r"}
    assert [p.score for p in result.pairs] == [100.0, 75.0]
    assert reasons_of(result)["m2"] == (
        "the compatible mentor is fully booked by pairs with a higher total score"
    )


# ------------------------------------------------------------------------------ objectives


def crafted_conflict() -> Instance:
    """X scores 100 with A and 50 with B; Y can only go to A (25). The best total leaves Y out,
    the coverage objective moves X to B so that both are matched."""
    return build(
        [
            {"id": "X", "goals": {"ai": 1, "data": 1}},
            {"id": "Y", "goals": {"cloud": 1, "ai": 3}},
        ],
        [
            {"id": "A", "expertise": {"ai": 3, "data": 3}},
            {"id": "B", "expertise": {"data": 3}},
        ],
        weights=ONLY_COVERAGE,
    )


def test_score_objective_maximises_the_total():
    result = suggest_pairs(crafted_conflict(), objective="score")
    assert pairs_of(result) == {"X": "A"}
    assert result.total_score == 100.0
    assert "higher total score" in reasons_of(result)["Y"]


def test_coverage_objective_matches_more_mentees():
    result = suggest_pairs(crafted_conflict(), objective="coverage")
    assert pairs_of(result) == {"X": "B", "Y": "A"}
    assert result.total_score == 75.0
    assert result.matched == 2 and result.proved_optimal


def test_coverage_objective_gives_up_no_score_when_the_count_ties():
    result = suggest_pairs(crafted_conflict(), objective="coverage", method="sparse")
    assert result.total_score == 75.0


# ---------------------------------------------------------------------------------- locks


def test_locked_pairs_are_kept_and_the_rest_reoptimised():
    inst = load_instance(
        {
            "topics": ["ai", "data"],
            "mentees": [{"id": "X", "goals": {"ai": 1}}, {"id": "Y", "goals": {"ai": 1}}],
            "mentors": [
                {"id": "A", "expertise": {"ai": 3}},
                {"id": "B", "expertise": {"ai": 1}},
            ],
            "weights": ONLY_COVERAGE,
            "locked": [["X", "B"]],
        }
    )
    result = suggest_pairs(inst)
    assert pairs_of(result) == {"X": "B", "Y": "A"}
    locked = next(p for p in result.pairs if p.mentee == "X")
    assert locked.locked and locked.reasons[0] == "Locked by an admin"
    assert not next(p for p in result.pairs if p.mentee == "Y").locked
    assert result.total_score == pytest.approx(100 + 100 / 3, abs=0.01)


@pytest.mark.parametrize(
    "locked, message",
    [
        ([["X", "S"]], "not junior enough"),
        ([["X", "A"], ["Y", "A"]], "more locked pairs than capacity"),
        ([["X", "A"], ["X", "B"]], "locked to two mentors"),
        ([["X", "nobody"]], '"nobody" is not a mentor'),
    ],
)
def test_locks_that_break_a_rule_are_refused(locked, message):
    data = {
        "topics": ["ai"],
        "mentees": [{"id": "X", "grade": 5, "goals": {"ai": 1}}, {"id": "Y", "goals": {"ai": 1}}],
        "mentors": [
            {"id": "A", "expertise": {"ai": 3}},
            {"id": "B", "expertise": {"ai": 3}},
            {"id": "S", "grade": 7, "expertise": {"ai": 3}},
        ],
        "locked": locked,
    }
    with pytest.raises(InstanceError, match=message):
        suggest_pairs(load_instance(data))


# --------------------------------------------------------------------------- explanations


def test_reasons_name_topics_learn_back_departments_and_time():
    inst = load_instance(
        {
            "topics": [{"id": 1, "name": "AI prompting"}, {"id": 2, "name": "Data"}, 3, 4],
            "topic_names": {"4": "Strategy"},
            "mentees": [
                {
                    "id": 10,
                    "department": "Finance",
                    "time_zone": "Europe/Paris",
                    "goals": {"1": 1, "2": 3, "3": 2},
                    "offers": [4],
                    "availability": ["mon-am", "tue-pm", "wed-am"],
                }
            ],
            "mentors": [
                {
                    "id": 20,
                    "department": "Engineering",
                    "time_zone": "UTC",
                    "expertise": {"1": 3, "2": 1},
                    "wants": [4],
                    "availability": ["mon-am", "fri-pm"],
                }
            ],
        }
    )
    (pair,) = suggest_pairs(inst).pairs
    assert (pair.mentee, pair.mentor) == (10, 20)  # ids keep their JSON type
    assert pair.reasons == [
        "Covers 'AI prompting' (must have) with level 3 expertise",
        "Covers 'Data' (nice to have) with level 1 expertise",
        "Wants to learn 'Strategy', which the mentee offers",
        "Cross-department: Finance ↔ Engineering",
        "Time zones 1 h apart; 1 shared weekly slot",
    ]
    assert pair.uncovered == ["3"]


def test_blocked_mentors_are_counted_by_rule():
    inst = build(
        [{"id": "cfo", "grade": 8, "goals": {"ai": 1, "data": 2}}],
        [
            {"id": "s1", "grade": 8, "expertise": {"ai": 1}},
            {"id": "s2", "grade": 9, "expertise": {"data": 1}},
            {"id": "s3", "grade": 7, "expertise": {"ai": 1}},
            {"id": "report", "grade": 2, "manager": "cfo", "expertise": {"ai": 2}},
            {"id": "declined", "grade": 2, "expertise": {"data": 2}},
            {"id": "other", "grade": 2, "expertise": {"cloud": 3}},
        ],
        forbidden=[["cfo", "declined"]],
        min_grade_gap=2,
    )
    assert reasons_of(suggest_pairs(inst))["cfo"] == (
        "all 5 mentors who know these goal topics are blocked: 3 are not junior enough,"
        " 1 is in the reporting line, 1 declined or forbidden"
    )


def test_alternatives_are_the_next_best_allowed_mentors():
    mentors = [
        {"id": f"r{level}{k}", "expertise": {"ai": level}} for level in (1, 2, 3) for k in (0, 1)
    ]
    mentors.append({"id": "blocked", "expertise": {"ai": 3}, "grade": 9})
    inst = build([{"id": "m", "grade": 5, "goals": {"ai": 1}}], mentors, weights=ONLY_COVERAGE)
    result = suggest_pairs(inst)
    assert pairs_of(result) == {"m": "r30"}  # ties go to the earlier mentor
    assert result.alternatives["m"] == [("r31", 100.0), ("r20", 66.67), ("r21", 66.67)]


# ---------------------------------------------------------------------------------- scores


def test_score_follows_the_documented_formula():
    inst = load_instance(
        {
            "topics": ["a", "b", "c", "l1", "l2"],
            "mentees": [
                {
                    "id": "m",
                    "department": "Sales",
                    "time_zone": "UTC+2",
                    "goals": {"a": 1, "b": 2, "c": 3},
                    "offers": ["l1"],
                    "availability": ["mon-am", "mon-pm", "tue-am", "tue-pm"],
                }
            ],
            "mentors": [
                {
                    "id": "r",
                    "department": "Data",
                    "time_zone": "UTC-05:30",
                    "expertise": {"a": 2, "c": 3},
                    "wants": ["l1", "l2"],
                    "availability": ["mon-am", "fri-pm"],
                }
            ],
        }
    )
    coverage = (3 * 2 / 3 + 1 * 3 / 3) / (3 + 2 + 1)
    reciprocity = 1 / 2
    cross = 1
    time = (1 - 7.5 / 12) * (1 / 2)
    expected = 100 * (60 * coverage + 15 * reciprocity + 10 * cross + 15 * time) / 100
    assert pair_score(inst, "m", "r") == pytest.approx(expected, abs=0.005)
    score = pair_score(inst, "m", "r")
    assert round(score * 100) / 100 == score  # published with two decimals, exactly


def test_time_zones_are_read_at_a_fixed_date():
    assert utc_offset_hours("UTC") == 0
    assert utc_offset_hours("UTC+2") == 2
    assert utc_offset_hours("UTC-05:30") == -5.5
    assert utc_offset_hours("Europe/Paris") == 1  # January: no daylight saving
    assert utc_offset_hours("America/New_York") == -5
    assert utc_offset_hours("Asia/Kolkata") == 5.5
    with pytest.raises(InstanceError, match="not a known time zone"):
        utc_offset_hours("Mars/Olympus")


def random_instance(n: int, m: int, seed: int, topics: int = 12) -> Instance:
    rng = random.Random(seed)
    names = [f"t{k}" for k in range(topics)]
    zones = ["UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata", "UTC+3"]
    slots = [f"{d}-{p}" for d in ("mon", "tue", "wed") for p in ("am", "pm")]
    depts = ["", "Finance", "Sales", "Data"]
    mentees = tuple(
        Mentee(
            id=f"e{i}",
            department=rng.choice(depts),
            grade=rng.choice([None, 5, 6, 7, 8]),
            manager=f"e{rng.randrange(i)}" if i and rng.random() < 0.3 else None,
            time_zone=rng.choice(zones),
            goals={t: rng.randint(1, 3) for t in rng.sample(names, rng.randint(0, 4))},
            offers=tuple(rng.sample(names, rng.randint(0, 2))),
            availability=tuple(rng.sample(slots, rng.randint(0, 4))),
        )
        for i in range(n)
    )
    mentors = tuple(
        Mentor(
            id=f"r{j}",
            department=rng.choice(depts),
            grade=rng.choice([None, 2, 4, 6, 7]),
            manager=f"e{rng.randrange(n)}" if rng.random() < 0.2 else None,
            time_zone=rng.choice(zones),
            expertise={t: rng.randint(1, 3) for t in rng.sample(names, rng.randint(1, 4))},
            capacity=rng.randint(1, 3),
            wants=tuple(rng.sample(names, rng.randint(0, 2))),
            availability=tuple(rng.sample(slots, rng.randint(0, 4))),
        )
        for j in range(m)
    )
    forbidden = frozenset((f"e{rng.randrange(n)}", f"r{rng.randrange(m)}") for _ in range(n // 5))
    return Instance(tuple(names), mentees, mentors, forbidden=forbidden)


def test_blocking_never_changes_a_score(monkeypatch):
    inst = random_instance(60, 80, seed=3)
    centi, allowed = score_matrix(inst)
    monkeypatch.setattr(scoring, "BLOCK_CELLS", 37)
    monkeypatch.setattr(scoring, "MIN_BLOCK_ROWS", 1)
    centi_small, allowed_small = score_matrix(inst)
    assert np.array_equal(centi, centi_small) and np.array_equal(allowed, allowed_small)
    rng = random.Random(0)
    for _ in range(50):
        i, j = rng.randrange(60), rng.randrange(80)
        assert round(pair_score(inst, f"e{i}", f"r{j}") * 100) == centi[i, j]
        assert allowed[i, j] == (pair_violations(inst, f"e{i}", f"r{j}") == [])


# --------------------------------------------------------------------- solvers and proofs


@pytest.mark.parametrize("objective", ["score", "coverage"])
def test_dense_and_sparse_agree_and_sparse_proves_optimality(objective):
    inst = random_instance(300, 450, seed=11)
    dense = suggest_pairs(inst, objective=objective, method="dense")
    sparse = suggest_pairs(inst, objective=objective, method="sparse")
    narrow = suggest_pairs(inst, objective=objective, method="sparse", k=1)
    assert dense.method == "dense" and sparse.method == "sparse"
    assert dense.total_centi == sparse.total_centi == narrow.total_centi
    assert dense.matched == sparse.matched == narrow.matched
    assert sparse.proved_optimal and narrow.proved_optimal and dense.proved_optimal
    assert narrow.rounds > 1  # a one-mentor shortlist is not enough; the proof widened it


def test_contested_mentors_are_proved_by_rescanning_only_some_rows(monkeypatch):
    """Few mentors, many mentees: the shortlist is not enough, so the proof rescores rows, but
    only those whose bound is not enough, not every row in every round."""
    scans = []
    real_rescan = assignment._rescan

    def spy(model, scan, *args):
        scans.append(scan.copy())
        return real_rescan(model, scan, *args)

    monkeypatch.setattr(assignment, "_rescan", spy)
    for seed in (1, 2):
        inst = random_instance(400, 60, seed=seed, topics=6)
        dense = suggest_pairs(inst, method="dense")
        for k in (1, 2):
            scans.clear()
            sparse = suggest_pairs(inst, method="sparse", k=k)
            assert sparse.proved_optimal and sparse.total_centi == dense.total_centi
            assert scans, "the shortlist alone should not have been enough here"
            assert sum(len(s) for s in scans) < 0.5 * sparse.rounds * len(inst.mentees)


def assert_sparse_meets_dense(objective, seeds, ks, n, m, topics):
    """The sparse engine (shortlist, proof) reaches and proves the optimum that one flow over
    every allowed pair finds, for each seed's instance and each shortlist length k."""
    for seed in seeds:
        inst = random_instance(n, m, seed=seed, topics=topics)
        dense = suggest_pairs(inst, objective=objective, method="dense")
        for k in ks:
            sparse = suggest_pairs(inst, objective=objective, method="sparse", k=k)
            assert sparse.proved_optimal
            assert (sparse.total_centi, sparse.matched) == (dense.total_centi, dense.matched)


@pytest.mark.parametrize("objective", ["score", "coverage"])
def test_the_proof_holds_with_scans_of_tiny_blocks_and_chunks(monkeypatch, objective):
    """Scans of a few rows, searched in column chunks of two: the bounds decide what is scored
    almost everywhere, and the proof must still find the optimum over every allowed pair."""
    import core.matching.candidates as candidates

    monkeypatch.setattr(candidates, "SCAN_CELLS", 300)
    monkeypatch.setattr(candidates, "SCAN_CHUNK", 2)
    monkeypatch.setattr(candidates, "SCAN_BREAKING", 1)
    monkeypatch.setattr(scoring, "MAX_REST_CLASSES", 1)
    assert_sparse_meets_dense(objective, seeds=(1, 2), ks=(1, 3), n=300, m=60, topics=6)


@pytest.mark.parametrize("objective", ["score", "coverage"])
def test_shortlists_narrowed_to_pivot_goals_give_the_same_optimum(monkeypatch, objective):
    """Shortlist scans first against the mentors who know each row's pivot goal, at any size:
    the engine must still reach, and prove, the optimum over every allowed pair."""
    import core.matching.candidates as candidates

    monkeypatch.setattr(candidates, "PIVOT_MIN_MENTORS", 0)
    monkeypatch.setattr(candidates, "PIVOT_SHARE", 1.0)
    assert_sparse_meets_dense(objective, seeds=(3, 4), ks=(1, 4), n=300, m=200, topics=8)


@pytest.mark.parametrize("objective", ["score", "coverage"])
def test_a_first_round_on_half_the_shortlist_gives_the_same_optimum(monkeypatch, objective):
    """Large pilots solve their first round on each mentee's k/2 best mentors only; the proof
    must still reach the optimum over every allowed pair."""
    monkeypatch.setattr(assignment, "HALF_FIRST_ROUND_ARCS", 0)
    assert_sparse_meets_dense(objective, seeds=(5, 6), ks=(2, 5), n=300, m=200, topics=8)


def test_a_run_leaves_the_cycle_collector_as_it_found_it():
    """Runs pause Python's cycle collector; it must be back on afterwards, even when the
    instance is refused, and stay off for a caller who had turned it off."""
    import gc

    inst = random_instance(40, 30, seed=2)
    assert gc.isenabled()
    assert suggest_pairs(inst).proved_optimal
    assert gc.isenabled()
    broken = Instance(inst.topics, inst.mentees, (*inst.mentors, inst.mentors[0]))  # twice
    with pytest.raises(InstanceError):
        suggest_pairs(broken)
    assert gc.isenabled()
    gc.disable()
    try:
        suggest_pairs(inst)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_certificate_is_a_feasible_dual_with_the_same_value():
    inst = random_instance(120, 90, seed=5)
    result = suggest_pairs(inst, method="sparse", k=2)
    assert result.proved_optimal
    u, v = result.certificate
    centi, allowed = score_matrix(inst)
    assert (u >= 0).all() and (v >= 0).all()
    assert (u[:, None] + v[None, :] >= np.where(allowed, centi, 0)).all()
    capacity = np.array([m.capacity for m in inst.mentors])
    assert int(u.sum() + (capacity * v).sum()) == result.total_centi


def test_total_is_the_sum_of_pair_scores_and_capacities_hold():
    inst = random_instance(150, 100, seed=8)
    result = suggest_pairs(inst)
    assert result.total_centi == sum(round(p.score * 100) for p in result.pairs)
    assert result.total_score == result.total_centi / 100
    load: dict = {}
    for p in result.pairs:
        load[p.mentor] = load.get(p.mentor, 0) + 1
        assert pair_violations(inst, p.mentee, p.mentor) == []
    capacity = {m.id: m.capacity for m in inst.mentors}
    assert all(load[r] <= capacity[r] for r in load)
    assert len({p.mentee for p in result.pairs}) == len(result.pairs)
    assert result.matched + len(result.unmatched) == len(inst.mentees)


def test_same_input_gives_the_same_pairs():
    first = suggest_pairs(random_instance(200, 150, seed=4), method="sparse", k=3)
    again = suggest_pairs(random_instance(200, 150, seed=4), method="sparse", k=3)
    assert first.to_dict() == again.to_dict()
    for method in ("dense", "sparse"):
        a = suggest_pairs(random_instance(80, 60, seed=9), method=method)
        b = suggest_pairs(random_instance(80, 60, seed=9), method=method)
        assert a.to_dict() == b.to_dict()


def test_empty_sides_are_fine():
    nobody = build([], [{"id": "r", "expertise": {"ai": 1}}])
    assert suggest_pairs(nobody).pairs == []
    no_mentors = build([{"id": "m", "goals": {"ai": 1}}], [])
    result = suggest_pairs(no_mentors)
    assert result.proved_optimal and result.unmatched == [
        ("m", "no mentor in the pilot knows 'ai'")
    ]


# ----------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    "patch, message",
    [
        ({"topics": None}, 'missing "topics"'),
        ({"mentees": [{"id": "a", "goals": {"nope": 1}}]}, 'unknown topic "nope" in goals'),
        ({"mentors": [{"id": "r", "wants": ["nope"]}]}, 'unknown topic "nope" in wants'),
        ({"mentors": [{"id": "a"}]}, 'duplicate id "a" \\(used as mentee and mentor\\)'),
        ({"mentors": [{"id": "r", "capacity": 0}]}, "capacity must be"),
        ({"mentors": [{"id": "r", "capacity": 1.5}]}, "capacity must be"),
        ({"mentees": [{"id": "a", "goals": {"ai": 0}}]}, "priority"),
        ({"mentors": [{"id": "r", "expertise": {"ai": 4}}]}, "expertise level"),
        ({"mentees": [{"id": "a", "grade": 2.5}]}, "grade must be an integer"),
        ({"people": [{"id": "p", "manager": "p"}]}, 'manager loop: "p" → "p"'),
        ({"forbidden": [["a", "ghost"]]}, '"ghost" is not a mentor'),
        ({"weights": {"charisma": 3}}, 'unknown weight "charisma"'),
        (
            {
                "weights": {
                    "coverage": 0,
                    "reciprocity": 0,
                    "cross_department": 0,
                    "time_overlap": 0,
                }
            },
            "must not all be 0",
        ),
        ({"mentees": [{"id": "a", "availability": ["sun-am"]}]}, "unknown availability slot"),
        ({"mentees": [{"id": "a", "time_zone": "Moon/Base"}]}, "not a known time zone"),
        ({"min_grade_gap": -1}, "min_grade_gap"),
    ],
)
def test_bad_instances_are_refused_in_one_line(patch, message):
    data = {
        "topics": ["ai"],
        "mentees": [{"id": "a", "goals": {"ai": 1}}],
        "mentors": [{"id": "r", "expertise": {"ai": 1}}],
    }
    data.update(patch)
    if patch.get("topics", 0) is None:
        del data["topics"]
    with pytest.raises(InstanceError, match=message) as info:
        load_instance(data)
    assert "\n" not in str(info.value)


def test_forbidden_pairs_outside_a_programmatic_instance_are_ignored():
    inst = Instance(
        topics=("ai",),
        mentees=(Mentee("a", goals={"ai": 1}),),
        mentors=(Mentor("r", expertise={"ai": 1}),),
        forbidden=frozenset({("gone", "r"), ("a", "left")}),
    )
    assert pairs_of(suggest_pairs(inst)) == {"a": "r"}
