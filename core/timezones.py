"""Time zones people type: IANA names ("Europe/Paris") or fixed offsets ("UTC+2").

This is the only parser of time zones in the portal. The profile form, the roster import, the
participant form and the matching engine all read a zone through `parse_time_zone`, so a value
one of them accepts can never make another one fail (a profile saved as "UTC + 2" used to pass
the form and then stop matching for the whole pilot).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

# Spaces are allowed anywhere people tend to put them: "UTC + 2", "GMT-05 : 30".
OFFSET_RE = re.compile(r"(?:UTC|GMT)\s*([+-])\s*(\d{1,2})(?:\s*:?\s*(\d{2}))?", re.IGNORECASE)
UTC_NAMES = frozenset({"UTC", "GMT", "Z"})
# Real offsets run from UTC-12 to UTC+14; the same bound on both sides keeps the rule simple.
MAX_OFFSET_HOURS = 14
# Offsets are read at one fixed instant so a run gives the same scores in July and in January.
REFERENCE = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
UNKNOWN = "is not a known time zone; use a name like Europe/Paris or an offset like UTC+2"
OUT_OF_RANGE = (
    f"is out of range; use at most {MAX_OFFSET_HOURS} hours and 59 minutes, like UTC-5:30"
)


class TimeZoneError(ValueError):
    """Text that is not a time zone. `reason` says what to type instead, without quoting the
    text, so each caller can name the value its own way (a form field, a JSON record)."""

    def __init__(self, typed: str, reason: str):
        super().__init__(f"'{typed}' {reason}")
        self.reason = reason


@dataclass(frozen=True)
class TimeZone:
    """A zone as stored: `name` is the canonical spelling ("UTC", "UTC+2", "UTC-5:30",
    "Europe/Paris"), `offset_hours` its offset east of UTC at the reference instant."""

    name: str
    offset_hours: float


def _offset_name(sign: int, hours: int, minutes: int) -> str:
    if hours == 0 and minutes == 0:
        return "UTC"
    text = f"UTC{'+' if sign > 0 else '-'}{hours}"
    return f"{text}:{minutes:02d}" if minutes else text


@lru_cache(maxsize=1)
def _zone_keys() -> dict[str, str]:
    """IANA keys by lower case, so "europe/paris" is stored as "Europe/Paris" on any system."""
    return {key.lower(): key for key in available_timezones()}


@lru_cache(maxsize=4096)
def parse_time_zone(text: str | None) -> TimeZone:
    """The canonical zone for what a person typed; blank means UTC. Raises TimeZoneError."""
    typed = (text or "").strip()
    if not typed or typed.upper() in UTC_NAMES:
        return TimeZone("UTC", 0.0)
    if match := OFFSET_RE.fullmatch(typed):
        sign = 1 if match.group(1) == "+" else -1
        hours, minutes = int(match.group(2)), int(match.group(3) or 0)
        if hours > MAX_OFFSET_HOURS or minutes >= 60:
            raise TimeZoneError(typed, OUT_OF_RANGE)
        return TimeZone(_offset_name(sign, hours, minutes), sign * (hours + minutes / 60))
    key = _zone_keys().get(typed.lower(), typed)
    try:
        zone = ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:  # OSError: a tz folder's name
        raise TimeZoneError(typed, UNKNOWN) from exc
    offset = REFERENCE.astimezone(zone).utcoffset()
    return TimeZone(key, offset.total_seconds() / 3600 if offset is not None else 0.0)


def zone_info(text: str | None) -> tzinfo:
    """The tzinfo to convert instants with: a ZoneInfo for IANA names (daylight saving
    included), a fixed offset for "UTC+2"; raises TimeZoneError for an unknown zone."""
    zone = parse_time_zone(text)
    if zone.name == "UTC":
        return UTC
    if OFFSET_RE.fullmatch(zone.name):
        return timezone(timedelta(hours=zone.offset_hours), zone.name)
    return ZoneInfo(zone.name)


def is_fixed_offset(text: str | None) -> bool:
    """UTC or "UTC+2": a zone without rules, which calendars get as plain UTC times."""
    name = parse_time_zone(text).name
    return name == "UTC" or OFFSET_RE.fullmatch(name) is not None


def utc_offset_hours(text: str | None) -> float:
    """Hours east of UTC at the reference instant; raises TimeZoneError for an unknown zone."""
    return parse_time_zone(text).offset_hours


def canonical_time_zone(text: str | None) -> str:
    """The spelling to store; raises TimeZoneError for an unknown zone."""
    return parse_time_zone(text).name


def time_zone_problem(text: str | None) -> str | None:
    """What to fix in a typed time zone, or None when it is one."""
    try:
        parse_time_zone(text)
    except TimeZoneError as exc:
        return str(exc)
    return None


@lru_cache(maxsize=1)
def common_time_zones() -> list[str]:
    return [
        "UTC",
        *sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc")),
    ]
