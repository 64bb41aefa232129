"""What `python -m core import-roster` does once its arguments are parsed; loaded only when
the command runs, so `--help` stays fast."""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlmodel import Session

from core.cli.common import (
    acting_admin,
    engine_from_env,
    fail,
    find_pilot,
    one_line,
    rows_message,
)
from core.db import transaction
from core.errors import DomainError, ValidationFailed
from core.models import Pilot, Role
from core.people.roster_import import MAX_BYTES, ImportResult, import_roster, preview_roster


def _by_role(counts: dict[str, int]) -> str:
    return ", ".join(
        f"{counts[r]} {r}{'s' if counts[r] != 1 else ''}" for r in Role.ALL if counts[r]
    )


def _summary(result: ImportResult, pilot: Pilot) -> str:
    return (
        f"Imported {result.total} people into '{pilot.name}' ({_by_role(result.enrolled)}): "
        f"{result.created} new, {result.updated} already known. "
        f"They join with the invite code {pilot.invite_code}."
    )


def _read_roster(path: Path) -> bytes:
    if not path.is_file():
        raise DomainError(f"no such file: {path}")
    if path.stat().st_size > MAX_BYTES:
        # Refused before reading: the service would refuse it anyway.
        raise DomainError(
            f"{path} is {path.stat().st_size / 1024 / 1024:.1f} MB; the limit is "
            f"{MAX_BYTES // 1024 // 1024} MB. Split it into smaller files."
        )
    return path.read_bytes()


def _import(args: argparse.Namespace, data: bytes, session: Session) -> tuple[str, list[str]]:
    """The whole command's database work, as one unit that can be run again when the database
    is busy: it prints nothing itself, so a retried unit does not repeat a line."""
    pilot = find_pilot(args.pilot, session=session)
    actor = acting_admin(pilot, args.admin_email, session=session)
    if args.dry_run:
        preview = preview_roster(actor, pilot.id, data, args.file.name, session=session)  # type: ignore[arg-type]
        if preview.file_errors:
            raise ValidationFailed({"file": " ".join(preview.file_errors)})
        if not preview.can_import:
            raise ValidationFailed(preview.row_errors())
        summary = (
            f"Dry run: all {len(preview.rows)} rows are fine "
            f"({_by_role(preview.role_counts())}); nothing imported."
        )
        return summary, list(preview.warnings)
    result = import_roster(actor, pilot.id, data, args.file.name, session=session)  # type: ignore[arg-type]
    return _summary(result, pilot), list(result.warnings)


def run_import_roster(args: argparse.Namespace) -> int:
    try:
        data = _read_roster(args.file)
        summary, warnings = transaction(
            engine_from_env(), lambda session: _import(args, data, session)
        )
    except ValidationFailed as exc:
        if set(exc.errors) == {"file"}:
            return fail(one_line(exc.errors["file"]))
        return fail(one_line(rows_message(exc.errors)))
    except DomainError as exc:
        return fail(one_line(str(exc)))
    print(summary)
    for warning in warnings:
        print(f"warning: {one_line(warning)}")
    return 0
