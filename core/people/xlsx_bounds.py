"""Limits on an uploaded XLSX workbook, checked before any part of it is expanded in memory.

An XLSX file is a zip of XML parts, and deflate packs repetitive XML a thousandfold: a 1 MB
upload can hold a sheet of 20 million cells or a shared-strings table of 25 million entries,
which openpyxl would build in memory (even in read-only mode, every shared string and every cell
of one row are held at once) inside the shared server process. So, before openpyxl opens it:

- every part's uncompressed size, as the zip declares it, is bounded (zipfile never returns
  more bytes than declared: a part that holds more fails its checksum and is refused unread);
- every XML part is streamed once, a megabyte at a time, counting its cells (per sheet and per
  row) and shared strings, and refused as soon as a count passes its limit.

Then rows are read without the sheet's declared dimensions (a forged `A1:XFD1048576` would pad
every row to 16,384 cells) and only up to a column limit.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

CHUNK = 1024 * 1024
# Parts that are neither a worksheet nor the shared strings: styles, workbook, theme, relations,
# properties. Real ones are kilobytes; several megabytes already means thousands of styles.
OTHER_PART_BYTES = 8 * 1024 * 1024
# The format's own limit (column XFD): a row with more cells than this is not a spreadsheet row.
ROW_CELLS = 16_384
# A cell, a row or a shared string opening tag, with any namespace prefix. Text and attribute
# values cannot hold a raw "<", so only markup matches (comments may: they only count extra).
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,31}:)?(c|row|si)[\s/>]")
_TAIL = 40  # longer than any match, so a tag split between two chunks is still seen


class WorkbookRefused(Exception):
    """The workbook is larger than the importer reads; the message is one line to show."""


@dataclass(frozen=True)
class WorkbookLimits:
    """What one importer reads: the uncompressed size of a worksheet or of the shared strings,
    the cells of one worksheet (also the entries of the shared strings), and columns per row."""

    part_bytes: int
    cells: int
    columns: int

    @property
    def total_bytes(self) -> int:
        return 2 * self.part_bytes + OTHER_PART_BYTES


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:,.0f} MB"


def _big_part(name: str) -> bool:
    lowered = name.lower()
    return "worksheets/" in lowered or lowered.endswith("sharedstrings.xml")


def _check_sizes(archive: zipfile.ZipFile, limits: WorkbookLimits) -> None:
    total = 0
    for info in archive.infolist():
        limit = limits.part_bytes if _big_part(info.filename) else OTHER_PART_BYTES
        if info.file_size > limit:
            raise WorkbookRefused(
                f"The workbook's part '{info.filename}' expands to {_mb(info.file_size)}; the "
                f"limit is {_mb(limit)}. Save only the sheet you need, as .xlsx or CSV."
            )
        total += info.file_size
    if total > limits.total_bytes:
        raise WorkbookRefused(
            f"The workbook expands to {_mb(total)}; the limit is {_mb(limits.total_bytes)}. "
            "Save only the sheet you need, as .xlsx or CSV."
        )


def _count_tags(archive: zipfile.ZipFile, name: str, limits: WorkbookLimits) -> None:
    """Stream one XML part and refuse it as soon as it holds too many cells or strings."""
    cells = row_cells = strings = 0
    tail = b""
    with archive.open(name) as part:
        while chunk := part.read(CHUNK):
            buffer = tail + chunk
            for match in _TAG.finditer(buffer):
                if match.end() <= len(tail):
                    continue  # complete in the previous buffer: counted there
                tag = match.group(1)
                if tag == b"c":
                    cells += 1
                    row_cells += 1
                    if row_cells > ROW_CELLS:
                        raise WorkbookRefused(
                            f"A row of the workbook has more than {ROW_CELLS:,} cells, more than "
                            "a spreadsheet row can hold. Save it again from Excel as .xlsx or CSV."
                        )
                    if cells > limits.cells:
                        raise WorkbookRefused(
                            f"A sheet of the workbook has more than {limits.cells:,} cells, the "
                            "most the portal reads. Save only the rows and columns you need, as "
                            ".xlsx or CSV."
                        )
                elif tag == b"row":
                    row_cells = 0
                else:
                    strings += 1
                    if strings > limits.cells:
                        raise WorkbookRefused(
                            f"The workbook holds more than {limits.cells:,} different texts, the "
                            "most the portal reads. Save only the sheet you need, as .xlsx or CSV."
                        )
            tail = buffer[-_TAIL:]


def check_workbook(data: bytes, limits: WorkbookLimits) -> None:
    """Refuse a workbook whose parts would expand past `limits`, before openpyxl reads it. A
    file that is not a readable zip is left to openpyxl, which refuses it with its own message."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        return
    with archive:
        _check_sizes(archive, limits)
        for info in archive.infolist():
            if info.filename.lower().endswith((".xml", ".rels", ".vml")):
                try:
                    _count_tags(archive, info.filename, limits)
                except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError) as exc:
                    raise WorkbookRefused(
                        f"The workbook's part '{info.filename}' is damaged. "
                        "Open it in Excel and save it again as .xlsx or CSV."
                    ) from exc


def bounded_rows(sheet: Any, limits: WorkbookLimits) -> Iterator[tuple[int, tuple]]:
    """(row number, values) of an openpyxl read-only sheet, at most `limits.columns` wide; a value
    beyond that column refuses the sheet rather than being dropped without a word."""
    sheet.reset_dimensions()  # the declared size is the file's claim, not a fact
    for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
        if len(values) > limits.columns:
            if any(v not in (None, "") for v in values[limits.columns :]):
                raise WorkbookRefused(
                    f"Row {number} has a value beyond column {limits.columns}; the portal reads "
                    f"at most {limits.columns} columns. Delete the columns it does not use."
                )
            values = values[: limits.columns]
        yield number, values
