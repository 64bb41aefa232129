"""Weekly availability as coarse slots: precise calendars are not needed to pair people, and
coarse slots are quick to enter and compare (scoring turns them into a 0/1 row per person)."""

from __future__ import annotations

DAYS = ("mon", "tue", "wed", "thu", "fri")
PARTS = ("am", "pm", "eve")
SLOTS: tuple[str, ...] = tuple(f"{d}-{p}" for d in DAYS for p in PARTS)
SLOT_LABELS: dict[str, str] = {
    f"{d}-{p}": f"{d.capitalize()} {({'am': 'morning', 'pm': 'afternoon', 'eve': 'evening'})[p]}"
    for d in DAYS
    for p in PARTS
}


def invalid_slots(slots: list[str]) -> list[str]:
    return [s for s in slots if s not in SLOTS]
