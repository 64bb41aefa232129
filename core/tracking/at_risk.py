"""Pairs that need the programme team's attention, each with why and what to do next.

Only facts the programme team may see decide: sessions held (dates, not content), milestones,
pair events, withdrawals and leavers, and the one check-in answer a participant chooses to share
with the team as theirs, "Tell the programme team we need help". Ratings and satisfaction are
promised to reach admins only as aggregates, so no reason here is ever built from them.

The progress page and table ask this for thousands of pairs, so everything is read in a fixed number of
queries for the whole pilot (pairs with names, last sessions, overdue ticks, requests for help,
pair events) and combined in Python, never one query per pair.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, func, select

from core.access import get_pilot, require_pilot_admin
from core.auth import Actor
from core.models import (
    CheckIn,
    Enrollment,
    EnrollmentStatus,
    MentoringSession,
    Pair,
    PairEvent,
    PairEventKind,
    PairStatus,
    Person,
    Pilot,
)
from core.pairs.access import NamedPair, named_pairs, reference_date
from core.tracking.milestone_progress import overdue_by_pair
from core.wording import count_of

PARTNER_LEFT = "partner_left"
ASKED_FOR_HELP = "asked_for_help"
PAUSED_TOO_LONG = "paused_too_long"
INACTIVE = "inactive"
MILESTONE_OVERDUE = "milestone_overdue"
# In order of urgency: the first reason a pair has decides the suggested action.
ACTIONS: dict[str, str] = {
    PARTNER_LEFT: "Offer a re-match",
    ASKED_FOR_HELP: "Talk to each member privately about how the pair is going",
    PAUSED_TOO_LONG: "Ask both whether to resume or end the pair",
    INACTIVE: "Nudge both to book a session",
    MILESTONE_OVERDUE: "Remind the pair of the overdue milestone",
}
URGENCY = list(ACTIONS)


@dataclass(frozen=True)
class AtRisk:
    pair_id: int
    mentee_name: str
    mentor_name: str
    reasons: list[str]
    suggested_action: str
    kinds: tuple[str, ...] = field(default=())  # reason codes (keys of ACTIONS), most urgent first
    status: str = ""


Sides = tuple[dict[int, list[Pair]], dict[int, list[Pair]]]


def _pairs_by_member(pairs: list[NamedPair]) -> Sides:
    """Enrollment id -> their pairs, per side. Rejected suggestions never reached anyone, so
    they do not count as a new pair."""
    mentee_side: dict[int, list[Pair]] = {}
    mentor_side: dict[int, list[Pair]] = {}
    for p in pairs:
        if p.pair.status != PairStatus.REJECTED:
            mentee_side.setdefault(p.pair.mentee_enrollment_id, []).append(p.pair)
            mentor_side.setdefault(p.pair.mentor_enrollment_id, []).append(p.pair)
    return mentee_side, mentor_side


def _rematched(pair: Pair, theirs: list[Pair]) -> bool:
    """A pair made after this one was declined or ended. A mentor's other pairs that were already
    running do not count: the slot this pair freed is still empty."""
    if pair.ended_at is None:
        return any((other.id or 0) > (pair.id or 0) for other in theirs)
    return any(other.id != pair.id and other.created_at >= pair.ended_at for other in theirs)


# A pair ended this long before the pilot's end leaves a mentee who could still be matched again.
EARLY_END_DAYS = 14


def _left_without_pair(
    p: NamedPair, ended_by_withdrawal: bool, members: Sides, ended_early: bool = False
) -> str | None:
    """Why the remaining member of a pair that ended by withdrawal or early by a member's choice,
    or of a declined match, is left without a partner; None once they have a new pair or left
    themselves."""
    pair, withdrawn = p.pair, EnrollmentStatus.WITHDRAWN
    mentee_waits = p.mentee_status != withdrawn and not _rematched(
        pair, members[0].get(pair.mentee_enrollment_id, [])
    )
    mentor_waits = p.mentor_status != withdrawn and not _rematched(
        pair, members[1].get(pair.mentor_enrollment_id, [])
    )
    if pair.status == PairStatus.DECLINED:
        return "The match was declined; the mentee has no new pair" if mentee_waits else None
    if pair.status != PairStatus.ENDED:
        return None
    if not ended_by_withdrawal:
        # Ended by a member ("no-fault exit"): the mentee may want another partner.
        if ended_early and mentee_waits:
            return "The pair ended early; the mentee has no new pair"
        return None
    if p.mentor_status == withdrawn and mentee_waits:
        return "The mentor withdrew; the mentee has no new pair"
    if p.mentee_status == withdrawn and mentor_waits:
        return "The mentee withdrew; the mentor has no new pair"
    return None


def _assess(pilot: Pilot, today: date, *, session: Session) -> list[AtRisk]:
    pilot_id, limit = pilot.id, pilot.inactivity_days
    pairs = named_pairs(pilot_id, session=session)  # type: ignore[arg-type]
    last_session = dict(
        session.exec(
            select(MentoringSession.pair_id, func.max(MentoringSession.held_on))
            .join(Pair, col(Pair.id) == MentoringSession.pair_id)
            .where(Pair.pilot_id == pilot_id)
            .group_by(MentoringSession.pair_id)
        ).all()
    )
    active_ids = {p.pair.id for p in pairs if p.pair.status == PairStatus.ACTIVE}
    overdue = overdue_by_pair(pilot_id, active_ids, today, session=session)  # type: ignore[arg-type]
    # Only the answer the person chose to share; never a rating or a satisfaction score.
    asked: dict[int, set[tuple[str, int]]] = {}
    for pair_id, phase, person_id in session.exec(
        select(CheckIn.pair_id, CheckIn.phase, CheckIn.person_id)
        .join(Pair, col(Pair.id) == CheckIn.pair_id)
        .where(Pair.pilot_id == pilot_id, col(CheckIn.needs_help))
    ).all():
        asked.setdefault(pair_id, set()).add((phase, person_id))
    events: dict[tuple[int, str], date] = {
        (pair_id, kind): when.date()
        for pair_id, kind, when in session.exec(
            select(PairEvent.pair_id, PairEvent.kind, func.max(PairEvent.created_at))
            .join(Pair, col(Pair.id) == PairEvent.pair_id)
            .where(
                Pair.pilot_id == pilot_id,
                col(PairEvent.kind).in_((PairEventKind.PAUSED, PairEventKind.WITHDRAWN)),
            )
            .group_by(PairEvent.pair_id, PairEvent.kind)
        ).all()
    }
    members = _pairs_by_member(pairs)
    withdrawn = EnrollmentStatus.WITHDRAWN
    # Marked as leavers by the organisation directory, whether or not yet withdrawn.
    leavers = set(
        session.exec(
            select(Enrollment.id)
            .join(Person, col(Person.id) == Enrollment.person_id)
            .where(Enrollment.pilot_id == pilot_id, col(Person.is_leaver))
        ).all()
    )

    flagged: list[AtRisk] = []
    for p in pairs:
        pair, reasons = p.pair, {}
        assert pair.id is not None
        if pair.status in PairStatus.RUNNING:
            if withdrawn in (p.mentee_status, p.mentor_status):
                who = "mentee" if p.mentee_status == withdrawn else "mentor"
                reasons[PARTNER_LEFT] = f"The {who} withdrew from the pilot"
            if requests := asked.get(pair.id):
                sides = {"mentee" if who == p.mentee_person_id else "mentor" for _, who in requests}
                who = " and ".join(sorted(sides, reverse=True))  # mentee before mentor
                phases = sorted({phase for phase, _ in requests}, reverse=True)  # start, end
                reasons[ASKED_FOR_HELP] = (
                    f"The {who} asked the programme team for help in the "
                    f"{' and '.join(phases)} check-in{'s' if len(phases) > 1 else ''}"
                )
            if pair.status == PairStatus.PAUSED:
                since = events.get((pair.id, PairEventKind.PAUSED)) or reference_date(pair)
                if (days := (today - since).days) >= limit:
                    reasons[PAUSED_TOO_LONG] = f"Paused for {count_of(days, 'day')} (limit {limit})"
            else:
                last = last_session.get(pair.id)
                days = (today - (last or reference_date(pair))).days
                if days >= limit:
                    reasons[INACTIVE] = (
                        f"No session for {count_of(days, 'day')} (limit {limit})"
                        if last
                        else f"No session logged in the {days} days since the pair started "
                        f"(limit {limit})"
                    )
                if late := overdue.get(pair.id):
                    reasons[MILESTONE_OVERDUE] = "Overdue milestone: " + ", ".join(
                        f"{m.name} ({d} day{'s' if d > 1 else ''} late)" for m, d in late
                    )
        elif left := _left_without_pair(
            p,
            (pair.id, PairEventKind.WITHDRAWN) in events,
            members,
            ended_early=pair.ended_at is not None
            and (pilot.end_date - pair.ended_at.date()).days >= EARLY_END_DAYS,
        ):
            reasons[PARTNER_LEFT] = left
        if (
            PARTNER_LEFT not in reasons
            and pair.status in PairStatus.HOLDING
            and leavers & {pair.mentee_enrollment_id, pair.mentor_enrollment_id}
        ):
            who = "mentee" if pair.mentee_enrollment_id in leavers else "mentor"
            reasons[PARTNER_LEFT] = f"The {who} left the organisation"
        if reasons:
            kinds = tuple(k for k in URGENCY if k in reasons)
            flagged.append(
                AtRisk(
                    pair.id,
                    p.mentee_name,
                    p.mentor_name,
                    [reasons[k] for k in kinds],
                    ACTIONS[kinds[0]],
                    kinds,
                    pair.status,
                )
            )
    return sorted(flagged, key=lambda r: (URGENCY.index(r.kinds[0]), -len(r.kinds), r.mentee_name))


def at_risk_pairs(
    actor: Actor, pilot_id: int, *, session: Session, today: date | None = None
) -> list[AtRisk]:
    """Most urgent first. Runs a fixed number of queries whatever the number of pairs."""
    require_pilot_admin(actor, pilot_id, session=session)
    return at_risk_of_pilot(pilot_id, session=session, today=today)


def at_risk_of_pilot(pilot_id: int, *, session: Session, today: date | None = None) -> list[AtRisk]:
    """`at_risk_pairs` with no access check: callers check who acts first (ui.cached)."""
    pilot = get_pilot(pilot_id, session=session)
    return _assess(pilot, today or date.today(), session=session)


def at_risk_by_pair(
    actor: Actor, pilot_id: int, *, session: Session, today: date | None = None
) -> dict[int, AtRisk]:
    """The same, keyed by pair id, for tables that add an 'at risk' column to every pair."""
    return {r.pair_id: r for r in at_risk_pairs(actor, pilot_id, session=session, today=today)}
