"""What the portal stores about whom, who sees it, and for how long: the rules the code applies,
written down once.

The privacy page (pages/privacy.py) is generated from `CATALOGUE`, and each part of a person's
data download (core.privacy.person_data) carries its entry's "who can see", so the page, the
download and the code cannot drift apart unnoticed: tests/core/privacy/test_catalogue.py checks
every entry against the services that enforce it. Numbers that a pilot sets (the privacy
threshold, the retention period) are shown as the defaults with the setting's name.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.models import Pilot

# Who can look, in the order of the "who sees what" table.
YOU = "You"
PARTNER = "Your pair partner"
ADMINS = "The pilot's admins"
STAFF = "The programme team"
AUDIENCES = (YOU, PARTNER, ADMINS, STAFF)

DEFAULT_THRESHOLD = Pilot.model_fields["privacy_threshold"].default
DEFAULT_RETENTION = Pilot.model_fields["retention_days"].default

UNTIL_ERASED = "Until you or the programme team erase it."
ANONYMOUS_AFTER = (
    "Kept with the pilot; on erasure the numbers stay on an anonymous placeholder, so that the "
    "pilot's totals keep their counts."
)
AFTER_CLOSE = (
    f"Deleted {DEFAULT_RETENTION} days after the pilot closes (the pilot's retention setting), "
    "or when you are erased."
)


@dataclass(frozen=True)
class DataItem:
    key: str  # the part's name in the data download
    title: str
    what: str
    about: str  # whose data this is
    sees: dict[str, str]  # audience -> what they see of it ("" = nothing)
    kept: str

    @property
    def who_can_see(self) -> str:
        """One sentence for the data download."""
        parts = [f"{who}: {seen}" for who, seen in self.sees.items() if seen]
        return "; ".join(parts) + "."


AGGREGATE = f"only as totals over at least {DEFAULT_THRESHOLD} people (the pilot's threshold)"

CATALOGUE: tuple[DataItem, ...] = (
    DataItem(
        "profile",
        "Profile",
        "Name, email, job title, department, grade, career stage, manager's email, office, "
        "time zone, employee id, and whether the organisation directory lists you.",
        "Everyone with an account, and people imported from the organisation directory.",
        {
            YOU: "all of it",
            PARTNER: "name, job title, department and time zone; email once both accepted",
            ADMINS: "all of it, for the people in their pilot",
            STAFF: "all of it (they keep it in step with the organisation directory)",
        },
        UNTIL_ERASED
        + " On erasure, department, career stage and grade stay on an anonymous placeholder, "
        "so that the pilot's totals keep their counts.",
    ),
    DataItem(
        "enrollments",
        "Taking part",
        "Each pilot you take part in: your role, status, availability, capacity, consent, "
        "topics you offer or want to learn back, and your note about them.",
        "Participants.",
        {YOU: "all of it", PARTNER: "your availability", ADMINS: "all of it", STAFF: ""},
        UNTIL_ERASED + " The free-text note: " + AFTER_CLOSE[0].lower() + AFTER_CLOSE[1:],
    ),
    DataItem(
        "goals",
        "Learning goals",
        "Topics a mentee wants to learn, with priority and the objective in their own words.",
        "Mentees.",
        {YOU: "all of it", PARTNER: "all of it", ADMINS: "all of it", STAFF: ""},
        UNTIL_ERASED + " The objective's text: " + AFTER_CLOSE[0].lower() + AFTER_CLOSE[1:],
    ),
    DataItem(
        "expertise",
        "Expertise",
        "Topics a mentor can teach, with level and a note.",
        "Mentors.",
        {YOU: "all of it", PARTNER: "", ADMINS: "all of it", STAFF: ""},
        UNTIL_ERASED + " The note: " + AFTER_CLOSE[0].lower() + AFTER_CLOSE[1:],
    ),
    DataItem(
        "pairs",
        "Pairs",
        "Who you were paired with, the pair's status and why the matching suggested it.",
        "Participants who were matched.",
        {
            YOU: "your pairs once published, with the reasons",
            PARTNER: "the same pair",
            ADMINS: "all of it, with the match score, alternatives and any decline reason",
            STAFF: "",
        },
        UNTIL_ERASED + " A decline reason: " + AFTER_CLOSE[0].lower() + AFTER_CLOSE[1:],
    ),
    DataItem(
        "sessions",
        "Shared session log",
        "Date, length and topics of each session, and the takeaways written for both members.",
        "Both members of a pair.",
        {
            YOU: "all of it",
            PARTNER: "all of it",
            ADMINS: "dates and lengths, never the takeaways",
            STAFF: "",
        },
        UNTIL_ERASED + " The takeaways: " + AFTER_CLOSE[0].lower() + AFTER_CLOSE[1:],
    ),
    DataItem(
        "private_notes",
        "Private notes",
        "Your own note on a session.",
        "The note's author.",
        {YOU: "all of it (also after you withdrew)", PARTNER: "", ADMINS: "", STAFF: ""},
        AFTER_CLOSE,
    ),
    DataItem(
        "candour_pulses",
        "Candour pulses",
        'Your answer to "Could I speak candidly?" (1-5) after a session.',
        "Participants who answered.",
        {YOU: "your own answers", PARTNER: "", ADMINS: AGGREGATE, STAFF: ""},
        ANONYMOUS_AFTER,
    ),
    DataItem(
        "checkins",
        "Check-ins",
        "Start and end check-ins: confidence or learning per topic, satisfaction, whether you "
        "would recommend or take part again, your feedback, and whether you asked the programme "
        "team for help.",
        "Participants who checked in.",
        {
            YOU: "all of it",
            PARTNER: "a mentee's confidence per goal, before and after",
            ADMINS: "that you completed it and whether you asked for help; every answer "
            + AGGREGATE
            + "; a mentee's feedback in the mentor's recognition letter only if the mentee agreed",
            STAFF: "",
        },
        ANONYMOUS_AFTER + " The feedback's text: " + AFTER_CLOSE[0].lower() + AFTER_CLOSE[1:],
    ),
    DataItem(
        "concerns",
        "Concerns you raised",
        "A confidential concern about your pair.",
        "The person who raised it.",
        {YOU: "all of it", PARTNER: "", ADMINS: "all of it", STAFF: ""},
        AFTER_CLOSE,
    ),
    DataItem(
        "sign_ins",
        "Sign-ins",
        "When you signed in and how (password or single sign-on); links sent to you are "
        "stored only as a fingerprint, never the link.",
        "Everyone with an account.",
        {
            YOU: "all of it",
            PARTNER: "",
            ADMINS: "whether your invitation is waiting, used or expired",
            STAFF: "",
        },
        UNTIL_ERASED,
    ),
    DataItem(
        "messages",
        "Messages sent to you",
        "Every email the portal sent you, with links removed, and whether it was delivered.",
        "Everyone the portal wrote to.",
        {YOU: "all of it", PARTNER: "", ADMINS: "all of it (Sent messages)", STAFF: ""},
        UNTIL_ERASED,
    ),
    DataItem(
        "audit",
        "Audit trail",
        "Admin and staff actions about you or by you, sign-ins, exports and erasures, with the "
        "fields before and after (never a password, a link or a private note).",
        "Admins, staff, and the people their actions were about.",
        {
            YOU: "the rows about you or by you",
            PARTNER: "",
            ADMINS: "their pilot's rows",
            STAFF: "every row",
        },
        "Kept; erasure removes your name and email from it and leaves a row without them.",
    ),
)

BY_KEY = {item.key: item for item in CATALOGUE}

PROMISES: tuple[str, ...] = (
    "What you write for your pair stays with your pair: the programme team never reads your "
    "private notes, your session takeaways or your check-in answers as yours.",
    f"Figures built from check-ins, pulses and feedback are shown only when at least "
    f"{DEFAULT_THRESHOLD} different people stand behind them, under any filter, dates included "
    "(each pilot sets this threshold; it cannot go below 2).",
    'The one answer the programme team sees as yours is "Tell the programme team we need help", '
    "and only if you tick it.",
    "Text you type is shown as text: nobody can put a link or a remote image into another "
    "person's screen.",
    "You can download everything the portal holds about you, correct your profile, and ask for "
    "erasure on the Account page, also after you withdrew from a pilot.",
    "Every change an admin or the programme team makes, every sign-in, export and erasure is "
    "written to an audit trail that the portal never edits.",
)
