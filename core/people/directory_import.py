"""The organisation directory, imported from the HR system's export as it is.

The reporting-line rule ("never inside one reporting line, at any level") is only as good as the
organisation chart behind it, so the programme team imports the whole company, not just the
pilot's participants: every employee with their manager. The file comes straight from Workday,
BambooHR, Personio, HiBob or SAP SuccessFactors; `core.people.directory_columns` proposes which
column is which, `core.people.directory_values` what grade labels and offices mean, and this
module checks every row against the whole file and the portal, then syncs: new people are added,
changed people updated (each change listed old → new), and leavers marked.

A company of 100 000 people must import in well under a minute, so the file is read once, the
portal's people are read in one query, and the writes are bulk statements in chunks, inside the
caller's transaction: all or nothing, like the roster import.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePath
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, insert, select, update
from sqlmodel import Session, col
from sqlmodel import select as sm_select

from core.access import require_staff
from core.auth import Actor, email_problem, normalise_email
from core.errors import ValidationFailed
from core.models import DirectoryMapping, Enrollment, EnrollmentStatus, Person, Pilot, utcnow
from core.people.directory_columns import (
    FIELDS,
    MANAGER_FIELDS,
    ColumnProposal,
    detect_system,
    header_key,
    is_personal_email,
    login_as_email,
    mapping_of,
    propose_mapping,
)
from core.people.directory_values import (
    MAX_GRADE,
    date_order,
    is_inactive_status,
    parse_date,
    plain,
    propose_grade,
    propose_zone,
    whole_number,
    zone_in_text,
)
from core.people.roster_import import _cell_text, _decode
from core.people.xlsx_bounds import WorkbookLimits, WorkbookRefused, bounded_rows, check_workbook
from core.privacy.audit import record
from core.timezones import time_zone_problem

if TYPE_CHECKING:
    import pandas as pd

MAX_BYTES = 100 * 1024 * 1024
MAX_ROWS = 250_000
# An XLSX export is checked against these before it is expanded (core.people.xlsx_bounds):
# MAX_ROWS people with a few dozen HR columns each.
XLSX_LIMITS = WorkbookLimits(part_bytes=256 * 1024 * 1024, cells=8_000_000, columns=1000)
CHUNK = 5_000
NO_MANAGER = ("", "no_mgr")
DELIMITERS = (",", ";", "\t", "|")
TEXT_LIMITS = {"employee_id": 64, "name": 120, "job_title": 120, "department": 120, "location": 120}
# Person columns an import may write, with the label a change is shown under.
TRACKED = {
    "employee_id": "employee id",
    "email": "e-mail",
    "name": "name",
    "job_title": "job title",
    "grade": "grade",
    "department": "department",
    "location": "location",
    "time_zone": "time zone",
    "manager_email": "manager",
}
NEW, UPDATE, SAME, LEAVER, GONE, SKIP = "new", "update", "unchanged", "leaver", "gone", "skip"
FRAME_COLUMNS = ("problem", "row", "action", "employee_id", "email", "name", "manager_email",
                 "grade", "department", "changes", "note")  # fmt: skip

Progress = Callable[[float, str], None]


@dataclass
class DirectoryOptions:
    """What the admin changed in the proposal: field -> header ("" = not used), grade label ->
    number (None = no grade), office -> time zone (None = keep)."""

    mapping: dict[str, str] = field(default_factory=dict)
    grades: dict[str, int | None] = field(default_factory=dict)
    zones: dict[str, str | None] = field(default_factory=dict)


@dataclass(frozen=True)
class GradeEntry:
    label: str
    number: int | None
    reason: str
    people: int


@dataclass(frozen=True)
class ZoneEntry:
    location: str
    time_zone: str | None
    reason: str
    people: int


@dataclass(slots=True)
class DirectoryRow:
    """One row of the file as the portal would store it, and what importing it would do."""

    row: int
    employee_id: str = ""
    email: str = ""
    name: str = ""
    job_title: str = ""
    grade_text: str = ""
    grade: int | None = None
    department: str = ""
    location: str = ""
    time_zone: str = ""  # "" = keep what the portal knows (or UTC for new people)
    manager_text: str = ""
    manager_email: str | None = None
    leaving: bool = False
    left_on: date | None = None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    person_id: int | None = None
    action: str = NEW
    changes: list[str] = field(default_factory=list)
    write: bool = False


@dataclass(frozen=True)
class Absent:
    """Someone the last import listed whom this file no longer has: they left."""

    person_id: int
    employee_id: str
    email: str
    name: str


@dataclass(frozen=True)
class LeaverParticipant:
    """A leaver still taking part in a pilot: offered for withdrawal."""

    enrollment_id: int
    pilot_id: int
    pilot_name: str
    name: str
    email: str
    role: str


@dataclass
class DirectoryPreview:
    filename: str
    file_format: str = ""
    headers: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)  # SuccessFactors' second header row
    system: str = ""
    layout: str = ""
    columns: list[ColumnProposal] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    grades: list[GradeEntry] = field(default_factory=list)
    zones: list[ZoneEntry] = field(default_factory=list)
    rows: list[DirectoryRow] = field(default_factory=list)
    absent: list[Absent] = field(default_factory=list)
    leaver_participants: list[LeaverParticipant] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # The portal's people as they were compared; an import of this very preview writes from it.
    known: _Known | None = field(default=None, repr=False)
    today: date | None = None

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action and not r.problems)

    @property
    def error_count(self) -> int:
        return sum(1 for r in self.rows if r.problems)

    @property
    def leaver_count(self) -> int:
        return self.count(LEAVER) + len(self.absent)

    @property
    def can_import(self) -> bool:
        return not self.file_errors and bool(self.rows) and self.error_count == 0

    def row_errors(self) -> dict[str, str]:
        return {f"row {r.row}": "; ".join(r.problems) for r in self.rows if r.problems}

    def summary(self) -> str:
        return (
            f"{self.count(NEW)} new, {self.count(UPDATE)} changed, {self.count(SAME)} unchanged, "
            f"{self.leaver_count} leavers ({len(self.absent)} no longer in the file)"
        )

    def to_frame(self, limit: int | None = 2000) -> pd.DataFrame:
        """Rows with a problem first, then changes, then the rest; the problem is the first
        column so that it is readable without scrolling."""
        import pandas as pd  # late: the CLI and the import itself never need pandas

        order = {NEW: 1, UPDATE: 1, LEAVER: 1, SAME: 2, GONE: 3, SKIP: 3}
        ranked = sorted(self.rows, key=lambda r: (0 if r.problems else order[r.action], r.row))
        records = [
            {
                "problem": "; ".join(r.problems),
                "row": r.row,
                "action": r.action,
                "employee_id": r.employee_id,
                "email": r.email,
                "name": r.name,
                "manager_email": r.manager_email or "",
                "grade": r.grade,
                "department": r.department,
                "changes": "; ".join(r.changes),
                "note": "; ".join(r.notes),
            }
            for r in (ranked if limit is None else ranked[:limit])
        ]
        frame = pd.DataFrame.from_records(records, columns=list(FRAME_COLUMNS))
        return frame.astype({"row": "int64", "grade": "Int64"})


@dataclass(frozen=True)
class DirectoryImportResult:
    created: int
    updated: int
    unchanged: int
    leavers: int
    leaver_participants: tuple[LeaverParticipant, ...] = ()
    warnings: tuple[str, ...] = ()

    def summary(self) -> str:
        return (
            f"{self.created} new, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.leavers} leavers"
        )


# --- reading the file ------------------------------------------------------------------------


class FileRefused(Exception):
    """A problem with the whole file; its message goes to DirectoryPreview.file_errors."""


Records = list[tuple[int, list[str]]]


def _csv_records(data: bytes) -> Records:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRefused("This file is not a CSV text file. Export the directory as CSV or .xlsx.")
    text = _decode(data)
    first = next((line for line in text.splitlines() if line.strip()), "")
    # The delimiter that splits the header into the most columns.
    delimiter = max(
        DELIMITERS,
        key=lambda d: (len(next(csv.reader([first], delimiter=d))), -DELIMITERS.index(d)),
    )
    records: Records = []
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1):
            if any(cells):
                records.append((number, [c.strip() for c in cells]))
                if len(records) > MAX_ROWS + 2:
                    raise FileRefused(f"The file has more than {MAX_ROWS} rows; split it.")
    except csv.Error as exc:
        raise FileRefused(
            f"The CSV file could not be read near line {len(records) + 1} ({exc}). "
            "Export it again from the HR system."
        ) from exc
    return records


def _xlsx_records(data: bytes, warnings: list[str]) -> Records:
    import openpyxl

    try:
        check_workbook(data, XLSX_LIMITS)
    except WorkbookRefused as exc:
        raise FileRefused(str(exc)) from exc
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types (zip, XML, KeyError) for broken files
        raise FileRefused(
            "This file could not be read as an Excel .xlsx workbook. Export it again as .xlsx or CSV."
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        if len(workbook.worksheets) > 1:
            warnings.append(f"Only the first sheet, '{sheet.title}', was read.")
        records: Records = []
        for number, values in bounded_rows(sheet, XLSX_LIMITS):
            cells = [_cell_text(v) for v in values]
            if any(cells):
                records.append((number, cells))
                if len(records) > MAX_ROWS + 2:
                    raise FileRefused(f"The file has more than {MAX_ROWS} rows; split it.")
        return records
    except WorkbookRefused as exc:
        raise FileRefused(str(exc)) from exc
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise FileRefused(f"The sheet '{sheet.title}' could not be read. Export it again.") from exc
    finally:
        workbook.close()


def read_records(data: bytes, filename: str, warnings: list[str]) -> tuple[str, Records]:
    """(format, non-empty rows with their line numbers) of a CSV or XLSX file."""
    if len(data) > MAX_BYTES:
        raise FileRefused(
            f"The file is {len(data) / 1024 / 1024:.0f} MB; the limit is "
            f"{MAX_BYTES // 1024 // 1024} MB. Leave out columns the portal does not use."
        )
    if not data.strip():
        raise FileRefused("The file is empty. Export the directory with a header row.")
    extension = PurePath(filename or "").suffix.lower()
    if data.startswith(b"PK\x03\x04"):
        return "xlsx", _xlsx_records(data, warnings)
    if data.startswith(b"\xd0\xcf\x11\xe0") or extension == ".xls":
        raise FileRefused(
            "Old Excel (.xls) and password-protected workbooks cannot be read. "
            "Save the export as .xlsx or CSV."
        )
    return "csv", _csv_records(data)


def second_header_row(header: Sequence[str], row: Sequence[str]) -> bool:
    """SuccessFactors puts labels under its keys (STATUS / Status, USERID / User ID): a second
    row that names at least half of the first row's columns again is a header, not a person."""
    pairs = [(h, c) for h, c in zip(header, row, strict=False) if h and c]
    same = sum(1 for h, c in pairs if header_key(h) == header_key(c))
    return len(pairs) >= 2 and same * 2 >= len(pairs)


def layout_key(headers: Sequence[str]) -> str:
    """The same export from the same system has the same headers, whatever their order."""
    keys = sorted(header_key(h) for h in headers if h)
    return hashlib.sha256(json.dumps(keys).encode()).hexdigest()[:64]


class _Columns:
    """The cells of one column, built only for the columns the mapping needs to look into."""

    def __init__(self, rows: Records):
        self._rows = rows
        self._built: dict[int, list[str]] = {}

    def __getitem__(self, index: int) -> list[str]:
        if index not in self._built:
            self._built[index] = [c[index] if index < len(c) else "" for _, c in self._rows]
        return self._built[index]

    def __len__(self) -> int:  # pragma: no cover - Sequence protocol
        return len(self._rows)


# --- the mapping ----------------------------------------------------------------------------


def _final_mapping(
    preview: DirectoryPreview, proposals: list[ColumnProposal], overrides: dict[str, str]
) -> None:
    """Apply the admin's changes to the proposal and record what cannot work as file errors."""
    mapping = mapping_of(proposals)
    chosen: set[str] = set()
    for name, header in overrides.items():
        if name not in FIELDS:
            preview.file_errors.append(
                f"'{name}' is not a directory field; use one of: {', '.join(FIELDS)}."
            )
            continue
        if not header:
            mapping.pop(name, None)
            continue
        if header not in preview.headers:
            preview.file_errors.append(
                f"{FIELDS[name]}: the file has no column '{header}'. "
                f"Columns found: {', '.join(h for h in preview.headers if h)}."
            )
            continue
        for other, h in list(mapping.items()):
            if h == header and other != name:
                del mapping[other]
        mapping[name] = header
        chosen.add(name)
    email = mapping.get("email")
    if email and is_personal_email(email):
        preview.file_errors.append(
            f"Work e-mail: '{email}' holds personal addresses; choose the work e-mail column."
        )
    if not email:
        preview.file_errors.append(
            "Work e-mail: no column holds the work e-mail; choose it in the mapping "
            "(every person signs in with it)."
        )
    if not ({"name", "first_name", "last_name"} & set(mapping)):
        preview.file_errors.append(
            "Full name: no column holds the name; choose a full-name column or first and last names."
        )
    if "manager_id" in mapping and "employee_id" not in mapping:
        preview.file_errors.append(
            "Manager's employee id: managers given by id need the employee id column; choose it."
        )
    by_header = {h: f for f, h in mapping.items()}
    proposed = {p.header: p for p in proposals}

    def final(header: str) -> ColumnProposal:
        field_name = by_header.get(header)
        if field_name in chosen:
            return ColumnProposal(header, field_name, "chosen by you")
        if field_name is None and proposed[header].field:
            return ColumnProposal(header, None, "not used (you left it out)")
        return proposed[header]

    preview.columns = [final(h) for h in preview.headers]
    preview.mapping = mapping


# --- checking the rows -----------------------------------------------------------------------


def _cell(cells: list[str], index: int | None) -> str:
    if index is None or index >= len(cells):
        return ""
    return cells[index].strip()


def _parse_rows(
    preview: DirectoryPreview, records: Records, today: date
) -> tuple[dict[str, int], dict[str, str]]:
    """Rows with their own problems (before the whole-file checks); (grade labels, locations
    that need a time zone) with the number of people each."""
    index = {f: preview.headers.index(h) for f, h in preview.mapping.items()}
    headers = preview.mapping
    end_index = index.get("end_date")
    order = date_order(
        c[end_index] for _, c in records if end_index is not None and end_index < len(c)
    )
    labels: dict[str, int] = {}
    locations: dict[str, int] = {}
    for number, cells in records:
        r = DirectoryRow(row=number)
        r.employee_id = _cell(cells, index.get("employee_id"))
        r.email = normalise_email(_cell(cells, index.get("email")))
        full = _cell(cells, index.get("name"))
        first, last = _cell(cells, index.get("first_name")), _cell(cells, index.get("last_name"))
        r.name = " ".join(full.split()) if full else " ".join(f"{first} {last}".split())
        r.job_title = _cell(cells, index.get("job_title"))
        r.department = _cell(cells, index.get("department"))
        r.location = _cell(cells, index.get("location"))
        r.grade_text = _cell(cells, index.get("grade"))
        status = _cell(cells, index.get("status"))
        end_text = _cell(cells, end_index)
        try:
            end = parse_date(end_text, order)
        except ValueError:
            end = None
            r.problems.append(
                f"{headers['end_date']}: '{end_text}' is not a date (e.g. 2026-03-31)"
            )
        r.leaving = is_inactive_status(status) or (end is not None and end <= today)
        r.left_on = end if end is not None and end <= today else None
        for name in MANAGER_FIELDS:
            text = _cell(cells, index.get(name))
            if text.lower() not in NO_MANAGER:
                r.manager_text = f"{name}\t{text}"
                break
        if "time_zone" in index and (tz_text := _cell(cells, index["time_zone"])):
            zone = zone_in_text(tz_text)
            if zone is None:
                r.problems.append(
                    f"{headers['time_zone']}: {time_zone_problem(tz_text) or 'not a time zone'}"
                )
            else:
                r.time_zone = zone
        if not r.leaving:
            if r.grade_text and whole_number(r.grade_text) is None:
                labels[r.grade_text] = labels.get(r.grade_text, 0) + 1
            if not r.time_zone and r.location:
                locations[r.location] = locations.get(r.location, 0) + 1  # type: ignore[assignment]
        preview.rows.append(r)
    return labels, locations  # type: ignore[return-value]


def _grade_table(
    preview: DirectoryPreview, labels: dict[str, int], saved: dict, chosen: dict
) -> dict[str, int | None]:
    table: dict[str, int | None] = {}
    for label in sorted(
        labels, key=lambda lb: (propose_grade(lb)[0] is None, propose_grade(lb)[0] or 0, lb)
    ):
        number, reason = propose_grade(label)
        if label in saved:
            number, reason = saved[label], "as you confirmed in the last import"
        if label in chosen:
            number, reason = chosen[label], "chosen by you"
        if number is not None and not 0 <= int(number) <= MAX_GRADE:
            preview.file_errors.append(
                f"Grade table: '{label}' → {number}; use a whole number from 0 to {MAX_GRADE}."
            )
            number = None
        table[label] = None if number is None else int(number)
        preview.grades.append(GradeEntry(label, table[label], reason, labels[label]))
    return table


def _zone_table(
    preview: DirectoryPreview, locations: dict[str, int], saved: dict, chosen: dict
) -> dict[str, str | None]:
    table: dict[str, str | None] = {}
    for location in sorted(locations):
        zone, reason = propose_zone(location)
        if location in saved:
            zone, reason = saved[location], "as you confirmed in the last import"
        if location in chosen:
            zone, reason = chosen[location], "chosen by you"
        if zone and time_zone_problem(zone):
            preview.file_errors.append(
                f"Time zone table: '{location}' → '{zone}' is not a time zone; "
                "use a name like Europe/Paris or an offset like UTC+2."
            )
            zone = None
        table[location] = zone or None
        preview.zones.append(ZoneEntry(location, table[location], reason, locations[location]))
    return table


def _own_checks(preview: DirectoryPreview, grades: dict, zones: dict) -> None:
    headers = preview.mapping
    name_header = headers.get("name") or "/".join(
        headers[f] for f in ("first_name", "last_name") if f in headers
    )
    for r in preview.rows:
        if r.leaving:
            continue
        if problem := email_problem(r.email):
            r.problems.append(f"{headers['email']}: {problem}")
        elif len(r.email) > 254:
            r.problems.append(f"{headers['email']}: must be at most 254 characters")
        if not r.name:
            r.problems.append(f"{name_header}: the name is empty")
        for name, limit in TEXT_LIMITS.items():
            if len(getattr(r, name)) > limit:
                header = headers.get(name, name_header)
                r.problems.append(f"{header}: must be at most {limit} characters")
        if r.grade_text:
            number = whole_number(r.grade_text)
            if number is None:
                number = grades.get(r.grade_text)
                if number is None:
                    r.notes.append(f"grade '{r.grade_text}' has no number in the grade table")
            elif not 0 <= number <= MAX_GRADE:
                r.problems.append(
                    f"{headers['grade']}: {number} is outside 0–{MAX_GRADE}; "
                    "give the grade on the portal's scale or as a label"
                )
                number = None
            r.grade = number
        if not r.time_zone and r.location:
            r.time_zone = zones.get(r.location) or ""


def _mark_duplicates(rows: list[DirectoryRow], headers: dict[str, str]) -> None:
    for attribute in ("email", "employee_id"):
        if attribute not in headers:
            continue
        seen: dict[str, list[DirectoryRow]] = {}
        for r in rows:
            value = getattr(r, attribute)
            if value and not r.leaving:
                seen.setdefault(value, []).append(r)
        for value, same in seen.items():
            if len(same) > 1:
                for r in same:
                    others = ", ".join(str(o.row) for o in same if o is not r)
                    r.problems.append(
                        f"{headers[attribute]}: {value} also appears in row {others}; "
                        "keep one row per person"
                    )


@dataclass
class _Known:
    """The portal's people, read once: the columns an import compares and writes."""

    by_id: dict[int, dict]
    by_email: dict[str, dict]
    by_employee_id: dict[str, dict]


def _known_people(session: Session) -> _Known:
    t = Person.__table__
    columns = [t.c.id, t.c.is_leaver, t.c.left_on, t.c.in_directory] + [t.c[c] for c in TRACKED]
    rows = [dict(m) for m in session.connection().execute(select(*columns)).mappings()]
    return _Known(
        {r["id"]: r for r in rows},
        {r["email"]: r for r in rows},
        {r["employee_id"]: r for r in rows if r["employee_id"]},
    )


def _resolve_managers(preview: DirectoryPreview, known: _Known) -> None:
    headers = preview.mapping
    active = [r for r in preview.rows if not r.leaving]
    by_id = {r.employee_id: r for r in active if r.employee_id}
    by_email = {r.email: r for r in active if r.email}
    left_by_id = {r.employee_id: r for r in preview.rows if r.leaving and r.employee_id}
    left_by_email = {r.email: r for r in preview.rows if r.leaving and r.email}
    by_name: dict[str, list[DirectoryRow]] = {}
    for r in active:
        by_name.setdefault(plain(r.name), []).append(r)
    for r in active:
        if not r.manager_text:
            continue
        kind, value = r.manager_text.split("\t", 1)
        header = headers[kind]
        manager: DirectoryRow | None = None
        email: str | None = None
        if kind == "manager_id":
            manager = by_id.get(value) or left_by_id.get(value)
            if manager is None and (p := known.by_employee_id.get(value)) and not p["is_leaver"]:
                email = p["email"]
            elif manager is None:
                r.problems.append(f"{header}: no one in the file has the employee id '{value}'")
                continue
        elif kind == "manager_email":
            value = normalise_email(value)
            if problem := email_problem(value):
                r.problems.append(f"{header}: {problem}")
                continue
            manager = by_email.get(value) or left_by_email.get(value)
            if manager is None and (p := known.by_email.get(value)) and not p["is_leaver"]:
                email = value
            elif manager is None:
                r.problems.append(
                    f"{header}: nobody in the file or the portal has the e-mail {value}"
                )
                continue
        else:
            named = by_name.get(plain(value), [])
            if not named and "," in value:  # "Müller, Anna"
                last, _, first = value.partition(",")
                named = by_name.get(plain(f"{first} {last}"), [])
            if len(named) > 1:
                rows = ", ".join(str(n.row) for n in named)
                r.problems.append(
                    f"{header}: {len(named)} people in the file are named '{value}' (rows {rows}); "
                    "give the manager's employee id or e-mail instead"
                )
                continue
            if not named:
                r.problems.append(f"{header}: nobody in the file is named '{value}'")
                continue
            manager = named[0]
        if manager is r or (email is not None and email == r.email):
            r.problems.append(f"{header}: a person cannot be their own manager")
            continue
        if manager is not None:
            if manager.leaving:
                r.notes.append(f"the manager ({manager.name or value}) is marked as a leaver")
            email = manager.email or None
        r.manager_email = email


def manager_loops(
    org: dict[str, str | None], starts: Sequence[str]
) -> dict[str, tuple[int, list[str]]]:
    """Each person on a manager loop -> (their place in it, the loop). Linear in the number of
    people, and each loop is stored once, so a 100 000-person chart is checked in one pass."""
    state: dict[str, int] = {}  # 1 = on the walk in progress, 2 = done
    loops: dict[str, tuple[int, list[str]]] = {}
    for start in starts:
        path: list[str] = []
        node: str | None = start
        while node is not None and node not in state:
            state[node] = 1
            path.append(node)
            node = org.get(node)
        if node is not None and state.get(node) == 1:
            cycle = path[path.index(node) :]
            for i, member in enumerate(cycle):
                loops[member] = (i, cycle)
        for visited in path:
            state[visited] = 2
    return loops


def controlled_columns(mapping: dict[str, str]) -> set[str]:
    """The person columns this file decides: mapped ones only, so a file without a department
    column never erases the departments the portal knows."""
    controlled = {"email", "name"}
    controlled |= {
        f for f in ("employee_id", "job_title", "grade", "department", "location") if f in mapping
    }
    if "time_zone" in mapping or "location" in mapping:
        controlled.add("time_zone")
    if set(MANAGER_FIELDS) & set(mapping):
        controlled.add("manager_email")
    return controlled


def loop_text(place: int, cycle: list[str], shown: int = 6) -> str:
    """The loop from one member back to them; long loops are cut in the middle."""
    walk = [cycle[(place + i) % len(cycle)] for i in range(min(len(cycle), shown))]
    if len(cycle) > shown:
        walk.append(f"… {len(cycle) - shown} more")
    return " → ".join([*walk, cycle[place]])


def _match_people(preview: DirectoryPreview, known: _Known) -> None:
    """Which portal person each row is, and what would change."""
    headers = preview.mapping
    claimed: dict[int, DirectoryRow] = {}
    controlled = controlled_columns(headers)
    active_ids = {r.employee_id for r in preview.rows if not r.leaving and r.employee_id}
    active_emails = {r.email for r in preview.rows if not r.leaving and r.email}
    for r in preview.rows:
        person = (known.by_employee_id.get(r.employee_id) if r.employee_id else None) or (
            known.by_email.get(r.email) if r.email else None
        )
        if r.leaving:
            if (r.employee_id and r.employee_id in active_ids) or (
                r.email and r.email in active_emails
            ):
                r.action = SKIP
                r.notes.append("an active row for the same person is in the file")
            elif person is None:
                r.action = GONE
                r.notes.append("left; not in the portal, nothing to do")
            else:
                r.person_id = person["id"]
                claimed.setdefault(person["id"], r)
                if person["is_leaver"]:
                    r.action = SAME
                else:
                    r.action, r.write = LEAVER, True
                    r.changes.append(
                        "left the organisation" + (f" on {r.left_on}" if r.left_on else "")
                    )
            continue
        if person is None:
            r.action, r.write = NEW, True
            continue
        if (other := known.by_email.get(r.email)) is not None and other["id"] != person["id"]:
            r.problems.append(
                f"{headers['email']}: {r.email} belongs to {other['name']} in the portal, but the "
                f"employee id {r.employee_id} is {person['name']}'s; fix one of them"
            )
            continue
        if (first := claimed.get(person["id"])) is not None and not first.leaving:
            r.problems.append(
                f"{headers['email']}: row {first.row} is the same person ({person['email']}); "
                "keep one row per person"
            )
            continue
        claimed[person["id"]] = r
        r.person_id = person["id"]
        new = _new_values(r, person, controlled)
        for name, label in TRACKED.items():
            if name in controlled and new[name] != person[name]:
                r.changes.append(f"{label}: {_shown(person[name])} → {_shown(new[name])}")
        if person["is_leaver"]:
            r.changes.append("back in the organisation (was a leaver)")
        r.write = bool(r.changes) or not person["in_directory"]
        r.action = UPDATE if r.changes else SAME


def _shown(value: object) -> str:
    return "—" if value in (None, "") else str(value)


def _new_values(r: DirectoryRow, person: dict | None, controlled: set[str]) -> dict:
    """The tracked columns as the portal would store them after the import."""
    values = {name: (person or {}).get(name) for name in TRACKED}
    for name in controlled:
        values[name] = getattr(r, name) if name != "employee_id" else (r.employee_id or None)
    if "time_zone" in controlled and not r.time_zone:
        values["time_zone"] = (person or {}).get("time_zone") or "UTC"
    if person is None:
        for name, default in (("job_title", ""), ("department", ""), ("location", "")):
            values[name] = values[name] or default
        values["time_zone"] = values["time_zone"] or "UTC"
    return values


def _check_loops(preview: DirectoryPreview, known: _Known) -> None:
    if not set(MANAGER_FIELDS) & set(preview.mapping):
        return
    org = {p["email"]: p["manager_email"] for p in known.by_id.values()}
    active = [r for r in preview.rows if not r.leaving and r.email and not r.problems]
    for r in active:
        if r.person_id is not None:
            old = known.by_id[r.person_id]["email"]
            if old != r.email:
                org.pop(old, None)
        org[r.email] = r.manager_email
    loops = manager_loops(org, [r.email for r in active])
    for r in active:
        if r.email in loops:
            kind = r.manager_text.split("\t", 1)[0] if r.manager_text else "manager_email"
            header = preview.mapping.get(kind, "manager")
            r.problems.append(f"{header}: creates a manager loop: {loop_text(*loops[r.email])}")


def _absent_and_participants(preview: DirectoryPreview, known: _Known, *, session: Session) -> None:
    listed = {r.person_id for r in preview.rows if r.person_id is not None}
    preview.absent = [
        Absent(p["id"], p["employee_id"] or "", p["email"], p["name"])
        for p in known.by_id.values()
        if p["in_directory"] and not p["is_leaver"] and p["id"] not in listed
    ]
    leaving = [r.person_id for r in preview.rows if r.action == LEAVER] + [
        a.person_id for a in preview.absent
    ]
    found: list[LeaverParticipant] = []
    for start in range(0, len(leaving), 500):
        chunk = leaving[start : start + 500]
        for e, p, pilot in session.exec(
            sm_select(Enrollment, Person, Pilot)
            .join(Person, col(Person.id) == Enrollment.person_id)
            .join(Pilot, col(Pilot.id) == Enrollment.pilot_id)
            .where(
                col(Enrollment.person_id).in_(chunk),
                Enrollment.status != EnrollmentStatus.WITHDRAWN,
            )
        ).all():
            found.append(LeaverParticipant(e.id, pilot.id, pilot.name, p.name, p.email, e.role))  # type: ignore[arg-type]
    preview.leaver_participants = sorted(found, key=lambda f: (f.pilot_name, f.name))


def _saved_layout(layout: str, *, session: Session) -> DirectoryMapping | None:
    return session.exec(
        sm_select(DirectoryMapping).where(DirectoryMapping.layout == layout)
    ).first()


def preview_directory(
    actor: Actor,
    data: bytes,
    filename: str,
    options: DirectoryOptions | None = None,
    *,
    session: Session,
    today: date | None = None,
    progress: Progress | None = None,
) -> DirectoryPreview:
    """What importing this export would do, row by row, with the mapping, grade table and time
    zones it would use; nothing is written."""
    require_staff(actor)
    preview, preview.known = _preview(
        data, filename, options, session, today or date.today(), progress
    )
    return preview


def _preview(
    data: bytes,
    filename: str,
    options: DirectoryOptions | None,
    session: Session,
    today: date,
    progress: Progress | None,
) -> tuple[DirectoryPreview, _Known | None]:
    options = options or DirectoryOptions()
    step = progress or (lambda _f, _t: None)
    preview = DirectoryPreview(filename=filename, today=today)
    step(0.02, "Reading the file")
    try:
        preview.file_format, records = read_records(data, filename, preview.warnings)
    except FileRefused as exc:
        preview.file_errors.append(str(exc))
        return preview, None
    header = records[0][1]
    preview.headers = [h.strip() for h in header]
    body = records[1:]
    if body and second_header_row(header, body[0][1]):
        preview.labels, body = body[0][1], body[1:]
    if not body:
        preview.file_errors.append("The file has a header but no people; export it with its rows.")
        return preview, None
    preview.system = detect_system(preview.headers, bool(preview.labels))
    preview.layout = layout_key(preview.headers)
    saved = _saved_layout(preview.layout, session=session)
    columns = _Columns(body)
    on = f" ({saved.saved_at:%Y-%m-%d})" if saved is not None else ""
    proposals = propose_mapping(
        preview.headers, columns, preview.system, saved.mapping if saved else None, on
    )  # type: ignore[arg-type]
    proposals = login_as_email(preview.headers, columns, proposals)  # type: ignore[arg-type]
    _final_mapping(preview, proposals, options.mapping)
    if preview.file_errors:
        return preview, None
    step(0.08, f"Checking {len(body)} rows")
    labels, locations = _parse_rows(preview, body, today)
    grades = _grade_table(preview, labels, saved.grades if saved else {}, options.grades)
    zones = _zone_table(preview, locations, saved.zones if saved else {}, options.zones)
    _own_checks(preview, grades, zones)
    _mark_duplicates(preview.rows, preview.mapping)
    step(0.15, "Comparing with the portal")
    known = _known_people(session)
    _resolve_managers(preview, known)
    _match_people(preview, known)
    _check_loops(preview, known)
    _absent_and_participants(preview, known, session=session)
    unnumbered = [g.label for g in preview.grades if g.number is None]
    if unnumbered:
        preview.warnings.append(
            "Grade labels without a number (these people get no grade): " + ", ".join(unnumbered)
        )
    unzoned = [z.location for z in preview.zones if z.time_zone is None]
    if unzoned:
        preview.warnings.append(
            "Offices without a time zone (people there keep theirs, or UTC): " + ", ".join(unzoned)
        )
    return preview, known


# --- writing ---------------------------------------------------------------------------------


def _write(
    preview: DirectoryPreview, known: _Known, today: date, *, session: Session, step: Progress
) -> None:
    t = Person.__table__
    conn = session.connection()
    headers = preview.mapping
    controlled = controlled_columns(headers)
    now = utcnow()
    inserts = [
        {**_new_values(r, None, controlled), "in_directory": True, "is_leaver": False,
         "left_on": None, "is_staff": False, "career_stage": "", "created_at": now}
        for r in preview.rows if r.action == NEW and r.write
    ]  # fmt: skip
    updates = [
        {"p_id": r.person_id, **{f"v_{k}": v for k, v in _new_values(r, known.by_id[r.person_id], controlled).items()}}
        for r in preview.rows if r.action in (UPDATE, SAME) and r.write and r.person_id is not None
    ]  # fmt: skip
    leavers = [
        {"p_id": r.person_id, "v_left_on": r.left_on} for r in preview.rows if r.action == LEAVER
    ] + [{"p_id": a.person_id, "v_left_on": today} for a in preview.absent]
    total = max(1, len(inserts) + len(updates) + len(leavers))
    done = 0
    update_person = (
        update(t)
        .where(t.c.id == bindparam("p_id"))
        .values(
            {
                **{k: bindparam(f"v_{k}") for k in TRACKED},
                "in_directory": True,
                "is_leaver": False,
                "left_on": None,
            }
        )
    )
    mark_leaver = (
        update(t)
        .where(t.c.id == bindparam("p_id"))
        .values(is_leaver=True, left_on=bindparam("v_left_on"))
    )
    for statement, params, verb in (
        (insert(t), inserts, "Adding"),
        (update_person, updates, "Updating"),
        (mark_leaver, leavers, "Marking leavers:"),
    ):
        for start in range(0, len(params), CHUNK):
            chunk = params[start : start + CHUNK]
            conn.execute(statement, chunk)
            done += len(chunk)
            step(0.2 + 0.75 * done / total, f"{verb} {done} of {total} people")


def _remember(preview: DirectoryPreview, actor: Actor, *, session: Session) -> None:
    saved = _saved_layout(preview.layout, session=session) or DirectoryMapping(
        layout=preview.layout
    )
    saved.headers = [h for h in preview.headers]
    saved.mapping = dict(preview.mapping)
    saved.grades = {g.label: g.number for g in preview.grades}
    saved.zones = {z.location: z.time_zone for z in preview.zones}
    saved.saved_by_id = actor.person_id
    saved.saved_at = utcnow()
    session.add(saved)
    session.flush()


def import_directory(
    actor: Actor,
    data: bytes,
    filename: str,
    options: DirectoryOptions | None = None,
    *,
    session: Session,
    today: date | None = None,
    progress: Progress | None = None,
    preview: DirectoryPreview | None = None,
) -> DirectoryImportResult:
    """Sync the portal's people with the export, or change nothing: any file or row problem
    raises ValidationFailed before a single write. Runs in the caller's unit of work.

    `preview` is the one just made from the same file in the same unit of work (the CLI's), so
    that the file is checked once; without it the file is checked here."""
    require_staff(actor)
    step = progress or (lambda _f, _t: None)
    if preview is None or preview.known is None:
        preview, known = _preview(data, filename, options, session, today or date.today(), step)
    else:
        known = preview.known
    today = preview.today or date.today()
    if preview.file_errors:
        raise ValidationFailed({"file": " ".join(preview.file_errors)})
    if not preview.can_import or known is None:
        raise ValidationFailed(preview.row_errors())
    _write(preview, known, today, session=session, step=step)
    _remember(preview, actor, session=session)
    session.expire_all()
    step(1.0, "Done")
    result = DirectoryImportResult(
        created=preview.count(NEW),
        updated=preview.count(UPDATE),
        unchanged=preview.count(SAME),
        leavers=preview.leaver_count,
        leaver_participants=tuple(preview.leaver_participants),
        warnings=tuple(preview.warnings),
    )
    record(
        session, actor, "directory.imported", None, {},
        {"file": filename, "created": result.created, "updated": result.updated,
         "unchanged": result.unchanged, "leavers": result.leavers},
    )  # fmt: skip
    return result
