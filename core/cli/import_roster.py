"""`python -m core import-roster PILOT FILE`: the roster import for scripts and HR hand-offs.

It goes through the same service as the page, as a named pilot administrator, so permissions and
the all-or-nothing rule are the same; a refused file prints one `error:` line and exits 2.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "import-roster",
        help="invite the people of a roster CSV/XLSX into a pilot (all or nothing)",
        description="Columns: email, name, role (mentee|mentor|admin); optional job_title, grade, "
        "department, manager_email, time_zone, career_stage, capacity.",
    )
    p.add_argument("pilot", metavar="PILOT", help="the pilot's id or exact name")
    p.add_argument("file", metavar="FILE", type=Path, help="a .csv or .xlsx roster")
    p.add_argument(
        "--as",
        dest="admin_email",
        metavar="ADMIN_EMAIL",
        help="act as this pilot administrator (default: the pilot's creator)",
    )
    p.add_argument("--dry-run", action="store_true", help="check the file and write nothing")
    p.set_defaults(handler=run_import_roster)


def run_import_roster(args: argparse.Namespace) -> int:
    from core.cli.roster_sync import run_import_roster as run

    return run(args)
