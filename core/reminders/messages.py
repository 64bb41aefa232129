"""Each message kind as an email: template (core/mail/templates/KIND.txt), plain text and HTML,
times in the recipient's own time zone, a link to the page where they act, and for optional
reminders a link that turns that reminder off."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import Session, col, func, select

from core.auth import actor_for
from core.mail.delivery import Attachment, Outgoing
from core.mail.templates import render
from core.models import Enrollment, EnrollmentStatus, Pair, PairStatus, Person, Role, utcnow
from core.reminders import preferences
from core.reminders.invitations import invitation_ics
from core.reminders.schedule import PREFERENCE_OF, Due, Recipient, local_date
from core.settings import base_url
from core.timezones import TimeZoneError, zone_info
from core.tracking.at_risk import at_risk_pairs
from core.tracking.milestone_progress import overdue_milestones
from core.wording import count_of

PAGES = {
    "my_pair": "/my_pair",
    "profile": "/my_profile",
    "progress": "/progress",
    "dashboard": "/dashboard",
    "account": "/account",
}
DRY_RUN_LINK = "(a personal link, made when the message is sent)"
PHASES = {
    "start": (
        "Your start check-in with {partner}",
        "Your pair with {partner} has started. Before your first sessions, the start check-in "
        "records where you are today, so that you can both see what changed by the end.",
    ),
    "mid": (
        'Half-way through "{pilot}" with {partner}: how is it going?',
        '"{pilot}" is half-way through. Take five minutes to look at your goals and milestones '
        "with {partner}: what is working, and what to change for the second half.",
    ),
    "end": (
        "Your end check-in with {partner} is due",
        '"{pilot}" ends in a week. The end check-in records what you learned with {partner} '
        "and how the pilot went for you; the programme team only ever sees totals over groups.",
    ),
}


def link(page: str) -> str:
    return base_url() + PAGES[page]


def when_text(moment: datetime, time_zone: str) -> tuple[str, str]:
    """("Tuesday 4 May 2027, 04:00", "America/New_York"): an instant in a person's zone."""
    try:
        zone = zone_info(time_zone)
    except TimeZoneError:
        zone, time_zone = UTC, "UTC"
    local = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(zone)
    return f"{local:%A} {local.day} {local:%B %Y, %H:%M}", time_zone


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def _footer(due: Due, *, session: Session, dry_run: bool) -> tuple[str, tuple[str, ...]]:
    """The lines under every message; an unsubscribe link for optional reminders (kept out of
    the outbox copy, like every personal link)."""
    account = link("account")
    pref = PREFERENCE_OF[due.kind]
    unsubscribe_kind = preferences.EVERY_OPTIONAL if due.kind == "reminder_digest" else pref
    if unsubscribe_kind and (
        unsubscribe_kind == preferences.EVERY_OPTIONAL
        or preferences.KINDS[unsubscribe_kind].optional
    ):
        if dry_run:
            url = DRY_RUN_LINK
        else:
            raw = preferences.issue_unsubscribe(
                due.person.person_id, unsubscribe_kind, session=session
            )
            url = f"{base_url()}/unsubscribe?token={raw}"
        what = (
            "these reminders"
            if unsubscribe_kind != preferences.EVERY_OPTIONAL
            else "all optional reminders"
        )
        text = (
            f'You receive this as a participant of "{due.pilot_name}".\n'
            f"Turn off {what}: {url}\n"
            f"Choose which reminders you get and how often: {account}"
        )
        return text, (() if dry_run else (url,))
    if due.kind == "nudge":
        return f'You receive this as a participant of "{due.pilot_name}".', ()
    if due.kind.startswith("session_"):
        return "Both members of the pair receive this invitation.", ()
    return f"Choose how often you get these messages: {account}", ()


def _session_values(due: Due) -> dict:
    planned = due.facts["planned"]
    when, zone = when_text(planned.starts_at, due.person.time_zone)
    organiser: Recipient | None = due.facts.get("organiser")
    me = organiser is not None and organiser.person_id == due.person.person_id
    return {
        "when": when,
        "zone": zone,
        "minutes": planned.minutes,
        "title": planned.title,
        "organiser": "You" if me else (organiser.name if organiser else "Your partner"),
        "partner_phrase": due.facts["partner"] if me or organiser is None else "you",
    }


def _session_attachment(due: Due, *, session: Session) -> Attachment:
    planned = due.facts["planned"]
    organiser: Recipient | None = due.facts.get("organiser")
    pair = session.get(Pair, due.pair_id)
    assert pair is not None
    members = []
    for enrollment_id in (pair.mentee_enrollment_id, pair.mentor_enrollment_id):
        enrollment = session.get(Enrollment, enrollment_id)
        person = session.get(Person, enrollment.person_id) if enrollment else None
        if person is not None and (organiser is None or person.id != organiser.person_id):
            members.append(Recipient(person.id, person.email, person.name, person.time_zone))  # type: ignore[arg-type]
    method, data = invitation_ics(
        planned,
        organiser,
        members,
        summary=f"{planned.title}: {' and '.join(sorted([m.name for m in members] + ([organiser.name] if organiser else [])))}",
        description=f'Reverse-mentoring session of "{due.pilot_name}". My pair: {link("my_pair")}',
        stamp=utcnow(),
    )
    return Attachment(
        "invite.ics" if method == "REQUEST" else "cancel.ics",
        f"text/calendar; method={method}; charset=utf-8",
        data,
    )


def _admin_values(due: Due, *, session: Session) -> dict:
    person = session.get(Person, due.person.person_id)
    assert person is not None
    actor = actor_for(person)
    today = local_date(utcnow(), due.person.time_zone)
    risks = at_risk_pairs(actor, due.pilot_id, session=session, today=today)
    overdue = overdue_milestones(actor, due.pilot_id, session=session, today=today)
    counts = dict(
        session.exec(
            select(Enrollment.status, func.count())
            .where(
                Enrollment.pilot_id == due.pilot_id,
                col(Enrollment.role).in_((Role.MENTEE, Role.MENTOR)),
            )
            .group_by(Enrollment.status)
        ).all()
    )
    running = session.exec(
        select(func.count())
        .select_from(Pair)
        .where(
            Pair.pilot_id == due.pilot_id,
            col(Pair.status).in_((PairStatus.ACTIVE, PairStatus.PAUSED)),
        )
    ).one()
    invited = sum(counts.values())
    shown = 20
    return {
        "risk_count": len(risks),
        "risks": "\n".join(
            f"- {r.mentee_name} and {r.mentor_name}: {r.reasons[0]}" for r in risks[:shown]
        )
        + (f"\n- and {len(risks) - shown} more" if len(risks) > shown else "")
        or "- none",
        "overdue_count": len(overdue),
        "overdue": "\n".join(
            f"- {o.milestone}: {o.mentee_name} and {o.mentor_name}, {count_of(o.days_overdue, 'day')} late"
            for o in overdue[:shown]
        )
        + (f"\n- and {len(overdue) - shown} more" if len(overdue) > shown else "")
        or "- none",
        "funnel": (
            f"{invited} invited, {counts.get(EnrollmentStatus.ACTIVE, 0)} joined, "
            f"{counts.get(EnrollmentStatus.PENDING, 0)} waiting for approval, "
            f"{counts.get(EnrollmentStatus.WITHDRAWN, 0)} withdrawn; {count_of(running, 'pair')} running"
        ),
        "dashboard": link("dashboard"),
    }


def item_line(due: Due) -> str:
    """One line of a weekly digest."""
    f = due.facts
    lines = {
        "match_published": lambda: f"A match was suggested to you: {f['partner']}.",
        "partner_accepted": lambda: f"{f['partner']} accepted your match.",
        "partner_declined": lambda: (
            "Your suggested match will not go ahead; a new one is being looked for."
        ),
        "checkin_due": lambda: (
            PHASES[f["phase"]][0].format(pilot=due.pilot_name, partner=f["partner"]) + "."
        ),
        "no_session": lambda: f"No session with {f['partner']} for {f['days']} days.",
        "milestone_overdue": lambda: (
            f'Milestone "{f["milestone"]}" was due on {_day(f["due_date"])}.'
        ),
        "profile_incomplete": lambda: "Your profile still needs: " + ", ".join(f["missing"]) + ".",
    }
    return f"- {_day(due.due_on)}, {due.pilot_name}: {lines[due.kind]()}"


def _values(due: Due, *, session: Session) -> tuple[dict, str]:
    f, kind = due.facts, due.kind
    if kind == "match_published":
        return {"partner": f["partner"], "partner_role": f["partner_role"]}, "my_pair"
    if kind == "partner_accepted":
        nxt = (
            "Both of you have accepted: your pair has started. Plan your first session on My pair:"
            if f["started"]
            else "Your answer is the last one missing. Accept or decline on My pair:"
        )
        return {"partner": f["partner"], "next": nxt}, "my_pair"
    if kind == "partner_declined":
        return {"partner": f["partner"]}, "my_pair"
    if kind.startswith("session_"):
        return _session_values(due), "my_pair"
    if kind == "checkin_due":
        headline, body = PHASES[f["phase"]]
        values = {"pilot": due.pilot_name, "partner": f["partner"]}
        return {"headline": headline.format(**values), "body": body.format(**values)}, "my_pair"
    if kind == "no_session":
        since = (
            f"You have not logged a session with {f['partner']} for {f['days']} days"
            if f["logged"]
            else f"Your pair with {f['partner']} started {f['days']} days ago and no session is logged yet"
        )
        return {"partner": f["partner"], "since": since}, "my_pair"
    if kind == "milestone_overdue":
        return {
            "milestone": f["milestone"],
            "partner": f["partner"],
            "due_date": _day(f["due_date"]),
        }, "my_pair"
    if kind == "profile_incomplete":
        return {
            "missing": "\n".join(f"- {m}" for m in f["missing"]),
            "partner_role": "mentor" if f["role"] == Role.MENTEE else "mentee",
        }, "profile"
    if kind == "admin_digest":
        return _admin_values(due, session=session), "progress"
    if kind == "reminder_digest":
        return {
            "week": _day(due.due_on),
            "items": "\n".join(item_line(i) for i in due.items),
        }, "my_pair"
    if kind == "nudge":
        return {"body": f["body"], "admin": f["admin"]}, "my_pair"
    raise ValueError(f"no message for the kind {kind}")


def build(due: Due, *, session: Session, dry_run: bool = False) -> Outgoing:
    """The email for one due message. Outside a dry run, an unsubscribe link is issued."""
    values, page = _values(due, session=session)
    footer, secrets = _footer(due, session=session, dry_run=dry_run)
    subject, text, html = render(
        due.kind,
        name=due.person.name,
        pilot=due.pilot_name,
        link=link(page),
        footer=footer,
        **values,
    )
    attachments = (
        (_session_attachment(due, session=session),) if due.kind.startswith("session_") else ()
    )
    return Outgoing(
        to_email=due.person.email,
        subject=subject,
        text=text,
        html=html,
        kind=due.kind,
        to_name=due.person.name,
        person_id=due.person.person_id,
        pilot_id=due.pilot_id,
        secrets=secrets,
        attachments=attachments,
        dedupe_key=due.key,
    )
