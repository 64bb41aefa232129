"""The PDF report read back as a reader's PDF viewer would: its text, pages and fonts.

Figures expected here are worked out from tests/builders/dashboard.py (as in
tests/pages/test_dashboard.py), not read back from the dashboard code."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from core.dashboard import pdf as report_pdf
from core.dashboard.report import build_report_pdf
from tests import builders
from tests.builders.dashboard import (  # noqa: F401
    AS_OF,
    dashboard_template,
    open_copy,
    set_privacy_threshold,
)

FONTS = Path(report_pdf.__file__).parent / "fonts"


@pytest.fixture(scope="module")
def report(dashboard_template, tmp_path_factory) -> PdfReader:  # noqa: F811
    """One report for the module's read-only tests: a PDF with its charts takes seconds."""
    with open_copy(dashboard_template, tmp_path_factory.mktemp("pdf")) as (session, built, _):
        data = build_report_pdf(built.admin, built.pilot_id, session=session, as_of=AS_OF)
    return PdfReader(io.BytesIO(data))


def text_of(reader: PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def words(text: str) -> str:
    return " ".join(text.split())


def test_the_report_has_headings_and_numbered_pages(report):
    pages = text_of(report)
    everything = words("\n".join(pages))
    for heading in ("Success criteria", "Highlights", "Leadership commitment",
                    "Who was paired with whom", "Results"):  # fmt: skip
        assert heading in everything
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text


def test_the_kpi_tiles_are_a_table_on_the_first_page(report):
    first = words(text_of(report)[0])
    assert "Measure Result Target Status Based on" in first
    # Accepted pairs p1-p4 met 5, 4, 2 and 4 times; end-minus-start confidence of m1, m2, m4
    # is 7 / 6; 4 of 5 end check-ins would recommend; satisfaction 20 / 5; 4 of the 6 mentees in the pilot have a pair (m3's
    # ended early, m6 never joined).
    for label, value, target in (
        ("Pairs that met 4+ times", "75.0%", "at least 80.0%"),
        ("Confidence gain", "+1.17 points", "at least +1.00 points"),
        ("Would recommend", "80.0%", "at least 80.0%"),
        ("Satisfaction", "4.00 / 5", "at least 4.00 / 5"),
        ("Mentees matched", "66.7%", "at least 90.0%"),
    ):
        assert all(part in first for part in (label, value, target)), label
    assert first.count("Target not met") == 2 and first.count("Target met") == 3
    assert "3 of 4 accepted pairs." in first


def test_highlights_are_a_bulleted_list_and_nothing_is_justified(report):
    first = text_of(report)[0]
    bullets = [line for line in first.splitlines() if line.startswith("• ")]
    assert "• Pairs met 3.8 times on average." in bullets and len(bullets) == 8
    assert not [line for line in first.splitlines() if line.startswith("- ")]
    for page in report.pages:
        # fpdf2 justifies text by spacing words in TJ arrays; flush-left text has none.
        assert b" TJ" not in page.get_contents().get_data()


def test_the_first_page_is_filled_before_the_charts_start(report):
    first = report.pages[0]
    lowest = []

    def visit(text, cm, tm, font, size):  # noqa: ANN001 - pypdf's visitor signature
        if text.strip() and not text.startswith("Page "):
            lowest.append(tm[5])

    first.extract_text(visitor_text=visit)
    height = float(first.mediabox.height)
    # The last line of content sits in the bottom third of the page, not in the middle.
    assert min(lowest) < height / 3


def embedded_fonts(reader: PdfReader) -> dict[str, TTFont]:
    found = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            data = descriptor["/FontFile2"].get_object().get_data()
            found[str(font["/BaseFont"]).split("+", 1)[1]] = TTFont(io.BytesIO(data))
    return found


def test_the_embedded_font_is_the_one_shipped_with_the_portal(report):
    fonts = embedded_fonts(report)
    assert set(fonts) == {"DejaVuSansBook", "DejaVuSansBold"}
    for name, file in (
        ("DejaVuSansBook", "DejaVuSans.ttf"),
        ("DejaVuSansBold", "DejaVuSans-Bold.ttf"),
    ):
        shipped = TTFont(FONTS / file)
        embedded = fonts[name]
        shipped_glyphs, embedded_glyphs = shipped["glyf"], embedded["glyf"]
        shipped_cmap = shipped.getBestCmap()
        compared = 0
        for code, glyph in embedded.getBestCmap().items():
            ours = shipped_glyphs[shipped_cmap[code]]
            theirs = embedded_glyphs[glyph]
            if theirs.numberOfContours > 0:
                assert list(theirs.coordinates) == list(ours.getCoordinates(shipped_glyphs)[0])
                compared += 1
        assert compared > 20, name
    files = {Path(font.ttffile) for font in report_pdf.PortalPdf().fonts.values()}
    assert files == {FONTS / "DejaVuSans.ttf", FONTS / "DejaVuSans-Bold.ttf"}
    assert "Bitstream Vera" in (FONTS / "LICENSE").read_text()


def test_an_empty_pilot_reads_as_not_yet_never_none(session):
    admin = builders.staff(session)
    pilot = builders.pilot(session, admin, name="Empty pilot")
    reader = PdfReader(io.BytesIO(build_report_pdf(admin, pilot.id, session=session)))
    text = words("\n".join(text_of(reader)))
    for nothing in ("None", "nan", "NaN"):
        assert nothing not in text
    assert "No sessions logged yet." in text
    assert "Nobody has been invited yet." in text
    assert "No matched pairs to show yet." in text
    assert text.count("Not yet") == 5  # every tile of the default criteria
    # No blank chart frames: an empty pilot's report holds no images at all.
    assert all(not page.images for page in reader.pages)


def test_a_figure_the_privacy_gate_hides_stays_hidden_in_the_pdf(dashboard_template, tmp_path):  # noqa: F811
    with open_copy(dashboard_template, tmp_path) as (session, built, _):
        # Five people answered the end check-in: with a threshold of 6 their figures are hidden.
        set_privacy_threshold(session, built.pilot_id, 6)
        data = build_report_pdf(built.admin, built.pilot_id, session=session, as_of=AS_OF)
    first = words(PdfReader(io.BytesIO(data)).pages[0].extract_text())
    for label in ("Satisfaction", "Would recommend", "Confidence gain"):
        assert f"{label} hidden" in first, label
    assert "+1.17 points" not in first and "80.0% at least 80.0%" not in first
    assert "Hidden: fewer than 6 people answered" in first
