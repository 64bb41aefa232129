"""Properties of the matching engine on random pilots, checked against code written here.

The hard rules, the score formula and the optimum are recomputed independently (plain Python,
brute force), so a bug in the engine's vectorised masks or solvers cannot hide behind itself.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.greedy import greedy_pairs
from core.matching import score_matrix, suggest_pairs
from core.matching.instance import Instance, Mentee, Mentor

TOPICS = ("t0", "t1", "t2", "t3")
ZONES = ("UTC", "UTC+2", "UTC-05:30", "Europe/Paris", "Asia/Kolkata")
SLOTS = ("mon-am", "mon-pm", "tue-am", "wed-eve")
DEPTS = ("", "Finance", "Sales")
WEIGHTS = (
    {},
    {"coverage": 100, "reciprocity": 0, "cross_department": 0, "time_overlap": 0},
    {"coverage": 10, "reciprocity": 40, "cross_department": 25, "time_overlap": 25},
    {"coverage": 0, "reciprocity": 0, "cross_department": 1, "time_overlap": 0},
)
FAST = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


@st.composite
def instances(draw, max_mentees: int = 5, max_mentors: int = 4, max_capacity: int = 2):
    n = draw(st.integers(0, max_mentees))
    m = draw(st.integers(0, max_mentors))
    extra = draw(st.integers(0, 2))
    # Managers only point to people earlier in one ordering, so there is never a loop.
    order = (
        [f"e{i}" for i in range(n)] + [f"r{j}" for j in range(m)] + [f"p{k}" for k in range(extra)]
    )
    order = draw(st.permutations(order))
    manager = {
        pid: draw(st.one_of(st.none(), st.sampled_from(order[:pos]))) if pos else None
        for pos, pid in enumerate(order)
    }
    topic_levels = st.dictionaries(st.sampled_from(TOPICS), st.integers(1, 3), max_size=3)
    topic_set = st.lists(st.sampled_from(TOPICS), unique=True, max_size=2).map(tuple)
    slots = st.lists(st.sampled_from(SLOTS), unique=True, max_size=3).map(tuple)
    mentees = tuple(
        Mentee(
            id=f"e{i}",
            department=draw(st.sampled_from(DEPTS)),
            grade=draw(st.one_of(st.none(), st.integers(3, 8))),
            manager=manager[f"e{i}"],
            time_zone=draw(st.sampled_from(ZONES)),
            goals=draw(topic_levels),
            offers=draw(topic_set),
            availability=draw(slots),
        )
        for i in range(n)
    )
    mentors = tuple(
        Mentor(
            id=f"r{j}",
            department=draw(st.sampled_from(DEPTS)),
            grade=draw(st.one_of(st.none(), st.integers(1, 7))),
            manager=manager[f"r{j}"],
            time_zone=draw(st.sampled_from(ZONES)),
            expertise=draw(topic_levels),
            capacity=draw(st.integers(1, max_capacity)),
            wants=draw(topic_set),
            availability=draw(slots),
        )
        for j in range(m)
    )
    pairs = [(f"e{i}", f"r{j}") for i in range(n) for j in range(m)]
    forbidden = frozenset(draw(st.lists(st.sampled_from(pairs), max_size=3))) if pairs else None
    return Instance(
        topics=TOPICS,
        mentees=mentees,
        mentors=mentors,
        forbidden=forbidden or frozenset(),
        min_grade_gap=draw(st.integers(0, 2)),
        weights=dict(draw(st.sampled_from(WEIGHTS))),
        people={f"p{k}": manager[f"p{k}"] for k in range(extra)},
    )


# --------------------------------------------------------------- independent reference code


def chain_above(inst: Instance, person) -> set:
    managers = {p: None for p in inst.people} | dict(inst.people)
    for p in (*inst.mentees, *inst.mentors):
        managers[p.id] = p.manager
    above, node = set(), managers.get(person)
    while node is not None:
        above.add(node)
        node = managers.get(node)
    return above


def allowed(inst: Instance, mentee: Mentee, mentor: Mentor) -> bool:
    if mentee.grade is not None and mentor.grade is not None:
        if mentor.grade > mentee.grade - inst.min_grade_gap:
            return False
    if mentor.id in chain_above(inst, mentee.id) or mentee.id in chain_above(inst, mentor.id):
        return False
    if (mentee.id, mentor.id) in inst.forbidden:
        return False
    return bool(set(mentee.goals) & set(mentor.expertise))


def offset(zone: str) -> float:
    if zone.startswith("UTC") and len(zone) > 3:
        sign = 1 if zone[3] == "+" else -1
        hours, _, minutes = zone[4:].partition(":")
        return sign * (int(hours) + int(minutes or 0) / 60)
    if zone == "UTC":
        return 0.0
    when = datetime(2026, 1, 15, 12, tzinfo=UTC).astimezone(ZoneInfo(zone))
    return when.utcoffset().total_seconds() / 3600


def literal_score(inst: Instance, mentee: Mentee, mentor: Mentor) -> float:
    w = {"coverage": 60, "reciprocity": 15, "cross_department": 10, "time_overlap": 15}
    w.update(inst.weights)
    prio = {1: 3, 2: 2, 3: 1}
    total = sum(prio[p] for p in mentee.goals.values())
    coverage = (
        sum(prio[p] * mentor.expertise.get(t, 0) / 3 for t, p in mentee.goals.items()) / total
        if total
        else 0.0
    )
    wants = set(mentor.wants)
    reciprocity = len(set(mentee.offers) & wants) / len(wants) if wants else 0.0
    cross = float(
        bool(mentee.department and mentor.department) and mentee.department != mentor.department
    )
    time = max(0.0, 1 - abs(offset(mentee.time_zone) - offset(mentor.time_zone)) / 12)
    if mentee.availability and mentor.availability:
        a, b = set(mentee.availability), set(mentor.availability)
        time *= len(a & b) / min(len(a), len(b))
    parts = {
        "coverage": coverage,
        "reciprocity": reciprocity,
        "cross_department": cross,
        "time_overlap": time,
    }
    return 100 * sum(w[k] * parts[k] for k in w) / sum(w.values())


def brute_force(inst: Instance, centi, coverage: bool) -> tuple[int, int]:
    """Best (matched, total centi) (or total alone) over every assignment, by enumeration."""
    options = [
        [None] + [j for j, r in enumerate(inst.mentors) if allowed(inst, e, r)]
        for e in inst.mentees
    ]
    best = (0, 0)
    for choice in itertools.product(*options):
        used = [j for j in choice if j is not None]
        if any(used.count(j) > inst.mentors[j].capacity for j in set(used)):
            continue
        total = sum(int(centi[i, j]) for i, j in enumerate(choice) if j is not None)
        key = (len(used), total) if coverage else (0, total)
        best = max(best, key)
    return best


def check_rules(inst: Instance, result) -> None:
    mentees = {e.id: e for e in inst.mentees}
    mentors = {r.id: r for r in inst.mentors}
    seen, load = set(), {}
    for p in result.pairs:
        assert p.mentee not in seen
        seen.add(p.mentee)
        load[p.mentor] = load.get(p.mentor, 0) + 1
        assert allowed(inst, mentees[p.mentee], mentors[p.mentor]), (p.mentee, p.mentor)
    assert all(load[r] <= mentors[r].capacity for r in load)
    assert {i for i, _ in result.unmatched} == set(mentees) - seen


# ----------------------------------------------------------------------------- properties


@FAST
@given(instances(), st.sampled_from(["score", "coverage"]))
def test_optimal_legal_and_at_least_greedy(inst, objective):
    result = suggest_pairs(inst, objective=objective)
    check_rules(inst, result)
    centi, mask = score_matrix(inst)
    for i, e in enumerate(inst.mentees):
        for j, r in enumerate(inst.mentors):
            assert mask[i, j] == allowed(inst, e, r)
            assert abs(centi[i, j] / 100 - literal_score(inst, e, r)) <= 0.005 + 1e-9
    matched, total = brute_force(inst, centi, coverage=objective == "coverage")
    assert result.total_centi == total
    if objective == "coverage":
        assert result.matched == matched
    assert result.proved_optimal
    assert result.total_centi == sum(round(p.score * 100) for p in result.pairs)
    greedy = greedy_pairs(inst, objective=objective)
    if objective == "score":
        assert result.total_centi >= greedy.total_centi
    else:
        assert (result.matched, result.total_centi) >= (greedy.matched, greedy.total_centi)


@FAST
@given(instances(max_mentees=14, max_mentors=10, max_capacity=3), st.integers(1, 3))
def test_methods_agree_and_repeat_exactly(inst, k):
    dense = suggest_pairs(inst, method="dense")
    sparse = suggest_pairs(inst, method="sparse", k=k)
    check_rules(inst, sparse)
    assert dense.total_centi == sparse.total_centi
    assert dense.proved_optimal and sparse.proved_optimal
    again = suggest_pairs(inst, method="sparse", k=k)
    assert again.to_dict() == sparse.to_dict()
    assert suggest_pairs(inst, method="dense").to_dict() == dense.to_dict()
