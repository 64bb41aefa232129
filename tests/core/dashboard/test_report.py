"""The published report (HTML and PDF) and the mentors' recognition letters."""

from __future__ import annotations

import io
import re
import zipfile
from html.parser import HTMLParser

import pytest

from core.dashboard import pdf as report_pdf
from core.dashboard import report
from core.dashboard.frames import load_frames
from core.dashboard.kpis import compute_kpis
from core.dashboard.letters import (
    RecognitionLetter,
    letters_zip,
    recognition_letters,
    recognition_letters_pdf,
    render_letter,
)
from core.dashboard.pdf import latin1_text
from core.dashboard.report import (
    build_report_html,
    build_report_pdf,
    report_content,
)
from core.errors import NotAllowed
from core.models import Pilot
from tests.builders.dashboard import (  # noqa: F401
    AS_OF,
    CYBER,
    DATA,
    END,
    GENAI,
    M1_FEEDBACK,
    M2_FEEDBACK,
    RESP_AI,
    START,
    T1_FEEDBACK,
    build_template,
    dashboard_template,
    open_copy,
    world,
)


class TileReader(HTMLParser):
    """The data-* attributes of every KPI tile, as a reader of the page would find them."""

    def __init__(self) -> None:
        super().__init__()
        self.tiles: dict[str, dict[str, str]] = {}

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if "data-kpi" in found:
            self.tiles[found["data-kpi"]] = found


def test_report_tiles_match_the_kpis(world):
    session, built, _ = world
    html = build_report_html(built.admin, built.pilot_id, session=session, as_of=AS_OF)
    reader = TileReader()
    reader.feed(html)
    frames = load_frames(built.admin, built.pilot_id, session=session, as_of=AS_OF)
    tiles = compute_kpis(frames)
    assert list(reader.tiles) == [t.key for t in tiles]
    for tile in tiles:
        shown = reader.tiles[tile.key]
        assert float(shown["data-value"]) == tile.value
        assert float(shown["data-target"]) == tile.target
        assert shown["data-met"] == str(tile.met).lower()
    assert reader.tiles["pct_pairs_met_4_times"]["class"] == "tile missed"


def test_report_has_no_names_no_feedback_and_nothing_to_fetch(world):
    session, built, _ = world
    html = build_report_html(built.admin, built.pilot_id, session=session, as_of=AS_OF)
    for name in built.names():
        assert name not in html
        assert name.split()[0] not in html
    for text in (M1_FEEDBACK, M2_FEEDBACK, T1_FEEDBACK, "Private takeaway", "@example.com"):
        assert text not in html
    assert "<script" not in html and "<link" not in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert html.count("<svg") == len(report.CHART_CAPTIONS)


def test_report_highlights_are_anonymous_figures(world):
    session, built, _ = world
    content = report_content(built.admin, built.pilot_id, session=session, as_of=AS_OF)
    assert content.highlights == [
        "Pairs met 3.8 times on average.",
        "15 sessions and 12 hours of mentoring across 4 pairs.",
        f"Most wanted topics: {GENAI}, {DATA}, LinkedIn presence.",
        f"No mentor can teach yet: {RESP_AI}.",
        f"Biggest confidence gain: {GENAI} (+1.7 points).",
        "Mentors learned most about: Strategy and big picture (+2.0 points).",
        "40% of matched pairs bring together two departments.",
        "Mentors cover 70% of their mentee's goals on average.",
    ]


def test_report_escapes_what_admins_typed(world):
    session, built, _ = world
    pilot = session.get(Pilot, built.pilot_id)
    pilot.name = "R&D <b>pilot</b>"
    pilot.purpose = "<script>alert('x')</script> for leaders"
    session.add(pilot)
    session.flush()
    html = build_report_html(built.admin, built.pilot_id, session=session, as_of=AS_OF)
    assert "<h1>R&amp;D &lt;b&gt;pilot&lt;/b&gt;</h1>" in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; for leaders" in html
    assert "<b>pilot" not in html and "<script" not in html


def test_report_pdf_is_a_pdf(world):
    session, built, _ = world
    pdf = build_report_pdf(built.admin, built.pilot_id, session=session, as_of=AS_OF)
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")


def test_only_admins_get_the_report_or_the_letters(world):
    session, built, _ = world
    mentee = built.actors["m1"]
    for build in (build_report_html, build_report_pdf, recognition_letters_pdf):
        with pytest.raises(NotAllowed):
            build(mentee, built.pilot_id, session=session)


def test_letters_go_to_mentors_who_completed_with_shared_feedback_only(world):
    session, built, _ = world
    letters = recognition_letters(built.admin, built.pilot_id, session=session, as_of=AS_OF)
    common = {"pilot_name": "Reverse mentoring 2026", "pilot_start": START, "pilot_end": END}
    common |= {"sponsor_name": "Sam Sponsor", "mentees": 1}
    assert letters == [
        RecognitionLetter(
            mentor_email="t3@example.com",
            mentor_name="Ana Souza",
            sessions=4,
            minutes=120,
            topics=(CYBER, GENAI),
            feedback=(),  # m2 did not agree to share "Sessions felt rushed at times"
            **common,
        ),
        RecognitionLetter(
            mentor_email="t4@example.com",
            mentor_name="Tom Becker",
            sessions=4,
            minutes=240,
            topics=(GENAI, RESP_AI),
            feedback=(),
            **common,
        ),
        RecognitionLetter(
            mentor_email="t1@example.com",
            mentor_name="Zoë Łukasz-Nowak",
            sessions=5,
            minutes=240,
            topics=(GENAI, DATA),
            feedback=(M1_FEEDBACK,),
            **common,
        ),
    ]


def test_letters_as_pdfs_and_one_zip(world):
    session, built, _ = world
    pdfs = recognition_letters_pdf(built.admin, built.pilot_id, session=session, as_of=AS_OF)
    assert sorted(pdfs) == ["t1@example.com", "t3@example.com", "t4@example.com"]
    assert all(pdf.startswith(b"%PDF-") for pdf in pdfs.values())
    with zipfile.ZipFile(io.BytesIO(letters_zip(pdfs))) as archive:
        assert archive.namelist() == [
            "recognition-t1_at_example.com.pdf",
            "recognition-t3_at_example.com.pdf",
            "recognition-t4_at_example.com.pdf",
        ]
        assert archive.read("recognition-t1_at_example.com.pdf") == pdfs["t1@example.com"]


def test_any_name_prints_without_a_unicode_font(monkeypatch):
    assert latin1_text("Zoë Łukasz – “hi” → 漢") == 'Zoë Lukasz - "hi" -> ?'
    monkeypatch.setattr(report_pdf, "FONT_DIRS", ())
    letter = RecognitionLetter(
        mentor_email="z@example.com",
        mentor_name="Zoë Łukasz-Nowak 漢字",
        pilot_name="Pilot – 2026",
        pilot_start=START,
        pilot_end=END,
        sponsor_name="Đorđe",
        mentees=2,
        sessions=1,
        minutes=45,
        topics=("Generative AI basics",),
        feedback=("“Brilliant” — thank you",),
    )
    assert render_letter(letter, AS_OF).startswith(b"%PDF-")
    assert not report_pdf.PortalPdf().unicode


def test_a_letter_lists_the_topics_as_bullets_read_back_from_the_pdf():
    from pypdf import PdfReader

    letter = RecognitionLetter(
        mentor_email="t1@example.com",
        mentor_name="Zoë Łukasz-Nowak",
        pilot_name="Reverse mentoring 2026",
        pilot_start=START,
        pilot_end=END,
        sponsor_name="Dana Reyes",
        mentees=1,
        sessions=5,
        minutes=300,
        topics=("Generative AI basics", "Data literacy"),
        feedback=(),
    )
    lines = PdfReader(io.BytesIO(render_letter(letter, AS_OF))).pages[0].extract_text()
    lines = [" ".join(line.split()) for line in lines.splitlines()]
    assert "• Generative AI basics" in lines and "• Data literacy" in lines
    assert not [line for line in lines if line.startswith("- ")]
    assert "held 5 sessions" in " ".join(lines)
