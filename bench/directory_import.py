"""Benchmark of the organisation directory import on a 100 000-person Workday export.

A synthetic Workday custom report (Employee_ID, WorkEmail, Preferred_Name, BusinessTitle,
Job_Level as labels, Department_Name, Manager_ID, Location, Time_Zone with some cells empty,
Worker_Status, Termination_Date; an eight-wide management tree; 2 % leavers) is written to a CSV
file, then a fresh subprocess imports it into a new SQLite file through the same service as the
page and the CLI, and reports:

    first    the first import: every person is new (bulk inserts)
    resync   the same file with 1 % of the people changed and 1 % more leavers (bulk updates)

with, for each, the wall time, rows per second and the process's peak RSS (`ru_maxrss`, imports
included). The targets are under 60 s and under 1 GB for the first import.

    python bench/directory_import.py [--rows 100000] [--seed 7]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TARGET_SECONDS = 60.0
TARGET_RSS_MB = 1024.0
HEADER = ["Employee_ID", "WorkEmail", "Preferred_Name", "BusinessTitle", "Job_Level",
          "Department_Name", "Manager_ID", "Location", "Time_Zone", "Worker_Status",
          "Termination_Date"]  # fmt: skip
LEVELS = ["Executive", "Vice President", "Director", "Senior Manager", "Manager", "Senior",
          "Professional", "Associate"]  # fmt: skip
TITLES = ["Chief Executive Officer", "Vice President", "Director", "Senior Manager", "Manager",
          "Senior Specialist", "Specialist", "Associate"]  # fmt: skip
DEPARTMENTS = ["Finance", "Engineering", "Sales", "Marketing", "HR", "Legal", "Operations",
               "Product", "Data", "Support", "Procurement", "Strategy"]  # fmt: skip
OFFICES = [("Paris", "Europe/Paris"), ("München", "Europe/Berlin"), ("London", "Europe/London"),
           ("Kraków", "Europe/Warsaw"), ("Madrid", "Europe/Madrid"), ("New York", "America/New_York"),
           ("São Paulo", "America/Sao_Paulo"), ("Bengaluru", "Asia/Kolkata"),
           ("Tokyo", "Asia/Tokyo"), ("Sydney", "Australia/Sydney")]  # fmt: skip
FIRST = ["Amélie", "Jürgen", "Sofía", "Chloé", "Ngozi", "Łukasz", "Mei", "Zoë", "José", "Ana",
         "Björn", "Fatima", "Ikaika", "Noël", "Priya", "Søren", "Tomás", "Yuki", "Émile", "Ines"]  # fmt: skip
LAST = ["Dubois", "Schäfer", "Hernández", "Martin", "Okafor", "Nowak", "Tanaka", "Ngata",
        "García", "Silva", "Åberg", "Haddad", "Kahale", "Lefèvre", "Nair", "Østergaard",
        "Müller", "Sato", "Çelik", "Rossi"]  # fmt: skip
FANOUT = 8


def level_of(index: int) -> int:
    depth = 0
    while index > 0:
        index = (index - 1) // FANOUT
        depth += 1
    return min(depth, len(LEVELS) - 1)


def generate(path: Path, rows: int, seed: int, changed: float = 0.0) -> None:
    """The export; with `changed`, that share of people moved department and as many left."""
    rng = random.Random(seed)
    moved = set(random.Random(seed + 1).sample(range(1, rows), int(rows * changed)))
    left = set(random.Random(seed + 2).sample(range(1, rows), int(rows * changed)))
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for i in range(rows):
            level = level_of(i)
            office, zone = OFFICES[rng.randrange(len(OFFICES))]
            department = DEPARTMENTS[rng.randrange(len(DEPARTMENTS))]
            if i in moved:
                department = DEPARTMENTS[(DEPARTMENTS.index(department) + 1) % len(DEPARTMENTS)]
            leaver = rng.random() < 0.02 and i > 0
            status, end = ("Terminated", "2025-10-31") if leaver or i in left else ("Active", "")
            writer.writerow([
                f"W{i:06d}", f"person.{i}@corp.example",
                f"{FIRST[rng.randrange(20)]} {LAST[rng.randrange(20)]}", TITLES[level],
                LEVELS[level], department, f"W{(i - 1) // FANOUT:06d}" if i else "", office,
                zone if rng.random() > 0.1 else "", status, end,
            ])  # fmt: skip


def measure(csv_path: str, db_path: str) -> dict:
    """One import in this process; its figures as JSON."""
    from core.auth import create_admin
    from core.db import make_engine, migrate, unit_of_work
    from core.people.directory_import import import_directory

    engine = make_engine(f"sqlite:///{db_path}")
    migrate(engine)
    with unit_of_work(engine) as session:
        from sqlmodel import select

        from core.auth import actor_for
        from core.models import Person

        staff = session.exec(select(Person).where(Person.is_staff)).first()
        actor = (
            actor_for(staff)
            if staff
            else create_admin(
                "bench@corp.example", "Bench Admin", "bench password", session=session
            )
        )
    data = Path(csv_path).read_bytes()
    started = time.perf_counter()
    with unit_of_work(engine) as session:
        result = import_directory(actor, data, Path(csv_path).name, session=session)
    seconds = time.perf_counter() - started
    rows = data.count(b"\n") - 1
    return {
        "rows": rows,
        "seconds": round(seconds, 2),
        "rows_per_s": round(rows / seconds),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "result": result.summary(),
    }


def run_measure(csv_path: Path, db_path: Path) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--measure", str(csv_path), str(db_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--measure", nargs=2, metavar=("CSV", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(*args.measure)))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        first, second, db = (
            Path(tmp) / "workday.csv",
            Path(tmp) / "workday2.csv",
            Path(tmp) / "d.db",
        )
        generate(first, args.rows, args.seed)
        generate(second, args.rows, args.seed, changed=0.01)
        size_mb = first.stat().st_size / 1024 / 1024
        print(f"Workday-style export: {args.rows} rows, {size_mb:.1f} MB")
        ok = True
        for label, path in (("first", first), ("resync", second)):
            figures = run_measure(path, db)
            print(
                f"{label:7} {figures['seconds']:7.2f} s  {figures['rows_per_s']:8d} rows/s  "
                f"peak RSS {figures['peak_rss_mb']:7.1f} MB  ({figures['result']})"
            )
            ok &= figures["seconds"] < TARGET_SECONDS and figures["peak_rss_mb"] < TARGET_RSS_MB
        print(
            f"targets (< {TARGET_SECONDS:.0f} s, < {TARGET_RSS_MB:.0f} MB): {'met' if ok else 'MISSED'}"
        )
        return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
