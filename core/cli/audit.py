"""`python -m core audit PILOT [--since YYYY-MM-DD]`: a pilot's audit trail, one line per row.

For a works council's or data-protection officer's review, and for scripts: oldest first, each
line the time (UTC), the actor's email, the action, whom it was about and the changed fields.
Run by whoever operates the server, like `migrate`; it only reads.
"""

from __future__ import annotations

import argparse


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "audit",
        help="print a pilot's audit trail, one line per row",
        description="Each line: when (UTC), who (email), what, about whom, fields before/after.",
    )
    p.add_argument("pilot", metavar="PILOT", help="the pilot's id or exact name")
    # Read as text and checked by the command, so a bad date is one `error:` line like any other.
    p.add_argument("--since", metavar="YYYY-MM-DD", help="only rows from this day on (UTC)")
    p.set_defaults(handler=run_audit)


def run_audit(args: argparse.Namespace) -> int:
    import sys
    from datetime import date

    from core.cli.common import engine_from_env, fail, find_pilot
    from core.db import unit_of_work
    from core.privacy.audit import read_entries

    since = None
    if args.since is not None:
        try:
            since = date.fromisoformat(args.since.strip())
        except ValueError:
            return fail(f"--since '{args.since}' is not a date: use YYYY-MM-DD")
    with unit_of_work(engine_from_env(), read_only=True) as session:
        pilot = find_pilot(args.pilot, session=session)
        rows = read_entries(pilot.id, session=session, since=since)
    for row in rows:
        print(row.line())
    if not rows:
        # On stderr: stdout stays one line per row, so a script reading it sees none.
        print(f"No audit rows for '{pilot.name}'" + (f" since {since}." if since else "."),
              file=sys.stderr)  # fmt: skip
    return 0
