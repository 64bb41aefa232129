"""Inviting many people at once from a roster spreadsheet (CSV or XLSX).

Admins export rosters from HR tools and from Excel in many shapes: UTF-8 with or without a BOM,
cp1252 from older Windows Excel, semicolons from European locales, headers in any case. The
parser accepts all of those, and reports every problem against the row number the admin sees in
their spreadsheet (the header is row 1), so the file can be fixed in one pass.

The import is all-or-nothing: a half-imported roster is harder to fix than a refused one.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import PurePath
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from core.access import require_pilot_admin
from core.auth import Actor, normalise_email
from core.errors import ValidationFailed
from core.models import Enrollment, EnrollmentStatus, Person, Role
from core.people.participants import (
    CAREER_STAGES,
    PersonInput,
    enroll,
    hr_change_refusal,
    manager_chain_loop,
    org_managers,
    upsert_person,
)
from core.people.xlsx_bounds import WorkbookLimits, WorkbookRefused, bounded_rows, check_workbook
from core.privacy.audit import record

if TYPE_CHECKING:
    import pandas as pd

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
# Formatted but empty spreadsheet rows still have to be read; past this many lines the file is
# refused rather than scanned to its end.
MAX_LINES = 4 * MAX_ROWS
# An XLSX roster is checked against these before it is expanded (core.people.xlsx_bounds): a
# roster of MAX_ROWS people is a few megabytes of sheet XML and tens of thousands of cells.
XLSX_LIMITS = WorkbookLimits(part_bytes=64 * 1024 * 1024, cells=1_000_000, columns=200)

REQUIRED_COLUMNS = ("email", "name", "role")
OPTIONAL_COLUMNS = (
    "job_title",
    "grade",
    "department",
    "manager_email",
    "time_zone",
    "career_stage",
    "capacity",
)
# Columns whose blank cells keep what the portal already knows about an existing person.
KEPT_WHEN_BLANK = ("job_title", "grade", "department", "manager_email", "time_zone", "career_stage")
TEXT_LIMITS = {"email": 254, "manager_email": 254, "job_title": 120, "department": 120}
DELIMITERS = (",", ";", "\t")
FRAME_COLUMNS = (
    "row",
    "email",
    "name",
    "role",
    "department",
    "grade",
    "manager_email",
    "status",
    "problems",
)
SEP_LINE_RE = re.compile(r"^sep=([,;\t|])[ \t]*\r?\n", re.IGNORECASE)
WHOLE_NUMBER_RE = re.compile(r"^[+-]?\d+(?:\.0+)?$")
XLSX_EXTENSIONS = (".xlsx", ".xlsm")
OLD_EXCEL_SIGNATURE = b"\xd0\xcf\x11\xe0"  # .xls and password-protected workbooks


def _column_key(header: str) -> str:
    """'Manager Email', 'manager_email' and 'ManagerEmail' all name the same column."""
    return re.sub(r"[\s_\-]+", "", header).lower()


COLUMN_KEYS = {_column_key(c): c for c in REQUIRED_COLUMNS + OPTIONAL_COLUMNS}


@dataclass
class RosterRow:
    """One person of the file, as typed (`values`) and as the portal would store it (`person`)."""

    row: int
    values: dict[str, str]
    person: PersonInput
    problems: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        return "error" if self.problems else "ok"

    @property
    def email(self) -> str:
        return normalise_email(self.person.email)

    def has_problem(self, column: str) -> bool:
        return any(p.startswith(f"{column}:") for p in self.problems)


@dataclass
class RosterPreview:
    filename: str
    file_format: str = ""
    columns: list[str] = field(default_factory=list)
    rows: list[RosterRow] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok_count(self) -> int:
        return sum(1 for r in self.rows if not r.problems)

    @property
    def error_count(self) -> int:
        return sum(1 for r in self.rows if r.problems)

    @property
    def can_import(self) -> bool:
        return not self.file_errors and bool(self.rows) and self.error_count == 0

    def role_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(Role.ALL, 0)
        for r in self.rows:
            if r.person.role in counts:
                counts[r.person.role] += 1
        return counts

    def row_errors(self) -> dict[str, str]:
        """One entry per bad row, keyed the way ValidationFailed reports rows."""
        return {f"row {r.row}": "; ".join(r.problems) for r in self.rows if r.problems}

    def to_frame(self) -> pd.DataFrame:
        """Every row as the file gave it, with its status, ready for st.dataframe."""
        import pandas as pd  # late: the CLI and the import itself never need pandas

        records = [
            {
                "row": r.row,
                **{c: r.values.get(c, "") for c in FRAME_COLUMNS[1:-2]},
                "status": r.status,
                "problems": "; ".join(r.problems),
            }
            for r in self.rows
        ]
        frame = pd.DataFrame.from_records(records, columns=list(FRAME_COLUMNS))
        return frame.astype({"row": "int64"})


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    enrolled: dict[str, int]
    warnings: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return sum(self.enrolled.values())


# --- reading the file ------------------------------------------------------------------------


class _FileRefused(Exception):
    """A file-level problem that stops reading; its message goes to RosterPreview.file_errors."""


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode text" export.
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")  # never fails: every byte is a character


def _sniff_delimiter(header_line: str) -> str:
    """The delimiter that turns the header into the most known column names (then most fields);
    csv.Sniffer guesses wrong on short files, and a header is all a roster reliably shares."""

    def score(delimiter: str) -> tuple[int, int]:
        cells = next(csv.reader([header_line], delimiter=delimiter), [])
        known = sum(1 for c in cells if _column_key(c) in COLUMN_KEYS)
        return known, len(cells)

    return max(DELIMITERS, key=lambda d: (score(d), -DELIMITERS.index(d)))


def _csv_records(data: bytes) -> list[tuple[int, list[str]]]:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _FileRefused(
            "This file is not a text (CSV) file. Save the roster as CSV or as an Excel .xlsx file."
        )
    text = _decode(data)
    if m := SEP_LINE_RE.match(text):
        # Excel's "sep=;" hint: Excel hides that line, so the header is still row 1.
        delimiter, text = m.group(1), text[m.end() :]
    else:
        header_line = next((line for line in text.splitlines() if line.strip()), "")
        delimiter = _sniff_delimiter(header_line)
    records: list[tuple[int, list[str]]] = []
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1):
            records.append((number, [c.strip() for c in cells]))
            if number > MAX_LINES:
                break
    except csv.Error as exc:
        raise _FileRefused(
            f"The CSV file could not be read near line {len(records) + 1} ({exc}). "
            "Open it in Excel and save it again as CSV."
        ) from exc
    return records


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _xlsx_records(data: bytes, warnings: list[str]) -> list[tuple[int, list[str]]]:
    import openpyxl

    try:
        check_workbook(data, XLSX_LIMITS)
    except WorkbookRefused as exc:
        raise _FileRefused(str(exc)) from exc
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types (zip, XML, KeyError) for broken files
        raise _FileRefused(
            "This file could not be read as an Excel .xlsx workbook. "
            "Open it in Excel and save it again as .xlsx or CSV."
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        if len(workbook.worksheets) > 1:
            warnings.append(f"Only the first sheet, '{sheet.title}', was read.")
        records: list[tuple[int, list[str]]] = []
        for number, values in bounded_rows(sheet, XLSX_LIMITS):
            records.append((number, [_cell_text(v) for v in values]))
            if number > MAX_LINES:
                break
        return records
    except WorkbookRefused as exc:
        raise _FileRefused(str(exc)) from exc
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise _FileRefused(
            f"The sheet '{sheet.title}' could not be read. Save the workbook again as .xlsx or CSV."
        ) from exc
    finally:
        workbook.close()


def _file_format(data: bytes, filename: str) -> str:
    extension = PurePath(filename or "").suffix.lower()
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if data.startswith(OLD_EXCEL_SIGNATURE) or extension == ".xls":
        raise _FileRefused(
            "Old Excel (.xls) and password-protected workbooks cannot be read. "
            "Remove the password and save the roster as .xlsx or CSV."
        )
    if extension in XLSX_EXTENSIONS:
        raise _FileRefused(
            f"'{filename}' is named like an Excel workbook but is not one. "
            "Save the roster again from Excel as .xlsx or CSV."
        )
    return "csv"


# --- checking the rows -----------------------------------------------------------------------


def _whole_number(text: str) -> int:
    if not WHOLE_NUMBER_RE.match(text):
        raise ValueError(text)
    return int(float(text))


def _career_stage(text: str) -> str:
    """'senior' and 'Senior' are the same stage; unknown text is kept so problems() names it."""
    return next((s for s in CAREER_STAGES if s.lower() == text.lower()), text)


def _row_of(number: int, values: dict[str, str]) -> RosterRow:
    problems: dict[str, str] = {}
    numbers: dict[str, int | None] = {"grade": None, "capacity": 1}
    for column, example in (("grade", "7"), ("capacity", "2")):
        if values.get(column):
            try:
                numbers[column] = _whole_number(values[column])
            except ValueError:
                problems[column] = f"'{values[column]}' is not a whole number (e.g. {example})"
    person = PersonInput(
        email=normalise_email(values.get("email", "")),
        name=values.get("name", ""),
        role=values.get("role", "").lower(),
        job_title=values.get("job_title", ""),
        grade=numbers["grade"],
        department=values.get("department", ""),
        manager_email=normalise_email(values.get("manager_email", "")),
        time_zone=values.get("time_zone", "") or "UTC",
        career_stage=_career_stage(values.get("career_stage", "")),
        capacity=numbers["capacity"] if numbers["capacity"] is not None else 1,
    )
    for column, message in person.problems().items():
        problems.setdefault(column, message)
    if not person.role:
        problems["role"] = "is required; use mentee, mentor or admin"
    for column, limit in TEXT_LIMITS.items():
        if column not in problems and len(values.get(column, "")) > limit:
            problems[column] = f"must be at most {limit} characters"
    ordered = sorted(problems.items(), key=lambda kv: _column_order(kv[0]))
    return RosterRow(number, values, person, [f"{c}: {m}" for c, m in ordered])


def _column_order(column: str) -> int:
    columns = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
    return columns.index(column) if column in columns else len(columns)


def _mark_duplicates(rows: list[RosterRow]) -> None:
    by_email: dict[str, list[RosterRow]] = {}
    for r in rows:
        if not r.has_problem("email"):
            by_email.setdefault(r.email, []).append(r)
    for email, same in by_email.items():
        for r in same:
            others = [str(o.row) for o in same if o is not r]
            if others:
                where = "row " + others[0] if len(others) == 1 else "rows " + ", ".join(others)
                r.problems.append(
                    f"email: {email} also appears in {where}; keep one row per person"
                )


def _header_map(header: list[str], preview: RosterPreview) -> dict[int, str]:
    """Column index -> field, recording missing, repeated and unknown columns on the preview."""
    mapping: dict[int, str] = {}
    unknown: list[str] = []
    first_seen: dict[str, int] = {}
    for index, name in enumerate(header):
        if not name:
            continue
        column = COLUMN_KEYS.get(_column_key(name))
        if column is None:
            unknown.append(name)
        elif column in first_seen:
            preview.file_errors.append(
                f"The column '{column}' appears twice (columns {first_seen[column] + 1} and "
                f"{index + 1}); keep one."
            )
        else:
            first_seen[column] = index
            mapping[index] = column
    missing = [c for c in REQUIRED_COLUMNS if c not in first_seen]
    if missing:
        found = ", ".join(f"'{h}'" for h in header if h) or "none"
        preview.file_errors.append(
            f"Missing required column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}. "
            f"Columns found: {found}. The first row must name the columns "
            f"(required: {', '.join(REQUIRED_COLUMNS)})."
        )
    if unknown:
        preview.warnings.append(
            f"Ignored column{'s' if len(unknown) > 1 else ''} the portal does not use: "
            f"{', '.join(repr(u) for u in unknown)}. "
            f"Optional columns are: {', '.join(OPTIONAL_COLUMNS)}."
        )
    return mapping


def parse_roster(data: bytes, filename: str) -> RosterPreview:
    """Read and check a roster without a database: file-level problems, field checks, whole
    numbers and duplicates within the file. `preview_roster` adds the checks against the pilot."""
    preview = RosterPreview(filename=filename)
    if len(data) > MAX_BYTES:
        preview.file_errors.append(
            f"The file is {len(data) / 1024 / 1024:.1f} MB; the limit is "
            f"{MAX_BYTES // 1024 // 1024} MB. Remove unused columns or split it into smaller files."
        )
        return preview
    if not data.strip():
        preview.file_errors.append(
            "The file is empty. Put a header row (email, name, role, ...) and one person per row."
        )
        return preview
    try:
        preview.file_format = _file_format(data, filename)
        if preview.file_format == "xlsx":
            records = _xlsx_records(data, preview.warnings)
        else:
            records = _csv_records(data)
    except _FileRefused as exc:
        preview.file_errors.append(str(exc))
        return preview

    filled = [(n, cells) for n, cells in records if any(cells)]
    if not filled:
        preview.file_errors.append(
            "The file is empty. Put a header row (email, name, role, ...) and one person per row."
        )
        return preview
    if len(filled) - 1 > MAX_ROWS or len(records) > MAX_LINES:
        preview.file_errors.append(
            f"The file has more than {MAX_ROWS} people (rows); split it into files of at most "
            f"{MAX_ROWS} rows."
        )
        return preview
    (header_row, header), data_records = filled[0], filled[1:]
    preview.columns = [h for h in header if h]
    mapping = _header_map(header, preview)
    if not data_records and not preview.file_errors:
        preview.file_errors.append(
            f"The file has a header (row {header_row}) but no people; add one person per row "
            "below it."
        )
    if preview.file_errors:
        return preview

    for number, cells in data_records:
        values = {column: cells[i] if i < len(cells) else "" for i, column in mapping.items()}
        row = _row_of(number, values)
        used = max((i + 1 for i, c in enumerate(cells) if c), default=0)
        if used > len(header):
            row.problems.append(
                f"columns: this row has {used} values but the header has {len(header)} columns; "
                "put text containing the separator (e.g. 'Smith, Ann') in quotes"
            )
        preview.rows.append(row)
    _mark_duplicates(preview.rows)
    return preview


# --- checks and import against the pilot -----------------------------------------------------


def _pilot_roles(pilot_id: int, *, session: Session) -> dict[str, tuple[str, str]]:
    """email -> (role, status) of everybody already in the pilot."""
    rows = session.exec(
        select(Person.email, Enrollment.role, Enrollment.status)
        .join(Enrollment, Enrollment.person_id == Person.id)
        .where(Enrollment.pilot_id == pilot_id)
    ).all()
    return {email: (role, status) for email, role, status in rows}


def _check_against_pilot(
    actor: Actor,
    preview: RosterPreview,
    pilot_id: int,
    managers: dict[str, str | None],
    *,
    session: Session,
) -> None:
    enrolled = _pilot_roles(pilot_id, session=session)
    valid = [r for r in preview.rows if not r.has_problem("email")]
    known = _people_by_email([r.email for r in valid], session=session)
    for r in valid:
        existing = known.get(r.email)
        if existing is None or r.problems:
            continue
        merged = _merged_with_known(r.person, r.values, existing)
        if refusal := hr_change_refusal(actor, existing, merged, pilot_id, session=session):
            r.problems.append(f"email: {refusal}")
    for r in valid:
        if r.email in enrolled:
            role, status = enrolled[r.email]
            note = (
                " (withdrawn; re-admit them on the participants page)"
                if status == EnrollmentStatus.WITHDRAWN
                else ""
            )
            r.problems.append(f"email: {r.email} is already in this pilot as {role}{note}")
    # The file's reporting lines replace the portal's; a blank manager keeps the known one.
    for r in valid:
        if r.person.manager_email and not r.has_problem("manager_email"):
            managers[r.email] = r.person.manager_email
    for r in valid:
        if r.has_problem("manager_email"):
            continue
        loop = manager_chain_loop(r.email, managers)
        # Only people on the loop are at fault; someone merely reporting into it is not.
        if loop and loop[0] == r.email:
            r.problems.append("manager_email: creates a manager loop: " + " → ".join(loop))


def preview_roster(
    actor: Actor, pilot_id: int, data: bytes, filename: str, *, session: Session
) -> RosterPreview:
    """What importing this file would do, row by row; the page shows it before the import."""
    require_pilot_admin(actor, pilot_id, session=session)
    preview = parse_roster(data, filename)
    if preview.rows:
        managers = org_managers(session=session)
        _check_against_pilot(actor, preview, pilot_id, managers, session=session)
    return preview


def _people_by_email(emails: list[str], *, session: Session) -> dict[str, Person]:
    found: dict[str, Person] = {}
    # Chunks keep each IN list under SQLite's limit on bound parameters.
    for start in range(0, len(emails), 500):
        chunk = emails[start : start + 500]
        found.update(
            (p.email, p) for p in session.exec(select(Person).where(col(Person.email).in_(chunk)))
        )
    return found


def _merged_with_known(person: PersonInput, values: dict[str, str], known: Person) -> PersonInput:
    """Blank cells keep what the portal knows, so a short roster never erases HR data."""
    kept = {c: getattr(known, c) for c in KEPT_WHEN_BLANK if not values.get(c)}
    if "manager_email" in kept:
        kept["manager_email"] = kept["manager_email"] or ""
    return replace(person, **kept)


def import_roster(
    actor: Actor, pilot_id: int, data: bytes, filename: str, *, session: Session
) -> ImportResult:
    """Invite everyone in the file, or nobody: any file or row problem raises ValidationFailed
    before anything is written. Runs inside the caller's unit of work (flush only)."""
    pilot = require_pilot_admin(actor, pilot_id, session=session)
    preview = preview_roster(actor, pilot_id, data, filename, session=session)
    if preview.file_errors:
        raise ValidationFailed({"file": " ".join(preview.file_errors)})
    if not preview.can_import:
        raise ValidationFailed(preview.row_errors())
    known = _people_by_email([r.email for r in preview.rows], session=session)
    created = updated = 0
    enrolled = dict.fromkeys(Role.ALL, 0)
    for r in preview.rows:
        existing = known.get(r.email)
        data_in = r.person if existing is None else _merged_with_known(r.person, r.values, existing)
        person = upsert_person(data_in, session=session)
        enroll(pilot, person, data_in.role, data_in.capacity, session=session)
        created += existing is None
        updated += existing is not None
        enrolled[data_in.role] += 1
    session.flush()
    record(
        session,
        actor,
        "roster.imported",
        pilot_id,
        {},
        {"file": filename, "created": created, "updated": updated, "enrolled": enrolled},
    )
    return ImportResult(created, updated, enrolled, tuple(preview.warnings))
