"""Where a pilot is, from set-up to closing, and what needs the programme team today.

The admin's home page shows one checklist with counts and the next action, and the facts that
need attention. Everything here is what the programme team may already see on Participants,
Matching and Pilot progress: counts, statuses, completion of check-ins, never their answers.
Mentees are counted by core.pairs.coverage, like on every other page.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, func, select

from core.access import require_pilot_admin
from core.auth import Actor
from core.models import (
    Concern,
    EnrollmentStatus,
    MatchRun,
    PairStatus,
    Pilot,
    PilotStatus,
    Role,
    Topic,
    TopicKind,
)
from core.pairs.coverage import count_mentees, mentee_standings, run_reasons
from core.pairs.population import eligibility, load_population
from core.tracking.at_risk import AtRisk, at_risk_of_pilot
from core.tracking.checkins import completed_phases
from core.tracking.milestone_progress import overdue_by_pair
from core.tracking.next_step import end_checkin_due

# The pages an action leads to, by their address (the home page turns them into links).
PILOT_SETUP = "pilot_setup"
PARTICIPANTS = "participants"
MATCHING = "matching"
PROGRESS = "progress"
DASHBOARD = "dashboard"


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    title: str
    done: bool
    counts: str  # what stands behind the tick, in words
    action: str  # what to do while it is not done
    page: str


@dataclass(frozen=True)
class Attention:
    key: str
    count: int
    text: str
    page: str


@dataclass(frozen=True)
class AdminHome:
    pilot_name: str
    status: str
    checklist: list[ChecklistItem]
    next_item: ChecklistItem | None  # the first item not done
    attention: list[Attention]


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def admin_home(
    actor: Actor, pilot_id: int, *, session: Session, today: date | None = None
) -> AdminHome:
    """The pilot's checklist and what needs attention today, for its admins."""
    pilot = require_pilot_admin(actor, pilot_id, session=session)
    return admin_home_of_pilot(pilot, session=session, today=today or date.today())


def admin_home_of_pilot(
    pilot: Pilot, *, session: Session, today: date, risks: list[AtRisk] | None = None
) -> AdminHome:
    """`admin_home` with no access check: callers check who acts first (ui.cached), and may
    pass the pilot's `at_risk_of_pilot` for that day when they have it already."""
    pilot_id: int = pilot.id  # type: ignore[assignment]
    pop = load_population(pilot, session=session, with_org=False)
    run = session.exec(
        select(MatchRun).where(MatchRun.pilot_id == pilot_id).order_by(col(MatchRun.id).desc())
    ).first()
    standings = mentee_standings(pop, run_reasons(pilot_id, session=session))
    mentees = count_mentees((s.eligible, s.why) for s in standings)
    people = [e for e in pop.enrollments.values() if e.role in (Role.MENTEE, Role.MENTOR)]
    by = Counter((e.role, e.status) for e in people)
    mentors_active = [
        e for e in people if e.role == Role.MENTOR and e.status == EnrollmentStatus.ACTIVE
    ]
    mentors_ready = sum(1 for e in mentors_active if eligibility(pop, e) is None)
    learn_topics = session.exec(
        select(func.count())
        .select_from(Topic)
        .where(Topic.pilot_id == pilot_id, Topic.kind == TopicKind.LEARN, col(Topic.active))
    ).one()
    statuses = Counter(p.status for p in pop.pairs)
    running = [p for p in pop.pairs if p.status in PairStatus.RUNNING]
    published_waiting = statuses[PairStatus.PUBLISHED]
    ever_published = sum(1 for p in pop.pairs if p.published_at is not None)
    to_review = statuses[PairStatus.SUGGESTED] + statuses[PairStatus.APPROVED]
    done_phases = completed_phases(pilot_id, session=session)
    members = {p.id: (pop.enrollments[p.mentee_enrollment_id].person_id,
                      pop.enrollments[p.mentor_enrollment_id].person_id) for p in running}  # fmt: skip
    started = [p for p in pop.pairs if p.accepted_at is not None]
    for p in started:
        members.setdefault(p.id, (pop.enrollments[p.mentee_enrollment_id].person_id,
                                  pop.enrollments[p.mentor_enrollment_id].person_id))  # fmt: skip

    def phase_done(phase: str, pair_ids: list[int]) -> int:
        return sum(
            (pid, person, phase) in done_phases for pid in pair_ids for person in members[pid]
        )

    running_ids = [p.id for p in running]
    started_ids = [p.id for p in started]
    start_done = phase_done("start", running_ids)
    end_done = phase_done("end", started_ids)
    closed = pilot.status == PilotStatus.CLOSED
    end_due = end_checkin_due(pilot.end_date, closed, today)
    past_setup = pilot.status != PilotStatus.DRAFT
    mentees_joined = by[(Role.MENTEE, EnrollmentStatus.ACTIVE)]
    mentors_joined = by[(Role.MENTOR, EnrollmentStatus.ACTIVE)]
    mentees_invited = mentees_joined + by[(Role.MENTEE, EnrollmentStatus.INVITED)]
    mentors_invited = mentors_joined + by[(Role.MENTOR, EnrollmentStatus.INVITED)]

    checklist = [
        ChecklistItem("settings", "Set up the pilot", past_setup and learn_topics > 0,
                      f"{_n(learn_topics, 'learning topic')}; the pilot is {pilot.status}",
                      "Finish the set-up and open recruiting", PILOT_SETUP),
        ChecklistItem("people", "Invite people", mentees_joined > 0 and mentors_joined > 0,
                      f"{mentees_joined} of {_n(mentees_invited, 'invited mentee')} and "
                      f"{mentors_joined} of {_n(mentors_invited, 'invited mentor')} joined",
                      "Invite mentees and mentors", PARTICIPANTS),
        ChecklistItem("profiles", "Goals and expertise entered",
                      mentees.eligible > 0 and mentors_ready > 0,
                      f"{mentees.eligible} of {mentees.in_pilot} mentees in the pilot and "
                      f"{mentors_ready} of {_n(len(mentors_active), 'active mentor')} are ready "
                      "for matching",
                      "Remind participants to enter goals and expertise", PARTICIPANTS),
        ChecklistItem("matching", "Run matching", run is not None or bool(pop.pairs),
                      mentees.matched_label,
                      "Run matching", MATCHING),
        ChecklistItem("publish", "Review and publish the pairs",
                      ever_published > 0 and to_review == 0,
                      f"{_n(ever_published, 'pair')} published; {to_review} waiting for your review",
                      "Review and publish the suggested pairs", MATCHING),
        ChecklistItem("active", "Pairs accept and start",
                      len(running) > 0 and published_waiting == 0,
                      f"{statuses[PairStatus.ACTIVE]} active, {statuses[PairStatus.PAUSED]} paused; "
                      f"{_n(published_waiting, 'published pair')} waiting for an answer",
                      "Follow up on the pairs that have not answered", PROGRESS),
        ChecklistItem("checkins", "Check-ins",
                      len(running) > 0 and start_done == 2 * len(running)
                      and (not end_due or end_done == 2 * len(started)),
                      f"start check-ins {start_done} of {2 * len(running)}; "
                      f"end check-ins {end_done} of {2 * len(started)}",
                      "Remind pairs of their check-ins", PROGRESS),
        ChecklistItem("report", "Publish the results", closed,
                      "the report, data and recognition letters are on the Dashboard",
                      "Download the report from the Dashboard", DASHBOARD),
        ChecklistItem("close", "Close the pilot", closed,
                      f"ends {pilot.end_date:%d %b %Y}" if not closed else "closed",
                      "Close the pilot on Pilot progress", PROGRESS),
    ]  # fmt: skip

    if risks is None:
        risks = at_risk_of_pilot(pilot_id, session=session, today=today)
    attention = _attention(
        pilot_id, today, risks, session=session, running_ids=running_ids,
        pending=by[(Role.MENTEE, EnrollmentStatus.PENDING)] + by[(Role.MENTOR, EnrollmentStatus.PENDING)],
        published_waiting=published_waiting, unpaired=mentees.without_pair if run or pop.pairs else 0,
        unpaired_label=mentees.without_label,
    )  # fmt: skip
    return AdminHome(
        pilot.name,
        pilot.status,
        checklist,
        next((item for item in checklist if not item.done), None),
        attention,
    )


def _attention(
    pilot_id: int, today: date, risks: list[AtRisk], *, session: Session, running_ids: list[int], pending: int,
    published_waiting: int, unpaired: int, unpaired_label: str,
) -> list[Attention]:  # fmt: skip
    overdue = overdue_by_pair(pilot_id, set(running_ids), today, session=session)
    concerns = session.exec(
        select(func.count())
        .select_from(Concern)
        .where(Concern.pilot_id == pilot_id, col(Concern.resolved_at).is_(None))
    ).one()
    items = []
    if risks:
        first = Counter(r.suggested_action for r in risks).most_common(1)[0][0]
        items.append(Attention("at_risk", len(risks),
                               f"{_n(len(risks), 'pair')} at risk; most need: {first.lower()}",
                               PROGRESS))  # fmt: skip
    if concerns:
        items.append(Attention("concerns", concerns,
                               f"{_n(concerns, 'confidential concern')} not resolved yet",
                               PROGRESS))  # fmt: skip
    if pending:
        items.append(Attention("volunteers", pending,
                               f"{_n(pending, 'volunteer')} waiting for your approval",
                               PARTICIPANTS))  # fmt: skip
    if overdue:
        items.append(Attention("overdue", len(overdue),
                               f"{_n(len(overdue), 'pair')} with an overdue milestone", PROGRESS))  # fmt: skip
    if published_waiting:
        items.append(Attention("unanswered", published_waiting,
                               f"{_n(published_waiting, 'published pair')} waiting for an answer",
                               PROGRESS))  # fmt: skip
    if unpaired:
        items.append(Attention("unpaired", unpaired, unpaired_label, MATCHING))
    return items
