"""Time zones people type: IANA names ("Europe/Paris") or fixed offsets ("UTC+2")."""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

OFFSET_RE = re.compile(r"^(?:UTC|GMT)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)
# A fixed date so scores never change with daylight saving on the day matching runs.
REFERENCE = datetime(2026, 1, 15, 12, 0)


@lru_cache(maxsize=4096)
def utc_offset_hours(name: str) -> float:
    """Raises ValueError for an unknown zone."""
    name = (name or "UTC").strip()
    if name.upper() in ("UTC", "GMT", "Z"):
        return 0.0
    if m := OFFSET_RE.match(name):
        sign = 1 if m.group(1) == "+" else -1
        hours, minutes = int(m.group(2)), int(m.group(3) or 0)
        if hours > 14 or minutes >= 60:
            raise ValueError(name)
        return sign * (hours + minutes / 60)
    try:
        offset = REFERENCE.replace(tzinfo=ZoneInfo(name)).utcoffset()
    except (ZoneInfoNotFoundError, ValueError, IsADirectoryError) as exc:
        raise ValueError(name) from exc
    return offset.total_seconds() / 3600 if offset is not None else 0.0


def time_zone_problem(name: str) -> str | None:
    try:
        utc_offset_hours(name)
    except ValueError:
        return f"'{name}' is not a time zone; use a name like Europe/Paris or an offset like UTC+2"
    return None


@lru_cache(maxsize=1)
def common_time_zones() -> list[str]:
    return [
        "UTC",
        *sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc")),
    ]
