"""Start and end check-ins: how confident the mentee feels on each goal, what the mentor learned
back, and how the pilot went for each of them.

A check-in belongs to its author. The partner sees only the mentee's goal progress (before ->
after). The admins see who has completed which phase and who asked them for help (`needs_help`,
an answer given to them on purpose); ratings reach them only as the
dashboard's aggregates (groups under the pilot's privacy threshold hidden), and feedback only
where the mentee agreed to share it in the mentor's recognition letter (`share_feedback`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from core.auth import Actor
from core.errors import DomainError, ValidationFailed
from core.models import CheckIn, CheckInRating, LearningGoal, Pair, PairStatus, Topic, utcnow
from core.pairs.access import (
    Membership,
    membership,
)
from core.tracking.session_log import MAX_TEXT, goal_topics

PHASES = ("start", "end")
RATINGS = range(1, 6)


@dataclass(frozen=True)
class CheckInView:
    phase: str
    ratings: dict[int, int]  # topic id -> 1-5
    satisfaction: int | None
    would_recommend: bool | None
    take_part_again: bool | None
    feedback: str
    share_feedback: bool
    submitted_at: datetime  # the first submission
    edited_at: datetime | None  # the last change after it, if any
    needs_help: bool = False


def _ratings_of(checkin_ids: list[int], *, session: Session) -> dict[int, dict[int, int]]:
    """checkin id -> {topic id: rating}, for the given check-ins at once."""
    found: dict[int, dict[int, int]] = {c: {} for c in checkin_ids}
    if checkin_ids:
        for checkin_id, topic_id, rating in session.exec(
            select(CheckInRating.checkin_id, CheckInRating.topic_id, CheckInRating.rating).where(
                col(CheckInRating.checkin_id).in_(checkin_ids)
            )
        ).all():
            found[checkin_id][topic_id] = rating
    return found


def _view(c: CheckIn, ratings: dict[int, int]) -> CheckInView:
    return CheckInView(
        c.phase,
        ratings,
        c.satisfaction,
        c.would_recommend,
        c.take_part_again,
        c.feedback,
        c.share_feedback,
        c.submitted_at,
        c.edited_at,
        c.needs_help,
    )


def rated_topics(member: Membership, *, session: Session) -> dict[int, str]:
    """What the actor rates: the mentee their goal topics, the mentor their learn-back topics."""
    if member.is_mentee:
        return goal_topics(member.own.id, session=session)  # type: ignore[arg-type]
    wants = list(member.own.wants)
    if not wants:
        return {}
    names = dict(session.exec(select(Topic.id, Topic.name).where(col(Topic.id).in_(wants))).all())
    return {t: names[t] for t in wants if t in names}


def _is_rating(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value in RATINGS


def submit_checkin(
    actor: Actor,
    pair_id: int,
    phase: str,
    ratings: dict[int, int],
    satisfaction: int | None = None,
    would_recommend: bool | None = None,
    take_part_again: bool | None = None,
    feedback: str = "",
    share_feedback: bool = False,
    needs_help: bool = False,
    *,
    session: Session,
) -> CheckInView:
    """Creates the phase's check-in, or edits the actor's earlier one for that phase: the first
    submission's time stays and the edit's time is stored beside it. An optional question left
    unanswered (None) keeps the earlier answer, so a form that came back blank cannot erase what
    was submitted before. `needs_help` ("Tell the programme team we need help") is the one answer
    the admins see as the person's own: the pair shows in their at-risk list."""
    member = membership(actor, pair_id, session=session)
    status = member.pair.status
    if phase == "start" and status not in PairStatus.RUNNING:
        raise DomainError("The start check-in is for active or paused pairs.")
    if phase == "end" and status not in (*PairStatus.RUNNING, PairStatus.ENDED):
        raise DomainError("Both of you must accept the match before checking in.")
    errors: dict[str, str] = {}
    if phase not in PHASES:
        errors["phase"] = "must be 'start' or 'end'"
    topics = rated_topics(member, session=session)
    try:
        given = {int(k): v for k, v in (ratings or {}).items()}
    except (TypeError, ValueError):
        given = {}
        errors["ratings"] = "use topic ids as keys"
    if "ratings" not in errors:
        missing = [name for t, name in topics.items() if t not in given]
        unknown = [t for t in given if t not in topics]
        bad = [topics[t] for t, v in given.items() if t in topics and not _is_rating(v)]
        if missing:
            errors["ratings"] = f"rate every topic from 1 to 5; missing: {', '.join(missing)}"
        elif bad:
            errors["ratings"] = f"each rating must be 1 to 5; fix: {', '.join(bad)}"
        elif unknown:
            errors["ratings"] = (
                f"{len(unknown)} topic(s) are not yours to rate; rate only: "
                f"{', '.join(topics.values()) or 'nothing'}"
            )
    at_end = phase == "end"
    if satisfaction is None:
        if at_end:
            errors["satisfaction"] = "is required at the end: how satisfied are you (1-5)?"
    elif not _is_rating(satisfaction):
        errors["satisfaction"] = f"choose 1 (not at all) to 5 (very) (got {satisfaction!r})"
    if would_recommend is None and at_end:
        errors["would_recommend"] = "is required at the end: would you recommend it, yes or no?"
    if len(feedback or "") > MAX_TEXT:
        errors["feedback"] = f"must be at most {MAX_TEXT} characters (now {len(feedback):,})"
    if errors:
        raise ValidationFailed(errors)
    earlier = session.exec(
        select(CheckIn).where(
            CheckIn.pair_id == pair_id,
            CheckIn.person_id == actor.person_id,
            CheckIn.phase == phase,
        )
    ).first()
    checkin = earlier or CheckIn(pair_id=pair_id, person_id=actor.person_id, phase=phase)
    if satisfaction is not None:
        checkin.satisfaction = satisfaction
    if would_recommend is not None:
        checkin.would_recommend = would_recommend
    if take_part_again is not None:
        checkin.take_part_again = take_part_again
    checkin.feedback = (feedback or "").strip()
    checkin.share_feedback = bool(share_feedback)
    checkin.needs_help = bool(needs_help)
    if earlier is not None:
        checkin.edited_at = utcnow()
    session.add(checkin)
    session.flush()
    assert checkin.id is not None
    rows = {
        r.topic_id: r
        for r in session.exec(
            select(CheckInRating).where(CheckInRating.checkin_id == checkin.id)
        ).all()
    }
    for topic_id, row in rows.items():
        if topic_id not in topics:  # no longer the actor's to rate
            session.delete(row)
    for topic_id in topics:
        row = rows.get(topic_id) or CheckInRating(checkin_id=checkin.id, topic_id=topic_id)
        row.rating = given[topic_id]
        session.add(row)
    session.flush()
    return _view(checkin, {t: given[t] for t in topics})


def my_checkins(actor: Actor, pair_id: int, *, session: Session) -> list[CheckInView]:
    """The actor's own check-ins on this pair (start first)."""
    membership(actor, pair_id, session=session)
    rows = session.exec(
        select(CheckIn).where(CheckIn.pair_id == pair_id, CheckIn.person_id == actor.person_id)
    ).all()
    ratings = _ratings_of([c.id for c in rows], session=session)  # type: ignore[misc]
    views = (_view(c, ratings[c.id]) for c in rows)  # type: ignore[index]
    return sorted(views, key=lambda v: PHASES.index(v.phase))


@dataclass(frozen=True)
class GoalProgress:
    topic_id: int
    topic: str
    priority: int
    objective: str
    before: int | None  # the mentee's confidence at the start check-in
    after: int | None  # ... and at the end
    change: int | None


def goal_progress(actor: Actor, pair_id: int, *, session: Session) -> list[GoalProgress]:
    """The mentee's confidence per goal, before -> after; shown to both members."""
    member = membership(actor, pair_id, session=session)
    mentee = member.mentee
    goals = session.exec(
        select(LearningGoal, Topic.name)
        .join(Topic, col(Topic.id) == LearningGoal.topic_id)
        .where(LearningGoal.enrollment_id == mentee.id)
        .order_by(col(LearningGoal.priority), Topic.name)
    ).all()
    phases: dict[str, dict[int, int]] = {phase: {} for phase in PHASES}
    for phase, topic_id, rating in session.exec(
        select(CheckIn.phase, CheckInRating.topic_id, CheckInRating.rating)
        .join(CheckInRating, col(CheckInRating.checkin_id) == CheckIn.id)
        .where(CheckIn.pair_id == pair_id, CheckIn.person_id == mentee.person_id)
    ).all():
        phases.setdefault(phase, {})[topic_id] = rating
    start, end = phases["start"], phases["end"]
    rows = []
    for goal, name in goals:
        before, after = start.get(goal.topic_id), end.get(goal.topic_id)
        change = after - before if before is not None and after is not None else None
        rows.append(
            GoalProgress(goal.topic_id, name, goal.priority, goal.objective, before, after, change)
        )
    return rows


def completed_phases(pilot_id: int, *, session: Session) -> set[tuple[int, int, str]]:
    """(pair id, person id, phase) of every check-in in the pilot; reads no answers."""
    return set(
        session.exec(
            select(CheckIn.pair_id, CheckIn.person_id, CheckIn.phase)
            .join(Pair, col(Pair.id) == CheckIn.pair_id)
            .where(Pair.pilot_id == pilot_id)
        ).all()
    )
