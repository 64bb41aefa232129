"""Which column of an HR export holds which directory field, and why we think so.

HR systems export the same facts under their own headers (Workday's `WorkEmail`, BambooHR's
`Work Email`, HiBob's `/root/email`, SAP SuccessFactors' `EMAIL`). The programme team should not
have to rename columns before an import, so the importer recognises the usual exports, proposes
a mapping with one reason per column, and lets the admin correct it. Headers are compared
without case, accents, spaces or punctuation, so `Employee_ID`, `Employee ID` and `employeeId`
are one header.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

# Directory fields, in the order the mapping editor shows them, with the label a person reads.
FIELDS: dict[str, str] = {
    "employee_id": "Employee id",
    "email": "Work e-mail",
    "name": "Full name",
    "first_name": "First name",
    "last_name": "Last name",
    "job_title": "Job title",
    "grade": "Grade or level",
    "department": "Department",
    "location": "Location or office",
    "time_zone": "Time zone",
    "manager_id": "Manager's employee id",
    "manager_email": "Manager's e-mail",
    "manager_name": "Manager's name",
    "status": "Employment status",
    "end_date": "Termination date",
}
MANAGER_FIELDS = ("manager_id", "manager_email", "manager_name")

WORKDAY = "Workday"
BAMBOOHR = "BambooHR"
PERSONIO = "Personio"
HIBOB = "HiBob"
SUCCESSFACTORS = "SAP SuccessFactors"
SYSTEMS = (WORKDAY, BAMBOOHR, PERSONIO, HIBOB, SUCCESSFACTORS)

# A manager column whose values decide whether it holds ids, e-mails or names.
MANAGER_BY_CONTENT = "manager?"

# Each system's headers (as written in its exports) and the field each one holds.
SYSTEM_HEADERS: dict[str, dict[str, str]] = {
    WORKDAY: {
        "Employee_ID": "employee_id",
        "WorkEmail": "email",
        "Work_Email": "email",
        "Preferred_Name": "name",
        "Legal_Name": "name",
        "First_Name": "first_name",
        "Last_Name": "last_name",
        "BusinessTitle": "job_title",
        "Business_Title": "job_title",
        "Job_Level": "grade",
        "Management_Level": "grade",
        "Department_Name": "department",
        "Supervisory_Organization": "department",
        "Manager_ID": "manager_id",
        "Manager_Email": "manager_email",
        "Location": "location",
        "Time_Zone": "time_zone",
        "Worker_Status": "status",
        "Active_Status": "status",
        "Termination_Date": "end_date",
    },
    BAMBOOHR: {
        "Employee #": "employee_id",
        "employeeNumber": "employee_id",
        "First Name": "first_name",
        "firstName": "first_name",
        "Last Name": "last_name",
        "lastName": "last_name",
        "Preferred Name": "name",
        "Work Email": "email",
        "workEmail": "email",
        "Job Title": "job_title",
        "jobTitle": "job_title",
        "Department": "department",
        "Location": "location",
        "Supervisor ID": "manager_id",
        "supervisorEId": "manager_id",
        "Supervisor Email": "manager_email",
        "supervisorEmail": "manager_email",
        "Reporting to": "manager_name",
        "Supervisor": "manager_name",
        "Status": "status",
        "Employment Status": "status",
        "Termination Date": "end_date",
        "terminationDate": "end_date",
    },
    PERSONIO: {
        "id": "employee_id",
        "first_name": "first_name",
        "last_name": "last_name",
        "email": "email",
        "position": "job_title",
        "department": "department",
        "office": "location",
        "supervisor": MANAGER_BY_CONTENT,
        "status": "status",
        "termination_date": "end_date",
        "contract_end_date": "end_date",
    },
    HIBOB: {
        "/work/employeeIdInCompany": "employee_id",
        "/root/email": "email",
        "/root/displayName": "name",
        "/root/firstName": "first_name",
        "/root/surname": "last_name",
        "/work/title": "job_title",
        "/work/department": "department",
        "/work/site": "location",
        "/work/reportsTo/email": "manager_email",
        "/work/reportsTo/displayName": "manager_name",
        "/internal/status": "status",
        "/internal/lifecycleStatus": "status",
        "/internal/terminationDate": "end_date",
    },
    SUCCESSFACTORS: {
        "USERID": "employee_id",
        "EMAIL": "email",
        "FIRSTNAME": "first_name",
        "LASTNAME": "last_name",
        "TITLE": "job_title",
        "DEPARTMENT": "department",
        "LOCATION": "location",
        "TIMEZONE": "time_zone",
        "MANAGER": "manager_id",
        "STATUS": "status",
    },
}

# Headers any export may use, tried when the detected system does not name a field.
GENERIC_HEADERS: dict[str, str] = {
    "employee id": "employee_id",
    "employee number": "employee_id",
    "personnel number": "employee_id",
    "staff id": "employee_id",
    "worker id": "employee_id",
    "email": "email",
    "e-mail": "email",
    "work email": "email",
    "business email": "email",
    "email address": "email",
    "name": "name",
    "full name": "name",
    "display name": "name",
    "employee name": "name",
    "first name": "first_name",
    "given name": "first_name",
    "last name": "last_name",
    "surname": "last_name",
    "family name": "last_name",
    "job title": "job_title",
    "title": "job_title",
    "position": "job_title",
    "role": "job_title",
    "grade": "grade",
    "job grade": "grade",
    "pay grade": "grade",
    "level": "grade",
    "job level": "grade",
    "band": "grade",
    "career level": "grade",
    "department": "department",
    "team": "department",
    "location": "location",
    "office": "location",
    "site": "location",
    "work location": "location",
    "city": "location",
    "time zone": "time_zone",
    "timezone": "time_zone",
    "tz": "time_zone",
    "manager id": "manager_id",
    "supervisor id": "manager_id",
    "manager employee id": "manager_id",
    "manager email": "manager_email",
    "supervisor email": "manager_email",
    "line manager email": "manager_email",
    "manager name": "manager_name",
    "supervisor name": "manager_name",
    "manager": MANAGER_BY_CONTENT,
    "supervisor": MANAGER_BY_CONTENT,
    "line manager": MANAGER_BY_CONTENT,
    "reports to": MANAGER_BY_CONTENT,
    "reporting to": MANAGER_BY_CONTENT,
    "status": "status",
    "employment status": "status",
    "active": "status",
    "termination date": "end_date",
    "leaving date": "end_date",
    "end date": "end_date",
    "last day": "end_date",
    "exit date": "end_date",
}

# Columns never taken for the work e-mail, even though their header says "email".
PERSONAL_EMAIL_RE = re.compile(r"(personal|private|home|alternate|alternative|other)", re.I)
# Systems whose headers nobody else uses: one of them is enough to recognise the export.
SIGNATURES: dict[str, tuple[str, ...]] = {
    WORKDAY: ("WorkEmail", "BusinessTitle", "Job_Level", "Department_Name", "Preferred_Name"),
    BAMBOOHR: ("Employee #", "employeeNumber", "supervisorEId", "Reporting to", "Division"),
    PERSONIO: ("office", "supervisor", "position"),
    HIBOB: ("/root/email", "/work/employeeIdInCompany", "/work/reportsTo/email"),
    SUCCESSFACTORS: ("USERID", "USERNAME", "FIRSTNAME", "LASTNAME", "NO_MGR"),
}
# Columns the portal reads nothing from, with the reason the mapping shows.
IGNORED_REASONS: dict[str, str] = {
    "division": "not used: the portal keeps one department per person",
    "username": "not used: a login name, not the work e-mail",
    "hr": "not used: the HR partner, not the manager",
    "gender": "not used: the directory does not store gender",
    "mi": "not used: a middle initial",
}


def header_key(header: str) -> str:
    """`Employee_ID`, `Employee ID` and `employeeId` are one header; `#` stays (`Employee #`)."""
    text = unicodedata.normalize("NFKD", header or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^0-9a-z#]", "", text.lower())


def _keyed(table: dict[str, str]) -> dict[str, str]:
    return {header_key(h): f for h, f in table.items()}


SYSTEM_KEYS = {system: _keyed(table) for system, table in SYSTEM_HEADERS.items()}
GENERIC_KEYS = _keyed(GENERIC_HEADERS)
SIGNATURE_KEYS = {s: {header_key(h) for h in hs} for s, hs in SIGNATURES.items()}


@dataclass(frozen=True)
class ColumnProposal:
    """One column of the file: the field it fills (or None) and why."""

    header: str
    field: str | None
    reason: str


def is_personal_email(header: str) -> bool:
    key = header_key(header)
    return "mail" in key and bool(PERSONAL_EMAIL_RE.search(key))


def detect_system(headers: Sequence[str], two_header_rows: bool = False) -> str:
    """The HR system whose export this looks like, or "" when no system's headers dominate."""
    keys = {header_key(h) for h in headers if h}
    if two_header_rows and "userid" in keys:
        return SUCCESSFACTORS
    scores = {}
    for system in SYSTEMS:
        known = len(keys & set(SYSTEM_KEYS[system]))
        signed = len(keys & SIGNATURE_KEYS[system])
        # HiBob's paths are unmistakable; SuccessFactors' upper-case keys nearly so.
        if system == SUCCESSFACTORS:
            signed = sum(
                1 for h in headers if h and h.isupper() and header_key(h) in SYSTEM_KEYS[system]
            )
        scores[system] = (signed, known)
    best = max(SYSTEMS, key=lambda s: scores[s])
    signed, known = scores[best]
    return best if signed and known >= 3 else ""


def _looks_like_email(value: str) -> bool:
    return "@" in value and "." in value.split("@")[-1]


def manager_field_by_content(values: Sequence[str], employee_ids: set[str]) -> tuple[str, str]:
    """(field, reason) for a manager column: what most of its filled cells look like."""
    filled = [v.strip() for v in values if v and v.strip() and v.strip().upper() != "NO_MGR"]
    if not filled:
        return "manager_id", "holds managers; its cells are empty, so they are read as ids"
    emails = sum(1 for v in filled if _looks_like_email(v))
    ids = sum(1 for v in filled if v in employee_ids)
    if emails >= 0.8 * len(filled):
        return "manager_email", "holds managers, and its values are e-mail addresses"
    if ids >= 0.8 * len(filled):
        return "manager_id", "holds managers, and its values are employee ids of this file"
    return "manager_name", "holds managers, and its values are names (matched to unique names)"


def _field_for(key: str, system: str) -> tuple[str | None, str]:
    """(field, source) from the detected system's headers, then the generic ones."""
    if system and key in SYSTEM_KEYS[system]:
        return SYSTEM_KEYS[system][key], system
    if key in GENERIC_KEYS:
        return GENERIC_KEYS[key], ""
    return None, ""


def propose_mapping(
    headers: Sequence[str],
    column_values: Sequence[Sequence[str]],
    system: str,
    remembered: dict[str, str] | None = None,
    remembered_on: str = "",
) -> list[ColumnProposal]:
    """One proposal per column, in file order. `column_values` are a sample of each column's
    cells, used for manager columns and for a login column that holds the e-mail.

    A remembered mapping (the admin's choice for the same headers last time) replaces every
    rule; otherwise the detected system's headers, then generic ones, then the first column
    whose header mentions the field. A field is given to one column only: the first to claim it.
    """
    if remembered is not None:
        # The same headers as last time: the admin's choice, including the columns left out.
        by_header = {h: f for f, h in remembered.items() if f in FIELDS}
        return [
            ColumnProposal(h, by_header.get(h), f"as you chose in the last import{remembered_on}")
            for h in headers
        ]
    taken: dict[str, int] = {}
    proposals: list[ColumnProposal | None] = [None] * len(headers)
    employee_ids: set[str] = set()
    first = [(i, h) for i, h in enumerate(headers) if h and proposals[i] is None]
    # Employee ids first: a manager column is recognised by holding them.
    id_pass = sorted(
        first, key=lambda ih: _field_for(header_key(ih[1]), system)[0] != "employee_id"
    )
    for index, header in id_pass:
        if is_personal_email(header):
            proposals[index] = ColumnProposal(
                header, None, "a personal address: never used as the work e-mail"
            )
            continue
        field, source = _field_for(header_key(header), system)
        reason = (
            f"{source} exports call the {FIELDS[field].lower()} '{header}'"
            if source and field in FIELDS
            else f"the header '{header}' names the {FIELDS[field].lower()}"
            if field in FIELDS
            else ""
        )
        if field == MANAGER_BY_CONTENT:
            if system == SUCCESSFACTORS and header_key(header) == "manager":
                field, reason = (
                    "manager_id",
                    "SAP SuccessFactors' MANAGER holds the manager's USERID",
                )
            else:
                field, why = manager_field_by_content(column_values[index], employee_ids)
                reason = f"'{header}' {why}"
        if field is None or field in taken:
            continue
        taken[field] = index
        proposals[index] = ColumnProposal(header, field, reason)
        if field == "employee_id":
            employee_ids = {v.strip() for v in column_values[index] if v}
    _propose_by_keyword(headers, column_values, proposals, taken)
    return [
        p
        if p is not None
        else ColumnProposal(
            h,
            None,
            IGNORED_REASONS.get(header_key(h), "not used: the portal has no field for it")
            if h
            else "not used: the column has no header",
        )
        for h, p in zip(headers, proposals, strict=True)
    ]


# Words that point at a field when no known header does, most specific first.
KEYWORDS: tuple[tuple[str, str], ...] = (
    ("managerid", "manager_id"),
    ("supervisorid", "manager_id"),
    ("manageremail", "manager_email"),
    ("manager", "manager_name"),
    ("email", "email"),
    ("mail", "email"),
    ("firstname", "first_name"),
    ("lastname", "last_name"),
    ("employeeid", "employee_id"),
    ("title", "job_title"),
    ("grade", "grade"),
    ("level", "grade"),
    ("department", "department"),
    ("timezone", "time_zone"),
    ("location", "location"),
    ("office", "location"),
    ("status", "status"),
    ("termination", "end_date"),
)


def _propose_by_keyword(
    headers: Sequence[str],
    column_values: Sequence[Sequence[str]],
    proposals: list[ColumnProposal | None],
    taken: dict[str, int],
) -> None:
    for index, header in enumerate(headers):
        if proposals[index] is not None or not header:
            continue
        key = header_key(header)
        for word, field in KEYWORDS:
            if word not in key or field in taken:
                continue
            if field == "email" and not all(
                _looks_like_email(v) for v in column_values[index] if v.strip()
            ):
                continue
            taken[field] = index
            proposals[index] = ColumnProposal(
                header, field, f"its header mentions '{word}' ({FIELDS[field].lower()})"
            )
            break


def login_as_email(
    headers: Sequence[str], column_values: Sequence[Sequence[str]], proposals: list[ColumnProposal]
) -> list[ColumnProposal]:
    """SuccessFactors files without an EMAIL column often log people in with their address."""
    if any(p.field == "email" for p in proposals):
        return proposals
    for index, header in enumerate(headers):
        filled = [v for v in column_values[index] if v.strip()]
        if header_key(header) == "username" and filled and all(map(_looks_like_email, filled)):
            proposals = list(proposals)
            proposals[index] = ColumnProposal(
                header,
                "email",
                f"'{header}' holds e-mail addresses and the file has no e-mail column",
            )
    return proposals


def mapping_of(proposals: Sequence[ColumnProposal]) -> dict[str, str]:
    """field -> header for every mapped column."""
    return {p.field: p.header for p in proposals if p.field}
