"""What `python -m core import-directory` does once its arguments are parsed; loaded only
when the command runs, so `--help` stays fast."""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlmodel import Session, select

from core.auth import Actor, actor_for, normalise_email
from core.cli.common import engine_from_env, fail, one_line
from core.db import unit_of_work
from core.errors import DomainError, NotAllowed, NotFound, ValidationFailed
from core.models import Person
from core.people.directory_import import (
    MAX_BYTES,
    DirectoryOptions,
    DirectoryPreview,
    import_directory,
    preview_directory,
)

ROWS_SHOWN = 3


def parse_mappings(items: list[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for item in items:
        name, sep, header = item.partition("=")
        if not sep or not name.strip():
            raise DomainError(f"--map '{item}': write it as field=Header, e.g. email=WorkEmail")
        mapping[name.strip()] = header.strip()
    return mapping


def acting_staff(email: str | None, *, session: Session) -> Actor:
    """The programme administrator named by --as, or the instance's only one."""
    if email:
        person = session.exec(select(Person).where(Person.email == normalise_email(email))).first()
        if person is None:
            raise NotFound(f"No account has the email {normalise_email(email)}.")
        if not person.is_staff:
            raise NotAllowed(f"{person.email} is not a programme administrator.")
        return actor_for(person)
    staff = session.exec(select(Person).where(Person.is_staff).order_by(Person.id)).all()
    if not staff:
        raise NotFound("No programme administrator exists yet; create one with create-admin.")
    if len(staff) > 1:
        raise DomainError(f"{len(staff)} programme administrators exist; give --as EMAIL.")
    return actor_for(staff[0])


def _people(n: int) -> str:
    return "1 person" if n == 1 else f"{n} people"


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
            print(f"  {g.label!r:32} -> {number:14} {g.reason} ({_people(g.people)})")
    if preview.zones:
        print("Time zones of offices:")
        for z in preview.zones:
            print(
                f"  {z.location!r:32} -> {z.time_zone or 'kept':14} {z.reason} ({_people(z.people)})"
            )


def _rows_message(errors: dict[str, str]) -> str:
    shown = "; ".join(f"{row}: {message}" for row, message in list(errors.items())[:ROWS_SHOWN])
    more = f" (and {len(errors) - ROWS_SHOWN} more)" if len(errors) > ROWS_SHOWN else ""
    noun = "row has" if len(errors) == 1 else "rows have"
    return f"{len(errors)} {noun} problems; nothing imported. {shown}{more}"


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
        return fail(_rows_message(exc.errors))
    except DomainError as exc:
        return fail(one_line(str(exc)))
    for warning in preview.warnings:
        print(f"warning: {one_line(warning)}")
    return 0
