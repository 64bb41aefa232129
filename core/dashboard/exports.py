"""The pilot's working data for its admins: pairs, sessions and check-ins as CSV or one XLSX.

What never leaves: private session notes, concerns, decline reasons, session takeaways and
check-in feedback (free text written for someone else), and check-in ratings and answers.
Admins see who completed which check-in, never what they answered (the promise of
core.tracking.checkins); the answers reach admins only as the dashboard's aggregates, where the
privacy threshold applies.

The page's and the command line's filters narrow these tables the same way they narrow the
dashboard (core.dashboard.frames.scope_frames decides which pairs, sessions and check-ins remain),
so a filtered export never holds a row the filtered dashboard does not count.

Cells that start like a formula (=, +, -, @) are written as text: a name such as "=HYPERLINK(...)"
typed into a roster must not run when the file is opened in a spreadsheet.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pandas as pd
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from core.access import require_pilot_admin
from core.auth import Actor
from core.dashboard.frames import DashboardFilters, load_frames
from core.models import CheckIn, Enrollment, MentoringSession, Pair, Person, Role, Topic

SHEETS = ("pairs", "sessions", "checkins")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _day(value: datetime | None) -> date | None:
    if value is None:
        return None
    return (value.astimezone(UTC) if value.tzinfo else value).date()


def export_tables(
    actor: Actor,
    pilot_id: int,
    *,
    session: Session,
    filters: DashboardFilters | None = None,
) -> dict[str, pd.DataFrame]:
    """pairs, sessions and checkins of the pilot as DataFrames, for its admins only."""
    require_pilot_admin(actor, pilot_id, session=session)
    from core.privacy.audit import filters_record, record

    record(session, actor, "export.data", pilot_id, {}, {"filters": filters_record(filters)})
    tables = _all_tables(pilot_id, session=session)
    if filters is None or filters == DashboardFilters():
        return tables
    frames = load_frames(actor, pilot_id, filters, session=session)
    pairs, sessions = tables["pairs"], tables["sessions"]
    checkins = tables["checkins"]
    kept_checkins = frames.checkins[["pair_id", "role", "phase"]].drop_duplicates()
    return {
        "pairs": pairs.loc[pairs["pair_id"].isin(frames.pairs["pair_id"])].reset_index(drop=True),
        "sessions": sessions.loc[
            sessions["session_id"].isin(frames.sessions["session_id"])
        ].reset_index(drop=True),
        "checkins": checkins.merge(kept_checkins, on=["pair_id", "role", "phase"]),
    }


def _all_tables(pilot_id: int, *, session: Session) -> dict[str, pd.DataFrame]:
    topic_names = dict(
        session.exec(select(Topic.id, Topic.name).where(Topic.pilot_id == pilot_id)).all()
    )
    per_pair = {
        pair_id: (n, minutes)
        for pair_id, n, minutes in session.exec(
            select(MentoringSession.pair_id, func.count(), func.sum(MentoringSession.minutes))
            .join(Pair, Pair.id == MentoringSession.pair_id)
            .where(Pair.pilot_id == pilot_id)
            .group_by(MentoringSession.pair_id)
        ).all()
    }
    mentee_e, mentor_e = aliased(Enrollment), aliased(Enrollment)
    mentee_p, mentor_p = aliased(Person), aliased(Person)
    pair_rows = session.exec(
        select(Pair, mentee_p.name, mentee_p.email, mentee_p.department)
        .add_columns(mentor_p.name, mentor_p.email, mentor_p.department)
        .join(mentee_e, mentee_e.id == Pair.mentee_enrollment_id)
        .join(mentee_p, mentee_p.id == mentee_e.person_id)
        .join(mentor_e, mentor_e.id == Pair.mentor_enrollment_id)
        .join(mentor_p, mentor_p.id == mentor_e.person_id)
        .where(Pair.pilot_id == pilot_id)
        .order_by(Pair.id)
    ).all()
    pairs = pd.DataFrame(
        [
            {
                "pair_id": pair.id,
                "status": pair.status,
                "score": pair.score,
                "mentee_name": mentee_name,
                "mentee_email": mentee_email,
                "mentee_department": mentee_department,
                "mentor_name": mentor_name,
                "mentor_email": mentor_email,
                "mentor_department": mentor_department,
                "published_on": _day(pair.published_at),
                "accepted_on": _day(pair.accepted_at),
                "ended_on": _day(pair.ended_at),
                "sessions": per_pair.get(pair.id, (0, 0))[0],
                "minutes": per_pair.get(pair.id, (0, 0))[1] or 0,
                "uncovered_goals": "; ".join(topic_names.get(t, "") for t in pair.uncovered),
            }
            for (
                pair,
                mentee_name,
                mentee_email,
                mentee_department,
                mentor_name,
                mentor_email,
                mentor_department,
            ) in pair_rows
        ],
        columns=[
            "pair_id",
            "status",
            "score",
            "mentee_name",
            "mentee_email",
            "mentee_department",
            "mentor_name",
            "mentor_email",
            "mentor_department",
            "published_on",
            "accepted_on",
            "ended_on",
            "sessions",
            "minutes",
            "uncovered_goals",
        ],
    )
    sessions = pd.DataFrame(
        [
            (session_id, pair_id, held_on, minutes, "; ".join(topic_names.get(t, "") for t in ids))
            for session_id, pair_id, held_on, minutes, ids in session.exec(
                select(
                    MentoringSession.id,
                    MentoringSession.pair_id,
                    MentoringSession.held_on,
                    MentoringSession.minutes,
                    MentoringSession.topic_ids,
                )
                .join(Pair, Pair.id == MentoringSession.pair_id)
                .where(Pair.pilot_id == pilot_id)
                .order_by(MentoringSession.held_on, MentoringSession.id)
            ).all()
        ],
        columns=["session_id", "pair_id", "held_on", "minutes", "topics"],
    )
    checkins = pd.DataFrame(
        [
            (pair_id, Role.MENTEE if person_id == mentee else Role.MENTOR, phase, _day(at))
            for pair_id, person_id, phase, at, mentee in session.exec(
                select(
                    CheckIn.pair_id,
                    CheckIn.person_id,
                    CheckIn.phase,
                    CheckIn.submitted_at,
                    mentee_e.person_id,
                )
                .join(Pair, Pair.id == CheckIn.pair_id)
                .join(mentee_e, mentee_e.id == Pair.mentee_enrollment_id)
                .where(Pair.pilot_id == pilot_id)
                .order_by(CheckIn.pair_id, col(CheckIn.phase).desc(), CheckIn.id)
            ).all()
        ],
        columns=["pair_id", "role", "phase", "submitted_on"],
    )
    return {"pairs": pairs, "sessions": sessions, "checkins": checkins}


def _defused(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv_files(tables: dict[str, pd.DataFrame]) -> dict[str, bytes]:
    """file name -> CSV bytes, UTF-8 with a byte-order mark so spreadsheet apps read accents."""
    files = {}
    for name, table in tables.items():
        safe = table.astype(object).map(_defused)
        files[f"{name}.csv"] = safe.to_csv(index=False).encode("utf-8-sig")
    return files


def to_xlsx(tables: dict[str, pd.DataFrame]) -> bytes:
    """One workbook with a sheet per table; text stays text even when it looks like a formula."""
    # openpyxl loads only when a workbook is asked for, never with the dashboard page.
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, table in tables.items():
        sheet = workbook.create_sheet(title=name)
        sheet.append(list(table.columns))
        for row in table.itertuples(index=False):
            sheet.append([None if _missing(v) else v for v in row])
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                if cell.data_type == "f":  # openpyxl reads "=..." as a formula; it is a name
                    cell.data_type = "s"
        for index, column in enumerate(table.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(10, len(column) + 2)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _missing(value: object) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def export_csv(
    actor: Actor, pilot_id: int, *, session: Session, filters: DashboardFilters | None = None
) -> dict[str, bytes]:
    return to_csv_files(export_tables(actor, pilot_id, session=session, filters=filters))


def export_xlsx(
    actor: Actor, pilot_id: int, *, session: Session, filters: DashboardFilters | None = None
) -> bytes:
    return to_xlsx(export_tables(actor, pilot_id, session=session, filters=filters))
