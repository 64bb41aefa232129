"""Benchmark of the matching engine on seeded synthetic pilots.

Each size runs in a fresh subprocess so that its peak memory (ru_maxrss) is its own.

    python bench/matching.py [--sizes 50x75,500x750,5000x7500,20000x30000] [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.people.availability import SLOTS  # noqa: E402  (after the path set-up above)

DEFAULT_SIZES = "50x75,500x750,5000x7500,20000x30000"
ZONES = [
    "Europe/London",
    "Europe/Paris",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "Asia/Kolkata",
    "Asia/Singapore",
    "UTC",
    "UTC+2",
    "UTC-03:00",
]
ZONE_P = [0.2, 0.2, 0.15, 0.12, 0.05, 0.1, 0.05, 0.05, 0.05, 0.03]
DEPARTMENTS = [
    "Finance",
    "Engineering",
    "Sales",
    "Marketing",
    "HR",
    "Legal",
    "Operations",
    "Product",
    "Data",
    "Support",
    "Procurement",
    "Strategy",
]


def synthetic(n: int, m: int, seed: int = 7) -> dict:
    """A pilot in the JSON instance format: 40 topics (30 to learn, 10 to offer back), an org
    tree in which some mentors report to mentees, skewed topic popularity so that popular
    mentors are contested, capacities 1-3, grades that sometimes clash."""
    rng = np.random.default_rng(seed)
    learn = [f"T{k:02d}" for k in range(30)]
    offer = [f"L{k:02d}" for k in range(10)]
    topics = [{"id": t, "name": f"Topic {t}"} for t in learn + offer]
    pop = 1.0 / (np.arange(30) + 3.0)
    pop /= pop.sum()

    def pick(pool: list[str], count: int, p=None) -> list[str]:
        return [pool[x] for x in rng.choice(len(pool), size=count, replace=False, p=p)]

    def availability() -> list[str]:
        if rng.random() < 0.3:
            return []
        return pick(SLOTS, int(rng.integers(3, 9)))

    n_exec = max(3, n // 20)
    n_lead = max(3, m // 8)
    people = [{"id": "x0", "manager": None}]
    people += [{"id": f"x{k}", "manager": f"x{(k - 1) // 4}"} for k in range(1, n_exec)]
    mentees = []
    for i in range(n):
        if i > 0 and rng.random() < 0.3:
            manager = f"e{int(rng.integers(0, i))}"
        else:
            manager = f"x{int(rng.integers(0, n_exec))}"
        goals = pick(learn, int(rng.integers(2, 6)), pop)
        mentees.append(
            {
                "id": f"e{i}",
                "department": DEPARTMENTS[int(rng.integers(0, len(DEPARTMENTS)))],
                "grade": int(rng.integers(4, 10)),
                "manager": manager,
                "time_zone": ZONES[int(rng.choice(len(ZONES), p=ZONE_P))],
                "goals": {t: int(rng.integers(1, 4)) for t in goals},
                "offers": pick(offer, int(rng.integers(0, 4))),
                "availability": availability(),
            }
        )
    for k in range(n_lead):
        boss = f"e{int(rng.integers(0, n))}" if rng.random() < 0.5 else f"x{k % n_exec}"
        people.append({"id": f"l{k}", "manager": boss})
    mentors = []
    for j in range(m):
        manager = f"e{int(rng.integers(0, n))}" if rng.random() < 0.1 else f"l{j % n_lead}"
        expertise = pick(learn, int(rng.integers(3, 9)), pop)
        mentors.append(
            {
                "id": f"r{j}",
                "department": DEPARTMENTS[int(rng.integers(0, len(DEPARTMENTS)))],
                "grade": int(rng.integers(1, 7)),
                "manager": manager,
                "time_zone": ZONES[int(rng.choice(len(ZONES), p=ZONE_P))],
                "expertise": {t: int(rng.integers(1, 4)) for t in expertise},
                "capacity": int(rng.integers(1, 4)),
                "wants": pick(offer, int(rng.integers(0, 4))),
                "availability": availability(),
            }
        )
    forbidden = {
        (f"e{int(rng.integers(0, n))}", f"r{int(rng.integers(0, m))}") for _ in range(n // 50)
    }
    return {
        "topics": topics,
        "mentees": mentees,
        "mentors": mentors,
        "people": people,
        "forbidden": [list(p) for p in sorted(forbidden)],
        "min_grade_gap": 1,
    }


def run_one(n: int, m: int, seed: int) -> dict:
    import scipy.optimize  # noqa: F401  (imported lazily by the dense solver; not timed)

    from bench.greedy import greedy_pairs
    from core.matching import load_instance, suggest_pairs

    t0 = time.perf_counter()
    data = synthetic(n, m, seed)
    t1 = time.perf_counter()
    inst = load_instance(data)
    t2 = time.perf_counter()
    result = suggest_pairs(inst)
    t3 = time.perf_counter()
    greedy = greedy_pairs(inst)
    row = {
        "size": f"{n}x{m}",
        "generate_s": t1 - t0,
        "load_s": t2 - t1,
        "scoring_s": result.timings["scoring_s"],
        "assignment_s": result.timings["assignment_s"],
        "explain_s": result.timings["explain_s"],
        "end_to_end_s": t3 - t2,
        "total": result.total_score,
        "matched": result.matched,
        "greedy_total": greedy.total_score,
        "greedy_matched": greedy.matched,
        "greedy_s": greedy.seconds,
        "greedy_scope": greedy.scope,
        "proved": result.proved_optimal,
        "method": result.method,
        "k": result.k,
        "rounds": result.rounds,
    }
    if n * m <= 500 * 750:
        dense = suggest_pairs(inst, method="dense")
        row["dense_total"] = dense.total_score
    row["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        n, m = (int(x) for x in args.one.split("x"))
        print(json.dumps(run_one(n, m, args.seed)))
        return 0
    rows = []
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{os.cpu_count()} CPUs, load average {load} (timings are wall-clock seconds)")
    for size in args.sizes.split(","):
        proc = subprocess.run(
            [sys.executable, __file__, "--one", size.strip(), "--seed", str(args.seed)],
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            print(f"{size}: failed\n{proc.stderr}", file=sys.stderr)
            return 1
        rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        print_table(rows[-1:], header=len(rows) == 1)
    return 0


def print_table(rows: list[dict], header: bool = True) -> None:
    cols = [
        ("size", "{}"),
        ("scoring_s", "{:.3f}"),
        ("assignment_s", "{:.3f}"),
        ("explain_s", "{:.3f}"),
        ("end_to_end_s", "{:.3f}"),
        ("maxrss_mb", "{:.0f}"),
        ("matched", "{}"),
        ("total", "{:.2f}"),
        ("greedy_total", "{:.2f}"),
        ("greedy_s", "{:.3f}"),
        ("gap_%", "{}"),
        ("proved", "{}"),
        ("method", "{}"),
        ("k", "{}"),
        ("rounds", "{}"),
        ("dense_gap", "{}"),
    ]
    table = []
    for r in rows:
        r = dict(r)
        r["gap_%"] = f"{100 * (r['total'] - r['greedy_total']) / max(r['greedy_total'], 1e-9):.2f}"
        r["proved"] = "yes" if r["proved"] else "no"
        r["k"] = "-" if r["k"] is None else r["k"]
        r["dense_gap"] = f"{r['total'] - r['dense_total']:.2f}" if "dense_total" in r else "-"
        table.append([fmt.format(r[c]) for c, fmt in cols])
    widths = [max(len(c), 7) for c, _ in cols]
    widths[0] = 11
    if header:
        print("  ".join(c.rjust(w) for (c, _), w in zip(cols, widths, strict=True)))
    for t in table:
        print("  ".join(v.rjust(w) for v, w in zip(t, widths, strict=True)), flush=True)
    for r in rows:
        if r["greedy_scope"] != "all allowed pairs":
            print(f"  ({r['size']}: greedy ran on {r['greedy_scope']})", flush=True)


if __name__ == "__main__":
    sys.exit(main())
