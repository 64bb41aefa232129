"""Everything the participant's "My pair" page shows, gathered in one call.

Everything is read after the membership check, so the page cannot show more than a member may see:
the partner's public profile, the mentee's goals, milestones, the shared log with the actor's
own notes, check-in status and goal progress.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from core.auth import Actor
from core.errors import NotFound
from core.models import CheckIn, LearningGoal, PairStatus, Person, Topic
from core.pairs.access import (
    PairView,
    membership,
    my_current_pair,
    pair_view,
)
from core.tracking.calendar_export import PlannedSessionView, planned_sessions
from core.tracking.checkins import PHASES, GoalProgress, goal_progress
from core.tracking.milestone_progress import DONE, UPCOMING, PairMilestoneView, pair_milestones
from core.tracking.session_log import SessionView, list_sessions


@dataclass(frozen=True)
class PartnerProfile:
    name: str
    job_title: str
    department: str
    time_zone: str
    availability: tuple[str, ...]
    email: str  # "" until both have accepted the match


@dataclass(frozen=True)
class GoalSummary:
    topic_id: int
    topic: str
    priority: int
    objective: str


@dataclass(frozen=True)
class CheckInStatus:
    phase: str
    mine_done: bool
    partner_done: bool


@dataclass(frozen=True)
class MyPairView:
    pair: PairView
    partner: PartnerProfile
    goals: list[GoalSummary]  # the mentee's learning goals, most important first
    milestones: list[PairMilestoneView]
    next_milestone: PairMilestoneView | None
    sessions: list[SessionView]  # newest first, with the actor's own private notes only
    total_minutes: int
    planned: list[PlannedSessionView]
    checkins: list[CheckInStatus]
    goal_progress: list[GoalProgress]


def my_pair(
    actor: Actor,
    pilot_id: int,
    *,
    pair_id: int | None = None,
    session: Session,
    today: date | None = None,
) -> MyPairView | None:
    """The given pair, or the actor's most recent current one; None when they have no pair.
    Mentors with several mentees pass `pair_id` (see `core.pairs.access.my_pairs`)."""
    if pair_id is None:
        current = my_current_pair(actor, pilot_id, session=session)
        if current is None:
            return None
        pair_id = current.id
    member = membership(actor, pair_id, session=session)
    if member.pilot.id != pilot_id:
        raise NotFound("This pair belongs to another pilot.")
    partner = session.get(Person, member.partner.person_id)
    assert partner is not None
    accepted = member.pair.status in PairStatus.RUNNING or member.pair.accepted_at is not None
    goals = [
        GoalSummary(topic_id, name, goal.priority, goal.objective)
        for goal, topic_id, name in session.exec(
            select(LearningGoal, Topic.id, Topic.name)
            .join(Topic, col(Topic.id) == LearningGoal.topic_id)
            .where(LearningGoal.enrollment_id == member.mentee.id)
            .order_by(col(LearningGoal.priority), Topic.name)
        ).all()
    ]
    milestones = pair_milestones(actor, pair_id, session=session, today=today)
    # What the pair should work on next: an open pair milestone, even if late, or a pilot-wide
    # event still ahead (a past one the admins forgot to tick is not the pair's business).
    upcoming = sorted(
        (m for m in milestones if m.status != DONE and (m.can_tick or m.status == UPCOMING)),
        key=lambda m: m.due_date,
    )
    sessions = list_sessions(actor, pair_id, session=session)
    done = set(
        session.exec(
            select(CheckIn.person_id, CheckIn.phase).where(CheckIn.pair_id == pair_id)
        ).all()
    )
    return MyPairView(
        pair=pair_view(member, session=session),
        partner=PartnerProfile(
            partner.name,
            partner.job_title,
            partner.department,
            partner.time_zone,
            tuple(member.partner.availability),
            partner.email if accepted else "",
        ),
        goals=goals,
        milestones=milestones,
        next_milestone=upcoming[0] if upcoming else None,
        sessions=sessions,
        total_minutes=sum(s.minutes for s in sessions),
        planned=planned_sessions(actor, pair_id, session=session),
        checkins=[
            CheckInStatus(
                phase,
                (actor.person_id, phase) in done,
                (member.partner.person_id, phase) in done,
            )
            for phase in PHASES
        ],
        goal_progress=goal_progress(actor, pair_id, session=session),
    )
