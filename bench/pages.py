"""Benchmark of every admin page through AppTest on synthetic pilots of 2 000 and 20 000
participants (built by bench/dashboard.py's builder: pairs in every status, sessions,
milestones, check-ins and pulses).

For each size a fresh subprocess signs the pilot's admin in and, for each admin page:

    first     the page's first render with every data cache empty (the app frame has already
              run once in the process, so the shared imports are paid before)
    rerun     the median of three reruns of the same page with nothing changed
    cpu       the CPU time of that median rerun (the process's, all threads): on a shared
              machine it moves less than the clock

Targets (printed, not asserted): each page's rerun under 300 ms at 2 000 participants and
under 1 s at 20 000.

    python bench/pages.py [--sizes 2000,20000] [--seed 7] [--keep DIR]

`--keep DIR` keeps the built databases in DIR and reuses them on the next call.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_SIZES = "2000,20000"
RERUN_TARGETS = {2000: 0.3, 20000: 1.0}  # seconds
RERUNS = 3


def admin_pages() -> list[tuple[str, str]]:
    from ui.navigation import ADMIN_PAGES

    return [(file, title) for file, title, _icon in ADMIN_PAGES]


def measure(url: str, pilot_id: int, admin_id: int) -> list[dict]:
    """Runs in its own process, pointed at the built database through DATABASE_URL."""
    os.environ["DATABASE_URL"] = url
    import streamlit as st
    from sqlmodel import Session
    from streamlit.testing.v1 import AppTest

    from core.auth import Actor
    from core.db import make_engine
    from core.models import Person

    engine = make_engine(url)
    with Session(engine) as session:
        person = session.get(Person, admin_id)
        actor = Actor(admin_id, person.email, person.name, person.is_staff)
    engine.dispose()

    def signed_in() -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        at.session_state["actor"] = actor
        at.session_state["pilot_id"] = pilot_id
        return at

    signed_in().run()  # imports and the engine, paid once for every page
    results = []
    for file, title in admin_pages():
        at = signed_in().run()
        st.cache_data.clear()
        start = time.perf_counter()
        at.switch_page(file).run()
        first = time.perf_counter() - start
        problem = [str(e.value)[:120] for e in at.exception] + [
            str(e.value)[:120] for e in at.error
        ]
        reruns = []
        for _ in range(RERUNS):
            start, cpu = time.perf_counter(), time.process_time()
            at.run()
            reruns.append((time.perf_counter() - start, time.process_time() - cpu))
        median = sorted(reruns)[len(reruns) // 2]
        results.append(
            {
                "page": title,
                "first": first,
                "rerun": median[0],
                "rerun_cpu": median[1],
                "problem": "; ".join(problem),
            }
        )
    return results


def _database(folder: Path, size: int, seed: int) -> tuple[str, int, int, float | None]:
    """The built pilot for this size, reused from `folder` when it was built before."""
    from bench.dashboard import build

    path = folder / f"pilot-{size}-{seed}.db"
    meta = path.with_suffix(".json")
    if path.exists() and meta.exists():
        known = json.loads(meta.read_text())
        return f"sqlite:///{path}", known["pilot_id"], known["admin_id"], None
    path.unlink(missing_ok=True)
    started = time.perf_counter()
    pilot_id, admin_id = build(path, size, seed)
    meta.write_text(json.dumps({"pilot_id": pilot_id, "admin_id": admin_id}))
    return f"sqlite:///{path}", pilot_id, admin_id, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the built databases here")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        url, pilot_id, admin_id = args.child
        print(json.dumps(measure(url, int(pilot_id), int(admin_id))))
        return 0
    print(
        f"{'participants':>12}  {'page':<16} {'first s':>8} {'rerun s':>8} {'cpu s':>7}"
        f" {'target':>7}  note"
    )
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        for size in (int(s) for s in args.sizes.split(",")):
            url, pilot_id, admin_id, built = _database(folder, size, args.seed)
            child = subprocess.run(
                [sys.executable, __file__, "--child", url, str(pilot_id), str(admin_id)],
                check=True,
                capture_output=True,
                text=True,
                cwd=ROOT,
            )
            target = RERUN_TARGETS.get(size)
            for r in json.loads(child.stdout.strip().splitlines()[-1]):
                verdict = "-" if target is None else ("ok" if r["rerun"] < target else "SLOW")
                print(
                    f"{size:>12}  {r['page']:<16} {r['first']:>8.3f} {r['rerun']:>8.3f} "
                    f"{r['rerun_cpu']:>7.3f} {verdict:>7}  {r['problem']}",
                    flush=True,
                )
            if built is not None:
                print(f"{'':>12}  (database of {size} built in {built:.1f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
