"""`python -m core export-person EMAIL --out DIR`: everything the portal holds about a person.

For a data-subject request that reaches the programme team by mail (GDPR articles 15 and 20),
or a leaver who can no longer sign in: writes the same JSON and readable HTML page as the
Account page's download, and records the export in the audit trail.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "export-person",
        help="write everything the portal holds about a person (JSON and HTML) to a folder",
    )
    p.add_argument("email", metavar="EMAIL", help="the person's email")
    p.add_argument("--out", required=True, type=Path, metavar="DIR", help="folder to write into")
    p.set_defaults(handler=run_export_person)


def run_export_person(args: argparse.Namespace) -> int:
    from core.cli.common import engine_from_env
    from core.db import unit_of_work
    from core.privacy.audit import record
    from core.privacy.erasure import find_person
    from core.privacy.person_data import collect, data_files

    out: Path = args.out
    with unit_of_work(engine_from_env()) as session:
        person = find_person(args.email, session=session)
        files = data_files(collect(person.id, session=session))  # type: ignore[arg-type]
        # Nobody signed in acted: the row says where the export came from, and whose it was.
        record(
            session, None, "person.data_exported", None, {}, {"by": "the command line"},
            subject_id=person.id,
        )  # fmt: skip
        # Written inside the unit: a folder that cannot be written leaves no audit row either.
        out.mkdir(parents=True, exist_ok=True)
        paths = []
        for name, content in files.items():
            path = out / f"person-{person.id}-{name.removeprefix('my-')}"
            path.write_bytes(content)
            paths.append(path)
    for path in paths:
        print(path)
    return 0
