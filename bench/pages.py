"""Benchmark of every admin page through AppTest on synthetic pilots of 2 000 and 20 000
participants (built by bench/dashboard.py's builder: pairs in every status, sessions,
milestones, check-ins and pulses).

For each size a fresh subprocess signs the pilot's admin in and, for each admin page:

    first     the page's first render with every data cache empty (the app frame has already
              run once in the process, so the shared imports are paid before)
    rerun     the median of three reruns of the same page with nothing changed
              (pages whose tabs draw only the open one get a row per tab: "page · tab", the
              tab opened as a click does, first = the rerun that opens it)
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
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_SIZES = "2000,20000"
RERUN_TARGETS = {2000: 0.3, 20000: 1.0}  # seconds
RERUNS = 3
# Marks the child's result lines among whatever else a page prints.
ROW = "bench-pages-row "


def admin_pages() -> list[tuple[str, str]]:
    from ui.navigation import ADMIN_PAGES

    return [(file, title) for file, title, _icon in ADMIN_PAGES]


# Pages whose st.tabs draw only the open tab (keyed, on_change="rerun"): each tab is measured.
LAZY_TABS = {"pages/participants.py": "participants_tabs", "pages/progress.py": "progress_tabs"}


def tab_labels(at, key: str) -> list[str]:  # noqa: ANN001
    for node in at._tree:
        proto = getattr(node, "proto", None)
        if getattr(node, "type", "") == "tab_container" and proto.id.endswith(f"-{key}"):
            return [child.label for child in node.children.values()]
    return []


def timed_reruns(at) -> tuple[float, float]:  # noqa: ANN001
    """The median of RERUNS reruns: (wall, CPU) seconds."""
    reruns = []
    for _ in range(RERUNS):
        start, cpu = time.perf_counter(), time.process_time()
        at.run()
        reruns.append((time.perf_counter() - start, time.process_time() - cpu))
    return sorted(reruns)[len(reruns) // 2]


def problems(at) -> str:  # noqa: ANN001
    found = [str(e.value)[:120] for e in at.exception] + [str(e.value)[:120] for e in at.error]
    return "; ".join(found)


def measure(url: str, pilot_id: int, admin_id: int) -> Iterator[dict]:
    """Runs in its own process, pointed at the built database through DATABASE_URL; yields a
    row per page (and tab) as soon as it is measured, so a slow page shows where it is."""
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
    for file, title in admin_pages():
        at = signed_in().run()
        st.cache_data.clear()
        start = time.perf_counter()
        at.switch_page(file).run()
        first = time.perf_counter() - start
        problem = problems(at)
        median = timed_reruns(at)
        yield (
            {
                "page": title,
                "first": first,
                "rerun": median[0],
                "rerun_cpu": median[1],
                "problem": problem,
            }
        )
        key = LAZY_TABS.get(file)
        for tab in tab_labels(at, key)[1:] if key else []:
            at.session_state[key] = tab
            start = time.perf_counter()
            at.run()
            first = time.perf_counter() - start
            problem = problems(at)
            median = timed_reruns(at)
            yield (
                {
                    "page": f"{title} · {tab.split(' (')[0]}",
                    "first": first,
                    "rerun": median[0],
                    "rerun_cpu": median[1],
                    "problem": problem,
                }
            )


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
        for row in measure(url, int(pilot_id), int(admin_id)):
            print(ROW + json.dumps(row), flush=True)
        return 0
    print(
        f"{'participants':>12}  {'page':<30} {'first s':>8} {'rerun s':>8} {'cpu s':>7}"
        f" {'target':>7}  note"
    )
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        for size in (int(s) for s in args.sizes.split(",")):
            url, pilot_id, admin_id, built = _database(folder, size, args.seed)
            target = RERUN_TARGETS.get(size)
            with subprocess.Popen(
                [sys.executable, __file__, "--child", url, str(pilot_id), str(admin_id)],
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,  # AppTest's warnings about running without a server
                text=True,
                cwd=ROOT,
            ) as child:
                for line in child.stdout:  # type: ignore[union-attr]
                    if not line.startswith(ROW):
                        continue
                    r = json.loads(line.removeprefix(ROW))
                    verdict = "-" if target is None else ("ok" if r["rerun"] < target else "SLOW")
                    print(
                        f"{size:>12}  {r['page']:<30} {r['first']:>8.3f} {r['rerun']:>8.3f} "
                        f"{r['rerun_cpu']:>7.3f} {verdict:>7}  {r['problem']}",
                        flush=True,
                    )
            if child.returncode:
                raise SystemExit(f"the measuring process failed ({child.returncode})")
            if built is not None:
                print(f"{'':>12}  (database of {size} built in {built:.1f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
