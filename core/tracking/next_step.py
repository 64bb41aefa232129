"""Where a participant is in the pilot, and the one thing to do next.

A mentee or mentor walks the same path: complete the profile, read the orientation (mentees),
answer the suggested partner, meet with the pair (next session, next milestone), and the end
check-in. The home page shows the path and one action; this module decides both, from the
person's own data only (the same reads as My profile and My pair).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, func, select

from core.access import get_pilot, require_participant
from core.auth import Actor
from core.errors import NotAllowed
from core.models import (
    EnrollmentStatus,
    Expertise,
    LearningGoal,
    PairStatus,
    Person,
    PilotStatus,
    Response,
    Role,
)
from core.pairs.access import PairView, my_pairs
from core.people.profiles import profile_completeness
from core.reminders.schedule import END_CHECKIN_DAYS_BEFORE
from core.timezones import canonical_time_zone, zone_info
from core.tracking.milestone_progress import oriented_enrollments
from core.tracking.my_pair import MyPairView, my_pair

# The pages an action leads to, by their address (the home page turns them into links).
MY_PROFILE = "my_profile"
MY_GOALS = "my_goals"
MY_EXPERTISE = "my_expertise"
MY_PAIR = "my_pair"

DONE, CURRENT, LATER = "done", "current", "later"
PROFILE, ORIENTATION, PARTNER, PAIR, END = "profile", "orientation", "partner", "pair", "end"


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    state: str  # DONE, CURRENT or LATER
    detail: str = ""


@dataclass(frozen=True)
class NextAction:
    label: str  # the button's words
    page: str  # where it leads (MY_PROFILE, MY_PAIR, ...)


@dataclass(frozen=True)
class ParticipantHome:
    role: str
    pilot_name: str
    headline: str  # one sentence: where the person is now
    steps: list[Step]
    action: NextAction | None  # None while waiting for somebody else
    partner_name: str = ""
    next_session: datetime | None = None  # in the person's own time zone
    next_milestone: tuple[str, date] | None = None  # name, due date
    notes: list[str] = field(default_factory=list)


def end_checkin_due(pilot_end: date, closed: bool, today: date) -> bool:
    """The end check-in opens a week before the pilot ends (when the reminders ask for it)."""
    return closed or today >= pilot_end - timedelta(days=END_CHECKIN_DAYS_BEFORE)


def participant_home(
    actor: Actor, pilot_id: int, *, session: Session, now: datetime | None = None
) -> ParticipantHome:
    """The participant's path through the pilot with the current step and its action."""
    me = require_participant(actor, pilot_id, session=session)
    if me.role not in (Role.MENTEE, Role.MENTOR):
        raise NotAllowed("This page is for the pilot's mentees and mentors.")
    pilot = get_pilot(pilot_id, session=session)
    now = now or datetime.now(UTC)
    today = now.date()
    mentee = me.role == Role.MENTEE
    model = LearningGoal if mentee else Expertise
    items = session.exec(
        select(func.count()).select_from(model).where(model.enrollment_id == me.id)
    ).one()
    _, _, missing = profile_completeness(me, items)
    oriented = not mentee or me.id in oriented_enrollments(pilot_id, session=session)
    pairs = my_pairs(actor, pilot_id, session=session, include_ended=True)
    current = next((p for p in pairs if p.status in PairStatus.CURRENT), None)
    # An accepted pair that ended still owes its end check-in.
    finished = next((p for p in pairs if p.accepted_at is not None), None)
    pair = current or finished
    view = my_pair(actor, pilot_id, pair_id=pair.id, session=session, today=today) if pair else None
    closed = pilot.status == PilotStatus.CLOSED
    end_due = end_checkin_due(pilot.end_date, closed, today)
    end_done = view is not None and any(c.phase == "end" and c.mine_done for c in view.checkins)

    profile_page = MY_PROFILE if items else (MY_GOALS if mentee else MY_EXPERTISE)
    have_pair = pair is not None
    accepted = pair is not None and pair.my_response == Response.ACCEPTED

    if view is not None and accepted and (pair.status == PairStatus.ENDED or end_due or end_done):  # type: ignore[union-attr]
        current_step = END
    elif view is not None and accepted and pair.status in PairStatus.RUNNING:  # type: ignore[union-attr]
        current_step = PAIR
    elif current is not None:
        current_step = PARTNER
    elif missing:
        current_step = PROFILE
    elif not oriented:
        current_step = ORIENTATION
    else:
        current_step = PARTNER
    order = [PROFILE, *([ORIENTATION] if mentee else []), PARTNER, PAIR, END]
    at = order.index(current_step)

    def state(key: str) -> str:
        if key == END and end_done:
            return DONE
        i = order.index(key)
        return DONE if i < at else CURRENT if i == at else LATER

    steps = [
        Step(PROFILE, "Complete your profile", state(PROFILE),
             "Still to do: " + ", ".join(missing) + "." if missing else "Your profile is complete."),
    ]  # fmt: skip
    if mentee:
        steps.append(
            Step(ORIENTATION, "Read the orientation", state(ORIENTATION),
                 "Done." if oriented else "Needed before matching." if pilot.orientation_required
                 else "A short read on how reverse mentoring works.")
        )  # fmt: skip
    steps.append(Step(PARTNER, "Your suggested partner", state(PARTNER), _partner_detail(current)))
    zone = session.get(Person, me.person_id).time_zone  # type: ignore[union-attr]
    steps.append(Step(PAIR, "Meet with your pair", state(PAIR), _pair_detail(view, now, zone)))
    steps.append(
        Step(END, "The end check-in", state(END),
             "Done: thank you." if end_done else
             f"Opens {END_CHECKIN_DAYS_BEFORE} days before the pilot ends "
             f"({pilot.end_date:%d %b %Y}).")
    )  # fmt: skip

    headline, action = _headline_and_action(
        current_step, missing=missing, profile_page=profile_page, pilot=pilot.orientation_required,
        pair=pair, view=view, end_done=end_done, now=now,
    )  # fmt: skip
    notes = []
    if me.status == EnrollmentStatus.PENDING:
        notes.append("The programme team still has to approve you before matching.")
    if have_pair and missing and current_step != PROFILE:
        notes.append("Your profile still misses: " + ", ".join(missing) + ".")
    upcoming = [p for p in view.planned if p.starts_at >= now] if view else []
    return ParticipantHome(
        role=me.role,
        pilot_name=pilot.name,
        headline=headline,
        steps=steps,
        action=action,
        partner_name=pair.partner_name if pair else "",
        next_session=upcoming[0].starts_at.astimezone(zone_info(zone)) if upcoming else None,
        next_milestone=(
            (view.next_milestone.name, view.next_milestone.due_date)
            if view and view.next_milestone
            else None
        ),
        notes=notes,
    )


def _partner_detail(current: PairView | None) -> str:
    if current is None:
        return "The programme team suggests partners once profiles are in."
    if current.status != PairStatus.PUBLISHED:
        return f"You and {current.partner_name} both accepted."
    if current.my_response == Response.PENDING:
        return f"{current.partner_name} is suggested for you: accept or decline."
    return f"You accepted; waiting for {current.partner_name} to answer."


def _pair_detail(view: MyPairView | None, now: datetime, zone: str) -> str:
    if view is None or view.pair.status not in PairStatus.RUNNING:
        return "Sessions, milestones and your start check-in, once you both accept."
    upcoming = [p for p in view.planned if p.starts_at >= now]
    parts = [f"{len(view.sessions)} sessions logged"]
    if upcoming:
        local = upcoming[0].starts_at.astimezone(zone_info(zone))
        parts.append(f"next session {local:%a %d %b, %H:%M} ({canonical_time_zone(zone)})")
    else:
        parts.append("no session planned")
    if view.next_milestone is not None:
        m = view.next_milestone
        parts.append(f"next milestone '{m.name}' due {m.due_date:%d %b}")
    return "; ".join(parts) + "."


def _headline_and_action(
    step: str, *, missing: list[str], profile_page: str, pilot: bool, pair: PairView | None,
    view: MyPairView | None, end_done: bool, now: datetime,
) -> tuple[str, NextAction | None]:  # fmt: skip
    if step == PROFILE:
        return (
            "First, tell us about yourself: matching needs your profile.",
            NextAction("Complete your profile", profile_page),
        )
    if step == ORIENTATION:
        needed = " before you can be matched" if pilot else ""
        return (
            f"Your profile is complete. Read the orientation{needed}.",
            NextAction("Read the orientation", MY_PROFILE),
        )
    if step == PARTNER:
        if pair is None:
            return (
                "Your profile is ready. The programme team is matching pairs: you will be told "
                "when your partner is suggested.",
                None,
            )
        if pair.my_response == Response.PENDING:
            return (
                f"{pair.partner_name} is your suggested partner.",
                NextAction("Accept or decline your partner", MY_PAIR),
            )
        return f"You accepted. Waiting for {pair.partner_name} to accept too.", None
    if step == PAIR:
        assert view is not None and pair is not None
        if pair.status == PairStatus.PAUSED:
            return (f"Your pair with {pair.partner_name} is paused.",
                    NextAction("Resume or end your pair", MY_PAIR))  # fmt: skip
        start_done = any(c.phase == "start" and c.mine_done for c in view.checkins)
        if not start_done:
            return (f"You are paired with {pair.partner_name}. Start with the start check-in.",
                    NextAction("Do your start check-in", MY_PAIR))  # fmt: skip
        if not any(p.starts_at >= now for p in view.planned):
            return (f"You are paired with {pair.partner_name}. Plan your next session.",
                    NextAction("Plan your next session", MY_PAIR))  # fmt: skip
        return (f"You are paired with {pair.partner_name}. After you meet, log the session.",
                NextAction("Open your pair", MY_PAIR))  # fmt: skip
    if end_done:
        return "You completed the end check-in. Thank you for taking part.", None
    partner = pair.partner_name if pair else "your partner"
    return (
        f"The pilot is coming to an end: record what you learned with {partner}.",
        NextAction("Do your end check-in", MY_PAIR),
    )
