"""`python -m core export PILOT --format html|pdf|xlsx|csv|letters --out DIR [--as EMAIL]
[--department D]... [--career-stage S]... [--topic-category C]... [--from DATE] [--to DATE]`.

The filters are the dashboard page's, applied by the same code (core.dashboard.frames), so a
filtered file holds what the filtered page shows, figures below the privacy threshold hidden.
Recognition letters are one per mentor and are not filtered.

For scheduled reports and hand-overs: writes a pilot's published results, its working data or
the mentors' recognition letters into a folder. The command acts as an administrator of the
pilot, so it sees exactly what that administrator would see in the portal.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlmodel import Session

    from core.auth import Actor
    from core.models import Pilot

FORMATS = ("html", "pdf", "xlsx", "csv", "letters")


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "export", help="write a pilot's results, data or recognition letters to a folder"
    )
    parser.add_argument("pilot", help="the pilot's id or exact name")
    parser.add_argument(
        "--format",
        choices=FORMATS,
        required=True,
        help="html/pdf: published results; xlsx/csv: pairs, sessions and check-ins; "
        "letters: a zip of the mentors' recognition letters",
    )
    parser.add_argument("--out", required=True, type=Path, help="folder to write into")
    parser.add_argument(
        "--as",
        dest="as_email",
        help="act as this administrator of the pilot (default: its first administrator)",
    )
    parser.add_argument(
        "--department", action="append", default=[], help="keep this department (repeatable)"
    )
    parser.add_argument(
        "--career-stage", action="append", default=[], help="keep this career stage (repeatable)"
    )
    parser.add_argument(
        "--topic-category",
        action="append",
        default=[],
        help="keep this topic category (repeatable)",
    )
    parser.add_argument(
        "--from", dest="date_from", type=_day, help="sessions and check-ins from YYYY-MM-DD"
    )
    parser.add_argument("--to", dest="date_to", type=_day, help="... up to YYYY-MM-DD (included)")
    parser.set_defaults(handler=run_export)


def _day(text: str):  # noqa: ANN202 - a date; datetime is imported late
    from datetime import date

    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date: use YYYY-MM-DD") from None


def filters_of(args: argparse.Namespace):  # noqa: ANN201 - a DashboardFilters
    from core.dashboard.frames import DashboardFilters

    return DashboardFilters(
        departments=tuple(getattr(args, "department", []) or ()),
        career_stages=tuple(getattr(args, "career_stage", []) or ()),
        topic_categories=tuple(getattr(args, "topic_category", []) or ()),
        date_from=getattr(args, "date_from", None),
        date_to=getattr(args, "date_to", None),
    )


def export_files(
    pilot: Pilot, actor: Actor, fmt: str, *, session: Session, filters=None
) -> dict[str, bytes]:  # noqa: ANN001
    """file name -> content for one format, named as the dashboard's downloads are
    (`reverse-mentoring-report-2026-12-01.pdf`). Imports are late: a PDF needs fpdf2 and
    vl-convert, which `python -m core create-admin` should not have to load."""
    from core.dashboard.downloads import download_name

    assert pilot.id is not None
    if fmt == "html":
        from core.dashboard.report import build_report_html

        html = build_report_html(actor, pilot.id, session=session, filters=filters)
        return {download_name("report", "html"): html.encode("utf-8")}
    if fmt == "pdf":
        from core.dashboard.report import build_report_pdf

        return {
            download_name("report", "pdf"): build_report_pdf(
                actor, pilot.id, session=session, filters=filters
            )
        }
    if fmt == "letters":
        from core.dashboard.letters import letters_zip, recognition_letters_pdf

        letters = recognition_letters_pdf(actor, pilot.id, session=session)
        return {download_name("recognition letters", "zip"): letters_zip(letters)}
    from core.dashboard.exports import export_tables, to_csv_files, to_xlsx

    tables = export_tables(actor, pilot.id, session=session, filters=filters)
    if fmt == "xlsx":
        return {download_name("data", "xlsx"): to_xlsx(tables)}
    return {
        download_name(name.removesuffix(".csv"), "csv"): content
        for name, content in to_csv_files(tables).items()
    }


def run_export(args: argparse.Namespace) -> int:
    from core.cli.common import acting_admin, engine_from_env, find_pilot
    from core.db import unit_of_work

    with unit_of_work(engine_from_env()) as session:
        pilot = find_pilot(args.pilot, session=session)
        actor = acting_admin(pilot, args.as_email, session=session)
        files = export_files(pilot, actor, args.format, session=session, filters=filters_of(args))
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (out / name).write_bytes(content)
        print(out / name)
    return 0
