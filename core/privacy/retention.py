"""Retention: private notes and free text go `retention_days` days after a pilot closed.

Reverse mentoring asks people to write candidly; the promise that makes that possible includes
an end date for what they wrote. Once a closed pilot's retention period is over, every text a
person typed for it is deleted (private notes) or emptied (goal objectives, expertise notes,
learn-back notes, takeaways, check-in feedback, concerns, decline reasons, admins' pair notes,
titles of planned sessions). Rows and numbers stay: sessions, minutes, check-in answers and
pulses keep counting in the pilot's results, so the dashboard does not change.

A pilot counts as closed from `closed_at`, or, for a pilot closed before that field existed, from
the end of its end date. Re-opening a pilot clears `closed_at` (core.pilots.settings), so nothing
of a running pilot is ever due.

Applying is one transaction per run, idempotent (a second run finds nothing and writes nothing),
and leaves one audit row per pilot with the numbers removed and no text. The programme team may
run it, and so may the server's schedule and the command line, which are no person
(`SystemActor`). Two servers may run it at the same moment: on PostgreSQL each pilot is handled
under an advisory lock, on SQLite the unit's `BEGIN IMMEDIATE` lets one run through at a time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import ColumnElement, delete, func, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from core.access import require_staff
from core.auth import Actor
from core.db import lock_pilot, unit_of_work
from core.models import (
    CheckIn,
    Concern,
    Enrollment,
    Expertise,
    LearningGoal,
    MentoringSession,
    Pair,
    PairEvent,
    Pilot,
    PilotStatus,
    PlannedSession,
    SessionNote,
    utcnow,
)
from core.privacy.audit import record
from core.privacy.erasure import compact_database

log = logging.getLogger(__name__)
# The advisory-lock namespace of "a pilot's free text is being removed" (core.pairs.locks uses 1).
RETENTION_LOCK = 2
ACTION = "pilot.retention_applied"
CONCERN_PLACEHOLDER = "(deleted after the pilot's retention period)"
PLANNED_TITLE = PlannedSession.model_fields["title"].default


@dataclass(frozen=True)
class SystemActor:
    """Who acts when no person does: the server's schedule or the command line (run by whoever
    operates the server). Only retention accepts it."""

    label: str


SCHEDULE = SystemActor("the server's schedule")
COMMAND_LINE = SystemActor("the command line")


def _pairs(pilot_id: int):  # noqa: ANN202 - a select of ids
    return select(Pair.id).where(Pair.pilot_id == pilot_id)


def _sessions(pilot_id: int):  # noqa: ANN202
    return select(MentoringSession.id).where(col(MentoringSession.pair_id).in_(_pairs(pilot_id)))


def _enrollments(pilot_id: int):  # noqa: ANN202
    return select(Enrollment.id).where(Enrollment.pilot_id == pilot_id)


@dataclass(frozen=True)
class FreeText:
    """One kind of text a person typed for a pilot, and how retention removes it."""

    label: str  # plural, as the command line and the audit row count it
    part: str  # its part in core.privacy.catalogue (the download and the privacy page)
    model: type
    of_pilot: Callable[[int], ColumnElement[bool]]
    column: str
    emptied: str | None = ""  # what the text becomes; None: the whole row is deleted
    also: dict = field(default_factory=dict)  # other values reset with it

    def still_there(self, pilot_id: int) -> list[ColumnElement[bool]]:
        where = [self.of_pilot(pilot_id)]
        if self.emptied is not None:
            where.append(getattr(self.model, self.column) != self.emptied)
        return where

    def count(self, pilot_id: int, *, session: Session) -> int:
        query = select(func.count()).select_from(self.model).where(*self.still_there(pilot_id))
        return int(session.exec(query).one())  # type: ignore[call-overload]

    def remove(self, pilot_id: int, *, session: Session) -> int:
        where = self.still_there(pilot_id)
        if self.emptied is None:
            statement = delete(self.model).where(*where)
        else:
            values = {self.column: self.emptied, **self.also}
            statement = update(self.model).where(*where).values(values)
        return max(session.exec(statement).rowcount or 0, 0)  # type: ignore[call-overload]


# Every free text of a pilot, in the order the command line lists them.
FREE_TEXTS: tuple[FreeText, ...] = (
    FreeText(
        "private notes",
        "private_notes",
        SessionNote,
        lambda p: col(SessionNote.session_id).in_(_sessions(p)),
        "text",
        emptied=None,
    ),
    FreeText(
        "session takeaways",
        "sessions",
        MentoringSession,
        lambda p: col(MentoringSession.pair_id).in_(_pairs(p)),
        "takeaways",
    ),
    FreeText(
        "check-in feedback",
        "checkins",
        CheckIn,
        lambda p: col(CheckIn.pair_id).in_(_pairs(p)),
        "feedback",
        also={"share_feedback": False},
    ),
    FreeText(
        "concerns",
        "concerns",
        Concern,
        lambda p: col(Concern.pilot_id) == p,
        "text",
        emptied=CONCERN_PLACEHOLDER,
    ),
    FreeText(
        "goal objectives",
        "goals",
        LearningGoal,
        lambda p: col(LearningGoal.enrollment_id).in_(_enrollments(p)),
        "objective",
    ),
    FreeText(
        "expertise notes",
        "expertise",
        Expertise,
        lambda p: col(Expertise.enrollment_id).in_(_enrollments(p)),
        "note",
    ),
    FreeText(
        "learn-back notes",
        "enrollments",
        Enrollment,
        lambda p: col(Enrollment.pilot_id) == p,
        "learn_back_note",
    ),
    FreeText("decline reasons", "pairs", Pair, lambda p: col(Pair.pilot_id) == p, "decline_reason"),
    FreeText(
        "pair notes",
        "pairs",
        PairEvent,
        lambda p: col(PairEvent.pair_id).in_(_pairs(p)),
        "note",
    ),
    FreeText(
        "planned session titles",
        "sessions",
        PlannedSession,
        lambda p: col(PlannedSession.pair_id).in_(_pairs(p)),
        "title",
        emptied=PLANNED_TITLE,
    ),
)


@dataclass(frozen=True)
class PilotRetention:
    pilot_id: int
    name: str
    closed_at: datetime
    due_at: datetime  # closed_at + retention_days
    counts: dict[str, int]  # label -> texts (still there, or removed by this run)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def summary(self) -> str:
        return ", ".join(f"{n} {label}" for label, n in self.counts.items() if n) or "nothing"


@dataclass(frozen=True)
class RetentionReport:
    due: list[PilotRetention]  # past their retention period with text left (or removed now)
    waiting: list[PilotRetention]  # closed, period not over yet
    applied: bool

    @property
    def total(self) -> int:
        return sum(p.total for p in self.due)

    def counts(self) -> dict[str, int]:
        """Texts by kind over every due pilot."""
        return {t.label: sum(p.counts.get(t.label, 0) for p in self.due) for t in FREE_TEXTS}


def closed_moment(pilot: Pilot) -> datetime:
    """When the pilot closed: `closed_at`, else the end of its end date."""
    if pilot.closed_at is not None:
        closed = pilot.closed_at
        return closed if closed.tzinfo else closed.replace(tzinfo=UTC)
    return datetime.combine(pilot.end_date + timedelta(days=1), time.min, tzinfo=UTC)


def due_moment(pilot: Pilot) -> datetime:
    return closed_moment(pilot) + timedelta(days=pilot.retention_days)


def _allow(actor: Actor | SystemActor) -> None:
    if not isinstance(actor, SystemActor):
        require_staff(actor)


def _counts(pilot_id: int, *, session: Session) -> dict[str, int]:
    counts: dict[str, int] = {}
    for text in FREE_TEXTS:
        counts[text.label] = counts.get(text.label, 0) + text.count(pilot_id, session=session)
    return counts


def _closed_pilots(session: Session) -> list[Pilot]:
    return list(
        session.exec(
            select(Pilot).where(Pilot.status == PilotStatus.CLOSED).order_by(col(Pilot.id))
        ).all()
    )


def _entry(pilot: Pilot, counts: dict[str, int]) -> PilotRetention:
    assert pilot.id is not None
    return PilotRetention(pilot.id, pilot.name, closed_moment(pilot), due_moment(pilot), counts)


def retention_due(
    actor: Actor | SystemActor, *, session: Session, now: datetime | None = None
) -> RetentionReport:
    """What a run would remove now, and what closed pilots keep until later. Reads only."""
    _allow(actor)
    now = now or utcnow()
    due, waiting = [], []
    for pilot in _closed_pilots(session):
        entry = _entry(pilot, _counts(pilot.id, session=session))  # type: ignore[arg-type]
        if entry.total:
            (due if entry.due_at <= now else waiting).append(entry)
    return RetentionReport(due, waiting, applied=False)


def apply_retention(
    actor: Actor | SystemActor, *, session: Session, now: datetime | None = None
) -> RetentionReport:
    """Remove what is due, in the caller's transaction, with one audit row per pilot. The caller
    commits (and then compacts the database: `run_retention` does both)."""
    _allow(actor)
    now = now or utcnow()
    due, waiting = [], []
    for pilot in _closed_pilots(session):
        assert pilot.id is not None
        if due_moment(pilot) > now:
            counts = _counts(pilot.id, session=session)
            if any(counts.values()):
                waiting.append(_entry(pilot, counts))
            continue
        lock_pilot(session, RETENTION_LOCK, pilot.id)
        removed: dict[str, int] = {}
        for text in FREE_TEXTS:
            removed[text.label] = removed.get(text.label, 0) + text.remove(
                pilot.id, session=session
            )
        if not any(removed.values()):
            continue  # already removed by an earlier run: nothing to record
        by = actor.label if isinstance(actor, SystemActor) else "the programme team"
        record(
            session,
            None if isinstance(actor, SystemActor) else actor,
            ACTION,
            pilot.id,
            {},
            {
                "removed": {label: n for label, n in removed.items() if n},
                "retention_days": pilot.retention_days,
                "closed_at": closed_moment(pilot),
                "by": by,
            },
        )
        due.append(_entry(pilot, removed))
    session.flush()
    return RetentionReport(due, waiting, applied=True)


def run_retention(
    engine: Engine,
    *,
    actor: Actor | SystemActor = SCHEDULE,
    apply: bool = True,
    now: datetime | None = None,
) -> RetentionReport:
    """One run in its own unit of work: the schedule's and the command line's entry point.
    When something was removed, the database is compacted after the commit, so the removed
    text does not linger in the file's free pages or write-ahead log."""
    if not apply:
        with unit_of_work(engine, read_only=True) as session:
            return retention_due(actor, session=session, now=now)
    with unit_of_work(engine) as session:
        report = apply_retention(actor, session=session, now=now)
    if report.total:
        compact_database(engine)
        log.info("retention: %d texts removed from %d pilot(s)", report.total, len(report.due))
    return report
