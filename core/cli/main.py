"""`python -m core ...`: the portal's command line, for set-up and automation.

Every subcommand returns an exit code; a refused request prints one line on stderr, never a
traceback, so scripts can rely on the exit status. Subcommand modules import only argparse
when they register; each handler imports the database or the engine when it runs, so `--help`
and a typo answer at once.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from core.cli import (
    audit,
    erase_person,
    export,
    export_person,
    import_directory,
    import_roster,
    load_sample,
    match,
    remind,
    retention,
)
from core.cli.common import fail
from core.errors import DomainError, PortalBusy


def _create_admin(args: argparse.Namespace) -> int:
    from core.auth import create_admin
    from core.cli.common import engine_from_env
    from core.db import unit_of_work

    password = args.password or os.environ.get("PORTAL_ADMIN_PASSWORD")
    if not password:
        if not sys.stdin.isatty():
            return fail("give --password or set PORTAL_ADMIN_PASSWORD")
        password = getpass.getpass("Password (12+ characters): ")
    with unit_of_work(engine_from_env()) as session:
        actor = create_admin(args.email, args.name, password, session=session)
    print(f"Administrator {actor.email} created.")
    return 0


def _migrate(args: argparse.Namespace) -> int:
    from core.db import make_engine, migrate

    engine = make_engine()
    migrate(engine)
    print(f"Database is up to date ({engine.url.render_as_string(hide_password=True)}).")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m core", description="Reverse-mentoring portal: set-up and automation."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="create or upgrade the database schema").set_defaults(
        handler=_migrate
    )
    p = sub.add_parser("create-admin", help="create a programme-team administrator")
    p.add_argument("email")
    p.add_argument("name")
    p.add_argument("--password", help="12+ characters (or PORTAL_ADMIN_PASSWORD)")
    p.set_defaults(handler=_create_admin)
    for module in (
        match, import_roster, import_directory, load_sample, export, remind,
        audit, export_person, erase_person, retention,
    ):  # fmt: skip
        module.add_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except DomainError as exc:
        return fail(str(exc))
    except OSError as exc:
        return fail(f"{exc.strerror or exc}: {getattr(exc, 'filename', '') or ''}".rstrip(": "))
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        # A command that ran its unit once (not through core.db.transaction) and met a locked
        # database: the same one line as the pages. SQLAlchemy is looked up, not imported, so
        # that `--help` stays fast; a command that met the database has it loaded already.
        database_errors = sys.modules.get("sqlalchemy.exc")
        if database_errors is not None and isinstance(exc, database_errors.OperationalError):
            return fail(PortalBusy.MESSAGE)
        raise
