"""What each side brings: mentees' learning goals, mentors' expertise, and both sides' profile.

Every function acts on the actor's OWN enrollment, so nobody can read or write another
participant's goals through here; the one exception, `participant_detail`, is for the pilot's
admins and reads only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, select

from core.access import require_participant
from core.auth import Actor
from core.errors import NotFound, ValidationFailed
from core.models import (
    Enrollment,
    Expertise,
    LearningGoal,
    Person,
    Role,
    Topic,
    TopicKind,
    utcnow,
)
from core.people.availability import invalid_slots
from core.people.participants import capacity_problem
from core.timezones import canonical_time_zone, time_zone_problem
from core.tracking.milestone_progress import oriented_enrollments

MAX_GOALS = 5
MAX_EXPERTISE = 10
MIN_OBJECTIVE = 15  # vague goals sink pilots: ask for a sentence, not a word
FORMATS = ("1:1 conversation", "Hands-on practice", "Shadowing", "Reading and discussion")
PRIORITY_LABELS = {1: "Must have", 2: "Important", 3: "Nice to have"}
LEVEL_LABELS = {1: "Working knowledge", 2: "Confident", 3: "Could teach a class"}


def _topic(pilot_id: int, topic_id: int, kind: str, *, session: Session) -> Topic:
    topic = session.get(Topic, topic_id)
    if topic is None or topic.pilot_id != pilot_id or topic.kind != kind or not topic.active:
        raise ValidationFailed({"topic": "choose a topic from this pilot's catalogue"})
    return topic


def _topic_item_problems(
    model: type[LearningGoal] | type[Expertise],
    enrollment_id: int,
    pilot_id: int,
    topic_id: int | None,
    item_id: int | None,
    limit: int,
    *,
    duplicate: str,
    full: str,
    session: Session,
) -> dict[str, str]:
    """The topic rules goals and expertise share: from the catalogue, once each, and a cap."""
    if topic_id is None:
        return {"topic": "choose a topic"}
    try:
        _topic(pilot_id, topic_id, TopicKind.LEARN, session=session)
    except ValidationFailed as exc:
        return dict(exc.errors)
    existing = {
        row.topic_id: row
        for row in session.exec(select(model).where(model.enrollment_id == enrollment_id)).all()
    }
    if topic_id in existing and existing[topic_id].id != item_id:
        return {"topic": duplicate}
    if item_id is None and len(existing) >= limit:
        return {"topic": full}
    return {}


def _own_item(
    model: type[LearningGoal] | type[Expertise],
    item_id: int | None,
    enrollment_id: int,
    *,
    session: Session,
):  # noqa: ANN202 - returns an instance of `model`
    """A new row, or the actor's existing one; another person's row is "not found"."""
    if item_id is None:
        return model(enrollment_id=enrollment_id, topic_id=0)
    found = session.get(model, item_id)
    if found is None or found.enrollment_id != enrollment_id:
        raise NotFound("This entry is not yours or no longer exists.")
    return found


def _goal_views(enrollment_id: int, *, session: Session) -> list[GoalView]:
    rows = session.exec(
        select(LearningGoal, Topic)
        .join(Topic, Topic.id == LearningGoal.topic_id)
        .where(LearningGoal.enrollment_id == enrollment_id)
        .order_by(LearningGoal.priority, Topic.name)
    ).all()
    return [
        GoalView(g.id, t.id, t.name, t.category, g.priority, g.objective, g.preferred_format)  # type: ignore[arg-type]
        for g, t in rows
    ]


def _expertise_views(enrollment_id: int, *, session: Session) -> list[ExpertiseView]:
    rows = session.exec(
        select(Expertise, Topic)
        .join(Topic, Topic.id == Expertise.topic_id)
        .where(Expertise.enrollment_id == enrollment_id)
        .order_by(Expertise.level.desc(), Topic.name)  # type: ignore[attr-defined]
    ).all()
    return [ExpertiseView(x.id, t.id, t.name, t.category, x.level, x.note) for x, t in rows]  # type: ignore[arg-type]


# --- learning goals (mentees) -------------------------------------------------------------------


@dataclass(frozen=True)
class GoalView:
    id: int
    topic_id: int
    topic: str
    category: str
    priority: int
    objective: str
    preferred_format: str


def my_goals(actor: Actor, pilot_id: int, *, session: Session) -> list[GoalView]:
    enrollment = require_participant(actor, pilot_id, Role.MENTEE, session=session)
    return _goal_views(enrollment.id, session=session)  # type: ignore[arg-type]


def save_goal(
    actor: Actor,
    pilot_id: int,
    *,
    topic_id: int | None,
    priority: int,
    objective: str,
    preferred_format: str = "",
    goal_id: int | None = None,
    session: Session,
) -> LearningGoal:
    enrollment = require_participant(actor, pilot_id, Role.MENTEE, session=session)
    objective = (objective or "").strip()
    errors = _topic_item_problems(
        LearningGoal, enrollment.id, pilot_id, topic_id, goal_id, MAX_GOALS,  # type: ignore[arg-type]
        duplicate="you already have a goal on this topic; edit it instead",
        full=f"you already have {MAX_GOALS} goals; fewer, sharper goals work better",
        session=session,
    )  # fmt: skip
    if priority not in PRIORITY_LABELS:
        errors["priority"] = "choose 1 (must have), 2 (important) or 3 (nice to have)"
    if len(objective) < MIN_OBJECTIVE:
        errors["objective"] = (
            f"describe in at least {MIN_OBJECTIVE} characters what you want to be able to do "
            "(e.g. 'Use an AI assistant to draft my monthly update')"
        )
    elif len(objective) > 500:
        errors["objective"] = f"must be at most 500 characters (now {len(objective)})"
    if preferred_format and preferred_format not in FORMATS:
        errors["preferred_format"] = f"use one of: {', '.join(FORMATS)}"
    if errors:
        raise ValidationFailed(errors)
    goal = _own_item(LearningGoal, goal_id, enrollment.id, session=session)  # type: ignore[arg-type]
    goal.topic_id, goal.priority, goal.objective = topic_id, priority, objective  # type: ignore[assignment]
    goal.preferred_format, goal.updated_at = preferred_format, utcnow()
    session.add(goal)
    session.flush()
    return goal


def delete_goal(actor: Actor, pilot_id: int, goal_id: int, *, session: Session) -> None:
    enrollment = require_participant(actor, pilot_id, Role.MENTEE, session=session)
    goal = session.get(LearningGoal, goal_id)
    if goal is None or goal.enrollment_id != enrollment.id:
        raise NotFound("This goal is not yours or no longer exists.")
    session.delete(goal)
    session.flush()


# --- expertise (mentors) -------------------------------------------------------------------------


@dataclass(frozen=True)
class ExpertiseView:
    id: int
    topic_id: int
    topic: str
    category: str
    level: int
    note: str


def my_expertise(actor: Actor, pilot_id: int, *, session: Session) -> list[ExpertiseView]:
    enrollment = require_participant(actor, pilot_id, Role.MENTOR, session=session)
    return _expertise_views(enrollment.id, session=session)  # type: ignore[arg-type]


def save_expertise(
    actor: Actor,
    pilot_id: int,
    *,
    topic_id: int | None,
    level: int,
    note: str = "",
    expertise_id: int | None = None,
    session: Session,
) -> Expertise:
    enrollment = require_participant(actor, pilot_id, Role.MENTOR, session=session)
    errors = _topic_item_problems(
        Expertise, enrollment.id, pilot_id, topic_id, expertise_id, MAX_EXPERTISE,  # type: ignore[arg-type]
        duplicate="you already listed this topic; edit it instead",
        full=f"at most {MAX_EXPERTISE} topics; keep the ones you are strongest in",
        session=session,
    )  # fmt: skip
    if level not in LEVEL_LABELS:
        errors["level"] = "choose 1 (working knowledge), 2 (confident) or 3 (could teach a class)"
    if len(note or "") > 300:
        errors["note"] = f"must be at most 300 characters (now {len(note)})"
    if errors:
        raise ValidationFailed(errors)
    item = _own_item(Expertise, expertise_id, enrollment.id, session=session)  # type: ignore[arg-type]
    item.topic_id, item.level, item.note = topic_id, level, (note or "").strip()  # type: ignore[assignment]
    session.add(item)
    session.flush()
    return item


def delete_expertise(actor: Actor, pilot_id: int, expertise_id: int, *, session: Session) -> None:
    enrollment = require_participant(actor, pilot_id, Role.MENTOR, session=session)
    item = session.get(Expertise, expertise_id)
    if item is None or item.enrollment_id != enrollment.id:
        raise NotFound("This entry is not yours or no longer exists.")
    session.delete(item)
    session.flush()


# --- profile (both) ------------------------------------------------------------------------------


@dataclass
class ProfileInput:
    time_zone: str = "UTC"
    availability: list[str] = field(default_factory=list)
    offers: list[int] = field(default_factory=list)  # mentees: know-how they can share
    wants: list[int] = field(default_factory=list)  # mentors: what they want to learn back
    learn_back_note: str = ""
    capacity: int = 1
    consent: bool = False
    opted_out: bool = False


@dataclass(frozen=True)
class ProfileView:
    role: str
    name: str
    email: str
    job_title: str
    department: str
    data: ProfileInput
    complete_steps: int
    total_steps: int
    missing: list[str]
    oriented: bool = False  # mentees: the orientation is done (tracking.oriented_enrollments)


def _profile_input(person: Person, enrollment: Enrollment) -> ProfileInput:
    return ProfileInput(
        time_zone=person.time_zone,
        availability=list(enrollment.availability),
        offers=list(enrollment.offers),
        wants=list(enrollment.wants),
        learn_back_note=enrollment.learn_back_note,
        capacity=enrollment.capacity,
        consent=enrollment.consent,
        opted_out=enrollment.opted_out,
    )


def profile_completeness(enrollment: Enrollment, items: int) -> tuple[int, int, list[str]]:
    """Steps of a complete profile. Matching itself needs fewer (goals or expertise and consent,
    see core.pairs.population.eligibility); availability and learn-back wishes improve the score."""
    if enrollment.role == Role.MENTEE:
        steps = {
            "at least one learning goal": items >= 1,
            "weekly availability": bool(enrollment.availability),
            "consent to be mentored by someone more junior": enrollment.consent,
        }
    else:
        steps = {
            "at least one area of expertise": items >= 1,
            "weekly availability": bool(enrollment.availability),
            "what you want to learn back": bool(enrollment.wants),
            "agreement to take part": enrollment.consent,
        }
    missing = [k for k, done in steps.items() if not done]
    return len(steps) - len(missing), len(steps), missing


def my_profile(actor: Actor, pilot_id: int, *, session: Session) -> ProfileView:
    enrollment = require_participant(actor, pilot_id, session=session)
    person = session.get(Person, enrollment.person_id)
    assert person is not None
    model = LearningGoal if enrollment.role == Role.MENTEE else Expertise
    items = len(session.exec(select(model).where(model.enrollment_id == enrollment.id)).all())
    done, total, missing = profile_completeness(enrollment, items)
    return ProfileView(
        role=enrollment.role,
        name=person.name,
        email=person.email,
        job_title=person.job_title,
        department=person.department,
        data=_profile_input(person, enrollment),
        complete_steps=done,
        total_steps=total,
        missing=missing,
        oriented=enrollment.role == Role.MENTEE
        and enrollment.id in oriented_enrollments(pilot_id, session=session),
    )


def save_profile(actor: Actor, pilot_id: int, data: ProfileInput, *, session: Session) -> None:
    enrollment = require_participant(actor, pilot_id, session=session)
    errors: dict[str, str] = {}
    if problem := time_zone_problem(data.time_zone):
        errors["time_zone"] = problem
    if bad := invalid_slots(data.availability):
        errors["availability"] = f"unknown slots: {', '.join(bad)}"
    offer_ids = {
        t.id
        for t in session.exec(
            select(Topic).where(Topic.pilot_id == pilot_id, Topic.kind == TopicKind.OFFER)
        ).all()
    }
    for key in ("offers", "wants"):
        if set(getattr(data, key)) - offer_ids:
            errors[key] = "choose topics from this pilot's list"
    if enrollment.role == Role.MENTOR and (problem := capacity_problem(data.capacity)):
        errors["capacity"] = problem
    if len(data.learn_back_note) > 500:
        errors["learn_back_note"] = (
            f"must be at most 500 characters (now {len(data.learn_back_note)})"
        )
    if errors:
        raise ValidationFailed(errors)
    person = session.get(Person, enrollment.person_id)
    assert person is not None
    person.time_zone = canonical_time_zone(data.time_zone)
    enrollment.availability = list(dict.fromkeys(data.availability))
    if enrollment.role == Role.MENTEE:
        enrollment.offers = sorted(set(data.offers))
    else:
        enrollment.wants = sorted(set(data.wants))
        enrollment.capacity = data.capacity
    enrollment.learn_back_note = data.learn_back_note.strip()
    enrollment.consent = data.consent
    enrollment.opted_out = data.opted_out
    session.add_all([person, enrollment])
    session.flush()


def complete_orientation(actor: Actor, pilot_id: int, *, session: Session) -> None:
    """Mentees confirm they read the orientation; a pilot can require it before matching."""
    enrollment = require_participant(actor, pilot_id, Role.MENTEE, session=session)
    if enrollment.orientation_completed_at is None:
        enrollment.orientation_completed_at = utcnow()
        session.add(enrollment)
        session.flush()


@dataclass(frozen=True)
class ParticipantDetail:
    name: str
    email: str
    role: str
    goals: list[GoalView]
    expertise: list[ExpertiseView]
    profile: ProfileInput


def participant_detail(actor: Actor, enrollment_id: int, *, session: Session) -> ParticipantDetail:
    """What an admin of the pilot sees of one participant (never private notes)."""
    from core.access import require_pilot_admin

    enrollment = session.get(Enrollment, enrollment_id)
    if enrollment is None:
        raise NotFound("This participant does not exist.")
    require_pilot_admin(actor, enrollment.pilot_id, session=session)
    person = session.get(Person, enrollment.person_id)
    assert person is not None
    return ParticipantDetail(
        name=person.name,
        email=person.email,
        role=enrollment.role,
        goals=_goal_views(enrollment.id, session=session),  # type: ignore[arg-type]
        expertise=_expertise_views(enrollment.id, session=session),  # type: ignore[arg-type]
        profile=_profile_input(person, enrollment),
    )
