"""Milestones in a running pilot: the admin shapes the list, pairs tick their own progress.

Pilot-wide milestones (kickoff, showcase) are ticked once by an admin; pair milestones are ticked
per pair by either member, with the date it happened. The "orientation" milestone doubles as the
gate the matching engine can require before pairing a mentee.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, func, select

from core.access import enrollment_of, require_pilot_admin
from core.auth import Actor
from core.errors import DomainError, NotAllowed, NotFound, ValidationFailed
from core.models import (
    Enrollment,
    EnrollmentStatus,
    Milestone,
    Pair,
    PairMilestone,
    PairStatus,
    Pilot,
    Role,
)
from core.pairs.access import membership, named_pairs, require_running
from core.privacy.audit import changed, record, snapshot

SCOPES = ("pair", "pilot")
ORIENTATION_KEY = "orientation"
ORIENTATION_REASON = "has not completed mentee orientation"
DONE, OVERDUE, UPCOMING = "done", "overdue", "upcoming"


@dataclass
class MilestoneInput:
    name: str
    due_date: date | None
    scope: str = "pair"
    description: str = ""


@dataclass(frozen=True)
class MilestoneView:
    id: int
    key: str
    name: str
    description: str
    position: int
    due_date: date
    scope: str
    completed_on: date | None  # pilot-wide milestones only


def _view(m: Milestone) -> MilestoneView:
    assert m.id is not None
    return MilestoneView(
        m.id, m.key, m.name, m.description, m.position, m.due_date, m.scope, m.completed_on
    )


def _ordered(pilot_id: int, *, session: Session) -> list[Milestone]:
    return list(
        session.exec(
            select(Milestone)
            .where(Milestone.pilot_id == pilot_id)
            .order_by(col(Milestone.position), col(Milestone.due_date), col(Milestone.id))
        ).all()
    )


def list_milestones(actor: Actor, pilot_id: int, *, session: Session) -> list[MilestoneView]:
    """The pilot's milestone plan, for anyone taking part in the pilot."""
    enrollment = enrollment_of(actor, pilot_id, session=session)
    if enrollment is None or enrollment.status == EnrollmentStatus.WITHDRAWN:
        raise NotAllowed("You are not a participant of this pilot.")
    return [_view(m) for m in _ordered(pilot_id, session=session)]


def _problems(data: MilestoneInput, pilot: Pilot) -> dict[str, str]:
    errors: dict[str, str] = {}
    name = (data.name or "").strip()
    if not name:
        errors["name"] = "is required (e.g. 'First meeting')"
    elif len(name) > 120:
        errors["name"] = f"must be at most 120 characters (now {len(name)})"
    if data.due_date is None:
        errors["due_date"] = "is required"
    elif not pilot.start_date <= data.due_date <= pilot.end_date:
        errors["due_date"] = (
            f"must be within the pilot's dates ({pilot.start_date:%d %b %Y} to "
            f"{pilot.end_date:%d %b %Y})"
        )
    if data.scope not in SCOPES:
        errors["scope"] = "must be 'pair' (each pair ticks it) or 'pilot' (an admin ticks it once)"
    if len(data.description or "") > 500:
        errors["description"] = f"must be at most 500 characters (now {len(data.description)})"
    return errors


def _admin_milestone(actor: Actor, milestone_id: int, *, session: Session) -> Milestone:
    milestone = session.get(Milestone, milestone_id)
    if milestone is None:
        raise NotFound(f"Milestone {milestone_id} does not exist.")
    require_pilot_admin(actor, milestone.pilot_id, session=session)
    return milestone


MILESTONE_FIELDS = ("name", "description", "due_date", "scope", "position", "completed_on")


def _audit(actor: Actor, action: str, milestone: Milestone, before: dict, *, session: Session):  # noqa: ANN202
    old, new = changed(
        before, {} if action.endswith("deleted") else snapshot(milestone, MILESTONE_FIELDS)
    )
    record(
        session,
        actor,
        f"milestone.{action}",
        milestone.pilot_id,
        old,
        {"milestone_id": milestone.id, **new},
    )


def _ticks(milestone_id: int, *, session: Session) -> int:
    return session.exec(
        select(func.count())
        .select_from(PairMilestone)
        .where(PairMilestone.milestone_id == milestone_id)
    ).one()


def add_milestone(
    actor: Actor, pilot_id: int, data: MilestoneInput, *, session: Session
) -> MilestoneView:
    pilot = require_pilot_admin(actor, pilot_id, session=session)
    if errors := _problems(data, pilot):
        raise ValidationFailed(errors)
    last = session.exec(
        select(func.max(Milestone.position)).where(Milestone.pilot_id == pilot_id)
    ).one()
    milestone = Milestone(
        pilot_id=pilot_id,
        name=data.name.strip(),
        description=(data.description or "").strip(),
        due_date=data.due_date,  # type: ignore[arg-type]
        scope=data.scope,
        position=(last if last is not None else -1) + 1,
    )
    session.add(milestone)
    session.flush()
    _audit(actor, "added", milestone, {}, session=session)
    return _view(milestone)


def update_milestone(
    actor: Actor, milestone_id: int, data: MilestoneInput, *, session: Session
) -> MilestoneView:
    """Rename, re-date or re-scope. A scope change would orphan existing ticks, so it is refused
    once anyone has ticked the milestone."""
    milestone = _admin_milestone(actor, milestone_id, session=session)
    pilot = session.get(Pilot, milestone.pilot_id)
    assert pilot is not None
    errors = _problems(data, pilot)
    if data.scope != milestone.scope and "scope" not in errors:
        if milestone.scope == "pair" and (n := _ticks(milestone_id, session=session)):
            errors["scope"] = (
                f"{n} pair(s) already ticked this milestone; add a new pilot-wide milestone instead"
            )
        elif milestone.scope == "pilot" and milestone.completed_on is not None:
            errors["scope"] = "this milestone is already ticked; untick it first"
    if errors:
        raise ValidationFailed(errors)
    before = snapshot(milestone, MILESTONE_FIELDS)
    milestone.name = data.name.strip()
    milestone.description = (data.description or "").strip()
    milestone.due_date = data.due_date  # type: ignore[assignment]
    milestone.scope = data.scope
    session.add(milestone)
    session.flush()
    _audit(actor, "changed", milestone, before, session=session)
    return _view(milestone)


def reorder_milestones(
    actor: Actor, pilot_id: int, ordered_ids: list[int], *, session: Session
) -> list[MilestoneView]:
    require_pilot_admin(actor, pilot_id, session=session)
    milestones = {m.id: m for m in _ordered(pilot_id, session=session)}
    if sorted(ordered_ids) != sorted(milestones):
        raise ValidationFailed(
            {"order": "list every milestone of this pilot exactly once (the list has changed?)"}
        )
    for position, milestone_id in enumerate(ordered_ids):
        milestones[milestone_id].position = position
        session.add(milestones[milestone_id])
    session.flush()
    record(session, actor, "milestone.reordered", pilot_id, {}, {"order": list(ordered_ids)})
    return [_view(m) for m in _ordered(pilot_id, session=session)]


def delete_milestone(actor: Actor, milestone_id: int, *, session: Session) -> None:
    """Only a milestone no pair has ticked can go: the ticks are the pairs' record of their
    progress (and the dashboard's), and a deleted milestone would take them along for good."""
    milestone = _admin_milestone(actor, milestone_id, session=session)
    if ticked := _ticks(milestone_id, session=session):
        raise DomainError(
            f"{ticked} pair{'s have' if ticked != 1 else ' has'} ticked '{milestone.name}', so it "
            "cannot be deleted without erasing their progress. Rename it, change its date or "
            "description instead, or add a new milestone."
        )
    _audit(actor, "deleted", milestone, snapshot(milestone, MILESTONE_FIELDS), session=session)
    session.delete(milestone)
    session.flush()


def _done_on_problem(done_on: date | None, pilot: Pilot) -> str | None:
    if done_on is None:
        return "is required: when did it happen?"
    if done_on > date.today():
        return f"cannot be in the future (today is {date.today():%d %b %Y})"
    if done_on < pilot.start_date:
        return f"cannot be before the pilot started ({pilot.start_date:%d %b %Y})"
    return None


def tick_pilot_milestone(
    actor: Actor, milestone_id: int, done_on: date | None, *, session: Session
) -> MilestoneView:
    milestone = _admin_milestone(actor, milestone_id, session=session)
    if milestone.scope != "pilot":
        raise ValidationFailed({"milestone": "is ticked by each pair, not by an admin"})
    pilot = session.get(Pilot, milestone.pilot_id)
    assert pilot is not None
    if problem := _done_on_problem(done_on, pilot):
        raise ValidationFailed({"completed_on": problem})
    before = snapshot(milestone, MILESTONE_FIELDS)
    milestone.completed_on, milestone.completed_by_id = done_on, actor.person_id
    session.add(milestone)
    session.flush()
    _audit(actor, "ticked", milestone, before, session=session)
    return _view(milestone)


def untick_pilot_milestone(actor: Actor, milestone_id: int, *, session: Session) -> MilestoneView:
    milestone = _admin_milestone(actor, milestone_id, session=session)
    before = snapshot(milestone, MILESTONE_FIELDS)
    milestone.completed_on, milestone.completed_by_id = None, None
    session.add(milestone)
    session.flush()
    _audit(actor, "unticked", milestone, before, session=session)
    return _view(milestone)


def _pair_milestone(member_pilot_id: int, milestone_id: int, *, session: Session) -> Milestone:
    milestone = session.get(Milestone, milestone_id)
    if milestone is None or milestone.pilot_id != member_pilot_id:
        raise NotFound("This milestone is not part of your pilot.")
    if milestone.scope != "pair":
        raise ValidationFailed({"milestone": "is pilot-wide; the programme team ticks it"})
    return milestone


def tick_pair_milestone(
    actor: Actor, pair_id: int, milestone_id: int, done_on: date | None, *, session: Session
) -> None:
    """Either member ticks; ticking again only changes the date."""
    member = membership(actor, pair_id, session=session)
    require_running(member, "ticking milestones")
    milestone = _pair_milestone(member.pilot.id, milestone_id, session=session)  # type: ignore[arg-type]
    if problem := _done_on_problem(done_on, member.pilot):
        raise ValidationFailed({"completed_on": problem})
    tick = session.exec(
        select(PairMilestone).where(
            PairMilestone.pair_id == pair_id, PairMilestone.milestone_id == milestone.id
        )
    ).first() or PairMilestone(
        pair_id=pair_id,
        milestone_id=milestone_id,
        completed_on=done_on,  # type: ignore[arg-type]
        completed_by_id=actor.person_id,
    )
    tick.completed_on, tick.completed_by_id = done_on, actor.person_id  # type: ignore[assignment]
    session.add(tick)
    session.flush()


def untick_pair_milestone(
    actor: Actor, pair_id: int, milestone_id: int, *, session: Session
) -> None:
    member = membership(actor, pair_id, session=session)
    require_running(member, "unticking milestones")
    _pair_milestone(member.pilot.id, milestone_id, session=session)  # type: ignore[arg-type]
    tick = session.exec(
        select(PairMilestone).where(
            PairMilestone.pair_id == pair_id, PairMilestone.milestone_id == milestone_id
        )
    ).first()
    if tick is not None:
        session.delete(tick)
        session.flush()


@dataclass(frozen=True)
class PairMilestoneView:
    milestone_id: int
    key: str
    name: str
    description: str
    due_date: date
    scope: str
    status: str  # "done", "overdue" or "upcoming"
    done_on: date | None
    can_tick: bool  # pair milestones only; pilot-wide ones are ticked by the admins


def status_of(due_date: date, done_on: date | None, today: date) -> str:
    if done_on is not None:
        return DONE
    return OVERDUE if due_date < today else UPCOMING


def pair_milestones(
    actor: Actor, pair_id: int, *, session: Session, today: date | None = None
) -> list[PairMilestoneView]:
    """Every milestone of the pilot as this pair sees it, in plan order."""
    member = membership(actor, pair_id, session=session)
    today = today or date.today()
    ticks = dict(
        session.exec(
            select(PairMilestone.milestone_id, PairMilestone.completed_on).where(
                PairMilestone.pair_id == pair_id
            )
        ).all()
    )
    views = []
    for m in _ordered(member.pilot.id, session=session):  # type: ignore[arg-type]
        done_on = ticks.get(m.id) if m.scope == "pair" else m.completed_on
        views.append(
            PairMilestoneView(
                m.id,  # type: ignore[arg-type]
                m.key,
                m.name,
                m.description,
                m.due_date,
                m.scope,
                status_of(m.due_date, done_on, today),
                done_on,
                m.scope == "pair",
            )
        )
    return views


@dataclass(frozen=True)
class OverdueMilestone:
    pair_id: int
    mentee_name: str
    mentor_name: str
    milestone_id: int
    milestone: str
    due_date: date
    days_overdue: int


def overdue_by_pair(
    pilot_id: int, pair_ids: set[int], today: date, *, session: Session
) -> dict[int, list[tuple[Milestone, int]]]:
    """pair id -> [(milestone, days overdue)] in two queries; callers check access first."""
    due = session.exec(
        select(Milestone)
        .where(
            Milestone.pilot_id == pilot_id,
            Milestone.scope == "pair",
            Milestone.due_date < today,
        )
        .order_by(col(Milestone.due_date), col(Milestone.position))
    ).all()
    if not due:
        return {}
    ticked = set(
        session.exec(
            select(PairMilestone.pair_id, PairMilestone.milestone_id)
            .join(Pair, col(Pair.id) == PairMilestone.pair_id)
            .where(Pair.pilot_id == pilot_id)
        ).all()
    )
    overdue: dict[int, list[tuple[Milestone, int]]] = {}
    for pair_id in pair_ids:
        late = [(m, (today - m.due_date).days) for m in due if (pair_id, m.id) not in ticked]
        if late:
            overdue[pair_id] = late
    return overdue


def overdue_milestones(
    actor: Actor, pilot_id: int, *, session: Session, today: date | None = None
) -> list[OverdueMilestone]:
    """Pair milestones past their due date and not ticked, across the running pairs."""
    require_pilot_admin(actor, pilot_id, session=session)
    return overdue_of_pilot(pilot_id, session=session, today=today or date.today())


def overdue_of_pilot(pilot_id: int, *, session: Session, today: date) -> list[OverdueMilestone]:
    """`overdue_milestones` with no access check: callers check who acts first (ui.cached)."""
    pairs = named_pairs(pilot_id, session=session, where=col(Pair.status).in_(PairStatus.RUNNING))
    late = overdue_by_pair(pilot_id, {p.pair.id for p in pairs}, today, session=session)  # type: ignore[misc]
    rows = [
        OverdueMilestone(p.pair.id, p.mentee_name, p.mentor_name, m.id, m.name, m.due_date, days)  # type: ignore[arg-type]
        for p in pairs
        for m, days in late.get(p.pair.id, [])  # type: ignore[arg-type]
    ]
    return sorted(rows, key=lambda r: (-r.days_overdue, r.mentee_name))


# --- orientation gate --------------------------------------------------------------------------


def oriented_enrollments(pilot_id: int, *, session: Session) -> set[int]:
    """Mentee enrollment ids that count as oriented: confirmed on the profile
    (profiles.complete_orientation) or ticked as the orientation milestone in one of their
    pairs. Matching's gate and the dashboard's "mentees oriented" both read this."""
    confirmed = session.exec(
        select(Enrollment.id).where(
            Enrollment.pilot_id == pilot_id,
            Enrollment.role == Role.MENTEE,
            col(Enrollment.orientation_completed_at).is_not(None),
        )
    ).all()
    ticked = session.exec(
        select(Pair.mentee_enrollment_id)
        .join(PairMilestone, PairMilestone.pair_id == Pair.id)
        .join(Milestone, col(Milestone.id) == PairMilestone.milestone_id)
        .where(Pair.pilot_id == pilot_id, Milestone.key == ORIENTATION_KEY)
    ).all()
    return set(confirmed) | set(ticked)  # type: ignore[arg-type]


def mentees_missing_orientation(session: Session, pilot_id: int) -> set[int]:
    """Mentee enrollment ids, withdrawn ones aside, not oriented yet. The matching engine
    excludes them (with ORIENTATION_REASON) when the pilot has `orientation_required`; this
    function does not look at that setting."""
    mentees = session.exec(
        select(Enrollment.id).where(
            Enrollment.pilot_id == pilot_id,
            Enrollment.role == Role.MENTEE,
            Enrollment.status != EnrollmentStatus.WITHDRAWN,
        )
    ).all()
    return set(mentees) - oriented_enrollments(pilot_id, session=session)  # type: ignore[arg-type]
