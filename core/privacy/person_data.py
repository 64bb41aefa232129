"""Everything the portal holds about one person, for them to download (GDPR articles 15, 20).

One part per entry of core.privacy.catalogue, each with who can see it and how long it is kept.
The parts hold the person's own data and what their pairs share with them; never somebody
else's private text (a partner's notes, pulses, check-in answers or concerns, an admin's notes).
It works for somebody who withdrew, too: withdrawal ends pairs, not the right to one's notes.
"""

from __future__ import annotations

import html
import io
import json
import zipfile
from datetime import date, datetime

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, or_, select

from core.access import require_staff
from core.auth import Actor
from core.errors import NotFound
from core.models import (
    AccountToken,
    AuditEntry,
    CandourPulse,
    CheckIn,
    CheckInRating,
    Concern,
    Enrollment,
    Expertise,
    LearningGoal,
    MentoringSession,
    OutboxMessage,
    Pair,
    Person,
    Pilot,
    SessionNote,
    SignInSession,
    Topic,
)
from core.pairs.access import is_member_visible
from core.privacy.audit import record
from core.privacy.catalogue import CATALOGUE

PROFILE_FIELDS = (
    "name",
    "email",
    "job_title",
    "department",
    "grade",
    "career_stage",
    "manager_email",
    "location",
    "time_zone",
    "employee_id",
    "in_directory",
    "is_leaver",
    "left_on",
    "is_staff",
    "created_at",
)


def _plain(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _rows(rows: list[dict]) -> list[dict]:
    return [{k: _plain(v) for k, v in row.items()} for row in rows]


def collect(person_id: int, *, session: Session) -> dict:
    """The person's data by part (no permission check: `my_data` and the command line check)."""
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("This person does not exist.")
    topics = dict(session.exec(select(Topic.id, Topic.name)).all())
    enrollments = session.exec(
        select(Enrollment, Pilot.name)
        .join(Pilot, col(Pilot.id) == Enrollment.pilot_id)
        .where(Enrollment.person_id == person_id)
        .order_by(col(Enrollment.id))
    ).all()
    own_enrollments = {e.id: (e, pilot) for e, pilot in enrollments}
    ids = list(own_enrollments)
    parts: dict[str, list[dict]] = {}
    parts["profile"] = [{name: getattr(person, name) for name in PROFILE_FIELDS}]
    parts["enrollments"] = [
        {
            "pilot": pilot,
            "role": e.role,
            "status": e.status,
            "capacity": e.capacity,
            "availability": list(e.availability),
            "offers": [topics.get(t, "") for t in e.offers],
            "wants": [topics.get(t, "") for t in e.wants],
            "learn_back_note": e.learn_back_note,
            "consent": e.consent,
            "invited_at": e.invited_at,
            "joined_at": e.joined_at,
            "withdrawn_at": e.withdrawn_at,
        }
        for e, pilot in enrollments
    ]
    parts["goals"] = [
        {
            "pilot": own_enrollments[g.enrollment_id][1],
            "topic": topics.get(g.topic_id, ""),
            "priority": g.priority,
            "objective": g.objective,
            "preferred_format": g.preferred_format,
        }
        for g in session.exec(
            select(LearningGoal).where(col(LearningGoal.enrollment_id).in_(ids))
        ).all()
    ]
    parts["expertise"] = [
        {
            "pilot": own_enrollments[x.enrollment_id][1],
            "topic": topics.get(x.topic_id, ""),
            "level": x.level,
            "note": x.note,
        }
        for x in session.exec(select(Expertise).where(col(Expertise.enrollment_id).in_(ids))).all()
    ]
    mentee_e, mentor_e = aliased(Enrollment), aliased(Enrollment)
    mentee_p, mentor_p = aliased(Person), aliased(Person)
    pairs = [
        (pair, mentee_name, mentor_name)
        for pair, mentee_name, mentor_name in session.exec(
            select(Pair, mentee_p.name, mentor_p.name)
            .join(mentee_e, mentee_e.id == Pair.mentee_enrollment_id)
            .join(mentor_e, mentor_e.id == Pair.mentor_enrollment_id)
            .join(mentee_p, mentee_p.id == mentee_e.person_id)
            .join(mentor_p, mentor_p.id == mentor_e.person_id)
            .where(
                or_(
                    col(Pair.mentee_enrollment_id).in_(ids),
                    col(Pair.mentor_enrollment_id).in_(ids),
                )
            )
            .order_by(col(Pair.id))
        ).all()
        if is_member_visible(pair)
    ]
    pair_ids = [p.id for p, _, _ in pairs]
    parts["pairs"] = [
        {
            "pair": pair.id,
            "pilot": own_enrollments.get(
                pair.mentee_enrollment_id, own_enrollments.get(pair.mentor_enrollment_id)
            )[1],  # type: ignore[index]
            "my_role": "mentee" if pair.mentee_enrollment_id in own_enrollments else "mentor",
            "partner": mentor_name if pair.mentee_enrollment_id in own_enrollments else mentee_name,
            "status": pair.status,
            "reasons": list(pair.reasons),
            "my_response": pair.mentee_response
            if pair.mentee_enrollment_id in own_enrollments
            else pair.mentor_response,
            "my_decline_reason": pair.decline_reason if pair.declined_by_id == person_id else "",
            "published_at": pair.published_at,
            "accepted_at": pair.accepted_at,
            "ended_at": pair.ended_at,
        }
        for pair, mentee_name, mentor_name in pairs
    ]
    sessions = session.exec(
        select(MentoringSession)
        .where(col(MentoringSession.pair_id).in_(pair_ids))
        .order_by(col(MentoringSession.held_on), col(MentoringSession.id))
    ).all()
    parts["sessions"] = [
        {
            "pair": s.pair_id,
            "held_on": s.held_on,
            "minutes": s.minutes,
            "topics": [topics.get(t, "") for t in s.topic_ids],
            "takeaways": s.takeaways,
            "written_by": "you" if s.author_id == person_id else "your partner",
        }
        for s in sessions
    ]
    # Own notes on any session, also of pairs closed to the person since they withdrew.
    parts["private_notes"] = [
        {"pair": pair_id, "session_held_on": held_on, "note": text}
        for text, pair_id, held_on in session.exec(
            select(SessionNote.text, MentoringSession.pair_id, MentoringSession.held_on)
            .join(MentoringSession, col(MentoringSession.id) == SessionNote.session_id)
            .where(SessionNote.author_id == person_id)
            .order_by(col(MentoringSession.held_on))
        ).all()
    ]
    parts["candour_pulses"] = [
        {"pair": pair_id, "session_held_on": held_on, "score": score}
        for score, pair_id, held_on in session.exec(
            select(CandourPulse.score, MentoringSession.pair_id, MentoringSession.held_on)
            .join(MentoringSession, col(MentoringSession.id) == CandourPulse.session_id)
            .where(CandourPulse.person_id == person_id)
            .order_by(col(MentoringSession.held_on))
        ).all()
    ]
    checkins = session.exec(select(CheckIn).where(CheckIn.person_id == person_id)).all()
    ratings: dict[int, dict[str, int]] = {}
    for checkin_id, topic_id, rating in session.exec(
        select(CheckInRating.checkin_id, CheckInRating.topic_id, CheckInRating.rating).where(
            col(CheckInRating.checkin_id).in_([c.id for c in checkins])
        )
    ).all():
        ratings.setdefault(checkin_id, {})[topics.get(topic_id, str(topic_id))] = rating
    parts["checkins"] = [
        {
            "pair": c.pair_id,
            "phase": c.phase,
            "ratings": ratings.get(c.id, {}),  # type: ignore[arg-type]
            "satisfaction": c.satisfaction,
            "would_recommend": c.would_recommend,
            "take_part_again": c.take_part_again,
            "feedback": c.feedback,
            "share_feedback": c.share_feedback,
            "asked_for_help": c.needs_help,
            "submitted_at": c.submitted_at,
        }
        for c in checkins
    ]
    parts["concerns"] = [
        {"pair": c.pair_id, "text": c.text, "raised_at": c.created_at, "resolved_at": c.resolved_at}
        for c in session.exec(select(Concern).where(Concern.raised_by_id == person_id)).all()
    ]
    parts["sign_ins"] = [
        {
            "signed_in_at": s.created_at,
            "via": s.via,
            "last_seen_at": s.last_seen_at,
            "expires_at": s.expires_at,
            "ended_at": s.revoked_at,
        }
        for s in session.exec(
            select(SignInSession).where(SignInSession.person_id == person_id)
        ).all()
    ] + [
        {"link_sent_at": t.created_at, "purpose": t.purpose, "expires_at": t.expires_at,
         "used_at": t.used_at, "revoked_at": t.revoked_at}
        for t in session.exec(select(AccountToken).where(AccountToken.person_id == person_id)).all()
    ]  # fmt: skip
    parts["messages"] = [
        {"sent_at": m.created_at, "kind": m.kind, "subject": m.subject, "body": m.body_text,
         "status": m.status}
        for m in session.exec(
            select(OutboxMessage).where(
                or_(OutboxMessage.person_id == person_id, OutboxMessage.to_email == person.email)
            ).order_by(col(OutboxMessage.id))
        ).all()
    ]  # fmt: skip
    parts["audit"] = [
        {"at": a.created_at, "action": a.action, "by_you": a.actor_id == person_id,
         "about_you": a.subject_id == person_id, "before": a.before, "after": a.after}
        for a in session.exec(
            select(AuditEntry)
            .where(or_(AuditEntry.actor_id == person_id, AuditEntry.subject_id == person_id))
            .order_by(col(AuditEntry.id))
        ).all()
    ]  # fmt: skip
    return {
        "person": person.name,
        "generated_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "parts": [
            {
                "part": item.key,
                "title": item.title,
                "what": item.what,
                "who_can_see": item.who_can_see,
                "kept": item.kept,
                "rows": _rows(parts[item.key]),
            }
            for item in CATALOGUE
        ],
    }


def my_data(actor: Actor, *, session: Session, person_id: int | None = None) -> dict:
    """The actor's own data; the programme team may collect anybody's (a leaver's request)."""
    target = actor.person_id if person_id is None else person_id
    if target != actor.person_id:
        require_staff(actor)
    data = collect(target, session=session)
    record(session, actor, "person.data_downloaded", None, subject_id=target)
    return data


def render_html(data: dict) -> str:
    """A readable page of the same data: every value escaped, no script, no external URL."""

    def cell(value: object) -> str:
        if isinstance(value, dict | list):
            value = json.dumps(value, ensure_ascii=False)
        return html.escape("" if value is None else str(value))

    sections = []
    for part in data["parts"]:
        rows = part["rows"]
        if rows:
            heads = list(dict.fromkeys(k for row in rows for k in row))
            table = (
                "<table><thead><tr>"
                + "".join(f"<th>{cell(h)}</th>" for h in heads)
                + "</tr></thead><tbody>"
                + "".join(
                    "<tr>" + "".join(f"<td>{cell(row.get(h))}</td>" for h in heads) + "</tr>"
                    for row in rows
                )
                + "</tbody></table>"
            )
        else:
            table = "<p>Nothing stored.</p>"
        sections.append(
            f"<section><h2>{cell(part['title'])}</h2><p>{cell(part['what'])}</p>"
            f"<p><strong>Who can see it:</strong> {cell(part['who_can_see'])}</p>"
            f"<p><strong>How long it is kept:</strong> {cell(part['kept'])}</p>{table}</section>"
        )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Your data: {cell(data['person'])}</title>"
        "<style>body{font-family:system-ui,sans-serif;max-width:1000px;margin:2rem auto;"
        "padding:0 1rem}table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;"
        "padding:3px 8px;text-align:left;vertical-align:top}</style></head><body>"
        f"<h1>Everything the portal holds about {cell(data['person'])}</h1>"
        f"<p>Generated {cell(data['generated_at'])}.</p>{''.join(sections)}</body></html>"
    )


def data_files(data: dict) -> dict[str, bytes]:
    return {
        "my-data.json": json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8"),
        "my-data.html": render_html(data).encode("utf-8"),
    }


def my_data_zip(actor: Actor, *, session: Session) -> bytes:
    """The Account page's download: JSON for machines (article 20) and HTML for people."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in data_files(my_data(actor, session=session)).items():
            archive.writestr(name, content)
    return buffer.getvalue()
