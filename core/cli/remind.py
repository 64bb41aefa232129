"""`python -m core remind [--dry-run] [--now DATETIME]`: the reminder run from a shell or cron.

The server runs the same job every few minutes; running it by hand as well is safe, since each
message is claimed once (core.reminders.job). A run that finds another one claiming exits with
code 0 and says so; on SQLite it waits for the other run to finish claiming instead.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from core.cli.common import engine_from_env, fail, one_line


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date and time; write it like 2027-03-01T08:00 or "
            "2027-03-01T08:00+01:00 (no zone means UTC)"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _remind(args: argparse.Namespace) -> int:
    # Loaded when the command runs: registering it for `--help` imports only argparse.
    from sqlalchemy.exc import OperationalError

    from core.reminders.job import run_reminders

    engine = engine_from_env()
    try:
        report = run_reminders(engine, now=args.now, dry_run=args.dry_run)
    except OperationalError as exc:
        return fail(f"the database was busy for too long ({one_line(exc.orig)}); run it again")
    if report.busy:
        print("Another reminder run is claiming messages right now: nothing to do.")
        return 0
    for m in report.messages:
        print(f"{m.kind:<18}  {m.to_email:<32}  {m.subject}")
    if args.dry_run:
        print(f"{len(report.messages)} message(s) due (dry run: nothing sent).")
    else:
        print(
            f"{len(report.messages)} message(s) due: {report.sent} sent, {report.failed} failed, "
            f"{len(report.messages) - report.sent - report.failed} kept in the outbox."
        )
    return 0


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("remind", help="send the reminders that are due")
    p.add_argument("--dry-run", action="store_true", help="list each message; send nothing")
    p.add_argument(
        "--now", type=_moment, default=None, metavar="DATETIME",
        help="act as if it were this moment (ISO 8601; default: now)",
    )  # fmt: skip
    p.set_defaults(handler=_remind)
