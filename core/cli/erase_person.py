"""`python -m core erase-person EMAIL --as STAFF_EMAIL [--dry-run]`: erasure without prompts.

For a leaver's or a mailed erasure request (GDPR article 17), run by a named programme
administrator, exactly as on the Directory page: the person becomes an anonymous placeholder,
their text goes, copies of their name and email elsewhere are replaced, and the database file is
compacted so no copy survives in its bytes. `--dry-run` lists what would go and changes nothing.
"""

from __future__ import annotations

import argparse


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "erase-person",
        help="erase a person's data (an anonymous placeholder keeps the pilot's totals)",
    )
    p.add_argument("email", metavar="EMAIL", help="the person's email")
    p.add_argument(
        "--as",
        dest="staff_email",
        required=True,
        metavar="STAFF_EMAIL",
        help="the programme administrator who erases",
    )
    p.add_argument("--dry-run", action="store_true", help="say what would go; change nothing")
    p.set_defaults(handler=run_erase_person)


def run_erase_person(args: argparse.Namespace) -> int:
    from core.cli.common import acting_staff, engine_from_env
    from core.db import unit_of_work
    from core.privacy.erasure import compact_database, erase_person, find_person

    engine = engine_from_env()
    with unit_of_work(engine) as session:
        actor = acting_staff(args.staff_email, session=session)
        person = find_person(args.email, session=session)
        email = person.email
        report = erase_person(actor, person.id, session=session, dry_run=args.dry_run)  # type: ignore[arg-type]
    if args.dry_run:
        print(f"Dry run: erasing {email} would remove or rewrite:")
    else:
        # After the commit: VACUUM cannot run inside a transaction.
        compact_database(engine)
        print(f"Erased {email}: person {report.person_id} is now an anonymous placeholder.")
    for line in report.lines() or ["nothing besides the profile"]:
        print(f"  {line}")
    if args.dry_run:
        print("Nothing was changed.")
    return 0
