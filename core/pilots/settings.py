"""Launching and configuring a pilot: its settings, status and topic catalogue."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, select

from core.access import enrollment_of, get_pilot, require_pilot_admin, require_staff
from core.auth import Actor, email_problem, normalise_email
from core.dashboard.metrics import METRICS
from core.errors import NotAllowed, ValidationFailed
from core.models import (
    Enrollment,
    EnrollmentStatus,
    Pilot,
    PilotStatus,
    Role,
    Topic,
    TopicKind,
    utcnow,
)
from core.pilots.catalogue import DEFAULT_LEARN_TOPICS, DEFAULT_OFFER_TOPICS
from core.pilots.milestone_template import seed_default_milestones
from core.privacy.audit import changed, record, snapshot

# Allowed moves between statuses; going back one step is allowed so a mistake can be undone.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    PilotStatus.DRAFT: (PilotStatus.RECRUITING,),
    PilotStatus.RECRUITING: (PilotStatus.DRAFT, PilotStatus.MATCHING),
    PilotStatus.MATCHING: (PilotStatus.RECRUITING, PilotStatus.RUNNING),
    PilotStatus.RUNNING: (PilotStatus.MATCHING, PilotStatus.CLOSED),
    PilotStatus.CLOSED: (PilotStatus.RUNNING,),
}


@dataclass
class PilotInput:
    name: str
    start_date: date | None
    end_date: date | None
    purpose: str = ""
    focus_areas: list[str] = field(default_factory=list)
    sponsor_name: str = ""
    sponsor_email: str = ""
    sponsor_signed_off: bool = False
    min_grade_gap: int = 1
    orientation_required: bool = False
    inactivity_days: int = 21
    privacy_threshold: int = 5
    success_criteria: list[dict] = field(default_factory=list)
    retention_days: int = 90

    def validate(self) -> None:
        errors: dict[str, str] = {}
        if not self.name.strip():
            errors["name"] = "is required (e.g. 'Reverse mentoring 2027 pilot')"
        elif len(self.name.strip()) > 120:
            errors["name"] = "must be at most 120 characters"
        if self.start_date is None:
            errors["start_date"] = "is required"
        if self.end_date is None:
            errors["end_date"] = "is required"
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            errors["end_date"] = "must be after the start date"
        if len(self.purpose) > 5000:
            errors["purpose"] = "must be at most 5000 characters"
        if self.sponsor_email.strip() and (problem := email_problem(self.sponsor_email)):
            errors["sponsor_email"] = problem
        if not 0 <= self.min_grade_gap <= 10:
            errors["min_grade_gap"] = "must be between 0 and 10 grades"
        if not 7 <= self.inactivity_days <= 120:
            errors["inactivity_days"] = "must be between 7 and 120 days"
        if not 2 <= self.privacy_threshold <= 50:
            errors["privacy_threshold"] = "must be between 2 and 50 people"
        if not 0 <= self.retention_days <= 3650:
            errors["retention_days"] = "must be between 0 and 3650 days after the pilot closes"
        for i, criterion in enumerate(self.success_criteria, start=1):
            if criterion.get("metric") not in METRICS:
                errors[f"success_criteria {i}"] = "choose a measure from the list"
            try:
                float(criterion.get("target"))
            except (TypeError, ValueError):
                errors[f"success_criteria {i}"] = "the target must be a number"
        if errors:
            raise ValidationFailed(errors)


def _apply(pilot: Pilot, data: PilotInput) -> None:
    pilot.name = data.name.strip()
    pilot.purpose = data.purpose.strip()
    pilot.focus_areas = [f.strip() for f in data.focus_areas if f.strip()]
    pilot.start_date = data.start_date  # type: ignore[assignment]
    pilot.end_date = data.end_date  # type: ignore[assignment]
    pilot.sponsor_name = data.sponsor_name.strip()
    pilot.sponsor_email = normalise_email(data.sponsor_email)
    pilot.sponsor_signed_off = data.sponsor_signed_off
    pilot.min_grade_gap = data.min_grade_gap
    pilot.orientation_required = data.orientation_required
    pilot.inactivity_days = data.inactivity_days
    pilot.privacy_threshold = data.privacy_threshold
    pilot.retention_days = data.retention_days
    pilot.success_criteria = [
        {"metric": c["metric"], "target": float(c["target"])} for c in data.success_criteria
    ]


def new_invite_code() -> str:
    """Short, unambiguous (no 0/O/1/I) and random: it is typed by hand from an email."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(2))


def seed_default_topics(pilot: Pilot, *, session: Session) -> None:
    assert pilot.id is not None
    for kind, catalogue in (
        (TopicKind.LEARN, DEFAULT_LEARN_TOPICS),
        (TopicKind.OFFER, DEFAULT_OFFER_TOPICS),
    ):
        for category, topics in catalogue.items():
            for name, description in topics:
                session.add(
                    Topic(
                        pilot_id=pilot.id,
                        kind=kind,
                        name=name,
                        category=category,
                        description=description,
                    )
                )
    session.flush()


def create_pilot(actor: Actor, data: PilotInput, *, session: Session) -> Pilot:
    """A new pilot in draft, with the default topic catalogue and milestone template; the creator
    becomes its first administrator."""
    require_staff(actor)
    data.validate()
    pilot = Pilot(name="", start_date=data.start_date, end_date=data.end_date, invite_code="")
    _apply(pilot, data)
    pilot.invite_code = new_invite_code()
    pilot.created_by_id = actor.person_id
    session.add(pilot)
    session.flush()
    session.add(
        Enrollment(
            pilot_id=pilot.id,  # type: ignore[arg-type]
            person_id=actor.person_id,
            role=Role.ADMIN,
            status=EnrollmentStatus.ACTIVE,
            joined_at=utcnow(),
        )
    )
    seed_default_topics(pilot, session=session)
    seed_default_milestones(pilot, session=session)
    record(session, actor, "pilot.created", pilot.id, {}, snapshot(pilot, SETTINGS_FIELDS))
    return pilot


# The settings an admin changes on the set-up page, as the audit trail records them.
SETTINGS_FIELDS = (
    "name",
    "purpose",
    "focus_areas",
    "start_date",
    "end_date",
    "sponsor_name",
    "sponsor_email",
    "sponsor_signed_off",
    "min_grade_gap",
    "orientation_required",
    "inactivity_days",
    "privacy_threshold",
    "retention_days",
    "success_criteria",
)


def update_pilot(actor: Actor, pilot_id: int, data: PilotInput, *, session: Session) -> Pilot:
    pilot = require_pilot_admin(actor, pilot_id, session=session)
    data.validate()
    before = snapshot(pilot, SETTINGS_FIELDS)
    _apply(pilot, data)
    session.add(pilot)
    session.flush()
    old, new = changed(before, snapshot(pilot, SETTINGS_FIELDS))
    if new:
        record(session, actor, "pilot.settings_changed", pilot_id, old, new)
    return pilot


def pilot_input_of(pilot: Pilot) -> PilotInput:
    return PilotInput(
        name=pilot.name,
        start_date=pilot.start_date,
        end_date=pilot.end_date,
        purpose=pilot.purpose,
        focus_areas=list(pilot.focus_areas),
        sponsor_name=pilot.sponsor_name,
        sponsor_email=pilot.sponsor_email,
        sponsor_signed_off=pilot.sponsor_signed_off,
        min_grade_gap=pilot.min_grade_gap,
        orientation_required=pilot.orientation_required,
        inactivity_days=pilot.inactivity_days,
        privacy_threshold=pilot.privacy_threshold,
        success_criteria=[dict(c) for c in pilot.success_criteria],
        retention_days=pilot.retention_days,
    )


def set_status(actor: Actor, pilot_id: int, status: str, *, session: Session) -> Pilot:
    pilot = require_pilot_admin(actor, pilot_id, session=session)
    if status not in TRANSITIONS.get(pilot.status, ()):
        allowed = ", ".join(TRANSITIONS.get(pilot.status, ())) or "none"
        raise ValidationFailed(
            {"status": f"cannot go from {pilot.status} to {status}; next allowed: {allowed}"}
        )
    before = pilot.status
    pilot.status = status
    mark_closed(pilot)
    session.add(pilot)
    session.flush()
    record(session, actor, "pilot.status_changed", pilot_id, {"status": before}, {"status": status})
    return pilot


def mark_closed(pilot: Pilot) -> None:
    """Keep `closed_at` in step with the status: retention counts from the day it closed."""
    if pilot.status == PilotStatus.CLOSED:
        pilot.closed_at = pilot.closed_at or utcnow()
    else:
        pilot.closed_at = None


@dataclass(frozen=True)
class PilotSummary:
    id: int
    name: str
    status: str
    role: str
    start_date: date
    end_date: date


def my_pilots(actor: Actor, *, session: Session) -> list[PilotSummary]:
    """The pilots the actor takes part in, newest first, with the actor's role in each."""
    rows = session.exec(
        select(Pilot, Enrollment)
        .join(Enrollment, Enrollment.pilot_id == Pilot.id)
        .where(
            Enrollment.person_id == actor.person_id,
            Enrollment.status != EnrollmentStatus.WITHDRAWN,
        )
        .order_by(Pilot.start_date.desc(), Pilot.id.desc())  # type: ignore[union-attr]
    ).all()
    return [
        PilotSummary(p.id, p.name, p.status, e.role, p.start_date, p.end_date)  # type: ignore[arg-type]
        for p, e in rows
    ]


def pilot_for_participant(actor: Actor, pilot_id: int, *, session: Session) -> Pilot:
    """What a participant may read of a pilot: its public settings. Somebody who withdrew is
    no longer a participant: they do not read the pilot (nor its invite code) any more."""
    pilot = get_pilot(pilot_id, session=session)
    enrollment = enrollment_of(actor, pilot_id, session=session)
    if enrollment is None or enrollment.status == EnrollmentStatus.WITHDRAWN:
        raise NotAllowed("You are not a participant of this pilot.")
    return pilot


# --- topic catalogue -------------------------------------------------------------------------


def list_topics(
    actor: Actor,
    pilot_id: int,
    kind: str | None = None,
    *,
    session: Session,
    include_inactive: bool = False,
) -> list[Topic]:
    pilot_for_participant(actor, pilot_id, session=session)
    query = select(Topic).where(Topic.pilot_id == pilot_id)
    if kind:
        query = query.where(Topic.kind == kind)
    if not include_inactive:
        query = query.where(Topic.active)
    return list(session.exec(query.order_by(Topic.kind, Topic.category, Topic.name)).all())


def save_topic(
    actor: Actor,
    pilot_id: int,
    *,
    name: str,
    category: str,
    kind: str = TopicKind.LEARN,
    description: str = "",
    active: bool = True,
    topic_id: int | None = None,
    session: Session,
) -> Topic:
    """Add a topic, or rename/re-categorise/retire one. Retiring keeps goals that use it."""
    require_pilot_admin(actor, pilot_id, session=session)
    errors: dict[str, str] = {}
    name, category = name.strip(), category.strip()
    if not name:
        errors["name"] = "is required"
    elif len(name) > 80:
        errors["name"] = "must be at most 80 characters"
    if not category:
        errors["category"] = "is required (e.g. 'AI and data')"
    if kind not in (TopicKind.LEARN, TopicKind.OFFER):
        errors["kind"] = "must be 'learn' or 'offer'"
    clash = session.exec(
        select(Topic).where(Topic.pilot_id == pilot_id, Topic.kind == kind, Topic.name == name)
    ).first()
    if clash is not None and clash.id != topic_id:
        errors["name"] = f"'{name}' is already in the catalogue"
    if errors:
        raise ValidationFailed(errors)
    if topic_id is None:
        topic = Topic(pilot_id=pilot_id, kind=kind, name=name)
    else:
        found = session.get(Topic, topic_id)
        if found is None or found.pilot_id != pilot_id:
            raise ValidationFailed({"topic": "this topic is not part of the pilot"})
        topic = found
    fields = ("name", "category", "description", "active")
    before = {} if topic_id is None else snapshot(topic, fields)
    topic.name, topic.category, topic.description, topic.active = (
        name,
        category,
        description.strip()[:300],
        active,
    )
    session.add(topic)
    session.flush()
    old, new = changed(before, snapshot(topic, fields))
    if new:
        after = {"topic_id": topic.id, "kind": kind, **new}
        record(session, actor, "topic.saved", pilot_id, old, after)
    return topic


def pilot_for_admin(actor: Actor, pilot_id: int, *, session: Session) -> Pilot:
    return require_pilot_admin(actor, pilot_id, session=session)


def save_catalogue(
    actor: Actor, pilot_id: int, rows: list[dict], kind: str = TopicKind.LEARN, *, session: Session
) -> int:
    """Apply an edited catalogue table at once: rows with an "id" are updated, rows without one
    are added. Any bad row refuses the whole table (row numbers as shown, from 1)."""
    require_pilot_admin(actor, pilot_id, session=session)
    errors: dict[str, str] = {}
    names = [str(r.get("name") or "").strip() for r in rows]
    for i, name in enumerate(names, start=1):
        if name and names.index(name) != i - 1:
            errors[f"row {i}"] = f"'{name}' appears twice; topic names must be unique"
    changed = 0
    for i, row in enumerate(rows, start=1):
        raw_id = row.get("id")
        topic_id = None if raw_id is None or raw_id != raw_id else int(raw_id)  # NaN-safe
        try:
            with session.begin_nested():
                save_topic(
                    actor,
                    pilot_id,
                    name=str(row.get("name") or ""),
                    category=str(row.get("category") or ""),
                    kind=kind,
                    description=str(row.get("description") or ""),
                    active=bool(row.get("active", True)),
                    topic_id=topic_id,
                    session=session,
                )
            changed += 1
        except ValidationFailed as exc:
            errors.setdefault(f"row {i}", "; ".join(f"{k}: {v}" for k, v in exc.errors.items()))
    if errors:
        raise ValidationFailed(errors)
    return changed
