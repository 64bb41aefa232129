"""How far the current pairs reach: mentees, their goals and mentors.

Every page that counts mentees (Matching, Pilot progress, the dashboard's tile, the admin's home)
counts them here, so "matched" means the same everywhere:

- *mentees in the pilot*: mentee enrollments that were invited or joined, not withdrawn and not
  a volunteer still waiting for an admin's approval;
- *eligible*: of those, the ones matching takes part (core.pairs.population.eligibility);
- *with a pair*: holding a current pair (suggested, approved, published, active or paused), or
  one that ended once the pilot was over;
- *without a pair*: everybody else in the pilot, each with one reason.

So `with_pair + without_pair == in_pilot`, whatever the pilot's state.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from sqlmodel import Session, select

from core.access import get_pilot, require_pilot_admin
from core.auth import Actor
from core.models import (
    EnrollmentStatus,
    MatchRun,
    Pair,
    PairStatus,
    Pilot,
    Role,
)
from core.pairs.population import PilotPopulation, eligibility, load_population

# The statuses of a mentee "in the pilot": a pending volunteer counts once approved.
IN_PILOT = frozenset({EnrollmentStatus.INVITED, EnrollmentStatus.ACTIVE})
HAS_PAIR = "has a pair"
PAIR_ENDED_EARLY = "their pair ended before the pilot's end"
DECLINED = "a suggested partner was declined: waiting for matching to run again"
REJECTED = "the programme team rejected the suggestion: waiting for matching to run again"
NO_MENTOR_FITS = "no mentor fits the matching rules"
NOT_RUN_YET = "not in a matching run yet"


@dataclass(frozen=True)
class MenteeStanding:
    """One mentee in the pilot: with a pair, or why not (`why` groups, `detail` explains)."""

    enrollment_id: int
    name: str
    eligible: bool
    why: str  # HAS_PAIR, or the reason they have none
    detail: str = ""

    @property
    def has_pair(self) -> bool:
        return self.why == HAS_PAIR


@dataclass(frozen=True)
class MenteeCounts:
    in_pilot: int
    eligible: int
    with_pair: int
    # reason -> how many mentees of the pilot have no pair for that reason
    reasons: dict[str, int] = field(default_factory=dict)

    @property
    def without_pair(self) -> int:
        return sum(self.reasons.values())

    @property
    def matched_label(self) -> str:
        """The sentence every page shows, naming the population it counts."""
        return f"{self.with_pair} of {self.in_pilot} mentees in the pilot have a pair"

    @property
    def without_label(self) -> str:
        n = self.without_pair
        return f"{n} {'mentee' if n == 1 else 'mentees'} in the pilot without a pair"


def count_mentees(standings: Iterable[tuple[bool, str]]) -> MenteeCounts:
    """The counts from each mentee's (eligible, why): the only place mentees are added up, used
    on the database's standings and on the dashboard's (filtered) frames alike."""
    total = eligible = with_pair = 0
    reasons: Counter[str] = Counter()
    for is_eligible, why in standings:
        total += 1
        eligible += bool(is_eligible)
        if why == HAS_PAIR:
            with_pair += 1
        else:
            reasons[why] += 1
    return MenteeCounts(total, eligible, with_pair, dict(reasons.most_common()))


def holds_a_place(status: str, ended_on: date | None, pilot_end: date) -> bool:
    """The pair gives its mentee a pair: it is current, or it ended once the pilot was over (so
    pairs that finished and said goodbye still count at the end)."""
    if status in PairStatus.HOLDING:
        return True
    return status == PairStatus.ENDED and ended_on is not None and ended_on >= pilot_end


def standing(
    unfit: str | None, pairs: list[tuple[str, date | None]], run_reason: str | None,
    pilot_end: date,
) -> tuple[str, str]:  # fmt: skip
    """(why, detail) of one mentee in the pilot: HAS_PAIR, or why not. `unfit` is their
    ineligibility (core.pairs.population), `pairs` their pairs' (status, ended on) oldest first,
    `run_reason` why the latest matching run found nobody for them."""
    if any(holds_a_place(status, ended_on, pilot_end) for status, ended_on in pairs):
        return HAS_PAIR, ""
    if unfit is not None:
        return unfit, ""
    last = pairs[-1][0] if pairs else None
    if last == PairStatus.ENDED:
        return PAIR_ENDED_EARLY, ""
    if last == PairStatus.DECLINED:
        return DECLINED, ""
    if last == PairStatus.REJECTED:
        return REJECTED, ""
    if run_reason is not None:
        return NO_MENTOR_FITS, run_reason
    return NOT_RUN_YET, ""


def run_reasons(pilot_id: int, *, session: Session) -> dict[int, str]:
    """Why the latest matching run found nobody, by mentee enrollment id."""
    run = session.exec(
        select(MatchRun).where(MatchRun.pilot_id == pilot_id).order_by(MatchRun.id.desc())  # type: ignore[union-attr]
    ).first()
    return {u["enrollment_id"]: u.get("reason", "") for u in (run.unmatched if run else [])}


def mentee_standings(pop: PilotPopulation, reasons: dict[int, str]) -> list[MenteeStanding]:
    """Every mentee in the pilot with a pair or the reason they have none."""
    pairs_of: dict[int, list[tuple[str, date | None]]] = {}
    for p in sorted(pop.pairs, key=lambda p: p.id or 0):
        ended_on = p.ended_at.date() if p.ended_at else None
        pairs_of.setdefault(p.mentee_enrollment_id, []).append((p.status, ended_on))
    standings = []
    for e in sorted(pop.enrollments.values(), key=lambda e: e.id or 0):
        if e.role != Role.MENTEE or e.status not in IN_PILOT:
            continue
        unfit = eligibility(pop, e)
        why, detail = standing(
            unfit,
            pairs_of.get(e.id, []),
            reasons.get(e.id),
            pop.pilot.end_date,  # type: ignore[arg-type]
        )
        standings.append(MenteeStanding(e.id, pop.name(e.id), unfit is None, why, detail))  # type: ignore[arg-type]
    return standings


def standings_of_pilot(pilot: Pilot, *, session: Session) -> list[MenteeStanding]:
    """`mentee_standings` read from the database, with no access check (callers check)."""
    pop = load_population(pilot, session=session, with_org=False)
    return mentee_standings(pop, run_reasons(pilot.id, session=session))  # type: ignore[arg-type]


def mentees_without_pair(actor: Actor, pilot_id: int, *, session: Session) -> list[MenteeStanding]:
    """The mentees in the pilot who have no pair, each with why: for the pilot's admins."""
    pilot = require_pilot_admin(actor, pilot_id, session=session)
    return [s for s in standings_of_pilot(pilot, session=session) if not s.has_pair]


@dataclass(frozen=True)
class Coverage:
    mentees: MenteeCounts
    goals_covered: int
    goals_total: int
    mentors_used: int
    mentors_total: int
    unpaired: tuple[MenteeStanding, ...] = ()

    @property
    def mentees_matched(self) -> int:
        return self.mentees.with_pair

    @property
    def mentees_total(self) -> int:
        return self.mentees.in_pilot


def coverage_summary(actor: Actor, pilot_id: int, *, session: Session) -> Coverage:
    """How far the current pairs (suggested or decided) reach: mentees, their goals, mentors."""
    require_pilot_admin(actor, pilot_id, session=session)
    return coverage_of_pilot(pilot_id, session=session)


def coverage_of_pilot(pilot_id: int, *, session: Session) -> Coverage:
    """`coverage_summary` with no access check: callers check who acts first (ui.cached)."""
    pilot = get_pilot(pilot_id, session=session)
    pop = load_population(pilot, session=session, with_org=False)
    standings = mentee_standings(pop, run_reasons(pilot_id, session=session))
    holding = [p for p in pop.pairs if p.status in PairStatus.HOLDING]
    in_pilot = {s.enrollment_id for s in standings}
    mentors = [
        e
        for e in pop.enrollments.values()
        if e.role == Role.MENTOR and e.status == EnrollmentStatus.ACTIVE
    ]
    goals_total = sum(len(pop.goals.get(m, {})) for m in in_pilot)
    covered = sum(
        sum(
            1
            for t in pop.goals.get(p.mentee_enrollment_id, {})
            if t in pop.expertise.get(p.mentor_enrollment_id, {})
        )
        for p in holding
    )
    return Coverage(
        count_mentees((s.eligible, s.why) for s in standings),
        covered, goals_total,
        len({p.mentor_enrollment_id for p in holding}), len(mentors),
        tuple(s for s in standings if not s.has_pair),
    )  # fmt: skip


def mentee_counts_of_pilot(pilot_id: int, *, session: Session) -> MenteeCounts:
    """Just the mentee counts, no access check (callers check)."""
    return coverage_of_pilot(pilot_id, session=session).mentees


def mentee_counts_after_run(
    pop: PilotPopulation, unmatched: list[dict], *, session: Session
) -> MenteeCounts:
    """The mentee counts once a matching run saved its pairs, from the population the run
    read (its people, goals and expertise do not change in the run) with the pilot's pairs
    read again: a second population costs a pilot of thousands seconds."""
    pairs = list(session.exec(select(Pair).where(Pair.pilot_id == pop.pilot.id)).all())
    reasons = {u["enrollment_id"]: u.get("reason", "") for u in unmatched}
    standings = mentee_standings(replace(pop, pairs=pairs), reasons)
    return count_mentees((s.eligible, s.why) for s in standings)


# Score bands for words: the score is a weighted mean (0-100) in which covering goals weighs most.
STRONG_FROM = 60.0
GOOD_FROM = 45.0
STRENGTHS = ("strong match", "good match", "partial match")
MUST_HAVE = 1  # goal priority 1 is "must have" (core.matching.instance.PRIORITY_LABELS)


def match_in_words(score: float, goals: dict[int, int], expertise: dict[int, int]) -> str:
    """The pair's score as a sentence a DEI lead can repeat: "strong match: covers 2 of 3
    must-have goals", instead of a number from the formula."""
    strong, good, partial = STRENGTHS
    strength = strong if score >= STRONG_FROM else good if score >= GOOD_FROM else partial
    must = [t for t, priority in goals.items() if priority == MUST_HAVE]
    covered = sum(1 for t in goals if t in expertise)
    if not goals:
        return f"{strength}: the mentee has no learning goals now"
    if not must:
        return f"{strength}: covers {covered} of {_goals(len(goals), 'goal')}"
    covered_must = sum(1 for t in must if t in expertise)
    words = f"{strength}: covers {covered_must} of {_goals(len(must), 'must-have goal')}"
    if len(goals) > len(must):
        words += f" ({covered} of {_goals(len(goals), 'goal')} in all)"
    return words


def _goals(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
