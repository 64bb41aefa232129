"""A realistic synthetic organisation and pilot, so a newcomer sees every page populated.

Everything goes through the same services a person would use (join, goals, expertise, matching,
review, publish, accept), so the sample is also a smoke test of the whole flow. It is seeded:
the same organisation every time.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlmodel import Session, select

from core.auth import Actor, actor_for, hash_password
from core.models import (
    Enrollment,
    EnrollmentStatus,
    Person,
    Pilot,
    PilotStatus,
    Response,
    Role,
    Topic,
    TopicKind,
    utcnow,
)
from core.people.participants import PersonInput, enroll, upsert_person
from core.people.profiles import ProfileInput, save_expertise, save_goal, save_profile
from core.pilots.settings import PilotInput, create_pilot

SAMPLE_DOMAIN = "sample.example.com"
SAMPLE_PASSWORD = "sample-pilot-2027"
SAMPLE_PILOT_NAME = "Sample · Reverse mentoring pilot"
SEED = 2027
# Three weeks before the end: most pairs have done their end check-in, so the dashboard's
# before/after charts have enough people per topic to get past the privacy threshold.
STARTED_DAYS_AGO = 140
ENDS_IN_DAYS = 21
ACCEPTED_AFTER_START = 14  # days: matching and acceptance took the first two weeks

DEPARTMENTS = (
    "Finance",
    "Marketing",
    "Sales",
    "Engineering",
    "People & Culture",
    "Operations",
    "Legal",
    "Customer Success",
)
FIRST = [
    "Amara",
    "Lucas",
    "Sofia",
    "Mateo",
    "Yuki",
    "Priya",
    "Jonas",
    "Leila",
    "Omar",
    "Chloe",
    "Kwame",
    "Ingrid",
    "Diego",
    "Mei",
    "Tomasz",
    "Fatima",
    "Noah",
    "Aisha",
    "Lars",
    "Camila",
    "Hiroshi",
    "Zoe",
    "Emeka",
    "Nina",
    "Rafael",
    "Sana",
    "Oskar",
    "Elena",
    "Tariq",
    "Maya",
    "Felix",
    "Ananya",
    "Hugo",
    "Zainab",
    "Pablo",
    "Freya",
    "Kenji",
    "Lucia",
    "Samuel",
    "Noor",
    "Viktor",
    "Ines",
    "Arjun",
    "Hanna",
    "Malik",
    "Julia",
    "Theo",
    "Amina",
    "Rosa",
    "Ivan",
    "Lina",
    "Kofi",
    "Clara",
    "Ravi",
    "Eva",
    "Idris",
    "Marta",
    "Sven",
    "Layla",
    "Dario",
    "Esther",
    "Nikhil",
    "Greta",
    "Yusuf",
    "Alba",
    "Jamal",
    "Petra",
    "Chen",
    "Ada",
    "Bruno",
    "Selin",
    "Finn",
]
LAST = [
    "Okafor",
    "Lindqvist",
    "Rossi",
    "Tanaka",
    "Haddad",
    "Novak",
    "Dubois",
    "Mensah",
    "Fernandes",
    "Kowalski",
    "Nakamura",
    "Silva",
    "Andersen",
    "Chowdhury",
    "Moreau",
    "Osei",
    "Schmidt",
    "Rahman",
    "Costa",
    "Jensen",
    "Park",
    "Ibrahim",
    "Varga",
    "Keller",
    "Sato",
    "Abdi",
    "Moretti",
    "Nguyen",
    "Horvat",
    "Bakker",
    "Eriksen",
    "Adeyemi",
    "Ortiz",
    "Petrov",
    "Laine",
    "Santos",
]
OBJECTIVES = {
    "Collaboration suites": "Run my team's weekly update asynchronously instead of a meeting",
    "Mobile-first workflows": "Approve expenses and review documents from my phone while travelling",
    "No-code automation": "Automate the monthly report my assistant compiles by hand",
    "Video and hybrid meetings": "Run a hybrid town hall where remote people speak as much",
    "Generative AI basics": "Understand what our teams can safely use generative AI for",
    "Prompting for everyday work": "Draft and summarise board papers with an AI assistant",
    "Data literacy": "Question a dashboard confidently before a budget decision",
    "Responsible AI": "Explain our AI guardrails to the board in plain words",
    "Cybersecurity basics": "Recognise a targeted phishing attempt and set up MFA everywhere",
    "Personal digital hygiene": "Secure my home devices and family accounts",
    "Social engineering": "Know how attackers would impersonate me to my team",
    "LinkedIn presence": "Post twice a month about our work in my own voice",
    "Short-form video": "Record a one-minute video for our graduate recruitment campaign",
    "Online reputation": "Respond well when our brand is criticised online",
    "What Gen Z expects of work": "Understand why graduates leave us within two years",
    "Feedback culture": "Ask my team for upward feedback and act on it",
    "Hybrid and flexible work": "Set fair hybrid norms for a team across three sites",
    "Wellbeing and mental health": "Talk about mental health at work without awkwardness",
    "Inclusive language": "Remove exclusionary wording from my speeches and job ads",
    "Everyday allyship": "Notice and interrupt exclusion in leadership meetings",
    "Neurodiversity at work": "Adapt how I run meetings for neurodivergent colleagues",
}
# How much likelier than any other topic (1) a mentee is to pick it as a goal: leaders ask for AI,
# security and social media first, so these few topics gather enough people to be shown by topic
# on the dashboard (which hides any topic fewer than 5 people rated).
GOAL_POPULARITY = {
    "Generative AI basics": 12,
    "Prompting for everyday work": 12,
    "Cybersecurity basics": 12,
    "LinkedIn presence": 12,
    "Data literacy": 4,
}
# The same for what mentors want to learn back: the view from the top comes first.
WANT_POPULARITY = {"Strategy and big picture": 6, "Career development": 5, "Public speaking": 2}
ZONES = ("Europe/London", "Europe/Paris", "Europe/Berlin", "America/New_York", "Asia/Singapore")
ZONE_WEIGHTS = (4, 4, 3, 2, 1)
TITLES = {
    15: "Chief Executive Officer",
    14: "Chief {d} Officer",
    13: "Head of {d}",
    12: "Director, {d}",
    11: "Senior Manager, {d}",
    8: "Manager, {d}",
    6: "Senior Specialist, {d}",
    4: "Specialist, {d}",
    3: "Associate, {d}",
    2: "Graduate, {d}",
}
STAGE_BY_GRADE = (
    (13, "Executive"),
    (10, "Senior"),
    (6, "Mid career"),
    (0, "Early career"),
)


def _stage(grade: int) -> str:
    return next(stage for floor, stage in STAGE_BY_GRADE if grade >= floor)


def _org(rng: random.Random) -> list[PersonInput]:
    """CEO → one chief per department → head → director → manager → juniors."""
    names = iter(rng.sample([f"{f} {ln}" for f in FIRST for ln in LAST], 200))
    people: list[PersonInput] = []

    def add(grade: int, dept: str, manager: str, role: str) -> str:
        name = next(names)
        email = f"{name.lower().replace(' ', '.')}@{SAMPLE_DOMAIN}"
        people.append(
            PersonInput(
                email=email,
                name=name,
                role=role,
                job_title=TITLES[grade].format(d=dept),
                grade=grade,
                department=dept,
                manager_email=manager,
                time_zone=rng.choices(ZONES, ZONE_WEIGHTS)[0],
                career_stage=_stage(grade),
                capacity=rng.choice((1, 1, 2)) if role == Role.MENTOR else 1,
            )
        )
        return email

    ceo = add(15, "Executive office", "", Role.MENTEE)
    for dept in DEPARTMENTS:
        chief = add(14, dept, ceo, Role.MENTEE if rng.random() < 0.5 else "")
        head = add(13, dept, chief, Role.MENTEE)
        director = add(12, dept, head, Role.MENTEE)
        manager = add(
            11 if rng.random() < 0.5 else 8,
            dept,
            director,
            Role.MENTEE if rng.random() < 0.4 else "",
        )
        for grade in rng.sample((6, 4, 4, 3, 2), 4 + (dept in ("Engineering", "Marketing"))):
            add(grade, dept, manager if rng.random() < 0.7 else director, Role.MENTOR)
    return people


def sample_organisation_size() -> int:
    """How many people the sample creates, for texts that announce it before it is loaded."""
    return len(_org(random.Random(SEED)))


def load_sample_pilot(actor: Actor, *, session: Session, today: date | None = None) -> Pilot:
    """Create the sample organisation and a running pilot in it, matched and under way."""
    from core.access import require_staff

    require_staff(actor)
    rng = random.Random(SEED)
    organisation = _org(rng)  # drawn first, so sample_organisation_size() counts these people
    today = today or date.today()
    existing = session.exec(select(Pilot).where(Pilot.name == SAMPLE_PILOT_NAME)).first()
    if existing is not None:
        from core.errors import DomainError

        raise DomainError("The sample pilot is already loaded: pick it in the sidebar.")
    pilot = create_pilot(
        actor,
        PilotInput(
            name=SAMPLE_PILOT_NAME,
            start_date=today - timedelta(days=STARTED_DAYS_AGO),
            end_date=today + timedelta(days=ENDS_IN_DAYS),
            purpose=(
                "Give our senior leaders hands-on confidence with AI, digital collaboration and "
                "social media, and give junior talent visibility and a view of how the company "
                "is run. Success: leaders report a confidence gain of at least one point and "
                "eight in ten pairs meet at least four times."
            ),
            focus_areas=[
                "AI and data",
                "Cybersecurity",
                "Social media and personal brand",
                "Generational and workplace expectations",
            ],  # fmt: skip
            sponsor_name="Chief People Officer",
            sponsor_email=f"sponsor@{SAMPLE_DOMAIN}",
            sponsor_signed_off=True,
            min_grade_gap=2,
            success_criteria=_default_criteria(),
        ),
        session=session,
    )
    pilot.status = PilotStatus.MATCHING
    session.add(pilot)
    learn = session.exec(
        select(Topic).where(Topic.pilot_id == pilot.id, Topic.kind == TopicKind.LEARN)
    ).all()
    offer = session.exec(
        select(Topic).where(Topic.pilot_id == pilot.id, Topic.kind == TopicKind.OFFER)
    ).all()
    demo_hash = hash_password(SAMPLE_PASSWORD)
    participants: list[tuple[Person, Enrollment]] = []
    for data in organisation:
        person = upsert_person(data, session=session)
        if not data.role:
            continue  # in the org chart (reporting lines) but not in the pilot
        enrollment = enroll(pilot, person, data.role, data.capacity, session=session)
        participants.append((person, enrollment))
    # Two known accounts to explore the participants' side; the rest has joined without one.
    first_mentee = next(p for p, e in participants if e.role == Role.MENTEE and p.grade == 12)
    first_mentor = next(p for p, e in participants if e.role == Role.MENTOR and p.grade == 4)
    for person in (first_mentee, first_mentor):
        person.password_hash = demo_hash
        session.add(person)
    invited_only = {id(e) for _, e in rng.sample(participants, 3)}
    now = utcnow()
    for person, enrollment in participants:
        if id(enrollment) in invited_only and person not in (first_mentee, first_mentor):
            continue  # still to join: shows in the funnel
        enrollment.status = EnrollmentStatus.ACTIVE
        enrollment.joined_at = now - timedelta(days=STARTED_DAYS_AGO + rng.randint(-6, 14))
        session.add(enrollment)
        session.flush()
        who = actor_for(person)
        if enrollment.role == Role.MENTEE:
            for topic in _popular(learn, GOAL_POPULARITY, rng.randint(3, 4), rng):
                save_goal(
                    who, pilot.id, topic_id=topic.id, priority=rng.choice((1, 1, 2, 2, 3)),  # type: ignore[arg-type]
                    objective=OBJECTIVES.get(topic.name, f"Get hands-on with {topic.name}"),
                    preferred_format=rng.choice(("1:1 conversation", "Hands-on practice")),
                    session=session,
                )  # fmt: skip
            enrollment.orientation_completed_at = now - timedelta(
                days=STARTED_DAYS_AGO - rng.randint(11, 26)
            )
            save_profile(who, pilot.id, ProfileInput(
                time_zone=person.time_zone, availability=rng.sample(_slots(), rng.randint(3, 6)),
                offers=[t.id for t in rng.sample(offer, 3)], consent=rng.random() > 0.05,
            ), session=session)  # type: ignore[arg-type]  # fmt: skip
        else:
            for topic in rng.sample(learn, rng.randint(3, 6)):
                save_expertise(
                    who,
                    pilot.id,
                    topic_id=topic.id,
                    level=rng.choice((1, 2, 2, 3, 3)),
                    session=session,
                )  # type: ignore[arg-type]
            save_profile(who, pilot.id, ProfileInput(
                time_zone=person.time_zone, availability=rng.sample(_slots(), rng.randint(3, 7)),
                wants=[t.id for t in _popular(offer, WANT_POPULARITY, 2, rng)],
                capacity=enrollment.capacity,
                consent=True,
            ), session=session)  # type: ignore[arg-type]  # fmt: skip
    session.flush()
    _match_and_start(actor, pilot, rng, session=session)
    return pilot


def _popular(
    topics: list[Topic], popularity: dict[str, int], k: int, rng: random.Random
) -> list[Topic]:
    """k distinct topics, each draw weighted by popularity (1 for a topic not listed)."""
    left, chosen = list(topics), []
    for _ in range(min(k, len(left))):
        topic = rng.choices(left, [popularity.get(t.name, 1) for t in left])[0]
        left.remove(topic)
        chosen.append(topic)
    return chosen


def _slots() -> list[str]:
    from core.people.availability import SLOTS

    return list(SLOTS)


def _default_criteria() -> list[dict]:
    from core.dashboard.metrics import DEFAULT_CRITERIA

    return [dict(c) for c in DEFAULT_CRITERIA]


def _match_and_start(actor: Actor, pilot: Pilot, rng: random.Random, *, session: Session) -> None:
    """Match, approve, publish; most pairs accept, one declines, one is still pending."""
    from core.models import PairStatus
    from core.pairs.review import PairDecision, list_pairs, publish_pairs, review_pairs
    from core.pairs.run import run_matching

    run_matching(actor, pilot.id, objective="coverage", session=session)  # type: ignore[arg-type]
    rows = list_pairs(actor, pilot.id, session=session)  # type: ignore[arg-type]
    review_pairs(
        actor, pilot.id, [PairDecision(r.pair_id, "approve") for r in rows], session=session
    )  # type: ignore[arg-type]
    publish_pairs(actor, pilot.id, session=session)  # type: ignore[arg-type]
    from core.models import Pair

    pairs = session.exec(
        select(Pair).where(Pair.pilot_id == pilot.id, Pair.status == PairStatus.PUBLISHED)
    ).all()
    accepted_at = utcnow() - timedelta(days=STARTED_DAYS_AGO - ACCEPTED_AFTER_START)
    # The two demo accounts get running pairs, so signing in as them shows a populated page.
    demo = set(
        session.exec(
            select(Enrollment.id)
            .join(Person, Person.id == Enrollment.person_id)
            .where(Enrollment.pilot_id == pilot.id, Person.password_hash.is_not(None))  # type: ignore[union-attr]
        ).all()
    )
    ordered = sorted(pairs, key=lambda p: p.id)  # type: ignore[arg-type, return-value]
    others = [p for p in ordered if not {p.mentee_enrollment_id, p.mentor_enrollment_id} & demo]
    declined, pending = others[1], others[2]
    for pair in ordered:
        if pair is declined:
            pair.status = PairStatus.DECLINED
            pair.mentor_response = Response.DECLINED
            pair.decline_reason = "Our schedules do not overlap this quarter."
        elif pair is pending:
            pair.mentee_response = Response.ACCEPTED  # mentor has not answered yet
        else:
            pair.mentee_response = pair.mentor_response = Response.ACCEPTED
            pair.status = PairStatus.ACTIVE
            pair.accepted_at = accepted_at + timedelta(days=rng.randint(0, 5))
        session.add(pair)
    pilot.status = PilotStatus.RUNNING
    session.add(pilot)
    session.flush()
    from core.sample.activity import add_activity

    add_activity(pilot, rng, session=session)


def sample_accounts(*, session: Session) -> list[tuple[str, str]]:
    """(email, role) of the sample participants who can sign in with SAMPLE_PASSWORD."""
    rows = session.exec(
        select(Person.email, Enrollment.role)
        .join(Enrollment, Enrollment.person_id == Person.id)
        .join(Pilot, Pilot.id == Enrollment.pilot_id)
        .where(
            Pilot.name == SAMPLE_PILOT_NAME,
            Person.password_hash.is_not(None),  # type: ignore[union-attr]
            Person.is_staff.is_(False),  # type: ignore[attr-defined]
        )
        .order_by(Enrollment.role)
    ).all()
    return [(email, role) for email, role in rows]
