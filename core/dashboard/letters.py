"""Recognition letters for the junior mentors who saw the pilot through.

Volunteering to teach people far more senior than you is visible work that rarely shows up in a
performance review; a letter from the programme, with what was taught and how much time it took,
is something a mentor can bring to one. The mentee's own words appear only when the mentee ticked
"may appear in my mentor's recognition letter" (CheckIn.share_feedback) at the end check-in.

A mentor completed the pilot when at least one of their pairs did, as the dashboard defines it
(core.dashboard.frames): accepted, at least one session, and an end check-in from either side
or the pair ran to the pilot's end.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlmodel import Session, col, select

from core.auth import Actor
from core.dashboard.frames import load_frames
from core.models import CheckIn, Enrollment, MentoringSession, Person, Pilot, Topic, TopicKind


@dataclass(frozen=True)
class RecognitionLetter:
    mentor_email: str
    mentor_name: str
    pilot_name: str
    pilot_start: date
    pilot_end: date
    sponsor_name: str
    mentees: int
    sessions: int
    minutes: int
    topics: tuple[str, ...]  # what they taught, most discussed first
    feedback: tuple[str, ...]  # mentees' end feedback they agreed to share


def recognition_letters(
    actor: Actor, pilot_id: int, *, session: Session, as_of: date | None = None
) -> list[RecognitionLetter]:
    """The content of every letter, for the pilot's admins only, in mentor-name order."""
    frames = load_frames(actor, pilot_id, session=session, as_of=as_of)
    pilot = session.get(Pilot, pilot_id)
    assert pilot is not None
    facts = frames.pair_facts
    done = facts.loc[facts["completed"]]
    if done.empty:
        return []
    pair_ids = [int(p) for p in done["pair_id"]]
    learn_topics = dict(
        session.exec(
            select(Topic.id, Topic.name).where(
                Topic.pilot_id == pilot_id, Topic.kind == TopicKind.LEARN
            )
        ).all()
    )
    topics_of_pair: dict[int, Counter] = {p: Counter() for p in pair_ids}
    for pair_id, topic_ids in session.exec(
        select(MentoringSession.pair_id, MentoringSession.topic_ids).where(
            col(MentoringSession.pair_id).in_(pair_ids)
        )
    ).all():
        topics_of_pair[pair_id].update(learn_topics[t] for t in topic_ids if t in learn_topics)
    shared = dict.fromkeys(pair_ids, "")
    for pair_id, person_id, feedback in session.exec(
        select(CheckIn.pair_id, CheckIn.person_id, CheckIn.feedback).where(
            col(CheckIn.pair_id).in_(pair_ids),
            CheckIn.phase == "end",
            CheckIn.share_feedback,
        )
    ).all():
        mentee = done.loc[done["pair_id"] == pair_id, "mentee_person_id"].iloc[0]
        if person_id == mentee and feedback.strip():
            shared[pair_id] = feedback.strip()
    mentors = {
        e_id: (email, name)
        for e_id, email, name in session.exec(
            select(Enrollment.id, Person.email, Person.name)
            .join(Person, Person.id == Enrollment.person_id)
            .where(col(Enrollment.id).in_([int(m) for m in done["mentor_enrollment_id"]]))
        ).all()
    }
    letters = []
    for mentor_id, pairs in done.groupby("mentor_enrollment_id"):
        email, name = mentors[int(mentor_id)]
        taught: Counter = Counter()
        for pair_id in pairs["pair_id"]:
            taught.update(topics_of_pair[int(pair_id)])
        letters.append(
            RecognitionLetter(
                mentor_email=email,
                mentor_name=name,
                pilot_name=pilot.name,
                pilot_start=pilot.start_date,
                pilot_end=pilot.end_date,
                sponsor_name=pilot.sponsor_name,
                mentees=pairs["mentee_enrollment_id"].nunique(),
                sessions=int(pairs["sessions"].sum()),
                minutes=int(pairs["minutes"].sum()),
                topics=tuple(t for t, _ in sorted(taught.items(), key=lambda i: (-i[1], i[0]))),
                feedback=tuple(shared[int(p)] for p in pairs["pair_id"] if shared[int(p)]),
            )
        )
    return sorted(letters, key=lambda letter: (letter.mentor_name.lower(), letter.mentor_email))


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} minutes"
    return f"{hours} hour{'s' if hours != 1 else ''}" + (f" {rest} minutes" if rest else "")


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def render_letter(letter: RecognitionLetter, issued: date | None = None) -> bytes:
    from core.dashboard.pdf import PortalPdf  # fpdf loads only when letters are built

    pdf = PortalPdf()
    pdf.set_title(pdf.safe(f"Recognition letter: {letter.mentor_name}"))
    pdf.add_page()
    pdf.paragraph(letter.pilot_name, size=18, bold=True)
    pdf.paragraph(_long_date(issued or datetime.now(UTC).date()), size=9.5, gap=8)
    pdf.paragraph(f"Dear {letter.mentor_name},", gap=4)
    leaders = "a senior leader" if letter.mentees == 1 else f"{letter.mentees} senior leaders"
    pdf.paragraph(
        f"Thank you for volunteering as a reverse mentor in {letter.pilot_name}, from "
        f"{_long_date(letter.pilot_start)} to {_long_date(letter.pilot_end)}. "
        f"You mentored {leaders}, held {letter.sessions} session{'s' if letter.sessions != 1 else ''} and gave "
        f"{_duration(letter.minutes)} of your time.",
        gap=4,
    )
    if letter.topics:
        pdf.paragraph("You shared your knowledge of:", gap=1)
        pdf.bullets(letter.topics)
        pdf.ln(2)
    for words in letter.feedback:
        pdf.paragraph("Your mentee wrote:", bold=True, gap=1)
        pdf.paragraph(f"“{words}”", gap=4)
    pdf.paragraph(
        "Teaching people far more senior than you takes courage and generosity. Your sessions "
        "helped our leaders understand how work, technology and expectations are changing, and "
        "they are part of how this organisation learns.",
        gap=6,
    )
    pdf.paragraph("With our thanks,", gap=1)
    pdf.paragraph("The programme team", bold=True, gap=0.5)
    if letter.sponsor_name.strip():
        pdf.paragraph(f"and {letter.sponsor_name.strip()}, executive sponsor", gap=0.5)
    return bytes(pdf.output())


def recognition_letters_pdf(
    actor: Actor, pilot_id: int, *, session: Session, as_of: date | None = None
) -> dict[str, bytes]:
    """mentor email -> their letter as a PDF, for every mentor who completed the pilot."""
    from core.privacy.audit import record

    letters = {
        letter.mentor_email: render_letter(letter, as_of)
        for letter in recognition_letters(actor, pilot_id, session=session, as_of=as_of)
    }
    record(session, actor, "export.letters", pilot_id, {}, {"letters": len(letters)})
    return letters


def letter_filename(email: str) -> str:
    """A file name that is safe on every system and still says whose letter it is."""
    return "recognition-" + re.sub(r"[^A-Za-z0-9._-]+", "_", email.replace("@", "_at_")) + ".pdf"


def letters_zip(letters: dict[str, bytes]) -> bytes:
    """All letters in one zip, one PDF per mentor, to hand to the programme team."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for email, pdf in sorted(letters.items()):
            archive.writestr(letter_filename(email), pdf)
    return buffer.getvalue()
