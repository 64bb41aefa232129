from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from core.db import unit_of_work
from core.errors import DomainError, NotAllowed, ValidationFailed
from core.models import Enrollment, Milestone, PairMilestone
from core.people.profiles import complete_orientation
from core.tracking.milestone_progress import (
    ORIENTATION_KEY,
    MilestoneInput,
    add_milestone,
    delete_milestone,
    list_milestones,
    mentees_missing_orientation,
    oriented_enrollments,
    overdue_milestones,
    pair_milestones,
    reorder_milestones,
    tick_pair_milestone,
    tick_pilot_milestone,
    untick_pair_milestone,
    untick_pilot_milestone,
    update_milestone,
)
from tests.builders.tracking import (  # noqa: F401
    NOT_ADMINS,
    NOT_MEMBERS_OF_PAIR_A,
    count_rows,
    tracking_db_url,
    tracking_template,
    tracking_world,
)

TODAY = date.today()


def milestone_id(session, world, key: str) -> int:
    return session.exec(
        select(Milestone.id).where(Milestone.pilot_id == world.pilot_id, Milestone.key == key)
    ).one()


def new_input(world, **changes) -> MilestoneInput:
    data = {"name": "Reverse the roles for a day", "due_date": world.start + timedelta(days=40)}
    data.update(changes)
    return MilestoneInput(**data)


ADMIN_SERVICES = {
    "add": lambda w, a, s: add_milestone(a, w.pilot_id, new_input(w), session=s),
    "update": lambda w, a, s: update_milestone(
        a, milestone_id(s, w, "midpoint"), new_input(w), session=s
    ),
    "reorder": lambda w, a, s: reorder_milestones(a, w.pilot_id, [], session=s),
    "delete": lambda w, a, s: delete_milestone(a, milestone_id(s, w, "midpoint"), session=s),
    "tick pilot": lambda w, a, s: tick_pilot_milestone(
        a, milestone_id(s, w, "kickoff"), TODAY, session=s
    ),
    "untick pilot": lambda w, a, s: untick_pilot_milestone(
        a, milestone_id(s, w, "kickoff"), session=s
    ),
    "overdue": lambda w, a, s: overdue_milestones(a, w.pilot_id, session=s),
}
MEMBER_SERVICES = {
    "tick": lambda w, a, s: tick_pair_milestone(
        a, w.pair_a, milestone_id(s, w, "first_meeting"), TODAY, session=s
    ),
    "untick": lambda w, a, s: untick_pair_milestone(
        a, w.pair_a, milestone_id(s, w, "first_meeting"), session=s
    ),
    "list for pair": lambda w, a, s: pair_milestones(a, w.pair_a, session=s),
}


@pytest.mark.parametrize("service", ADMIN_SERVICES)
@pytest.mark.parametrize("who", NOT_ADMINS)
def test_admin_services_refuse_everyone_else(session, world, service, who):
    with pytest.raises(NotAllowed):
        ADMIN_SERVICES[service](world, getattr(world, who), session)


@pytest.mark.parametrize("service", MEMBER_SERVICES)
@pytest.mark.parametrize("who", NOT_MEMBERS_OF_PAIR_A)
def test_member_services_refuse_everyone_else(session, world, service, who):
    with pytest.raises(NotAllowed):
        MEMBER_SERVICES[service](world, getattr(world, who), session)


def test_participants_read_the_plan_outsiders_do_not(session, world):
    names = [m.name for m in list_milestones(world.lone_mentee, world.pilot_id, session=session)]
    assert names[:3] == ["Programme kickoff", "Mentee orientation", "First meeting"]
    with pytest.raises(NotAllowed):
        list_milestones(world.outsider_admin, world.pilot_id, session=session)


def test_admin_adds_renames_redates_rescopes_reorders_and_deletes(session, world):
    added = add_milestone(world.admin, world.pilot_id, new_input(world), session=session)
    assert (added.position, added.scope, added.key) == (7, "pair", "")
    changed = update_milestone(
        world.admin,
        added.id,
        new_input(
            world, name="Shadow day", due_date=world.start + timedelta(days=50), scope="pilot"
        ),
        session=session,
    )
    assert (changed.name, changed.due_date, changed.scope) == (
        "Shadow day",
        world.start + timedelta(days=50),
        "pilot",
    )
    order = [m.id for m in list_milestones(world.admin, world.pilot_id, session=session)]
    reordered = reorder_milestones(
        world.admin, world.pilot_id, [order[-1], *order[:-1]], session=session
    )
    assert [m.name for m in reordered][:2] == ["Shadow day", "Programme kickoff"]
    assert [m.position for m in reordered] == list(range(8))
    delete_milestone(world.admin, added.id, session=session)
    assert len(list_milestones(world.admin, world.pilot_id, session=session)) == 7


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "  "}, "name", "is required"),
        ({"name": "x" * 121}, "name", "at most 120 characters"),
        ({"due_date": None}, "due_date", "is required"),
        ({"due_date": date.today() - timedelta(days=11)}, "due_date", "within the pilot's dates"),
        ({"due_date": date.today() + timedelta(days=171)}, "due_date", "within the pilot's dates"),
        ({"scope": "team"}, "scope", "must be 'pair'"),
    ],
)
def test_bad_milestone_names_the_field_and_saves_nothing(engine, world, changes, field, message):
    with Session(engine) as s:
        before = count_rows(s, Milestone)
    with pytest.raises(ValidationFailed) as failure, unit_of_work(engine) as s:
        add_milestone(world.admin, world.pilot_id, new_input(world, **changes), session=s)
    assert list(failure.value.errors) == [field] and message in failure.value.errors[field]
    with Session(engine) as s:
        assert count_rows(s, Milestone) == before == (14,)  # 7 per pilot, two pilots


def test_reorder_must_list_every_milestone_once(session, world):
    ids = [m.id for m in list_milestones(world.admin, world.pilot_id, session=session)]
    with pytest.raises(ValidationFailed) as failure:
        reorder_milestones(world.admin, world.pilot_id, ids[:-1] + [ids[0]], session=session)
    assert list(failure.value.errors) == ["order"]


def test_scope_change_refused_once_pairs_ticked(session, world):
    first = milestone_id(session, world, "first_meeting")
    tick_pair_milestone(world.mentee_a, world.pair_a, first, TODAY, session=session)
    m = session.get(Milestone, first)
    with pytest.raises(ValidationFailed) as failure:
        update_milestone(
            world.admin,
            first,
            MilestoneInput(m.name, m.due_date, scope="pilot"),
            session=session,
        )
    assert "1 pair(s) already ticked" in failure.value.errors["scope"]


def test_a_milestone_pairs_have_ticked_cannot_be_deleted(session, world):
    first = milestone_id(session, world, "first_meeting")
    tick_pair_milestone(world.mentee_a, world.pair_a, first, TODAY, session=session)
    tick_pair_milestone(world.mentee_b, world.pair_b, first, TODAY, session=session)
    with pytest.raises(DomainError) as refused:
        delete_milestone(world.admin, first, session=session)
    assert str(refused.value).startswith("2 pairs have ticked 'First meeting'")
    assert count_rows(session, PairMilestone) == (2,)
    assert session.get(Milestone, first) is not None
    # Once nobody's progress depends on it, it can go.
    untick_pair_milestone(world.mentee_a, world.pair_a, first, session=session)
    untick_pair_milestone(world.mentee_b, world.pair_b, first, session=session)
    delete_milestone(world.admin, first, session=session)
    assert session.get(Milestone, first) is None


def test_pair_ticks_and_statuses(session, world):
    first = milestone_id(session, world, "first_meeting")
    done_on = TODAY - timedelta(days=2)
    tick_pair_milestone(world.mentor_a, world.pair_a, first, done_on, session=session)
    later = TODAY + timedelta(days=20)
    views = {
        m.key: m
        for m in pair_milestones(world.mentee_a, world.pair_a, session=session, today=later)
    }
    assert (views["first_meeting"].status, views["first_meeting"].done_on) == ("done", done_on)
    # orientation is due on start + 14 = today + 4: overdue 20 days from now, upcoming today
    assert views["orientation"].status == "overdue"
    assert views["goals_agreed"].status == "upcoming"  # due start + 35 = today + 25
    assert (views["kickoff"].can_tick, views["first_meeting"].can_tick) == (False, True)
    # the other pair is unaffected
    other = {m.key: m for m in pair_milestones(world.mentee_b, world.pair_b, session=session)}
    assert other["first_meeting"].status == "upcoming"
    untick_pair_milestone(world.mentee_a, world.pair_a, first, session=session)
    assert count_rows(session, PairMilestone) == (0,)


@pytest.mark.parametrize(
    ("done_on", "message"),
    [
        (TODAY + timedelta(days=1), "cannot be in the future"),
        (TODAY - timedelta(days=11), "cannot be before the pilot started"),
        (None, "is required"),
    ],
)
def test_tick_date_is_checked(session, world, done_on, message):
    first = milestone_id(session, world, "first_meeting")
    with pytest.raises(ValidationFailed) as failure:
        tick_pair_milestone(world.mentee_a, world.pair_a, first, done_on, session=session)
    assert message in failure.value.errors["completed_on"]
    assert count_rows(session, PairMilestone) == (0,)


def test_pairs_cannot_tick_pilot_wide_milestones_and_admins_tick_them(session, world):
    kickoff = milestone_id(session, world, "kickoff")
    with pytest.raises(ValidationFailed):
        tick_pair_milestone(world.mentee_a, world.pair_a, kickoff, TODAY, session=session)
    view = tick_pilot_milestone(world.admin, kickoff, world.start, session=session)
    assert view.completed_on == world.start
    views = {m.key: m for m in pair_milestones(world.mentee_a, world.pair_a, session=session)}
    assert (views["kickoff"].status, views["kickoff"].done_on) == ("done", world.start)
    assert untick_pilot_milestone(world.admin, kickoff, session=session).completed_on is None


def test_overdue_milestones_across_pairs(session, world):
    first = milestone_id(session, world, "first_meeting")  # due start + 28 = today + 18
    tick_pair_milestone(world.mentee_b, world.pair_b, first, TODAY, session=session)
    rows = overdue_milestones(
        world.admin, world.pilot_id, session=session, today=TODAY + timedelta(days=20)
    )
    assert [(r.mentee_name, r.milestone, r.days_overdue) for r in rows] == [
        ("Mentee A", "Mentee orientation", 16),
        ("Mentee B", "Mentee orientation", 16),
        ("Mentee C", "Mentee orientation", 16),
        ("Mentee A", "First meeting", 2),
        ("Mentee C", "First meeting", 2),
    ]
    assert overdue_milestones(world.admin, world.pilot_id, session=session, today=TODAY) == []


def test_orientation_gate(session, world):
    orientation = milestone_id(session, world, ORIENTATION_KEY)
    e = world.enrollments
    everyone = {e["mentee_a"], e["mentee_b"], e["mentee_c"], e["lone_mentee"]}
    assert mentees_missing_orientation(session, world.pilot_id) == everyone
    tick_pair_milestone(world.mentor_a, world.pair_a, orientation, TODAY, session=session)
    complete_orientation(world.lone_mentee, world.pilot_id, session=session)
    assert mentees_missing_orientation(session, world.pilot_id) == {e["mentee_b"], e["mentee_c"]}
    oriented = oriented_enrollments(world.pilot_id, session=session)
    assert {e["mentee_a"], e["lone_mentee"]} <= oriented and e["mentee_b"] not in oriented


def test_a_ticked_orientation_milestone_counts_in_matching_and_on_the_dashboard(session, world):
    from core.dashboard.commitment import leadership_commitment
    from core.dashboard.frames import load_frames
    from core.models import Pilot
    from core.pairs.population import build_instance, load_population
    from core.tracking.milestone_progress import ORIENTATION_REASON

    e = world.enrollments
    orientation = milestone_id(session, world, ORIENTATION_KEY)
    # Mentee A never confirmed on her profile: her pair ticked the milestone. Lou confirmed.
    tick_pair_milestone(world.mentor_a, world.pair_a, orientation, TODAY, session=session)
    complete_orientation(world.lone_mentee, world.pilot_id, session=session)
    assert session.get(Enrollment, e["mentee_a"]).orientation_completed_at is None

    pilot = session.get(Pilot, world.pilot_id)
    pilot.orientation_required = True
    excluded = build_instance(load_population(pilot, session=session)).excluded
    gated = {eid for eid, reason in excluded.items() if reason == ORIENTATION_REASON}
    assert gated == {e["mentee_b"], e["mentee_c"]}

    frames = load_frames(world.admin, world.pilot_id, session=session)
    row = leadership_commitment(frames).set_index("measure").loc["mentees_oriented"]
    assert (row["numerator"], row["denominator"]) == (2, 4)  # Mia and Lou, of four mentees
