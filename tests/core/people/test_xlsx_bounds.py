"""XLSX bombs: small uploads that expand to millions of cells or shared strings are refused with
one line and in bounded memory, by the roster and the directory import alike.

The bombs are written part by part with zipfile (not openpyxl, which would need the memory the
test is about), from one repeated block, so deflate packs them a thousandfold. Each refusal is
measured in a fresh process: its peak memory (ru_maxrss) includes the interpreter and imports;
the time it took is printed, not asserted (speed lives in bench/).
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from core.people.directory_import import FileRefused, read_records
from core.people.roster_import import XLSX_LIMITS, parse_roster

ROOT = Path(__file__).resolve().parents[3]
BIG_CELLS = 20_000_000
BIG_STRINGS = 25_000_000
MEGABYTES = 1024

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Roster" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _repeat(part, block: bytes, times: int) -> None:
    """Write `block` `times` times, a few megabytes per write."""
    per_write = max(1, (4 * 1024 * 1024) // len(block))
    while times > 0:
        n = min(per_write, times)
        part.write(block * n)
        times -= n


def write_bomb(
    path: Path, *, cells: int = 1, strings: int = 1, cell: bytes = b'<c t="s"><v>0</v></c>'
) -> Path:
    """A workbook whose one sheet holds `cells` cells (rows of 100) and whose shared strings
    hold `strings` entries."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData>'.encode())
            per_row = min(100, cells)
            _repeat(part, b"<row>" + cell * per_row + b"</row>", cells // per_row)
            part.write(b"</sheetData></worksheet>")
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(f'<?xml version="1.0"?><sst xmlns="{MAIN}">'.encode())
            _repeat(part, b"<si><t>a</t></si>", strings)
            part.write(b"</sst>")
    return path


@pytest.fixture(scope="module")
def bombs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bombs")
    return {
        "cells": write_bomb(folder / "cells.xlsx", cells=BIG_CELLS),
        "strings": write_bomb(folder / "strings.xlsx", strings=BIG_STRINGS),
        # Within the size limits, but more cells / strings than the roster reads.
        "tiny_cells": write_bomb(folder / "tiny_cells.xlsx", cells=4_000_000, cell=b"<c/>"),
        "tiny_strings": write_bomb(folder / "tiny_strings.xlsx", strings=3_000_000),
        "one_row": write_bomb(folder / "one_row.xlsx", cells=1, cell=b"<c/>" * 200_000),
    }


MEASURE = """
import json, resource, sys, time
from pathlib import Path
from core.people.roster_import import parse_roster
from core.people.directory_import import FileRefused, read_records
data = Path(sys.argv[2]).read_bytes()
started = time.perf_counter()
if sys.argv[1] == "roster":
    errors = parse_roster(data, "roster.xlsx").file_errors
else:
    try:
        read_records(data, "directory.xlsx", [])
        errors = []
    except FileRefused as exc:
        errors = [str(exc)]
seconds = time.perf_counter() - started
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"errors": errors, "seconds": seconds, "peak_mb": peak_mb}))
"""


def _measured(importer: str, path: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, importer, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("importer", ["roster", "directory"])
@pytest.mark.parametrize(
    ("bomb", "words"),
    [("cells", "sheet1.xml' expands to"), ("strings", "sharedStrings.xml' expands to")],
)
def test_a_bomb_is_refused_quickly_in_bounded_memory(bombs, importer, bomb, words):
    upload = bombs[bomb].stat().st_size
    assert upload < 5 * 1024 * 1024  # under both importers' upload limit: the parts decide
    result = _measured(importer, bombs[bomb])
    assert len(result["errors"]) == 1, result
    message = result["errors"][0]
    assert words in message and "\n" not in message
    assert result["peak_mb"] < MEGABYTES, result
    print(
        f"\n{importer} {bomb} bomb ({upload / 1024:.0f} KB upload): refused in "
        f"{result['seconds']:.2f} s, peak {result['peak_mb']:.0f} MB"
    )


@pytest.mark.parametrize(
    ("bomb", "words"),
    [
        ("tiny_cells", f"more than {XLSX_LIMITS.cells:,} cells"),
        ("tiny_strings", f"more than {XLSX_LIMITS.cells:,} different texts"),
        ("one_row", "more than 16,384 cells, more than a spreadsheet row can hold"),
    ],
)
def test_parts_within_size_but_too_many_cells_are_counted_and_refused(bombs, bomb, words):
    result = _measured("roster", bombs[bomb])
    assert [words in e for e in result["errors"]] == [True], result
    assert result["peak_mb"] < MEGABYTES, result


def _workbook(rows: list[list], **cells) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for ref, value in cells.items():
        sheet[ref] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


ROSTER = [["email", "name", "role"], ["ann@x.com", "Ann", "mentee"], ["bo@x.com", "Bo", "mentor"]]


def test_a_forged_sheet_size_does_not_pad_every_row():
    data = _workbook(ROSTER)
    # The sheet claims to span every row and column Excel allows.
    forged = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(forged, "w") as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', body)
                assert b"XFD1048576" in body
            dst.writestr(item, body)
    preview = parse_roster(forged.getvalue(), "roster.xlsx")
    assert preview.file_errors == []
    assert [r.email for r in preview.rows] == ["ann@x.com", "bo@x.com"]


def test_a_value_beyond_the_column_limit_is_refused_not_dropped():
    far = openpyxl.utils.get_column_letter(XLSX_LIMITS.columns + 5)
    preview = parse_roster(_workbook(ROSTER, **{f"{far}2": "stray"}), "roster.xlsx")
    assert preview.file_errors == [
        f"Row 2 has a value beyond column {XLSX_LIMITS.columns}; the portal reads at most "
        f"{XLSX_LIMITS.columns} columns. Delete the columns it does not use."
    ]


def test_an_ordinary_workbook_still_reads_in_both_importers():
    data = _workbook(ROSTER)
    assert [r.email for r in parse_roster(data, "roster.xlsx").rows] == ["ann@x.com", "bo@x.com"]
    fmt, records = read_records(data, "people.xlsx", [])
    assert fmt == "xlsx" and [cells[0] for _, cells in records] == [
        "email",
        "ann@x.com",
        "bo@x.com",
    ]
    with pytest.raises(FileRefused):
        read_records(b"PK\x03\x04 not really a zip", "people.xlsx", [])
