"""`python -m core retention [--apply]`: private notes and free text of pilots whose retention
period is over (core.privacy.retention).

Without --apply it lists what is due, and what closed pilots keep until when, and removes
nothing; with --apply it removes what is due and prints the counts. The server runs the same job
once a day, so this is for a check before, or for a server that runs without its schedule.
"""

from __future__ import annotations

import argparse


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "retention",
        help="list (or, with --apply, remove) free text of pilots past their retention period",
    )
    p.add_argument("--apply", action="store_true", help="remove what is due (default: list only)")
    p.set_defaults(handler=run_retention_command)


def _day(moment) -> str:  # noqa: ANN001 - a datetime
    return moment.date().isoformat()


def run_retention_command(args: argparse.Namespace) -> int:
    from core.cli.common import engine_from_env
    from core.privacy.retention import COMMAND_LINE, run_retention

    report = run_retention(engine_from_env(), actor=COMMAND_LINE, apply=args.apply)
    verb = "removed" if report.applied else "due"
    for p in report.due:
        print(f"{verb}: '{p.name}' (id {p.pilot_id}), closed {_day(p.closed_at)}, "
              f"due since {_day(p.due_at)}: {p.summary()}")  # fmt: skip
    for p in report.waiting:
        print(f"kept until {_day(p.due_at)}: '{p.name}' (id {p.pilot_id}), "
              f"closed {_day(p.closed_at)}: {p.summary()}")  # fmt: skip
    if not report.due:
        print("Nothing is due.")
    elif report.applied:
        print(f"Removed {report.total} texts from {len(report.due)} pilot(s): "
              + ", ".join(f"{n} {label}" for label, n in report.counts().items() if n) + ".")  # fmt: skip
    else:
        print(f"{report.total} texts in {len(report.due)} pilot(s) are due; nothing removed "
              "(run with --apply to remove them).")  # fmt: skip
    return 0
