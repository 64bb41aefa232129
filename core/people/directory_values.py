"""What the cells of an HR export mean: grade labels, offices, employment status and dates.

Each rule here proposes; the programme team confirms. Grade labels (`L5`, `Band 3`, `Senior
Manager`) become numbers through a table shown in the preview, offices become time zones the
same way, because a wrong guess about seniority or a time zone silently changes who is matched.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import available_timezones

from core.timezones import time_zone_problem

MAX_GRADE = 30
WHOLE_NUMBER_RE = re.compile(r"^[+-]?\d+(?:\.0+)?$")
# "L5", "Band 3", "P3", "Grade 12", "IC4", "Level 7", "E-5": one number in the label.
NUMBERED_LABEL_RE = re.compile(r"^[^\d]{0,20}?(\d{1,2})(?:\.0+)?[^\d]{0,20}$")
# Seniority words, most specific first; a label takes the first phrase it contains.
TITLE_LADDER: tuple[tuple[str, int], ...] = (
    ("executive assistant", 2),
    ("executive vice president", 13),
    ("evp", 13),
    ("senior vice president", 12),
    ("svp", 12),
    ("vice president", 11),
    ("vp", 11),
    ("chief", 14),
    ("c level", 14),
    ("c suite", 14),
    ("executive", 13),
    ("senior director", 10),
    ("director", 9),
    ("head of", 9),
    ("senior manager", 8),
    ("manager", 7),
    ("principal", 6),
    ("staff", 6),
    ("lead", 6),
    ("senior", 5),
    ("specialist", 4),
    ("professional", 4),
    ("consultant", 4),
    ("associate", 3),
    ("analyst", 3),
    ("junior", 2),
    ("entry", 2),
    ("graduate", 2),
    ("trainee", 2),
    ("assistant", 2),
    ("apprentice", 1),
    ("intern", 1),
    ("working student", 1),
)
INACTIVE_STATUSES = frozenset(
    {
        "inactive",
        "terminated",
        "termed",
        "leaver",
        "left",
        "former",
        "former employee",
        "separated",
        "deactivated",
        "disabled",
        "withdrawn",
        "retired",
        "offboarded",
        "false",
        "no",
        "n",
        "f",
        "0",
    }
)
# Offices HR systems name by a city the IANA database does not, and countries with one zone.
EXTRA_PLACES: dict[str, str] = {
    "san francisco": "America/Los_Angeles",
    "seattle": "America/Los_Angeles",
    "palo alto": "America/Los_Angeles",
    "mountain view": "America/Los_Angeles",
    "san jose": "America/Los_Angeles",
    "san diego": "America/Los_Angeles",
    "austin": "America/Chicago",
    "dallas": "America/Chicago",
    "houston": "America/Chicago",
    "boston": "America/New_York",
    "atlanta": "America/New_York",
    "washington": "America/New_York",
    "miami": "America/New_York",
    "munich": "Europe/Berlin",
    "munchen": "Europe/Berlin",
    "frankfurt": "Europe/Berlin",
    "hamburg": "Europe/Berlin",
    "cologne": "Europe/Berlin",
    "koln": "Europe/Berlin",
    "dusseldorf": "Europe/Berlin",
    "stuttgart": "Europe/Berlin",
    "barcelona": "Europe/Madrid",
    "valencia": "Europe/Madrid",
    "seville": "Europe/Madrid",
    "lyon": "Europe/Paris",
    "marseille": "Europe/Paris",
    "toulouse": "Europe/Paris",
    "bordeaux": "Europe/Paris",
    "lille": "Europe/Paris",
    "nantes": "Europe/Paris",
    "manchester": "Europe/London",
    "edinburgh": "Europe/London",
    "birmingham": "Europe/London",
    "glasgow": "Europe/London",
    "bristol": "Europe/London",
    "leeds": "Europe/London",
    "cork": "Europe/Dublin",
    "bangalore": "Asia/Kolkata",
    "bengaluru": "Asia/Kolkata",
    "mumbai": "Asia/Kolkata",
    "pune": "Asia/Kolkata",
    "delhi": "Asia/Kolkata",
    "new delhi": "Asia/Kolkata",
    "hyderabad": "Asia/Kolkata",
    "chennai": "Asia/Kolkata",
    "gurgaon": "Asia/Kolkata",
    "geneva": "Europe/Zurich",
    "basel": "Europe/Zurich",
    "milan": "Europe/Rome",
    "milano": "Europe/Rome",
    "turin": "Europe/Rome",
    "florence": "Europe/Rome",
    "naples": "Europe/Rome",
    "krakow": "Europe/Warsaw",
    "wroclaw": "Europe/Warsaw",
    "gdansk": "Europe/Warsaw",
    "rotterdam": "Europe/Amsterdam",
    "the hague": "Europe/Amsterdam",
    "utrecht": "Europe/Amsterdam",
    "eindhoven": "Europe/Amsterdam",
    "antwerp": "Europe/Brussels",
    "ghent": "Europe/Brussels",
    "porto": "Europe/Lisbon",
    "gothenburg": "Europe/Stockholm",
    "malmo": "Europe/Stockholm",
    "aarhus": "Europe/Copenhagen",
    "bergen": "Europe/Oslo",
    "osaka": "Asia/Tokyo",
    "kyoto": "Asia/Tokyo",
    "beijing": "Asia/Shanghai",
    "shenzhen": "Asia/Shanghai",
    "guangzhou": "Asia/Shanghai",
    "montreal": "America/Toronto",
    "ottawa": "America/Toronto",
    "calgary": "America/Edmonton",
    "cape town": "Africa/Johannesburg",
    "abu dhabi": "Asia/Dubai",
    "tel aviv": "Asia/Jerusalem",
    "rio de janeiro": "America/Sao_Paulo",
    "germany": "Europe/Berlin",
    "deutschland": "Europe/Berlin",
    "france": "Europe/Paris",
    "spain": "Europe/Madrid",
    "espana": "Europe/Madrid",
    "italy": "Europe/Rome",
    "netherlands": "Europe/Amsterdam",
    "belgium": "Europe/Brussels",
    "united kingdom": "Europe/London",
    "uk": "Europe/London",
    "england": "Europe/London",
    "scotland": "Europe/London",
    "ireland": "Europe/Dublin",
    "poland": "Europe/Warsaw",
    "portugal": "Europe/Lisbon",
    "sweden": "Europe/Stockholm",
    "denmark": "Europe/Copenhagen",
    "norway": "Europe/Oslo",
    "finland": "Europe/Helsinki",
    "switzerland": "Europe/Zurich",
    "austria": "Europe/Vienna",
    "czechia": "Europe/Prague",
    "czech republic": "Europe/Prague",
    "india": "Asia/Kolkata",
    "japan": "Asia/Tokyo",
    "china": "Asia/Shanghai",
    "brazil": "America/Sao_Paulo",
}
REGIONS = ("Africa", "America", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific")
EMBEDDED_ZONE_RE = re.compile(r"\b([A-Z][A-Za-z]+/[A-Za-z_]+(?:/[A-Za-z_]+)?)\b")
DATE_FORMATS_ISO = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d")


def plain(text: str) -> str:
    """Lower case without accents or extra spaces: 'Zürich ' and 'zurich' are one office."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.lower().split())


# --- grades ---------------------------------------------------------------------------------


def whole_number(text: str) -> int | None:
    return int(float(text)) if WHOLE_NUMBER_RE.match(text.strip()) else None


def propose_grade(label: str) -> tuple[int | None, str]:
    """(number, why) for a grade label; None when the label says nothing about seniority."""
    if m := NUMBERED_LABEL_RE.match(label.strip()):
        number = int(m.group(1))
        if number <= MAX_GRADE:
            return number, f"the number in '{label}'"
    words = " " + re.sub(r"[^a-z]+", " ", plain(label)) + " "
    for phrase, number in TITLE_LADDER:
        if f" {phrase} " in words:
            return number, f"'{phrase}' ranks {number} on the portal's seniority ladder"
    return None, "no number or seniority word: enter the number yourself"


# --- offices and time zones ---------------------------------------------------------------------


@lru_cache(maxsize=1)
def _places() -> dict[str, str]:
    """City (as IANA names it, in plain words) -> zone, plus the offices and countries above."""
    places: dict[str, str] = {}
    for zone in sorted(available_timezones()):
        if zone.split("/", 1)[0] in REGIONS and "/" in zone:
            places.setdefault(plain(zone.rsplit("/", 1)[-1].replace("_", " ")), zone)
    places.update(EXTRA_PLACES)
    return places


def zone_in_text(text: str) -> str | None:
    """A valid time zone written in the cell, such as 'Europe/Paris' inside Workday's
    '(GMT+01:00) Central European Time (Europe/Paris)', or an offset like 'UTC+2'."""
    text = (text or "").strip()
    if not text:
        return None
    if time_zone_problem(text) is None:
        return text
    for candidate in EMBEDDED_ZONE_RE.findall(text):
        if time_zone_problem(candidate) is None:
            return candidate
    return None


def propose_zone(location: str) -> tuple[str | None, str]:
    """(time zone, why) for an office such as 'Paris', 'DE - München' or 'London Office'."""
    if zone := zone_in_text(location):
        return zone, f"'{location}' is a time zone"
    words = re.sub(r"[^a-z]+", " ", plain(location)).split()
    places = _places()
    # Longest run of words first: 'New York' before 'York', 'Cape Town' before 'Town'.
    for size in (3, 2, 1):
        for start in range(len(words) - size + 1):
            phrase = " ".join(words[start : start + size])
            if phrase in places:
                return places[phrase], f"'{phrase}' is in {places[phrase]}"
    return None, "no city or country the portal knows: enter the time zone yourself"


# --- employment status and dates --------------------------------------------------------------


def is_inactive_status(text: str) -> bool:
    return plain(text) in INACTIVE_STATUSES


def date_order(values: Iterable[str]) -> str:
    """'dmy' or 'mdy' for a column of dates like 03/04/2026: whichever its unambiguous cells
    (a first part above 12, or a second part above 12) show; day first when nothing tells."""
    for value in values:
        parts = re.split(r"[/.\-]", (value or "").strip().split(" ")[0])
        if len(parts) == 3 and all(p.isdigit() for p in parts) and len(parts[0]) <= 2:
            first, second = int(parts[0]), int(parts[1])
            if first > 12:
                return "dmy"
            if second > 12:
                return "mdy"
    return "dmy"


def parse_date(text: str, order: str = "dmy") -> date | None:
    """A date as HR exports write it (ISO, day/month/year, month/day/year, Excel's datetime);
    raises ValueError for text that is not a date, None for an empty cell."""
    text = (text or "").strip()
    if not text:
        return None
    head = text.replace("T", " ").split(" ")[0]
    for fmt in DATE_FORMATS_ISO:
        try:
            return datetime.strptime(head, fmt).date()
        except ValueError:
            pass
    parts = re.split(r"[/.\-]", head)
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        a, b, c = (int(p) for p in parts)
        year = c + 2000 if c < 100 else c
        day, month = (a, b) if order == "dmy" else (b, a)
        return date(year, month, day)
    raise ValueError(text)
