"""`python -m core import-directory FILE`: sync the organisation directory with an HR export.

Registering the command imports only argparse and the field names; the import itself lives in
core.cli.directory_sync and loads when the command runs.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from core.people.directory_columns import FIELDS


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "import-directory",
        help="sync the organisation directory with an HR export (CSV/XLSX, all or nothing)",
        description="Recognises Workday, BambooHR, Personio, HiBob and SAP SuccessFactors exports. "
        f"Fields: {', '.join(FIELDS)}.",
    )
    p.add_argument("file", metavar="FILE", type=Path, help="the HR system's .csv or .xlsx export")
    p.add_argument(
        "--map",
        dest="mappings",
        action="append",
        default=[],
        metavar="field=Header",
        help="read a field from this column (repeatable; 'field=' leaves the field out)",
    )
    p.add_argument("--dry-run", action="store_true", help="check the file and write nothing")
    p.add_argument(
        "--as",
        dest="staff_email",
        metavar="STAFF_EMAIL",
        help="act as this programme administrator (default: the only one)",
    )
    p.set_defaults(handler=run_import_directory)


def run_import_directory(args: argparse.Namespace) -> int:
    from core.cli.directory_sync import run_import_directory as run

    return run(args)
