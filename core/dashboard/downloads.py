"""Each download of the dashboard as one service returning bytes, so the page only wires buttons."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, date, datetime

from sqlmodel import Session

from core.auth import Actor
from core.dashboard.exports import export_csv
from core.dashboard.frames import DashboardFilters
from core.dashboard.letters import letters_zip, recognition_letters_pdf

FILE_PREFIX = "reverse-mentoring"


def download_name(what: str, extension: str, on: date | None = None) -> str:
    """The file name of every download: `reverse-mentoring-report-2026-12-01.pdf`. The same
    shape for each file, dated so that a second download does not overwrite the first, and
    free of the pilot's name, which would turn into a row of dashes ("sample---reverse-...")."""
    day = on or datetime.now(UTC).date()
    slug = re.sub(r"[^a-z0-9]+", "-", what.lower()).strip("-")
    return f"{FILE_PREFIX}-{slug}-{day.isoformat()}.{extension.lstrip('.')}"


def recognition_letters_zip(actor: Actor, pilot_id: int, *, session: Session) -> bytes:
    return letters_zip(recognition_letters_pdf(actor, pilot_id, session=session))


def csv_exports_zip(
    actor: Actor, pilot_id: int, *, session: Session, filters: DashboardFilters | None = None
) -> bytes:
    """pairs.csv, sessions.csv and checkins.csv in one file: one click for the DEI team."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in export_csv(actor, pilot_id, session=session, filters=filters).items():
            archive.writestr(name if name.endswith(".csv") else f"{name}.csv", data)
    return buffer.getvalue()
