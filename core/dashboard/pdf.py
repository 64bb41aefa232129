"""The portal's PDF page: A4, a font that prints every script when the machine has one.

Its own module so that fpdf (and fontTools under it, about a second to import) loads only when a
PDF is built, never with the dashboard page.
"""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

from fpdf import FPDF

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
UNICODE_FONT = "DejaVu"
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


class PortalPdf(FPDF):
    """An A4 document in DejaVu Sans when the machine has it (any script prints), otherwise in
    Helvetica with text reduced to latin-1, so a name never makes a PDF fail."""

    def __init__(self) -> None:
        super().__init__(format="A4")
        self.set_auto_page_break(auto=True, margin=15)
        self.set_margins(18, 16, 18)
        self.unicode = self._add_unicode_font()

    def _add_unicode_font(self) -> bool:
        for folder in FONT_DIRS:
            regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
            if regular.is_file() and bold.is_file():
                try:
                    self.add_font(UNICODE_FONT, "", str(regular))
                    self.add_font(UNICODE_FONT, "B", str(bold))
                except Exception:  # a broken font file must not stop a report: fall back
                    return False
                return True
        return False

    def use_font(self, size: float, bold: bool = False) -> None:
        self.set_font(UNICODE_FONT if self.unicode else "Helvetica", "B" if bold else "", size)

    def safe(self, text: str) -> str:
        return text if self.unicode else latin1_text(text)

    def paragraph(self, text: str, size: float = 10.5, bold: bool = False, gap: float = 1.5):
        self.use_font(size, bold)
        self.multi_cell(0, size * 0.5, self.safe(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(gap)

    def heading(self, text: str, size: float = 14) -> None:
        self.ln(2)
        self.paragraph(text, size=size, bold=True, gap=1)

    def png(self, data: bytes, width: float | None = None) -> None:
        self.image(io.BytesIO(data), w=width or self.epw)
        self.ln(3)
