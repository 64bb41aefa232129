"""Matching a pilot from the database, review, publish, accept/decline."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from core.errors import DomainError, NotAllowed, ValidationFailed
from core.models import MatchRun, Pair, PairStatus, Role
from core.pairs.coverage import coverage_summary
from core.pairs.offers import my_offers, respond_to_pair
from core.pairs.review import PairDecision, list_pairs, publish_pairs, review_pairs
from core.pairs.run import run_matching
from tests import builders


@pytest.fixture
def pilot_world(session):
    """3 senior mentees, 3 junior mentors; one mentor reports (indirectly) to a mentee."""
    admin = builders.staff(session)
    pilot = builders.pilot(session, admin)
    people = {}
    for email, role, grade, dept, manager in [
        ("cfo@x.com", Role.MENTEE, 14, "Finance", None),
        ("cmo@x.com", Role.MENTEE, 13, "Marketing", None),
        ("vp@x.com", Role.MENTEE, 12, "Sales", None),
        ("ana@x.com", Role.MENTOR, 4, "Finance", "lead@x.com"),  # under the CFO via lead
        ("ben@x.com", Role.MENTOR, 5, "IT", None),
        ("cat@x.com", Role.MENTOR, 12, "IT", None),  # not junior to anybody but the CFO
    ]:
        people[email] = builders.participant(
            session, admin, pilot, email, role, grade=grade, department=dept,
            manager_email=manager or "",
        )  # fmt: skip
    from core.people.participants import PersonInput, upsert_person

    upsert_person(
        PersonInput("lead@x.com", "Lead", Role.MENTOR, manager_email="cfo@x.com", grade=8),
        session=session,
    )
    builders.ready_mentee(session, people["cfo@x.com"][0], pilot, {"Generative AI basics": 1})
    builders.ready_mentee(
        session, people["cmo@x.com"][0], pilot, {"LinkedIn presence": 1, "Generative AI basics": 2}
    )
    builders.ready_mentee(session, people["vp@x.com"][0], pilot, {"Cybersecurity basics": 1})
    builders.ready_mentor(session, people["ana@x.com"][0], pilot, {"Generative AI basics": 3})
    builders.ready_mentor(
        session, people["ben@x.com"][0], pilot, {"LinkedIn presence": 2, "Generative AI basics": 2}
    )
    builders.ready_mentor(session, people["cat@x.com"][0], pilot, {"Cybersecurity basics": 3})
    session.flush()
    return admin, pilot, people


def _pairs(session, pilot_id):
    rows = session.exec(select(Pair).where(Pair.pilot_id == pilot_id)).all()
    return rows


def _by_names(admin, pilot, session):
    return {(r.mentee, r.mentor): r for r in list_pairs(admin, pilot.id, session=session)}


def test_matching_respects_hard_rules_and_explains(session, pilot_world):
    admin, pilot, people = pilot_world
    summary = run_matching(admin, pilot.id, session=session)
    pairs = _by_names(admin, pilot, session)
    # Ana is in the CFO's reporting line, Cat is not junior to the VP (grade 12 vs 12):
    # the CFO can only get Ben; the CMO then has nobody who knows her topics but Ana.
    assert set(pairs) == {("Cfo", "Ben"), ("Cmo", "Ana")}
    assert summary.proved_optimal is True
    assert summary.matched == 2
    reasons = {u["name"]: u["reason"] for u in summary.unmatched}
    assert "Vp" in reasons and "junior" in reasons["Vp"]
    cmo = pairs[("Cmo", "Ana")]
    assert any("Generative AI basics" in r for r in cmo.reasons)
    assert cmo.uncovered == ["LinkedIn presence"]
    cov = coverage_summary(admin, pilot.id, session=session)
    assert (cov.mentees_matched, cov.mentees_total, cov.goals_covered, cov.goals_total) == (
        2,
        3,
        2,
        4,
    )
    assert session.exec(select(MatchRun)).one().matched == 2


def test_review_publish_accept_and_decline_is_remembered(session, pilot_world):
    admin, pilot, people = pilot_world
    run_matching(admin, pilot.id, session=session)
    pairs = _by_names(admin, pilot, session)
    review_pairs(
        admin,
        pilot.id,
        [PairDecision(p.pair_id, "approve") for p in pairs.values()],
        session=session,
    )
    assert publish_pairs(admin, pilot.id, session=session) == 2
    cfo, ben = people["cfo@x.com"][0], people["ben@x.com"][0]
    offer = my_offers(cfo, pilot.id, session=session)[0]
    assert offer.partner_name == "Ben" and offer.status == PairStatus.PUBLISHED
    respond_to_pair(cfo, offer.pair_id, True, session=session)
    pair = respond_to_pair(ben, offer.pair_id, True, session=session)
    assert pair.status == PairStatus.ACTIVE and pair.accepted_at is not None

    cmo, ana = people["cmo@x.com"][0], people["ana@x.com"][0]
    declined = my_offers(ana, pilot.id, session=session)[0]
    respond_to_pair(ana, declined.pair_id, False, "Too close to my own team", session=session)
    # The CMO sees no pair any more, and matching never proposes Ana to the CMO again.
    assert my_offers(cmo, pilot.id, session=session) == []
    summary = run_matching(admin, pilot.id, session=session)
    assert ("Cmo", "Ana") not in {
        (k[0], k[1])
        for k, v in _by_names(admin, pilot, session).items()
        if v.status == PairStatus.SUGGESTED
    }
    assert summary.kept == 1  # the active CFO-Ben pair stays as it is


def test_lock_survives_rerun_and_reject_forbids(session, pilot_world):
    admin, pilot, _ = pilot_world
    run_matching(admin, pilot.id, session=session)
    pairs = _by_names(admin, pilot, session)
    review_pairs(admin, pilot.id, [
        PairDecision(pairs[("Cfo", "Ben")].pair_id, "lock"),
        PairDecision(pairs[("Cmo", "Ana")].pair_id, "reject"),
    ], session=session)  # fmt: skip
    run_matching(admin, pilot.id, session=session)
    after = _by_names(admin, pilot, session)
    assert (
        after[("Cfo", "Ben")].locked
        and after[("Cfo", "Ben")].pair_id == pairs[("Cfo", "Ben")].pair_id
    )
    assert after[("Cmo", "Ana")].status == PairStatus.REJECTED
    assert not any(
        k == ("Cmo", "Ana") and v.status == PairStatus.SUGGESTED for k, v in after.items()
    )


def test_swap_to_a_mentor_in_the_reporting_line_is_refused(session, pilot_world):
    admin, pilot, people = pilot_world
    run_matching(admin, pilot.id, session=session)
    pair = _by_names(admin, pilot, session)[("Cfo", "Ben")]
    ana_enrollment = people["ana@x.com"][1].id
    with pytest.raises(ValidationFailed) as err:
        review_pairs(
            admin, pilot.id, [PairDecision(pair.pair_id, "swap", ana_enrollment)], session=session
        )
    assert "reporting line" in str(err.value)


def test_participants_cannot_run_or_review(session, pilot_world):
    admin, pilot, people = pilot_world
    mentee = people["cfo@x.com"][0]
    with pytest.raises(NotAllowed):
        run_matching(mentee, pilot.id, session=session)
    run_matching(admin, pilot.id, session=session)
    pair = _by_names(admin, pilot, session)[("Cfo", "Ben")]
    with pytest.raises(NotAllowed):
        review_pairs(mentee, pilot.id, [PairDecision(pair.pair_id, "approve")], session=session)
    with pytest.raises(NotAllowed):
        list_pairs(mentee, pilot.id, session=session)
    # Another participant cannot answer for a pair that is not theirs.
    review_pairs(admin, pilot.id, [PairDecision(pair.pair_id, "approve")], session=session)
    publish_pairs(admin, pilot.id, session=session)
    with pytest.raises(NotAllowed):
        respond_to_pair(people["vp@x.com"][0], pair.pair_id, True, session=session)


def test_publish_without_approved_pairs_says_what_to_do(session, pilot_world):
    admin, pilot, _ = pilot_world
    with pytest.raises(DomainError, match="approve some suggestions first"):
        publish_pairs(admin, pilot.id, session=session)


def test_orientation_gate_leaves_mentees_out_with_reason(session, pilot_world):
    admin, pilot, people = pilot_world
    pilot.orientation_required = True
    session.add(pilot)
    from core.people.profiles import complete_orientation

    complete_orientation(people["cfo@x.com"][0], pilot.id, session=session)
    summary = run_matching(admin, pilot.id, session=session)
    reasons = {u["name"]: u["reason"] for u in summary.unmatched}
    assert reasons["Cmo"] == "has not completed mentee orientation"
    assert {k[0] for k in _by_names(admin, pilot, session)} == {"Cfo"}


def test_cli_match_pilot_dry_run_saves_nothing(
    engine, pilot_world, session, monkeypatch, capsys, db_url
):
    from core.cli.main import main

    admin, pilot, _ = pilot_world
    session.commit()
    monkeypatch.setenv("DATABASE_URL", db_url)
    assert main(["match", str(pilot.id), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Cfo  ←  Ben" in out and "2 of 3 mentees matched" in out and "dry run" in out
    with Session(engine) as fresh:
        assert fresh.exec(select(Pair)).all() == []
    assert main(["match", pilot.name]) == 0
    with Session(engine) as fresh:
        assert len(fresh.exec(select(Pair)).all()) == 2
    assert main(["match", "No such pilot"]) == 2
    assert capsys.readouterr().err.strip().startswith("error: No pilot has the id or name")


def test_uncovered_goals_follow_a_renamed_topic(session, pilot_world):
    from core.pilots.settings import save_topic

    admin, pilot, _people = pilot_world
    run_matching(admin, pilot.id, session=session)
    linkedin = builders.topic_id(session, pilot, "LinkedIn presence")
    save_topic(
        admin, pilot.id, name="Personal brand online", category="Digital", topic_id=linkedin,
        session=session,
    )  # fmt: skip
    cmo = _by_names(admin, pilot, session)[("Cmo", "Ana")]
    assert cmo.uncovered == ["Personal brand online"]
    cov = coverage_summary(admin, pilot.id, session=session)
    assert (cov.goals_covered, cov.goals_total) == (2, 4)


def test_a_swapped_suggestion_unlocked_again_is_replaced_with_its_history(session, pilot_world):
    """The swap writes a pair event; re-running replaces the unlocked suggestion, and the
    event goes with it (ON DELETE CASCADE) instead of blocking the run."""
    from core.models import PairEvent, PairEventKind

    admin, pilot, _people = pilot_world
    run_matching(admin, pilot.id, session=session)
    cmo = _by_names(admin, pilot, session)[("Cmo", "Ana")]
    dan, dan_e = builders.participant(
        session, admin, pilot, "dan@x.com", Role.MENTOR, grade=3, department="IT"
    )
    builders.ready_mentor(session, dan, pilot, {"LinkedIn presence": 2})
    review_pairs(admin, pilot.id, [PairDecision(cmo.pair_id, "swap", dan_e.id)], session=session)
    assert [e.kind for e in session.exec(select(PairEvent)).all()] == [PairEventKind.SWAPPED]
    review_pairs(admin, pilot.id, [PairDecision(cmo.pair_id, "unlock")], session=session)
    run_matching(admin, pilot.id, session=session)
    assert session.exec(select(PairEvent)).all() == []
    assert {mentee for mentee, _mentor in _by_names(admin, pilot, session)} == {"Cfo", "Cmo"}
