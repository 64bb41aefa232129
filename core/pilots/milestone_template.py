"""Milestones: the default template a pilot starts from, and seeding it on pilot creation.

Due dates are offsets from the pilot's start (or its end, for the last two), so the template
fits any pilot length.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session

from core.models import Milestone, Pilot

# key, name, description, scope, (anchor, days)
DEFAULT_TEMPLATE: tuple[tuple[str, str, str, str, tuple[str, int]], ...] = (
    ("kickoff", "Programme kickoff", "Launch event with the sponsor.", "pilot", ("start", 0)),
    (
        "orientation",
        "Mentee orientation",
        "What it means to be mentored by someone more junior: listening, not directing.",
        "pair",
        ("start", 14),
    ),
    ("first_meeting", "First meeting", "The pair meets for the first time.", "pair", ("start", 28)),
    (
        "goals_agreed",
        "Goals agreed for the pair",
        "Both agree which goals to work on and how.",
        "pair",
        ("start", 35),
    ),
    ("midpoint", "Mid-point check-in", "Review progress half way.", "pair", ("mid", 0)),
    (
        "final_reflection",
        "Final reflection",
        "Each side writes what they learned.",
        "pair",
        ("end", -14),
    ),
    (
        "showcase",
        "Showcase to the sponsor",
        "Results presented to leadership.",
        "pilot",
        ("end", 0),
    ),
)


def template_due_date(anchor: tuple[str, int], start: date, end: date) -> date:
    kind, days = anchor
    base = {"start": start, "end": end, "mid": start + (end - start) / 2}[kind]
    due = base + timedelta(days=days)
    return min(max(due, start), end)


def seed_default_milestones(pilot: Pilot, *, session: Session) -> list[Milestone]:
    assert pilot.id is not None
    milestones = [
        Milestone(
            pilot_id=pilot.id,
            key=key,
            name=name,
            description=description,
            scope=scope,
            position=i,
            due_date=template_due_date(anchor, pilot.start_date, pilot.end_date),
        )
        for i, (key, name, description, scope, anchor) in enumerate(DEFAULT_TEMPLATE)
    ]
    session.add_all(milestones)
    session.flush()
    return milestones
