"""What `python -m core import-directory` does once its arguments are parsed; loaded only
when the command runs, so `--help` stays fast."""

from __future__ import annotations

import argparse
from pathlib import Path

from core.cli.common import acting_staff, engine_from_env, fail, one_line, rows_message
from core.db import unit_of_work
from core.errors import DomainError, ValidationFailed
from core.people.directory_import import (
    MAX_BYTES,
    DirectoryOptions,
    DirectoryPreview,
    import_directory,
    preview_directory,
)
from core.wording import people


def parse_mappings(items: list[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for item in items:
        name, sep, header = item.partition("=")
        if not sep or not name.strip():
            raise DomainError(f"--map '{item}': write it as field=Header, e.g. email=WorkEmail")
        mapping[name.strip()] = header.strip()
    return mapping


def print_proposal(preview: DirectoryPreview) -> None:
    shape = preview.system or "no known HR system"
    print(f"Columns of {preview.filename} ({shape}):")
    for column in preview.columns:
        target = column.field or "-"
        print(f"  {column.header!r:32} -> {target:14} {column.reason}")
    if preview.grades:
        print("Grade table:")
        for g in preview.grades:
            number = "no grade" if g.number is None else str(g.number)
            print(f"  {g.label!r:32} -> {number:14} {g.reason} ({people(g.people)})")
    if preview.zones:
        print("Time zones of offices:")
        for z in preview.zones:
            print(
                f"  {z.location!r:32} -> {z.time_zone or 'kept':14} {z.reason} ({people(z.people)})"
            )


def _read(path: Path) -> bytes:
    if not path.is_file():
        raise DomainError(f"no such file: {path}")
    if path.stat().st_size > MAX_BYTES:
        raise DomainError(
            f"{path} is {path.stat().st_size / 1024 / 1024:.0f} MB; the limit is "
            f"{MAX_BYTES // 1024 // 1024} MB."
        )
    return path.read_bytes()


def run_import_directory(args: argparse.Namespace) -> int:
    try:
        data = _read(args.file)
        options = DirectoryOptions(mapping=parse_mappings(args.mappings))
        with unit_of_work(engine_from_env()) as session:
            actor = acting_staff(args.staff_email, session=session)
            preview = preview_directory(actor, data, args.file.name, options, session=session)
            if preview.columns:
                print_proposal(preview)
            if preview.file_errors:
                raise ValidationFailed({"file": " ".join(preview.file_errors)})
            if not preview.can_import:
                raise ValidationFailed(preview.row_errors())
            if args.dry_run:
                print(f"Dry run: all {len(preview.rows)} rows are fine ({preview.summary()}); "
                      "nothing imported.")  # fmt: skip
            else:
                result = import_directory(
                    actor, data, args.file.name, options, session=session, preview=preview
                )
                print(f"Imported the directory from {args.file.name}: {result.summary()}.")
            for leaver in preview.leaver_participants:
                print(
                    f"leaver in a pilot: {leaver.name} ({leaver.email}) is a {leaver.role} in "
                    f"'{leaver.pilot_name}'; withdraw them on the Directory page"
                )
    except ValidationFailed as exc:
        if set(exc.errors) == {"file"}:
            return fail(exc.errors["file"])
        return fail(rows_message(exc.errors))
    except DomainError as exc:
        return fail(one_line(str(exc)))
    for warning in preview.warnings:
        print(f"warning: {one_line(warning)}")
    return 0
