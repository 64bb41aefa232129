"""The pair's shared session log, with each member's private note and candour pulse beside it.

The shared entry (date, length, topics, takeaways) is visible to both members. A private note is
selected only with the actor's own person id, so no code path here can return the partner's note.
Everything is validated before the first write, so a bad note never leaves a session half-saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, select

from core.auth import Actor
from core.errors import NotAllowed, NotFound, ValidationFailed
from core.models import (
    LearningGoal,
    MentoringSession,
    Person,
    SessionNote,
    Topic,
    utcnow,
)
from core.pairs.access import Membership, membership, require_running
from core.tracking.pulse import candour_problem, own_pulses, set_pulse

MIN_MINUTES, MAX_MINUTES = 5, 480
MAX_TEXT = 5000


@dataclass
class SessionInput:
    held_on: date | None
    minutes: int | None
    topic_ids: list[int] = field(default_factory=list)
    takeaways: str = ""
    private_note: str = ""  # the actor's own; never shown to the partner or the admins
    candour: int | None = None  # "could I speak candidly?" 1-5, the actor's own


@dataclass(frozen=True)
class SessionView:
    id: int
    pair_id: int
    held_on: date
    minutes: int
    topic_ids: tuple[int, ...]
    topics: tuple[str, ...]
    takeaways: str
    author_name: str
    mine: bool  # the actor wrote the shared entry (and may edit or delete it)
    my_note: str  # the actor's own private note, "" if none
    my_candour: int | None


def goal_topics(mentee_enrollment_id: int, *, session: Session) -> dict[int, str]:
    """topic id -> name of the mentee's learning goals, in priority order."""
    return dict(
        session.exec(
            select(Topic.id, Topic.name)
            .join(LearningGoal, LearningGoal.topic_id == Topic.id)
            .where(LearningGoal.enrollment_id == mentee_enrollment_id)
            .order_by(col(LearningGoal.priority), Topic.name)
        ).all()
    )


def _text_problem(text: str, what: str) -> str | None:
    if len(text) > MAX_TEXT:
        return (
            f"must be at most {MAX_TEXT} characters (now {len(text):,}); "
            f"shorten the {what} or keep the details elsewhere"
        )
    return None


def _whole_minutes(minutes: object) -> int | None:
    if isinstance(minutes, bool):
        return None
    if isinstance(minutes, int):
        return minutes
    if isinstance(minutes, float) and minutes.is_integer():
        return int(minutes)
    return None


def _validate(data: SessionInput, member: Membership, *, session: Session) -> dict[str, str]:
    errors: dict[str, str] = {}
    pilot, today = member.pilot, date.today()
    if data.held_on is None:
        errors["held_on"] = "is required: when did you meet?"
    elif data.held_on > today:
        errors["held_on"] = (
            f"cannot be in the future (today is {today:%d %b %Y}); log a session after it "
            "happened, or plan it in the calendar"
        )
    elif data.held_on > pilot.end_date:
        errors["held_on"] = f"cannot be after the pilot ended ({pilot.end_date:%d %b %Y})"
    elif data.held_on < pilot.start_date:
        errors["held_on"] = f"cannot be before the pilot started ({pilot.start_date:%d %b %Y})"
    minutes = _whole_minutes(data.minutes)
    if minutes is None or not MIN_MINUTES <= minutes <= MAX_MINUTES:
        errors["minutes"] = (
            f"must be a whole number of minutes from {MIN_MINUTES} to {MAX_MINUTES} "
            f"(got {data.minutes!r})"
        )
    allowed = goal_topics(member.mentee.id, session=session)  # type: ignore[arg-type]
    if unknown := [t for t in data.topic_ids if t not in allowed]:
        names = ", ".join(allowed.values()) or "none yet"
        errors["topic_ids"] = (
            f"{len(unknown)} topic(s) are not among the mentee's learning goals; choose from: "
            f"{names}"
        )
    if problem := _text_problem(data.takeaways or "", "takeaways"):
        errors["takeaways"] = problem
    if problem := _text_problem(data.private_note or "", "note"):
        errors["private_note"] = problem
    if problem := candour_problem(data.candour):
        errors["candour"] = problem
    return errors


def _set_note(session_id: int, person_id: int, text: str, *, session: Session) -> None:
    note = session.exec(
        select(SessionNote).where(
            SessionNote.session_id == session_id, SessionNote.author_id == person_id
        )
    ).first()
    text = text.strip()
    if not text:
        if note is not None:
            session.delete(note)
        return
    note = note or SessionNote(session_id=session_id, author_id=person_id, text=text)
    note.text = text
    session.add(note)


def _own_entry(
    actor: Actor, session_id: int, *, session: Session
) -> tuple[MentoringSession, Membership]:
    entry = session.get(MentoringSession, session_id)
    if entry is None:
        raise NotFound("This session does not exist (was it deleted?).")
    member = membership(actor, entry.pair_id, session=session)
    return entry, member


def _require_author(entry: MentoringSession, actor: Actor) -> None:
    if entry.author_id != actor.person_id:
        raise NotAllowed(
            "Only the person who logged this session can change or delete it; "
            "you can add your own private note and pulse to it."
        )


def record_session(
    actor: Actor, pair_id: int, data: SessionInput, *, session: Session
) -> SessionView:
    member = membership(actor, pair_id, session=session)
    require_running(member, "logging a session")
    if errors := _validate(data, member, session=session):
        raise ValidationFailed(errors)
    entry = MentoringSession(
        pair_id=pair_id,
        author_id=actor.person_id,
        held_on=data.held_on,  # type: ignore[arg-type]
        minutes=_whole_minutes(data.minutes),  # type: ignore[arg-type]
        topic_ids=list(dict.fromkeys(data.topic_ids)),
        takeaways=(data.takeaways or "").strip(),
    )
    session.add(entry)
    session.flush()  # the note and pulse need the session's id
    assert entry.id is not None
    _set_note(entry.id, actor.person_id, data.private_note or "", session=session)
    set_pulse(entry.id, actor, data.candour, session=session)
    session.flush()
    return _one(actor, member, entry.id, session=session)


def update_session(
    actor: Actor, session_id: int, data: SessionInput, *, session: Session
) -> SessionView:
    """The author edits the shared entry and their own note and pulse (None/"" clears them)."""
    entry, member = _own_entry(actor, session_id, session=session)
    _require_author(entry, actor)
    require_running(member, "changing a session")
    if errors := _validate(data, member, session=session):
        raise ValidationFailed(errors)
    entry.held_on = data.held_on  # type: ignore[assignment]
    entry.minutes = _whole_minutes(data.minutes)  # type: ignore[assignment]
    entry.topic_ids = list(dict.fromkeys(data.topic_ids))
    entry.takeaways = (data.takeaways or "").strip()
    entry.updated_at = utcnow()
    session.add(entry)
    _set_note(session_id, actor.person_id, data.private_note or "", session=session)
    set_pulse(session_id, actor, data.candour, session=session)
    session.flush()
    return _one(actor, member, session_id, session=session)


def annotate_session(
    actor: Actor,
    session_id: int,
    *,
    private_note: str = "",
    candour: int | None = None,
    session: Session,
) -> SessionView:
    """Either member adds or changes their OWN private note and pulse on a logged session."""
    _entry, member = _own_entry(actor, session_id, session=session)
    errors: dict[str, str] = {}
    if problem := _text_problem(private_note or "", "note"):
        errors["private_note"] = problem
    if problem := candour_problem(candour):
        errors["candour"] = problem
    if errors:
        raise ValidationFailed(errors)
    _set_note(session_id, actor.person_id, private_note or "", session=session)
    set_pulse(session_id, actor, candour, session=session)
    session.flush()
    return _one(actor, member, session_id, session=session)


def delete_session(actor: Actor, session_id: int, *, session: Session) -> None:
    """The author deletes the entry; both members' notes and pulses on it go with it (ON DELETE
    CASCADE)."""
    entry, member = _own_entry(actor, session_id, session=session)
    _require_author(entry, actor)
    require_running(member, "deleting a session")
    session.delete(entry)
    session.flush()


def _views(
    actor: Actor, member: Membership, entries: list[MentoringSession], *, session: Session
) -> list[SessionView]:
    pair_id = member.pair.id
    notes = dict(
        session.exec(
            select(SessionNote.session_id, SessionNote.text)
            .join(MentoringSession, col(MentoringSession.id) == SessionNote.session_id)
            .where(
                MentoringSession.pair_id == pair_id,
                SessionNote.author_id == actor.person_id,
            )
        ).all()
    )
    pulses = own_pulses(actor, pair_id, session=session)  # type: ignore[arg-type]
    topic_ids = {t for e in entries for t in e.topic_ids}
    names = dict(
        session.exec(select(Topic.id, Topic.name).where(col(Topic.id).in_(topic_ids))).all()
    )
    authors = dict(
        session.exec(
            select(Person.id, Person.name).where(
                col(Person.id).in_({member.own.person_id, member.partner.person_id})
            )
        ).all()
    )
    return [
        SessionView(
            id=e.id,  # type: ignore[arg-type]
            pair_id=e.pair_id,
            held_on=e.held_on,
            minutes=e.minutes,
            topic_ids=tuple(e.topic_ids),
            topics=tuple(names.get(t, "(removed topic)") for t in e.topic_ids),
            takeaways=e.takeaways,
            author_name=authors.get(e.author_id, ""),
            mine=e.author_id == actor.person_id,
            my_note=notes.get(e.id, ""),
            my_candour=pulses.get(e.id),  # type: ignore[arg-type]
        )
        for e in entries
    ]


def _one(actor: Actor, member: Membership, session_id: int, *, session: Session) -> SessionView:
    entry = session.get(MentoringSession, session_id)
    assert entry is not None
    return _views(actor, member, [entry], session=session)[0]


def list_sessions(actor: Actor, pair_id: int, *, session: Session) -> list[SessionView]:
    """Newest first: shared fields, plus the actor's own private note and pulse only."""
    member = membership(actor, pair_id, session=session)
    entries = session.exec(
        select(MentoringSession)
        .where(MentoringSession.pair_id == pair_id)
        .order_by(col(MentoringSession.held_on).desc(), col(MentoringSession.id).desc())
    ).all()
    return _views(actor, member, list(entries), session=session)
