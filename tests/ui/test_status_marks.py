"""Status is drawn with Material icons and theme colours, never emoji: where no emoji font is
installed (many company laptops and servers rendering PDFs) an emoji shows as an empty box."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Emoji and the pictographic symbol blocks they come from, plus the emoji variation selector.
EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u231a\u231b\u23e9-\u23fa\ufe0f]"
)


def emoji_in(text: str) -> list[str]:
    return EMOJI.findall(text)


def test_the_pattern_knows_an_emoji_from_typography():
    assert emoji_in("✅ done ⚠️ late 🗑 ⏳ ⛔ 🔒 🔁") == [*"✅⚠", "\ufe0f", *"🗑⏳⛔🔒🔁"]
    assert emoji_in("draft → recruiting · 5–480 min — “quoted” … ↑ ≥ é") == []


def test_no_emoji_in_pages_or_widgets():
    files = [ROOT / "app.py", *sorted((ROOT / "pages").rglob("*.py"))]
    files += sorted((ROOT / "ui").rglob("*.py"))
    found = {
        f"{path.relative_to(ROOT)}:{number}": line.strip()
        for path in files
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if emoji_in(line)
    }
    assert found == {}
