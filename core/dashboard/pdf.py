"""The portal's PDF page: A4, in DejaVu Sans shipped with the portal, text set flush left.

The font comes from this package (core/dashboard/fonts, copied from Debian's fonts-dejavu-core
with its licence), never from the machine, so every server prints the same document and every
script a name may use. If the file is missing or broken, Helvetica with text reduced to
latin-1 still produces the document: a name never makes a PDF fail.

Its own module so that fpdf (and fontTools under it, about a second to import) loads only when a
PDF is built, never with the dashboard page.
"""

from __future__ import annotations

import io
import struct
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF, FontFace

FONTS = Path(__file__).resolve().parent / "fonts"
FONT_DIRS = (FONTS,)
UNICODE_FONT = "DejaVu"
REGULAR_FILE, BOLD_FILE = "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"
TEXT_COLOUR, MUTED_COLOUR, RULE_COLOUR = (34, 34, 34), (96, 96, 96), (210, 210, 210)
HEADER_FILL = (238, 241, 245)
BULLET = "•"
# Characters a core PDF font (latin-1) lacks and that NFKD does not reduce to a latin letter.
LATIN1_SUBSTITUTES = str.maketrans(
    {
        "Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Ħ": "H", "ħ": "h", "ı": "i", "Œ": "OE",
        "œ": "oe", "ß": "ss", "–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"',
        "…": "...", "→": "->", "−": "-", "•": "*", "€": "EUR", "·": "-",
    }
)  # fmt: skip


def latin1_text(text: str) -> str:
    """`text` in latin-1 for a core PDF font: accents kept where latin-1 has them ("Zoë"),
    dropped where it does not ("Łukasz" → "Lukasz"), anything else as "?"."""
    text = text.translate(LATIN1_SUBSTITUTES)
    out = []
    for char in text:
        if ord(char) < 256:
            out.append(char)
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if ord(c) < 256)
        out.append(base if base else "?")
    return "".join(out)


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height in pixels, read from the PNG header (IHDR comes first)."""
    width, height = struct.unpack(">II", data[16:24])
    return width, height


class PortalPdf(FPDF):
    """An A4 document in the shipped DejaVu Sans, text flush left (justified text leaves gaps
    between words), with "Page 1 of N" at the foot of every page when `page_numbers`."""

    def __init__(self, *, page_numbers: bool = False) -> None:
        super().__init__(format="A4")
        self.page_numbers = page_numbers
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 16, 18)
        self.unicode = self._add_unicode_font()
        self.set_text_color(*TEXT_COLOUR)

    def _add_unicode_font(self) -> bool:
        for folder in FONT_DIRS:
            regular, bold = folder / REGULAR_FILE, folder / BOLD_FILE
            if regular.is_file() and bold.is_file():
                try:
                    self.add_font(UNICODE_FONT, "", str(regular))
                    self.add_font(UNICODE_FONT, "B", str(bold))
                except Exception:  # a broken font file must not stop a report: fall back
                    return False
                return True
        return False

    @property
    def family(self) -> str:
        return UNICODE_FONT if self.unicode else "Helvetica"

    def footer(self) -> None:
        if not self.page_numbers:
            return
        self.set_y(-12)
        self.use_font(8.5)
        self.set_text_color(*MUTED_COLOUR)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="C")
        self.set_text_color(*TEXT_COLOUR)

    def use_font(self, size: float, bold: bool = False) -> None:
        self.set_font(self.family, "B" if bold else "", size)

    def safe(self, text: str) -> str:
        return text if self.unicode else latin1_text(text)

    def paragraph(
        self,
        text: str,
        size: float = 10.5,
        bold: bool = False,
        gap: float = 1.5,
        muted: bool = False,
    ) -> None:
        self.use_font(size, bold)
        if muted:
            self.set_text_color(*MUTED_COLOUR)
        self.multi_cell(0, size * 0.5, self.safe(text), align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*TEXT_COLOUR)
        self.ln(gap)

    def heading(self, text: str, size: float = 14) -> None:
        """A section heading with a thin rule under it; never the last line of a page."""
        if self.will_page_break(size * 0.5 + 20):
            self.add_page()
        self.ln(3)
        self.paragraph(text, size=size, bold=True, gap=0.5)
        self.set_draw_color(*RULE_COLOUR)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(2.5)

    def subheading(self, text: str) -> None:
        if self.will_page_break(18):
            self.add_page()
        self.paragraph(text, size=11.5, bold=True, gap=0.8)

    def bullets(self, lines: Sequence[str], size: float = 10.5) -> None:
        """A real bulleted list: the bullet hangs in the margin of the item's wrapped lines."""
        indent, height = 5, size * 0.5
        for line in lines:
            self.use_font(size)
            self.set_x(self.l_margin + 1)
            self.cell(indent - 1, height, self.safe(BULLET))
            self.multi_cell(self.epw - indent, height, self.safe(line), align="L", new_x="LMARGIN")
            self.ln(1)
        self.ln(1)

    def grid(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        size: float = 9.5,
    ) -> None:
        """A table with a shaded header row repeated on each page it spans, text flush left."""
        self.use_font(size)
        self.set_draw_color(*RULE_COLOUR)
        with self.table(
            width=self.epw,
            col_widths=tuple(widths),
            text_align="LEFT",
            line_height=size * 0.55,
            padding=(1.2, 1.5),
            headings_style=FontFace(emphasis="BOLD", fill_color=HEADER_FILL),
            borders_layout="HORIZONTAL_LINES",
            first_row_as_headings=True,
        ) as table:
            for cells in (header, *rows):
                row = table.row()
                for cell in cells:
                    row.cell(self.safe(str(cell)))
        self.ln(3)

    def figure(self, data: bytes, caption: str, note: str | None = None) -> None:
        """A chart (PNG) with its caption above and its privacy note below, kept on one page:
        the image takes the text width, shrunk to half a page (a tall chart: to a page), and
        starts a new page only when it does not fit below what is already there."""
        width_px, height_px = png_size(data)
        caption_size = 9.5
        self.use_font(caption_size)
        caption_height = (
            len(
                self.multi_cell(
                    self.epw, caption_size * 0.5, self.safe(caption), dry_run=True, output="LINES"
                )
            )
            * caption_size
            * 0.5
        )
        room = self.h - self.t_margin - self.b_margin - caption_height - 12
        width = self.epw
        height = width * height_px / width_px
        # Two charts of ordinary height share a page; a tall one (a row per topic) gets a page.
        limit = room / 2 - 8 if height <= room * 0.7 else room
        if height > limit:
            width, height = width * limit / height, limit
        if self.will_page_break(caption_height + 2 + height):
            self.add_page()
        self.paragraph(caption, size=caption_size, muted=True, gap=1)
        self.image(io.BytesIO(data), x=self.l_margin, w=width, h=height)
        self.ln(1.5)
        if note:
            self.paragraph(note, size=8.5, muted=True, gap=1)
        self.ln(3)
