"""Every download of the dashboard is named the same way: reverse-mentoring-WHAT-DATE.EXT."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from core.dashboard.downloads import download_name

PATTERN = re.compile(r"^reverse-mentoring-[a-z0-9]+(-[a-z0-9]+)*-\d{4}-\d{2}-\d{2}\.[a-z]+$")


def test_download_names_follow_one_pattern():
    day = date(2026, 12, 1)
    assert download_name("report", "pdf", day) == "reverse-mentoring-report-2026-12-01.pdf"
    assert download_name("report", "html", day) == "reverse-mentoring-report-2026-12-01.html"
    assert download_name("data", "xlsx", day) == "reverse-mentoring-data-2026-12-01.xlsx"
    assert download_name("data csv", "zip", day) == "reverse-mentoring-data-csv-2026-12-01.zip"
    assert (
        download_name("Recognition letters", ".zip", day)
        == "reverse-mentoring-recognition-letters-2026-12-01.zip"
    )


def test_a_download_is_dated_today_by_default():
    name = download_name("report", "pdf")
    assert PATTERN.match(name)
    assert name == f"reverse-mentoring-report-{datetime.now(UTC).date().isoformat()}.pdf"
