"""One time-zone rule: whatever a form or a roster accepts, matching reads with the same offset."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import select

from core.errors import ValidationFailed
from core.matching import InstanceError, load_instance
from core.matching.instance import utc_offset_hours as engine_offset
from core.models import Person, Role
from core.pairs.population import build_instance, load_population
from core.pairs.run import run_matching
from core.people.participants import PersonInput
from core.people.profiles import ProfileInput, save_profile
from core.people.roster_import import import_roster
from core.timezones import canonical_time_zone, time_zone_problem
from tests import builders

# Offsets are compared at this instant (mid-January: no daylight saving in the north).
JANUARY = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
ZONE_NAMES = sorted(available_timezones())


def iana_offset(name: str) -> float:
    return JANUARY.astimezone(ZoneInfo(name)).utcoffset().total_seconds() / 3600


@st.composite
def typed_offsets(draw) -> tuple[str, float | None]:
    """An offset as people type it, with the offset it means (None when out of range)."""
    prefix = draw(st.sampled_from(["UTC", "GMT", "utc", "Gmt"]))
    sign = draw(st.sampled_from(["+", "-"]))
    hours = draw(st.integers(0, 19))
    minutes = draw(st.one_of(st.none(), st.integers(0, 75)))
    space = st.sampled_from(["", " ", "  "])
    text = f"{draw(space)}{prefix}{draw(space)}{sign}{draw(space)}"
    text += f"{hours:0{draw(st.sampled_from([1, 2]))}d}"
    if minutes is not None:
        text += f"{draw(st.sampled_from(['', ':', ' : ']))}{minutes:02d}"
    text += draw(space)
    if hours > 14 or (minutes or 0) >= 60:
        return text, None
    return text, (1 if sign == "+" else -1) * (hours + (minutes or 0) / 60)


@st.composite
def typed_names(draw) -> tuple[str, float]:
    """An IANA name in any letter case, or one of the ways people write UTC."""
    if draw(st.booleans()):
        name = draw(st.sampled_from(["Z", "z", "UTC", "utc", "GMT", "", "  "]))
        return name, 0.0
    name = draw(st.sampled_from(ZONE_NAMES))
    case = draw(st.sampled_from([str, str.lower, str.upper]))
    return case(name), iana_offset(name)


def accepted_by_forms(text: str) -> bool:
    """The profile form's check and the participant/roster row check must agree."""
    profile_ok = time_zone_problem(text) is None
    row = PersonInput(email="a@example.com", name="A", role=Role.MENTEE, time_zone=text)
    row_ok = "time_zone" not in row.problems()
    assert profile_ok == row_ok, text
    return profile_ok


def engine_reads(zone: str) -> float:
    """The offset the matching engine uses for a mentee stored with this zone."""
    inst = load_instance(
        {
            "topics": ["ai"],
            "mentees": [{"id": "m", "time_zone": zone, "goals": ["ai"]}],
            "mentors": [],
        }
    )
    return engine_offset(inst.mentees[0].time_zone)


@settings(max_examples=300, deadline=None)
@given(st.one_of(typed_offsets(), typed_names()))
def test_every_zone_the_forms_accept_matching_reads_with_the_same_offset(case):
    text, expected = case
    if expected is None:
        assert not accepted_by_forms(text)
        with pytest.raises(InstanceError, match="out of range"):
            engine_reads(text)
        return
    assert accepted_by_forms(text)
    stored = canonical_time_zone(text)
    assert engine_reads(stored) == pytest.approx(expected, abs=1e-9)
    assert engine_reads(text) == pytest.approx(expected, abs=1e-9)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_any_text_is_accepted_by_both_or_refused_by_both(text):
    if accepted_by_forms(text):
        assert engine_reads(canonical_time_zone(text)) == engine_reads(text)
    else:
        with pytest.raises(InstanceError):
            engine_reads(text)


@pytest.mark.parametrize(
    ("typed", "stored", "offset"),
    [
        ("UTC + 2", "UTC+2", 2.0),
        ("Z", "UTC", 0.0),
        ("UTC-05:30", "UTC-5:30", -5.5),
        ("Europe/Paris", "Europe/Paris", 1.0),
        ("europe/paris", "Europe/Paris", 1.0),
        ("GMT+0", "UTC", 0.0),
    ],
)
def test_typed_zones_are_stored_in_one_spelling(typed, stored, offset):
    assert time_zone_problem(typed) is None
    assert canonical_time_zone(typed) == stored
    assert engine_reads(stored) == offset


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("Mars/Olympus", "'Mars/Olympus' is not a known time zone; use a name like Europe/Paris"),
        ("UTC+2 please", "'UTC+2 please' is not a known time zone"),
        ("UTC+15", "'UTC+15' is out of range"),
        ("Europe", "'Europe' is not a known time zone"),
        ("../../etc/passwd", "is not a known time zone"),
    ],
)
def test_garbage_is_refused_with_a_message_naming_it(typed, says):
    assert says in time_zone_problem(typed)
    with pytest.raises(InstanceError, match="time zone"):
        engine_reads(typed)


# --- through the services that store a zone, then matching ------------------------------------


def test_zones_saved_by_profile_form_and_roster_do_not_stop_matching(session):
    admin = builders.staff(session)
    pilot = builders.pilot(session, admin)
    mentee, _ = builders.participant(session, admin, pilot, "lead@x.com", Role.MENTEE, grade=12)
    mentor, _ = builders.participant(session, admin, pilot, "dev@x.com", Role.MENTOR, grade=3)
    builders.ready_mentee(session, mentee, pilot, {"Generative AI basics": 1})
    builders.ready_mentor(session, mentor, pilot, {"Generative AI basics": 3})
    save_profile(
        mentee,
        pilot.id,
        ProfileInput(time_zone="UTC + 2", availability=["mon-am"], consent=True),
        session=session,
    )
    csv = b"email,name,role,grade,time_zone\r\nnew@x.com,New Mentor,mentor,2,Z\r\n"
    import_roster(admin, pilot.id, csv, "roster.csv", session=session)
    zones = dict(session.exec(select(Person.email, Person.time_zone)).all())
    assert (zones["lead@x.com"], zones["new@x.com"]) == ("UTC+2", "UTC")

    inst = build_instance(load_population(pilot, session=session)).instance
    assert {m.id: engine_offset(m.time_zone) for m in inst.mentees} == {"lead@x.com": 2.0}
    summary = run_matching(admin, pilot.id, session=session)
    assert summary.matched == 1


def test_profile_form_refuses_garbage_with_the_field_named(session):
    admin = builders.staff(session)
    pilot = builders.pilot(session, admin)
    mentee, _ = builders.participant(session, admin, pilot, "lead@x.com", Role.MENTEE)
    with pytest.raises(ValidationFailed) as err:
        save_profile(mentee, pilot.id, ProfileInput(time_zone="Paris time"), session=session)
    assert "'Paris time' is not a known time zone" in err.value.errors["time_zone"]
