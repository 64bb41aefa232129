"""Messages from template files (core/mail/templates/NAME.txt), so wording can change without
touching code. The first line is `Subject: ...`; the rest is the plain-text body. The HTML part is
the same text, escaped, with the portal's links made clickable: nothing a person typed can turn
into markup in somebody else's mailbox."""

from __future__ import annotations

import html
import re
from pathlib import Path
from string import Template

TEMPLATES = Path(__file__).resolve().parent / "templates"
_URL = re.compile(r"https?://[^\s<>\"]+")


def render(template: str, /, **values: object) -> tuple[str, str, str]:
    """(subject, text, html) for a template, with every $placeholder filled."""
    raw = (TEMPLATES / f"{template}.txt").read_text(encoding="utf-8")
    first, _, body = raw.partition("\n")
    if not first.startswith("Subject:"):
        raise ValueError(f"template {template} must start with a Subject: line")
    filled = {k: str(v) for k, v in values.items()}
    subject = Template(first.removeprefix("Subject:").strip()).substitute(filled)
    text = Template(body.lstrip("\n")).substitute(filled)
    return subject, text, to_html(text)


def to_html(text: str) -> str:
    paragraphs = []
    for block in re.split(r"\n\s*\n", text.strip()):
        escaped = html.escape(block)
        linked = _URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', escaped)
        paragraphs.append("<p>" + linked.replace("\n", "<br>") + "</p>")
    return (
        '<!doctype html><html><body style="font-family: Arial, sans-serif; color: #1F1F2E; '
        'line-height: 1.5; max-width: 40em">' + "".join(paragraphs) + "</body></html>"
    )
