"""Four months of use on top of the sample pilot, so the tracking and dashboard pages have
something to show.

The pairs act through the same services a person would use (log a session, annotate it, tick a
milestone, check in, plan, pause, leave, raise a concern), as their own members, so the sample
only ever holds what the portal itself lets people write. The services check dates against the
real today, so every date here is counted back from it.

Each active pair is cast in a story the programme team should recognise on the progress and
at-risk pages: most pairs meet steadily and, three weeks before the end, have already done their
end check-in, and a handful go wrong in the ways the at-risk list exists to catch. The pairs of
the demo accounts always run smoothly and leave the end check-in to whoever signs in with them,
so they see a lively "My pair" page with something still to do.

Enough pairs finish for the dashboard to show its before/after and satisfaction breakdowns:
those hide any group smaller than the pilot's privacy threshold (5 people).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from core.auth import Actor, actor_for
from core.models import Enrollment, Milestone, Pair, PairStatus, Person, Pilot
from core.pairs.exit import pause_pair, raise_concern
from core.people.participants import withdraw_participant
from core.tracking.calendar_export import plan_session
from core.tracking.checkins import submit_checkin
from core.tracking.milestone_progress import tick_pair_milestone, tick_pilot_milestone
from core.tracking.session_log import SessionInput, annotate_session, goal_topics, record_session

# The stories a pair can be cast in. Every active pair not cast in a special story is STEADY.
STEADY = "steady"  # meets every two or three weeks, everything due ticked, end check-in to do
FINISHED = "finished"  # like steady, and both already did the end check-in
DRIFTING = "drifting"  # met until a month ago, then nothing: inactive past the pilot's limit
SLOW_START = "slow_start"  # met only lately and ticked nothing after orientation: overdue
UNHAPPY = "unhappy"  # the mentor is unhappy (low satisfaction) and raises a concern
PAUSED = "paused"  # the mentee paused the pair for a busy period
LEFT = "left"  # the mentor paused while a move was decided, then left: re-match needed
# (story, how many pairs), cast in this order; LEFT first because it needs a mentor with a
# single pair (leaving the pilot ends all of a mentor's pairs).
SPECIAL_STORIES: tuple[tuple[str, int], ...] = (
    (LEFT, 1),
    (UNHAPPY, 1),
    (PAUSED, 1),
    (DRIFTING, 2),
    (SLOW_START, 3),
    (FINISHED, 12),
)
# Days before today of the drifting pairs' last session: past the 21-day inactivity limit.
DRIFT_DAYS = (30, 33)
PLANNED_PAIRS = 2  # the first steady pairs (the demo accounts' first) get two planned sessions
PLANNED_IN_DAYS = (5, 14)  # both before the pilot ends
SESSION_COUNTS: dict[str, tuple[int, int]] = {
    STEADY: (3, 7),
    FINISHED: (5, 8),
    DRIFTING: (3, 4),
    SLOW_START: (1, 2),
    UNHAPPY: (4, 5),
    PAUSED: (3, 5),
    LEFT: (2, 3),
}
SHOWCASE_SESSIONS = (6, 8)
# Satisfaction in the end check-ins (two per finished pair), dealt out at random: mostly happy,
# four lukewarm answers that would not recommend the programme. None is low enough (2 or less)
# to put a finished pair on the at-risk list.
END_SATISFACTION = (5,) * 9 + (4,) * 11 + (3,) * 4
# How much more confident a mentee feels at the end on each goal, and how much a mentor learned
# back on each topic: mostly a point or two, sometimes nothing.
MENTEE_GAINS = (0, 1, 1, 1, 2, 2, 3)
MENTOR_GAINS = (0, 1, 1, 2)
MINUTES = (30, 45, 45, 60, 60, 60, 75, 90)
CANDOUR_SCORES, CANDOUR_WEIGHTS = (5, 4, 3, 2), (45, 40, 10, 5)
MIDPOINT, FINAL = "midpoint", "final_reflection"
MIDPOINT_EARLY = 7  # days: a session this close before the mid-point's due date counts for it

TAKEAWAYS: dict[str, tuple[str, ...]] = {
    "Collaboration suites": (
        "Moved the weekly update into a shared page with comments instead of a meeting.",
        "Set up a team channel with clear norms for what goes in chat and what goes in email.",
    ),
    "Mobile-first workflows": (
        "Installed the expenses app and approved three claims from the phone together.",
        "Signed and returned a contract on the phone; no more printing at the airport.",
    ),
    "No-code automation": (
        "Built a first flow that files the monthly report inputs automatically.",
        "Mapped the manual steps of the monthly report; half of them can be automated.",
    ),
    "Video and hybrid meetings": (
        "Practised running a hybrid call: remote people speak first, chat is read aloud.",
        "Tried breakout rooms and live captions; both were easier than expected.",
    ),
    "Generative AI basics": (
        "Went through what the assistant is good at and where it makes things up.",
        "Compared three AI tools on a real task; agreed which one the team may use.",
    ),
    "Prompting for everyday work": (
        "Drafted a board-paper summary with the assistant, then rewrote the prompt twice.",
        "Learned to give the assistant a role, an audience and an example.",
    ),
    "Data literacy": (
        "Questioned the sales dashboard together: what is counted, and what is left out.",
        "Read a chart with a truncated axis and rebuilt it honestly.",
    ),
    "Responsible AI": (
        "Walked through our AI guardrails and wrote three plain-language sentences for the board.",
        "Discussed bias in screening tools with a real recruitment example.",
    ),
    "Cybersecurity basics": (
        "Set up multi-factor authentication on phone and laptop; next, the password manager.",
        "Looked at five real phishing emails; spotted four of them.",
    ),
    "Personal digital hygiene": (
        "Reviewed the privacy settings of the family accounts and turned on updates.",
        "Set up a password manager and moved the ten most important passwords into it.",
    ),
    "Social engineering": (
        "Role-played a fake 'urgent CEO request' call; agreed a verification phrase with the PA.",
        "Went through what an attacker can learn about me from public profiles.",
    ),
    "LinkedIn presence": (
        "Rewrote the headline and about section in a personal voice.",
        "Drafted the first post about the team's project; publishing it next week.",
    ),
    "Short-form video": (
        "Recorded three takes of a one-minute video on the phone; the third one works.",
        "Learned basic editing: captions, trimming and a clear first three seconds.",
    ),
    "Online reputation": (
        "Went through last month's criticism of the brand and how we replied.",
        "Agreed when to answer online, when to take it offline, and when to stay silent.",
    ),
    "What Gen Z expects of work": (
        "Talked about why graduates leave: growth, feedback and flexibility, not just pay.",
        "Went through the exit-interview themes from a junior's point of view.",
    ),
    "Feedback culture": (
        "Planned how to ask the team for upward feedback, with an anonymous option.",
        "Practised receiving critical feedback without defending; harder than it sounds.",
    ),
    "Hybrid and flexible work": (
        "Sketched fair hybrid norms for the three sites; core days rather than fixed desks.",
        "Discussed how remote juniors miss out on informal learning, and what could fix it.",
    ),
    "Wellbeing and mental health": (
        "Talked about how to open a conversation about mental health without prying.",
        "Went through what the employee assistance programme offers, from a user's view.",
    ),
    "Inclusive language": (
        "Reviewed a speech draft together and replaced five exclusionary phrases.",
        "Rewrote a job ad: fewer requirements, gender-neutral wording.",
    ),
    "Everyday allyship": (
        "Listed moments in leadership meetings where people get talked over, and what to say.",
        "Discussed how to amplify a quiet colleague's idea and credit them.",
    ),
    "Neurodiversity at work": (
        "Looked at how to send agendas earlier and allow written input for meetings.",
        "Talked through adjustments that cost nothing: clear instructions, quiet space.",
    ),
}
MENTEE_NOTES = (
    "Caught myself jumping to solutions again. Ask more questions next time.",
    "More out of my depth than I let on. Practise before the next session.",
    "Really useful; worth showing to my leadership team.",
    "Patient explanations, never condescending. I should do the same with my team.",
    "I talked too much. Let my mentor lead the next one.",
)
MENTOR_NOTES = (
    "Nervous at the start; easier once we had the laptop open.",
    "Asked about my career plans: follow up on the rotation idea.",
    "Bring a worked example next time; the slides were too abstract.",
    "I pushed back on a point and it was well received.",
    "Good session, but we ran out of time. Send the links afterwards.",
)
UNHAPPY_NOTE = "Cancelled twice and talked over me again. Not sure this is working."
UNHAPPY_CONCERN = (
    "My mentee often reschedules at the last minute, and in our last session kept talking "
    "over me when I tried to show the tool. I would like advice on how to raise this without "
    "it affecting how I am seen in the department."
)
UNHAPPY_START_FEEDBACK = "It feels more like a status meeting than mentoring so far."
PAUSE_REASON = "Budget round and board cycle until mid-December; we agreed to pick up in January."
LEFT_PAUSE_REASON = "I may be moving to the Singapore office; pausing until it is decided."
LEFT_REASON = (
    "I am moving to the Singapore office next month and the time difference makes our sessions "
    "impossible. Sorry to leave early."
)
MENTEE_FEEDBACK = (
    "Eye-opening. I now use what we covered every week, and my team has noticed.",
    "My mentor was patient, well prepared and honest with me. I learned more than on any course.",
    "Practical and enjoyable; the hands-on sessions were the best part.",
)
MENTOR_FEEDBACK = (
    "I learned how budget decisions are really made, and I feel heard by leadership.",
    "A great chance to be seen and to see how a senior leader thinks.",
    "Good experience; I would have liked more regular sessions.",
)


@dataclass
class SamplePair:
    """An active pair of the sample, with both members acting for themselves."""

    pair: Pair
    mentee: Actor
    mentor: Actor
    mentee_zone: str
    mentor_enrollment: Enrollment
    goals: list[int]  # the mentee's goal topic ids, most important first
    wants: list[int]  # the mentor's learn-back topic ids
    names: dict[int, str]  # goal topic id -> name
    showcase: bool  # a demo account is in it: someone may sign in and look
    story: str = STEADY
    quiet_days: int = 0  # drifting pairs: days since their last session
    days: list[date] = field(default_factory=list)  # when they met

    @property
    def id(self) -> int:
        assert self.pair.id is not None
        return self.pair.id

    @property
    def accepted_on(self) -> date:
        assert self.pair.accepted_at is not None
        return self.pair.accepted_at.date()


def add_activity(pilot: Pilot, rng: random.Random, *, session: Session) -> None:
    """Sessions, milestones, check-ins, plans and trouble for the sample's active pairs."""
    today = date.today()
    creator = session.get(Person, pilot.created_by_id)
    assert creator is not None and pilot.id is not None
    milestones: dict[str, Milestone] = {
        m.key: m
        for m in session.exec(select(Milestone).where(Milestone.pilot_id == pilot.id)).all()
    }
    if "kickoff" in milestones:
        tick_pilot_milestone(
            actor_for(creator),
            milestones["kickoff"].id,  # type: ignore[arg-type]
            pilot.start_date,
            session=session,
        )
    pairs = _cast(pilot, rng, session=session)
    steady = sorted((p for p in pairs if p.story == STEADY), key=lambda p: (not p.showcase, p.id))
    planned = {p.id for p in steady[:PLANNED_PAIRS]}
    end_satisfaction = rng.sample(END_SATISFACTION, len(END_SATISFACTION))
    for p in pairs:
        _meet(p, today, rng, session=session)
        _tick(p, milestones, rng, session=session)
        _check_in(p, rng, end_satisfaction, session=session)
        if p.id in planned:
            _plan(p, today, rng, session=session)
        # Last: a paused or ended pair refuses most of the writes above.
        _trouble(p, session=session)


def _cast(pilot: Pilot, rng: random.Random, *, session: Session) -> list[SamplePair]:
    """The active pairs in id order, each with its story. The demo accounts' pairs stay steady;
    the special stories go to the others, shuffled with the sample's seed."""
    active = session.exec(
        select(Pair)
        .where(Pair.pilot_id == pilot.id, Pair.status == PairStatus.ACTIVE)
        .order_by(col(Pair.id))
    ).all()
    holding: dict[int, int] = {}
    for mentor_enrollment_id in session.exec(
        select(Pair.mentor_enrollment_id).where(
            Pair.pilot_id == pilot.id, col(Pair.status).in_(PairStatus.HOLDING)
        )
    ).all():
        holding[mentor_enrollment_id] = holding.get(mentor_enrollment_id, 0) + 1
    pairs = []
    for pair in active:
        mentee_e = session.get(Enrollment, pair.mentee_enrollment_id)
        mentor_e = session.get(Enrollment, pair.mentor_enrollment_id)
        assert mentee_e is not None and mentor_e is not None and mentee_e.id is not None
        mentee_p = session.get(Person, mentee_e.person_id)
        mentor_p = session.get(Person, mentor_e.person_id)
        assert mentee_p is not None and mentor_p is not None
        names = goal_topics(mentee_e.id, session=session)
        pairs.append(
            SamplePair(
                pair=pair,
                mentee=actor_for(mentee_p),
                mentor=actor_for(mentor_p),
                mentee_zone=mentee_p.time_zone,
                mentor_enrollment=mentor_e,
                goals=list(names),
                wants=list(mentor_e.wants),
                names=names,
                showcase=bool(mentee_p.password_hash or mentor_p.password_hash),
            )
        )
    others = [p for p in pairs if not p.showcase]
    rng.shuffle(others)
    for story, count in SPECIAL_STORIES:
        for _ in range(count):
            # Leaving the pilot ends every pair of the mentor: pick one who has a single pair.
            fits = [
                p for p in others if story != LEFT or holding.get(p.mentor_enrollment.id or 0) == 1
            ]
            if fits:
                fits[0].story = story
                others.remove(fits[0])
    for p, days in zip((p for p in pairs if p.story == DRIFTING), DRIFT_DAYS, strict=False):
        p.quiet_days = days
    return pairs


def _working_day(day: date) -> date:
    """Pairs meet on working days: a Saturday moves back to Friday, a Sunday on to Monday."""
    return day + timedelta(days={5: -1, 6: 1}.get(day.weekday(), 0))


def _meeting_days(p: SamplePair, today: date, rng: random.Random) -> list[date]:
    """Spread between a first meeting a few days after both accepted and a recent last one,
    except where the story says otherwise."""
    low, high = SHOWCASE_SESSIONS if p.showcase else SESSION_COUNTS[p.story]
    n = rng.randint(low, high)
    first = p.accepted_on + timedelta(days=rng.randint(2, 7))
    last = today - timedelta(days=rng.randint(2, 14))
    if p.story == DRIFTING:
        first = p.accepted_on + timedelta(days=1)
        last = today - timedelta(days=p.quiet_days)
    elif p.story == SLOW_START:
        first = today - timedelta(days=rng.randint(9, 14))
        last = today - timedelta(days=rng.randint(2, 5))
    elif p.story == PAUSED:
        last = today - timedelta(days=rng.randint(7, 12))
    elif p.story == LEFT:
        last = today - timedelta(days=rng.randint(14, 20))  # since the move was decided
    if n == 1:
        return [_working_day(first)]
    span = (last - first).days
    days = {first + timedelta(days=round(i * span / (n - 1))) for i in range(n)}
    # A drifting pair's last session stays exact: it decides how long the pair has been quiet.
    moved = {d if p.story == DRIFTING and d == last else _working_day(d) for d in days}
    return sorted(d for d in moved if p.accepted_on <= d <= today)


def _takeaway(topic: str, times_before: int) -> str:
    """A different line each time the pair comes back to a topic."""
    lines = (
        *TAKEAWAYS.get(topic, (f"Worked hands-on on {topic} with a real example from work.",)),
        f"Back to {topic}: practised again on a real task from this week.",
    )
    return lines[min(times_before, len(lines) - 1)]


def _session_topics(p: SamplePair, i: int, rng: random.Random) -> list[int]:
    """The goals in turn, most important first, now and then two in one session."""
    if not p.goals:
        return []
    topics = [p.goals[i % len(p.goals)]]
    if len(p.goals) > 1 and rng.random() < 0.3:
        topics.append(p.goals[(i + 1) % len(p.goals)])
    return topics


def _reflection(
    p: SamplePair, who: Actor, rng: random.Random, *, must_answer: bool
) -> tuple[str, int | None]:
    """A member's own private note ("" for none) and candour pulse (None for none)."""
    is_mentee = who.person_id == p.mentee.person_id
    unhappy = p.story == UNHAPPY and not is_mentee
    note = ""
    if unhappy and rng.random() < 0.5:
        note = UNHAPPY_NOTE
    elif rng.random() < 0.3:
        note = rng.choice(MENTEE_NOTES if is_mentee else MENTOR_NOTES)
    candour = None
    if must_answer or rng.random() < 0.45:
        candour = rng.choice((2, 3)) if unhappy else rng.choices(CANDOUR_SCORES, CANDOUR_WEIGHTS)[0]
    return note, candour


def _meet(p: SamplePair, today: date, rng: random.Random, *, session: Session) -> None:
    """Sessions on the mentee's goals, logged by either member; the other adds their own note
    and pulse afterwards. Everyone who met answers the pulse at least once."""
    p.days = _meeting_days(p, today, rng)
    answered: set[int] = set()
    covered: dict[int, int] = {}  # topic id -> sessions on it so far
    for i, held_on in enumerate(p.days):
        author, partner = (p.mentor, p.mentee) if rng.random() < 0.6 else (p.mentee, p.mentor)
        topics = _session_topics(p, i, rng)
        takeaways = " ".join(_takeaway(p.names[t], covered.get(t, 0)) for t in topics)
        for t in topics:
            covered[t] = covered.get(t, 0) + 1
        last = i == len(p.days) - 1
        note, candour = _reflection(
            p, author, rng, must_answer=last and author.person_id not in answered
        )
        entry = record_session(
            author,
            p.id,
            SessionInput(held_on, rng.choice(MINUTES), topics, takeaways, note, candour),
            session=session,
        )
        if candour is not None:
            answered.add(author.person_id)
        note, candour = _reflection(
            p, partner, rng, must_answer=last and partner.person_id not in answered
        )
        if note or candour is not None:
            annotate_session(partner, entry.id, private_note=note, candour=candour, session=session)
            if candour is not None:
                answered.add(partner.person_id)


def _tick(
    p: SamplePair, milestones: dict[str, Milestone], rng: random.Random, *, session: Session
) -> None:
    """Orientation soon after accepting, the first meeting and agreed goals on the days they
    happened, the mid-point at the first session around its due date, the final reflection at
    the last session of a finished pair. Slow starters ticked orientation only, so the rest
    shows as overdue."""
    done_on: dict[str, date | None] = {
        "orientation": p.accepted_on + timedelta(days=rng.randint(0, 2)),
        "first_meeting": p.days[0],
        "goals_agreed": p.days[min(1, len(p.days) - 1)],
    }
    if MIDPOINT in milestones:
        since = milestones[MIDPOINT].due_date - timedelta(days=MIDPOINT_EARLY)
        done_on[MIDPOINT] = next((d for d in p.days if d >= since), None)
    if p.story == FINISHED:
        done_on[FINAL] = p.days[-1]
    keys = ("orientation",) if p.story == SLOW_START else tuple(done_on)
    for key in keys:
        milestone, day = milestones.get(key), done_on[key]
        if milestone is not None and milestone.id is not None and day is not None:
            who = rng.choice((p.mentee, p.mentor))
            tick_pair_milestone(who, p.id, milestone.id, day, session=session)


def _check_in(
    p: SamplePair, rng: random.Random, end_satisfaction: list[int], *, session: Session
) -> None:
    """Start check-ins for all but the slow starters; end check-ins for the finished pairs, with
    the mentee mostly more confident and the mentor having mostly learned something back.
    `end_satisfaction` is the pool the end check-ins take their satisfaction from."""
    if p.story == SLOW_START:
        return
    confidence = {t: rng.randint(1, 3) for t in p.goals}
    learned = {t: rng.randint(1, 3) for t in p.wants}
    submit_checkin(
        p.mentee, p.id, "start", confidence, rng.choice((None, None, 4, 5)), session=session
    )
    unhappy = p.story == UNHAPPY
    submit_checkin(
        p.mentor,
        p.id,
        "start",
        learned,
        2 if unhappy else rng.choice((None, None, 4, 5)),
        feedback=UNHAPPY_START_FEEDBACK if unhappy else "",
        needs_help=unhappy,
        session=session,
    )
    if p.story != FINISHED:
        return
    for who, start, gains, feedback in (
        (p.mentee, confidence, MENTEE_GAINS, MENTEE_FEEDBACK),
        (p.mentor, learned, MENTOR_GAINS, MENTOR_FEEDBACK),
    ):
        satisfaction = end_satisfaction.pop() if end_satisfaction else 4
        submit_checkin(
            who,
            p.id,
            "end",
            {t: min(5, rating + rng.choice(gains)) for t, rating in start.items()},
            satisfaction,
            would_recommend=satisfaction >= 4,
            take_part_again=satisfaction >= 4,
            feedback=rng.choice(feedback),
            # Only the mentee's feedback can go into the mentor's recognition letter.
            share_feedback=who is p.mentee and satisfaction >= 4,
            session=session,
        )


def _plan(p: SamplePair, today: date, rng: random.Random, *, session: Session) -> None:
    """Two sessions ahead, at a working hour in the mentee's time zone."""
    zone = ZoneInfo(p.mentee_zone)
    for i, days in enumerate(PLANNED_IN_DAYS):
        day = _working_day(today + timedelta(days=days))
        topic = p.names[p.goals[(len(p.days) + i) % len(p.goals)]] if p.goals else ""
        plan_session(
            rng.choice((p.mentee, p.mentor)),
            p.id,
            datetime.combine(day, time(rng.choice((9, 10, 14, 16))), tzinfo=zone),
            rng.choice((45, 60)),
            f"Reverse mentoring: {topic}" if topic else "",
            session=session,
        )


def _trouble(p: SamplePair, *, session: Session) -> None:
    if p.story == UNHAPPY:
        raise_concern(p.mentor, p.id, UNHAPPY_CONCERN, session=session)
    elif p.story == PAUSED:
        pause_pair(p.mentee, p.id, reason=PAUSE_REASON, session=session)
    elif p.story == LEFT:
        # Only a withdrawal (not a plain end) tells the admins that the mentee needs a new
        # partner; both reasons stay on the pair's history for them.
        pause_pair(p.mentor, p.id, reason=LEFT_PAUSE_REASON, session=session)
        assert p.mentor_enrollment.id is not None
        withdraw_participant(p.mentor, p.mentor_enrollment.id, reason=LEFT_REASON, session=session)
