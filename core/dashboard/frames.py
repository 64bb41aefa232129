"""The pilot's facts as DataFrames: loaded once per pilot with a dozen bulk queries, then filtered.

Every dashboard figure (core.dashboard.datasets and the modules it gathers) is a pure function of
a `PilotFrames`, so a page can cache the frames and recompute datasets cheaply, and tests can check every figure from a hand-built pilot. The frames
never hold free text (check-in feedback, session takeaways, notes, concerns are not even loaded)
nor names or emails of participants: nothing built from them can leak either.

Definitions shared by every dataset (see `PilotFrames.pair_facts`):
- a pair is *matched* when the admin approved it for the two people: its status is approved,
  published, active or paused, or it was published at some point (so pairs that later ended or
  were declined still count as a match that was made);
- a pair is *accepted* when both members accepted it (`accepted_at` is set);
- a pair *completed* the pilot when it was accepted, held at least one session, and either
  someone in it submitted an end check-in or it ran to the end: it ended on or after the pilot's
  end date, or it is still active or paused and the pilot is closed or past its end date.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from functools import cached_property

import numpy as np
import pandas as pd
from sqlalchemy import ColumnElement, Select, String, type_coerce
from sqlmodel import Session, col, func, select

from core.access import get_pilot, require_pilot_admin
from core.auth import Actor
from core.dashboard.privacy import NOT_RECORDED
from core.errors import ValidationFailed
from core.models import (
    CandourPulse,
    CheckIn,
    CheckInRating,
    Enrollment,
    Expertise,
    LearningGoal,
    MentoringSession,
    Milestone,
    Pair,
    PairMilestone,
    PairStatus,
    Person,
    Pilot,
    PilotStatus,
    Role,
    Topic,
)
from core.pairs.coverage import IN_PILOT, run_reasons, standing
from core.pairs.population import ineligibility
from core.tracking.milestone_progress import oriented_enrollments


@dataclass(frozen=True)
class DashboardFilters:
    """What the admin narrowed the dashboard to; empty tuples mean "everyone".

    People filters (department, career stage) keep the participants in those groups; a pair is
    kept when either member is kept, and check-in answers are kept when the person answering is.
    Topic categories keep those topics, and the mentees with a goal / mentors with expertise in
    them. The date range keeps sessions held and check-ins submitted within it (both ends
    included); matching and milestones are not dated by it.
    """

    departments: tuple[str, ...] = ()
    career_stages: tuple[str, ...] = ()
    topic_categories: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None

    def __post_init__(self) -> None:
        # Pages pass lists from multiselects; tuples keep the filters hashable for caching.
        for name in ("departments", "career_stages", "topic_categories"):
            value = getattr(self, name) or ()
            object.__setattr__(self, name, (value,) if isinstance(value, str) else tuple(value))
        if self.date_from and self.date_to and self.date_to < self.date_from:
            raise ValidationFailed({"date_to": "must be on or after the start of the date range"})

    @property
    def narrows_people(self) -> bool:
        return bool(self.departments or self.career_stages or self.topic_categories)


@dataclass(frozen=True)
class PilotSummary:
    """The pilot's settings the dashboard needs, detached from the database session."""

    id: int
    name: str
    purpose: str
    start_date: date
    end_date: date
    status: str
    privacy_threshold: int
    sponsor_signed_off: bool
    success_criteria: tuple[dict, ...]

    @classmethod
    def of(cls, pilot: Pilot) -> PilotSummary:
        assert pilot.id is not None
        return cls(
            id=pilot.id,
            name=pilot.name,
            purpose=pilot.purpose,
            start_date=pilot.start_date,
            end_date=pilot.end_date,
            status=pilot.status,
            privacy_threshold=pilot.privacy_threshold,
            sponsor_signed_off=pilot.sponsor_signed_off,
            success_criteria=tuple(dict(c) for c in pilot.success_criteria or ()),
        )


@dataclass(frozen=True)
class PilotFrames:
    """One pilot's rows as DataFrames (mentees and mentors only; admins are not participants).

    participants: enrollment_id, person_id, role, status, department, career_stage, grade,
        joined, oriented, has_availability, consent, opted_out, items (goals or expertise rows),
        pair_standing (mentees in the pilot: core.pairs.coverage's HAS_PAIR or why they have
        none; empty for everybody else), eligible
    topics: topic_id, kind, name, category, active
    goals: enrollment_id, topic_id, priority
    expertise: enrollment_id, topic_id, level
    pairs: pair_id, mentee_enrollment_id, mentor_enrollment_id, status, score, uncovered (list of
        goal topic ids), published, accepted, ended_on, and for both members (prefix mentee_ /
        mentor_) person_id, department, career_stage, grade
    sessions: session_id, pair_id, held_on, minutes
    milestones: milestone_id, due_date (pair milestones only)
    pair_milestones: pair_id, milestone_id, completed_on
    checkins: checkin_id, pair_id, person_id, role, phase, submitted_on, satisfaction,
        would_recommend, take_part_again, department, career_stage
    ratings: checkin_id, pair_id, person_id, role, phase, topic_id, rating
    pulses: session_id, person_id, score
    """

    pilot: PilotSummary
    as_of: date
    participants: pd.DataFrame
    topics: pd.DataFrame
    goals: pd.DataFrame
    expertise: pd.DataFrame
    pairs: pd.DataFrame
    sessions: pd.DataFrame
    milestones: pd.DataFrame
    pair_milestones: pd.DataFrame
    checkins: pd.DataFrame
    ratings: pd.DataFrame
    pulses: pd.DataFrame
    filters: DashboardFilters = field(default_factory=DashboardFilters)

    @property
    def threshold(self) -> int:
        return self.pilot.privacy_threshold

    @cached_property
    def pair_facts(self) -> pd.DataFrame:
        """`pairs` plus sessions, minutes, matched, accepted, has_end_checkin, completed."""
        pairs = self.pairs
        per_pair = self.sessions.groupby("pair_id").agg(
            sessions=("session_id", "size"), minutes=("minutes", "sum")
        )
        facts = pairs.join(per_pair, on="pair_id")
        facts["sessions"] = facts["sessions"].fillna(0).astype(int)
        facts["minutes"] = facts["minutes"].fillna(0).astype(int)
        # Kept statuses are the ones the admin agreed to; `published` also marks later-ended or
        # declined pairs.
        facts["matched"] = pairs["status"].isin(PairStatus.KEPT) | pairs["published"]
        ended_ids = self.checkins.loc[self.checkins["phase"] == "end", "pair_id"]
        facts["has_end_checkin"] = pairs["pair_id"].isin(ended_ids)
        past_end = self.pilot.status == PilotStatus.CLOSED or self.as_of > self.pilot.end_date
        ran_to_end = (pairs["status"].isin(PairStatus.RUNNING) & past_end) | (
            (pairs["status"] == PairStatus.ENDED)
            & (pairs["ended_on"] >= pd.Timestamp(self.pilot.end_date))
        )
        facts["completed"] = (
            pairs["accepted"] & (facts["sessions"] > 0) & (facts["has_end_checkin"] | ran_to_end)
        )
        return facts

    @cached_property
    def rating_changes(self) -> pd.DataFrame:
        """Every topic a person rated at both check-ins of a pair: pair_id, person_id, role,
        topic_id, start, end, gain (end − start)."""
        keys = ["pair_id", "person_id", "role", "topic_id"]
        phase = self.ratings["phase"]
        start = self.ratings.loc[phase == "start", [*keys, "rating"]]
        end = self.ratings.loc[phase == "end", [*keys, "rating"]]
        both = start.merge(end, on=keys, suffixes=("_start", "_end")).rename(
            columns={"rating_start": "start", "rating_end": "end"}
        )
        both = both.astype({"start": float, "end": float})
        both["gain"] = both["end"] - both["start"]
        return both


def load_frames(
    actor: Actor,
    pilot_id: int,
    filters: DashboardFilters | None = None,
    *,
    session: Session,
    as_of: date | None = None,
) -> PilotFrames:
    """The pilot's frames, for its admins only, narrowed by `filters` (see `scope_frames`)."""
    require_pilot_admin(actor, pilot_id, session=session)
    return scope_frames(
        frames_of_pilot(pilot_id, session=session, as_of=as_of), filters or DashboardFilters()
    )


def frames_of_pilot(pilot_id: int, *, session: Session, as_of: date | None = None) -> PilotFrames:
    """The whole pilot's frames with no access check: callers check who acts first
    (`load_frames`, the page caches in ui.cached)."""
    pilot = get_pilot(pilot_id, session=session)
    return _load(pilot, session=session, as_of=as_of or datetime.now(UTC).date())


def scope_frames(frames: PilotFrames, filters: DashboardFilters) -> PilotFrames:
    """`frames` narrowed by `filters`. Refuses filters that leave fewer people than the pilot's
    privacy threshold: every figure would then describe a handful of identifiable people."""
    if filters == frames.filters:
        return frames
    if frames.filters != DashboardFilters():
        raise ValueError("scope_frames narrows the whole pilot's frames, not already-filtered ones")
    people = frames.participants
    topics = frames.topics
    keep_people = pd.Series(True, index=people.index)
    if filters.departments:
        keep_people &= people["department"].isin(filters.departments)
    if filters.career_stages:
        keep_people &= people["career_stage"].isin(filters.career_stages)
    if filters.topic_categories:
        topics = topics.loc[topics["category"].isin(filters.topic_categories)]
        in_topics = set(
            frames.goals.loc[frames.goals["topic_id"].isin(topics["topic_id"]), "enrollment_id"]
        ) | set(
            frames.expertise.loc[
                frames.expertise["topic_id"].isin(topics["topic_id"]), "enrollment_id"
            ]
        )
        keep_people &= people["enrollment_id"].isin(in_topics)
    people = people.loc[keep_people]
    if filters.narrows_people and len(people) < frames.threshold:
        raise ValidationFailed(
            {
                "filters": f"only {len(people)} participants match these filters; the dashboard "
                f"needs at least {frames.threshold} so that nobody can be singled out. "
                "Widen the filters."
            }
        )
    enrollments = people["enrollment_id"]
    persons = people["person_id"]
    pairs = frames.pairs.loc[
        frames.pairs["mentee_enrollment_id"].isin(enrollments)
        | frames.pairs["mentor_enrollment_id"].isin(enrollments)
    ]
    sessions = frames.sessions.loc[frames.sessions["pair_id"].isin(pairs["pair_id"])]
    sessions = sessions.loc[_within(sessions["held_on"], filters)]
    checkins = frames.checkins.loc[
        frames.checkins["pair_id"].isin(pairs["pair_id"])
        & frames.checkins["person_id"].isin(persons)
    ]
    checkins = checkins.loc[_within(checkins["submitted_on"], filters)]
    ratings = frames.ratings.loc[
        frames.ratings["checkin_id"].isin(checkins["checkin_id"])
        & frames.ratings["topic_id"].isin(topics["topic_id"])
    ]
    pulses = frames.pulses.loc[
        frames.pulses["session_id"].isin(sessions["session_id"])
        & frames.pulses["person_id"].isin(persons)
    ]
    return replace(
        frames,
        filters=filters,
        participants=people,
        topics=topics,
        goals=frames.goals.loc[
            frames.goals["enrollment_id"].isin(enrollments)
            & frames.goals["topic_id"].isin(topics["topic_id"])
        ],
        expertise=frames.expertise.loc[
            frames.expertise["enrollment_id"].isin(enrollments)
            & frames.expertise["topic_id"].isin(topics["topic_id"])
        ],
        pairs=pairs,
        sessions=sessions,
        pair_milestones=frames.pair_milestones.loc[
            frames.pair_milestones["pair_id"].isin(pairs["pair_id"])
        ],
        checkins=checkins,
        ratings=ratings,
        pulses=pulses,
    )


def _within(dates: pd.Series, filters: DashboardFilters) -> pd.Series:
    keep = pd.Series(True, index=dates.index)
    if filters.date_from:
        keep &= dates >= pd.Timestamp(filters.date_from)
    if filters.date_to:
        keep &= dates <= pd.Timestamp(filters.date_to)
    return keep


# --- loading ------------------------------------------------------------------------------------


def _query(
    session: Session,
    statement: Select,
    columns: list[str],
    *,
    days: tuple[str, ...] = (),
    stamps: tuple[str, ...] = (),
) -> pd.DataFrame:
    """One bulk query as a DataFrame with the given columns, even when empty.

    Runs on the session's connection (Core rows, no ORM identity map) and leaves dates to pandas:
    `days` (dates) and `stamps` (UTC timestamps, reduced to their UTC day) come back as text from
    SQLite (see `_as_text`) and are parsed in one vectorised call, which is what keeps a pilot of
    20 000 participants within a few seconds.
    """
    rows = session.connection().execute(statement).all()
    values = list(zip(*rows, strict=True)) if rows else [()] * len(columns)
    df = pd.DataFrame(
        {
            name: pd.Series(column, dtype=None if rows else object)
            for name, column in zip(columns, values, strict=True)
        }
    )
    for name in days:
        df[name] = pd.to_datetime(df[name], format="ISO8601").astype("datetime64[us]")
    for name in stamps:
        utc = pd.to_datetime(df[name], format="ISO8601", utc=True)
        df[name] = utc.dt.tz_localize(None).dt.normalize().astype("datetime64[us]")
    return df


def _as_text(column: ColumnElement) -> ColumnElement:
    """The column without SQLAlchemy's per-value date parsing (pandas parses them in bulk);
    PostgreSQL's driver still hands back date objects, which pandas reads as well."""
    return type_coerce(column, String)


def _add_mentee_standings(
    people: pd.DataFrame, pairs: pd.DataFrame, pilot: Pilot, reasons: dict[int, str]
) -> None:
    """Each mentee in the pilot's `pair_standing` and `eligible`, by the same rules as every
    other page's count (core.pairs.coverage, core.pairs.population), from the rows loaded here."""
    pairs_of: dict[int, list[tuple[str, date | None]]] = {}
    for row in pairs.sort_values("pair_id").itertuples():
        ended = None if pd.isna(row.ended_on) else pd.Timestamp(row.ended_on).date()
        pairs_of.setdefault(int(row.mentee_enrollment_id), []).append((str(row.status), ended))
    why: list[str | None] = []
    eligible: list[bool] = []
    for row in people.itertuples():
        if row.role != Role.MENTEE or row.status not in IN_PILOT:
            why.append(None)
            eligible.append(False)
            continue
        eid = int(row.enrollment_id)
        unfit = ineligibility(
            str(row.role), str(row.status), opted_out=bool(row.opted_out),
            consent=bool(row.consent), has_items=int(row.items) > 0,
            missing_orientation=pilot.orientation_required and not row.oriented,
        )  # fmt: skip
        why.append(standing(unfit, pairs_of.get(eid, []), reasons.get(eid), pilot.end_date)[0])
        eligible.append(unfit is None)
    people["pair_standing"] = pd.Series(why, index=people.index, dtype=object)
    people["eligible"] = pd.Series(eligible, index=people.index, dtype=bool)


def _load(pilot: Pilot, *, session: Session, as_of: date) -> PilotFrames:
    pilot_id = pilot.id
    people = _query(
        session,
        select(
            Enrollment.id,
            Enrollment.person_id,
            Enrollment.role,
            Enrollment.status,
            Person.department,
            Person.career_stage,
            Person.grade,
            col(Enrollment.joined_at).is_not(None),
            func.json_array_length(Enrollment.availability) > 0,
            Enrollment.consent,
            Enrollment.opted_out,
        )
        .join(Person, Person.id == Enrollment.person_id)
        .where(Enrollment.pilot_id == pilot_id, Enrollment.role != Role.ADMIN)
        .order_by(Enrollment.id),
        [
            "enrollment_id",
            "person_id",
            "role",
            "status",
            "department",
            "career_stage",
            "grade",
            "joined",
            "has_availability",
            "consent",
            "opted_out",
        ],
    )
    # One definition of "oriented", shared with matching's orientation gate.
    people["oriented"] = people["enrollment_id"].isin(
        oriented_enrollments(pilot_id, session=session)
    )
    for column in ("joined", "oriented", "has_availability", "consent", "opted_out"):
        people[column] = people[column].astype(bool)
    for column in ("department", "career_stage"):
        people[column] = people[column].fillna("").str.strip().replace("", NOT_RECORDED)
    people["grade"] = people["grade"].astype("Float64")

    topics = _query(
        session,
        select(Topic.id, Topic.kind, Topic.name, Topic.category, Topic.active)
        .where(Topic.pilot_id == pilot_id)
        .order_by(Topic.id),
        ["topic_id", "kind", "name", "category", "active"],
    )
    goals = _query(
        session,
        select(LearningGoal.enrollment_id, LearningGoal.topic_id, LearningGoal.priority)
        .join(Enrollment, Enrollment.id == LearningGoal.enrollment_id)
        .where(Enrollment.pilot_id == pilot_id, Enrollment.role == Role.MENTEE),
        ["enrollment_id", "topic_id", "priority"],
    )
    expertise = _query(
        session,
        select(Expertise.enrollment_id, Expertise.topic_id, Expertise.level)
        .join(Enrollment, Enrollment.id == Expertise.enrollment_id)
        .where(Enrollment.pilot_id == pilot_id, Enrollment.role == Role.MENTOR),
        ["enrollment_id", "topic_id", "level"],
    )
    items = pd.concat([goals["enrollment_id"], expertise["enrollment_id"]]).value_counts()
    people["items"] = people["enrollment_id"].map(items).fillna(0).astype(int)

    pairs = _query(
        session,
        select(
            Pair.id,
            Pair.mentee_enrollment_id,
            Pair.mentor_enrollment_id,
            Pair.status,
            Pair.score,
            Pair.uncovered,
            col(Pair.published_at).is_not(None),
            col(Pair.accepted_at).is_not(None),
            _as_text(Pair.ended_at),
        )
        .where(Pair.pilot_id == pilot_id)
        .order_by(Pair.id),
        [
            "pair_id",
            "mentee_enrollment_id",
            "mentor_enrollment_id",
            "status",
            "score",
            "uncovered",
            "published",
            "accepted",
            "ended_on",
        ],
        stamps=("ended_on",),
    )
    pairs["score"] = pairs["score"].astype(float)
    pairs["published"] = pairs["published"].astype(bool)
    pairs["accepted"] = pairs["accepted"].astype(bool)
    _add_mentee_standings(people, pairs, pilot, run_reasons(pilot_id, session=session))  # type: ignore[arg-type]
    member = people.set_index("enrollment_id")[["person_id", "department", "career_stage", "grade"]]
    for side in ("mentee", "mentor"):
        pairs = pairs.join(member.add_prefix(f"{side}_"), on=f"{side}_enrollment_id")

    sessions = _query(
        session,
        select(
            MentoringSession.id,
            MentoringSession.pair_id,
            _as_text(MentoringSession.held_on),
            MentoringSession.minutes,
        )
        .join(Pair, Pair.id == MentoringSession.pair_id)
        .where(Pair.pilot_id == pilot_id),
        ["session_id", "pair_id", "held_on", "minutes"],
        days=("held_on",),
    )
    sessions["minutes"] = sessions["minutes"].astype(int)

    milestones = _query(
        session,
        select(Milestone.id, _as_text(Milestone.due_date)).where(
            Milestone.pilot_id == pilot_id, Milestone.scope == "pair"
        ),
        ["milestone_id", "due_date"],
        days=("due_date",),
    )
    pair_milestones = _query(
        session,
        select(
            PairMilestone.pair_id, PairMilestone.milestone_id, _as_text(PairMilestone.completed_on)
        )
        .join(Pair, Pair.id == PairMilestone.pair_id)
        .where(Pair.pilot_id == pilot_id),
        ["pair_id", "milestone_id", "completed_on"],
        days=("completed_on",),
    )
    pair_milestones = pair_milestones.loc[
        pair_milestones["milestone_id"].isin(milestones["milestone_id"])
    ]

    checkins = _query(
        session,
        select(
            CheckIn.id,
            CheckIn.pair_id,
            CheckIn.person_id,
            CheckIn.phase,
            _as_text(CheckIn.submitted_at),
            CheckIn.satisfaction,
            CheckIn.would_recommend,
            CheckIn.take_part_again,
        )
        .join(Pair, Pair.id == CheckIn.pair_id)
        .where(Pair.pilot_id == pilot_id)
        .order_by(CheckIn.id),
        [
            "checkin_id",
            "pair_id",
            "person_id",
            "phase",
            "submitted_on",
            "satisfaction",
            "would_recommend",
            "take_part_again",
        ],
        stamps=("submitted_on",),
    )
    checkins["satisfaction"] = checkins["satisfaction"].astype("Float64")
    for column in ("would_recommend", "take_part_again"):
        checkins[column] = checkins[column].astype("boolean")
    mentee_of_pair = pairs.set_index("pair_id")["mentee_person_id"]
    checkins["role"] = np.where(
        checkins["person_id"].to_numpy(dtype=float)
        == checkins["pair_id"].map(mentee_of_pair).to_numpy(dtype=float),
        Role.MENTEE,
        Role.MENTOR,
    )
    by_person = people.drop_duplicates("person_id").set_index("person_id")
    for column in ("department", "career_stage"):
        checkins[column] = checkins["person_id"].map(by_person[column]).fillna(NOT_RECORDED)
    ratings = _query(
        session,
        select(CheckInRating.checkin_id, CheckInRating.topic_id, CheckInRating.rating)
        .join(CheckIn, col(CheckIn.id) == CheckInRating.checkin_id)
        .join(Pair, Pair.id == CheckIn.pair_id)
        .where(Pair.pilot_id == pilot_id)
        .order_by(CheckInRating.checkin_id, CheckInRating.topic_id),
        ["checkin_id", "topic_id", "rating"],
    ).merge(checkins[["checkin_id", "pair_id", "person_id", "role", "phase"]], on="checkin_id")

    pulses = _query(
        session,
        select(CandourPulse.session_id, CandourPulse.person_id, CandourPulse.score)
        .join(MentoringSession, MentoringSession.id == CandourPulse.session_id)
        .join(Pair, Pair.id == MentoringSession.pair_id)
        .where(Pair.pilot_id == pilot_id),
        ["session_id", "person_id", "score"],
    )
    return PilotFrames(
        pilot=PilotSummary.of(pilot),
        as_of=as_of,
        participants=people,
        topics=topics,
        goals=goals,
        expertise=expertise,
        pairs=pairs,
        sessions=sessions,
        milestones=milestones,
        pair_milestones=pair_milestones,
        checkins=checkins,
        ratings=ratings,
        pulses=pulses,
    )
