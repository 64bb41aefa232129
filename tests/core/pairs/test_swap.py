"""Swapping a suggested pair's mentor: the engine's rules decide, the engine's score is stored."""

from __future__ import annotations

import pytest
from sqlmodel import select

from core.errors import ValidationFailed
from core.matching import Instance, Mentee, Mentor, suggest_pairs
from core.models import Pair, PairEvent, Role, TopicKind
from core.pairs.population import build_instance, load_population
from core.pairs.review import PairDecision, review_pairs
from core.pairs.run import run_matching
from core.people.participants import PersonInput, upsert_person
from core.people.profiles import ProfileInput, save_profile
from tests import builders

AI, LINKEDIN = "Generative AI basics", "LinkedIn presence"
STRATEGY, CAREER = "Strategy and big picture", "Career development"


@pytest.fixture
def swap_world(session):
    """One mentee (Cmo) and three mentors: Ben fits best, Dia less, Eve is in Cmo's reporting
    line through a manager who is not in the pilot."""
    admin = builders.staff(session)
    pilot = builders.pilot(session, admin)
    upsert_person(
        PersonInput("mgr@x.com", "Manager", Role.MENTOR, manager_email="cmo@x.com", grade=9),
        session=session,
    )
    made = {}
    for email, role, grade, dept, manager in [
        ("cmo@x.com", Role.MENTEE, 13, "Marketing", ""),
        ("ben@x.com", Role.MENTOR, 5, "IT", ""),
        ("dia@x.com", Role.MENTOR, 4, "Marketing", ""),
        ("eve@x.com", Role.MENTOR, 3, "Marketing", "mgr@x.com"),
    ]:
        made[email] = builders.participant(
            session, admin, pilot, email, role, grade=grade, department=dept, manager_email=manager
        )
    offer = {n: builders.topic_id(session, pilot, n, TopicKind.OFFER) for n in (STRATEGY, CAREER)}
    cmo = made["cmo@x.com"][0]
    builders.ready_mentee(session, cmo, pilot, {LINKEDIN: 1, AI: 2})
    save_profile(cmo, pilot.id, ProfileInput(
        time_zone="Europe/Paris", availability=["mon-am", "tue-pm", "thu-am"],
        offers=[offer[STRATEGY]], consent=True,
    ), session=session)  # fmt: skip
    for email, expertise, zone, slots, wants in [
        ("ben@x.com", {LINKEDIN: 2, AI: 2}, "UTC", ["mon-am", "tue-pm"], [STRATEGY, CAREER]),
        ("dia@x.com", {AI: 3}, "America/New_York", ["thu-am"], [CAREER]),
        ("eve@x.com", {AI: 3, LINKEDIN: 3}, "Europe/Paris", ["mon-am"], [STRATEGY]),
    ]:
        actor = made[email][0]
        builders.ready_mentor(session, actor, pilot, expertise)
        save_profile(actor, pilot.id, ProfileInput(
            time_zone=zone, availability=slots, wants=[offer[w] for w in wants], consent=True,
        ), session=session)  # fmt: skip
    session.flush()
    run_matching(admin, pilot.id, session=session)
    pair = session.exec(select(Pair).where(Pair.pilot_id == pilot.id)).one()
    return admin, pilot, made, pair


def test_the_suggestion_before_the_swap_is_ben_scored_by_hand(session, swap_world):
    admin, pilot, made, pair = swap_world
    assert pair.mentor_enrollment_id == made["ben@x.com"][1].id
    # Weights 60/15/10/15. Coverage: goal weights 3 (must) + 2 (important), Ben level 2 on both:
    # (3*2/3 + 2*2/3) / 5 = 2/3 -> 40. Reciprocity: 1 of 2 wants offered -> 7.5. Different
    # departments -> 10. Paris (UTC+1 in January) vs UTC: 1 - 1/12, both shared slots -> 13.75.
    assert pair.score == 71.25
    assert pair.uncovered == []


def test_swap_stores_the_engine_score_reasons_and_uncovered_goals_of_the_new_pair(
    session, swap_world
):
    admin, pilot, made, pair = swap_world
    old = (pair.score, list(pair.reasons), list(pair.uncovered))
    dia = made["dia@x.com"][1].id
    assert review_pairs(admin, pilot.id, [PairDecision(pair.id, "swap", dia)], session=session) == 1
    session.refresh(pair)
    assert pair.mentor_enrollment_id == dia and pair.locked
    # By hand: coverage (2*3/3) / 5 = 0.4 -> 24; Dia wants nothing Cmo offers -> 0; same
    # department -> 0; Paris vs New York is 6 h (factor 0.5), their one slot is shared -> 7.5.
    assert pair.score == 31.5
    assert pair.uncovered == [builders.topic_id(session, pilot, LINKEDIN)]  # stored by id
    assert pair.reasons == [
        "Chosen by the programme team",
        f"Covers '{AI}' (important) with level 3 expertise",
        "Time zones 6 h apart; 1 shared weekly slot",
    ]
    assert (pair.score, pair.reasons, pair.uncovered) != old
    event = session.exec(select(PairEvent).where(PairEvent.pair_id == pair.id)).one()
    assert event.kind == "swapped"


def test_swap_agrees_with_a_two_person_run_of_the_engine(session, swap_world):
    admin, pilot, made, pair = swap_world
    review_pairs(
        admin, pilot.id, [PairDecision(pair.id, "swap", made["dia@x.com"][1].id)], session=session
    )
    session.refresh(pair)
    topic = {n: builders.topic_id(session, pilot, n) for n in (AI, LINKEDIN)}
    offer = {n: builders.topic_id(session, pilot, n, TopicKind.OFFER) for n in (STRATEGY, CAREER)}
    names = {**{v: k for k, v in topic.items()}, **{v: k for k, v in offer.items()}}
    alone = Instance(
        topics=tuple(sorted(names)),
        mentees=(
            Mentee("cmo@x.com", "Marketing", 13, None, "Europe/Paris",
                   {topic[LINKEDIN]: 1, topic[AI]: 2}, (offer[STRATEGY],),
                   ("mon-am", "tue-pm", "thu-am")),
        ),
        mentors=(
            Mentor("dia@x.com", "Marketing", 4, None, "America/New_York", {topic[AI]: 3}, 1,
                   (offer[CAREER],), ("thu-am",)),
        ),
        topic_names=names,
    )  # fmt: skip
    (fresh,) = suggest_pairs(alone).pairs
    assert pair.score == fresh.score
    assert pair.reasons == ["Chosen by the programme team", *fresh.reasons]
    assert pair.uncovered == list(fresh.uncovered_topics)


def test_swap_to_a_mentor_under_the_mentee_through_an_outside_manager_is_refused(
    session, swap_world
):
    admin, pilot, made, pair = swap_world
    eve = made["eve@x.com"][1].id
    with pytest.raises(ValidationFailed) as err:
        review_pairs(admin, pilot.id, [PairDecision(pair.id, "swap", eve)], session=session)
    assert "reporting line: the mentor reports to the mentee" in str(err.value)
    session.refresh(pair)
    assert pair.mentor_enrollment_id == made["ben@x.com"][1].id and pair.score == 71.25


def test_building_the_instance_leaves_the_population_as_it_was(session, swap_world):
    admin, pilot, made, pair = swap_world
    made["dia@x.com"][1].consent = False
    session.add(made["dia@x.com"][1])
    pop = load_population(pilot, session=session)
    before = (dict(pop.enrollments), list(pop.pairs), dict(pop.goals), dict(pop.org))
    first = build_instance(pop)
    assert first.excluded == {made["dia@x.com"][1].id: "has not agreed to take part"}
    assert (dict(pop.enrollments), list(pop.pairs), dict(pop.goals), dict(pop.org)) == before
    assert not hasattr(pop, "excluded")
    assert build_instance(pop) == first
