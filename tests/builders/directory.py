"""HR exports of one small company, Lumen, in the five shapes the directory import recognises.

Every file describes the same eight people (accents, an empty department, an empty job title,
managers by id, e-mail or name, one leaver), as each system writes them, so that the tests can
compare what the portal stores with one hand-written expectation.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

import openpyxl

# id, first, last, work e-mail, title, department, manager id, office, time zone
LUMEN = [
    ("E100", "Amélie", "Dubois", "amelie.dubois@lumen.example", "Chief Executive Officer",
     "Leadership", "", "Paris", "Europe/Paris"),
    ("E101", "Jürgen", "Schäfer", "jurgen.schafer@lumen.example", "Chief Financial Officer",
     "Finance", "E100", "München", "Europe/Berlin"),
    ("E102", "Sofía", "Hernández", "sofia.hernandez@lumen.example", "Director of Engineering",
     "Engineering", "E100", "Madrid", "Europe/Madrid"),
    ("E103", "Chloé", "Martin", "chloe.martin@lumen.example", "Engineering Manager",
     "Engineering", "E102", "Paris", "Europe/Paris"),
    ("E104", "Ngozi", "Okafor", "ngozi.okafor@lumen.example", "Software Engineer",
     "Engineering", "E103", "London", "Europe/London"),
    ("E105", "Łukasz", "Nowak", "lukasz.nowak@lumen.example", "Financial Analyst",
     "", "E101", "Kraków", "Europe/Warsaw"),
    ("E106", "Mei", "Tanaka", "mei.tanaka@lumen.example", "",
     "Engineering", "E103", "Tokyo", "Asia/Tokyo"),
    ("E107", "Tom", "Baker", "tom.baker@lumen.example", "Sales Manager",
     "Sales", "E100", "London", "Europe/London"),
]  # fmt: skip
LEAVER = "tom.baker@lumen.example"
EMAIL_OF = {row[0]: row[3] for row in LUMEN}
# Who reports to whom, derived by hand from the ids above.
MANAGERS = {
    "amelie.dubois@lumen.example": None,
    "jurgen.schafer@lumen.example": "amelie.dubois@lumen.example",
    "sofia.hernandez@lumen.example": "amelie.dubois@lumen.example",
    "chloe.martin@lumen.example": "sofia.hernandez@lumen.example",
    "ngozi.okafor@lumen.example": "chloe.martin@lumen.example",
    "lukasz.nowak@lumen.example": "jurgen.schafer@lumen.example",
    "mei.tanaka@lumen.example": "chloe.martin@lumen.example",
}
NAMES = {
    "amelie.dubois@lumen.example": "Amélie Dubois",
    "jurgen.schafer@lumen.example": "Jürgen Schäfer",
    "sofia.hernandez@lumen.example": "Sofía Hernández",
    "chloe.martin@lumen.example": "Chloé Martin",
    "ngozi.okafor@lumen.example": "Ngozi Okafor",
    "lukasz.nowak@lumen.example": "Łukasz Nowak",
    "mei.tanaka@lumen.example": "Mei Tanaka",
}


def _csv(rows: list[list[str]], delimiter: str = ",", bom: bool = False) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode("utf-8")


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    for cells in rows:
        workbook.active.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# Workday: seniority as labels, one time zone in Workday's long form, one left empty (the
# office gives it), a termination date in the future (still active) and one in the past.
WORKDAY_LEVELS = ["Executive", "Vice President", "Director", "Senior Manager", "Professional",
                  "Analyst", "Intern", "Manager"]  # fmt: skip
WORKDAY_GRADES = {"amelie.dubois@lumen.example": 13, "jurgen.schafer@lumen.example": 11,
                  "sofia.hernandez@lumen.example": 9, "chloe.martin@lumen.example": 8,
                  "ngozi.okafor@lumen.example": 4, "lukasz.nowak@lumen.example": 3,
                  "mei.tanaka@lumen.example": 1}  # fmt: skip
WORKDAY_HEADER = ["Employee_ID", "WorkEmail", "Preferred_Name", "BusinessTitle", "Job_Level",
                  "Department_Name", "Manager_ID", "Location", "Time_Zone", "Worker_Status",
                  "Termination_Date"]  # fmt: skip


def workday_rows() -> list[list[str]]:
    rows = [WORKDAY_HEADER]
    for (eid, first, last, email, title, dept, mgr, office, tz), level in zip(
        LUMEN, WORKDAY_LEVELS, strict=True
    ):
        status, end = ("Terminated", "2025-11-30") if email == LEAVER else ("Active", "")
        if eid == "E100":
            email = " Amelie.Dubois@Lumen.example "  # case and spaces as typed in HR
        if eid == "E103":
            tz = "(GMT+01:00) Central European Time (Europe/Paris)"
        if eid == "E105":
            tz, end = "", "2099-01-31"
        rows.append(
            [eid, email, f"{first} {last}", title, level, dept, mgr, office, tz, status, end]
        )
    return rows


def workday_csv() -> bytes:
    return _csv(workday_rows())


# BambooHR, as an Excel report: first and last names, a personal e-mail beside the work one,
# levels L1-L9, the supervisor's employee number, a real Excel date for the termination.
BAMBOO_LEVELS = ["L9", "L8", "L7", "L6", "L4", "L3", "L1", "L6"]
BAMBOO_GRADES = {"amelie.dubois@lumen.example": 9, "jurgen.schafer@lumen.example": 8,
                 "sofia.hernandez@lumen.example": 7, "chloe.martin@lumen.example": 6,
                 "ngozi.okafor@lumen.example": 4, "lukasz.nowak@lumen.example": 3,
                 "mei.tanaka@lumen.example": 1}  # fmt: skip


def bamboohr_xlsx() -> bytes:
    rows: list[list[object]] = [
        ["Employee #", "First Name", "Last Name", "Home Email", "Work Email", "Job Title",
         "Job Level", "Department", "Division", "Location", "Supervisor ID", "Status",
         "Termination Date"]
    ]  # fmt: skip
    for (eid, first, last, email, title, dept, mgr, office, _tz), level in zip(
        LUMEN, BAMBOO_LEVELS, strict=True
    ):
        left = email == LEAVER
        home = f"{first.lower()}.{last.lower()}@gmail.example"
        rows.append([
            int(eid[1:]), first, last, home, email, title, level, dept, "EMEA", office,
            int(mgr[1:]) if mgr else None, "Inactive" if left else "Active",
            datetime(2025, 11, 30) if left else None,
        ])  # fmt: skip
    return _xlsx(rows)


# Personio: semicolons and a BOM (Excel in a European locale), the supervisor by name, and a
# custom "level" attribute with bands; one band left empty.
PERSONIO_BANDS = ["Band 12", "Band 10", "Band 8", "Band 7", "Band 4", "Band 3", "", "Band 7"]
PERSONIO_GRADES = {"amelie.dubois@lumen.example": 12, "jurgen.schafer@lumen.example": 10,
                   "sofia.hernandez@lumen.example": 8, "chloe.martin@lumen.example": 7,
                   "ngozi.okafor@lumen.example": 4, "lukasz.nowak@lumen.example": 3,
                   "mei.tanaka@lumen.example": None}  # fmt: skip


def personio_csv() -> bytes:
    names = {row[0]: f"{row[1]} {row[2]}" for row in LUMEN}
    rows = [["id", "first_name", "last_name", "email", "position", "department", "office",
             "supervisor", "level", "status"]]  # fmt: skip
    for (eid, first, last, email, title, dept, mgr, office, _tz), band in zip(
        LUMEN, PERSONIO_BANDS, strict=True
    ):
        status = "inactive" if email == LEAVER else "active"
        rows.append([eid[1:], first, last, email, title, dept, office, names.get(mgr, ""),
                     band, status])  # fmt: skip
    return _csv(rows, delimiter=";", bom=True)


# HiBob: JSON-path headers, managers by e-mail (in capitals), sites without time zones, the
# leaver marked Terminated with a day/month/year date.
def hibob_csv() -> bytes:
    rows = [["/root/email", "/root/firstName", "/root/surname", "/work/employeeIdInCompany",
             "/work/title", "/work/department", "/work/site", "/work/reportsTo/email",
             "/internal/status", "/internal/terminationDate"]]  # fmt: skip
    for eid, first, last, email, title, dept, mgr, office, _tz in LUMEN:
        left = email == LEAVER
        manager = EMAIL_OF[mgr].upper() if mgr else ""
        rows.append([email, first, last, eid, title, dept, office, manager,
                     "Terminated" if left else "Employed", "30/11/2025" if left else ""])  # fmt: skip
    return _csv(rows)


HIBOB_ZONES = {
    "amelie.dubois@lumen.example": "Europe/Paris",
    "jurgen.schafer@lumen.example": "Europe/Berlin",
    "sofia.hernandez@lumen.example": "Europe/Madrid",
    "chloe.martin@lumen.example": "Europe/Paris",
    "ngozi.okafor@lumen.example": "Europe/London",
    "lukasz.nowak@lumen.example": "Europe/Warsaw",
    "mei.tanaka@lumen.example": "Asia/Tokyo",
}


# SAP SuccessFactors' user data file: system keys, then labels; NO_MGR for the CEO; an HR
# column (the HR partner's id) that must not be read as the manager.
def successfactors_csv() -> bytes:
    rows = [
        ["STATUS", "USERID", "USERNAME", "FIRSTNAME", "LASTNAME", "EMAIL", "MANAGER", "HR",
         "DEPARTMENT", "TITLE", "LOCATION", "TIMEZONE"],
        ["Status", "User ID", "Username", "First Name", "Last Name", "Email", "Manager", "HR",
         "Department", "Title", "Location", "Timezone"],
    ]  # fmt: skip
    for eid, first, last, email, title, dept, mgr, office, tz in LUMEN:
        status = "inactive" if email == LEAVER else "active"
        rows.append([status, eid, (first[0] + last).lower(), first, last, email,
                     mgr or "NO_MGR", "HR900", dept, title, office, tz])  # fmt: skip
    return _csv(rows)


SHAPES = {
    "workday": ("lumen_workday.csv", workday_csv),
    "bamboohr": ("lumen_bamboohr.xlsx", bamboohr_xlsx),
    "personio": ("lumen_personio.csv", personio_csv),
    "hibob": ("lumen_hibob.csv", hibob_csv),
    "successfactors": ("lumen_successfactors.csv", successfactors_csv),
}
