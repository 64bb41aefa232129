"""The admins' progress table (one flat row per pair that started) and closing a pilot.

Rows are plain dataclasses so `pandas.DataFrame(rows)` works directly. They carry counts and
dates only: no takeaways, notes, ratings or feedback.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, func, select

from core.access import require_pilot_admin
from core.auth import Actor
from core.errors import ValidationFailed
from core.models import (
    MentoringSession,
    Milestone,
    Pair,
    PairMilestone,
    PairStatus,
    Pilot,
    PilotStatus,
)
from core.pairs.access import named_pairs, started_clause
from core.pilots.settings import set_status
from core.tracking.at_risk import AtRisk, at_risk_of_pilot
from core.tracking.checkins import completed_phases
from core.tracking.milestone_progress import overdue_by_pair


@dataclass(frozen=True)
class PairProgress:
    pair_id: int
    mentee: str
    mentor: str
    status: str
    milestones_done: int
    milestones_total: int
    milestones_overdue: int
    sessions: int
    minutes: int
    last_session: date | None
    checkins_done: int  # of 4: start and end, each side
    mentee_start: bool
    mentee_end: bool
    mentor_start: bool
    mentor_end: bool
    at_risk: bool
    suggested_action: str


def pilot_progress(
    actor: Actor, pilot_id: int, *, session: Session, today: date | None = None
) -> list[PairProgress]:
    """A fixed number of queries for the whole pilot, however many pairs it has."""
    require_pilot_admin(actor, pilot_id, session=session)
    return progress_of_pilot(pilot_id, session=session, today=today)


def progress_of_pilot(
    pilot_id: int, *, session: Session, today: date | None = None,
    risks: list[AtRisk] | None = None,
) -> list[PairProgress]:  # fmt: skip
    """`pilot_progress` with no access check: callers check who acts first (ui.cached), and
    may pass the pilot's `at_risk_of_pilot` for that day when they have it already."""
    today = today or date.today()
    pairs = named_pairs(pilot_id, session=session, where=started_clause())
    pair_milestone_ids = set(
        session.exec(
            select(Milestone.id).where(Milestone.pilot_id == pilot_id, Milestone.scope == "pair")
        ).all()
    )
    ticks: dict[int, int] = {}
    for pair_id, milestone_id in session.exec(
        select(PairMilestone.pair_id, PairMilestone.milestone_id)
        .join(Pair, col(Pair.id) == PairMilestone.pair_id)
        .where(Pair.pilot_id == pilot_id)
    ).all():
        if milestone_id in pair_milestone_ids:
            ticks[pair_id] = ticks.get(pair_id, 0) + 1
    running_ids = {p.pair.id for p in pairs if p.pair.status in PairStatus.RUNNING}
    overdue = overdue_by_pair(pilot_id, running_ids, today, session=session)  # type: ignore[arg-type]
    logged = {
        pair_id: (n, minutes, last)
        for pair_id, n, minutes, last in session.exec(
            select(
                MentoringSession.pair_id,
                func.count(),
                func.sum(MentoringSession.minutes),
                func.max(MentoringSession.held_on),
            )
            .join(Pair, col(Pair.id) == MentoringSession.pair_id)
            .where(Pair.pilot_id == pilot_id)
            .group_by(MentoringSession.pair_id)
        ).all()
    }
    done = completed_phases(pilot_id, session=session)
    if risks is None:
        risks = at_risk_of_pilot(pilot_id, session=session, today=today)
    risky = {r.pair_id: r for r in risks}
    rows = []
    for p in pairs:
        pid = p.pair.id
        assert pid is not None
        n, minutes, last = logged.get(pid, (0, 0, None))
        phases = [
            (pid, p.mentee_person_id, "start") in done,
            (pid, p.mentee_person_id, "end") in done,
            (pid, p.mentor_person_id, "start") in done,
            (pid, p.mentor_person_id, "end") in done,
        ]
        risk = risky.get(pid)
        rows.append(
            PairProgress(
                pid,
                p.mentee_name,
                p.mentor_name,
                p.pair.status,
                ticks.get(pid, 0),
                len(pair_milestone_ids),
                len(overdue.get(pid, [])),
                n,
                minutes or 0,
                last,
                sum(phases),
                *phases,
                risk is not None,
                risk.suggested_action if risk else "",
            )
        )
    return rows


def close_pilot(actor: Actor, pilot_id: int, *, session: Session) -> Pilot:
    """Marks a running pilot closed. Pairs keep their status (active pairs are not ended), so
    their history and end check-ins stay intact; new sessions, plans and milestone ticks are
    refused once the pilot is closed. Re-opening goes through `core.pilots.settings.set_status`."""
    pilot = require_pilot_admin(actor, pilot_id, session=session)
    if pilot.status != PilotStatus.RUNNING:
        raise ValidationFailed(
            {"status": f"only a running pilot can be closed (this one is {pilot.status})"}
        )
    return set_status(actor, pilot_id, PilotStatus.CLOSED, session=session)
