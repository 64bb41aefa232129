"""What every subcommand shares: the database, "find the pilot", "choose the acting admin" or
staff member, "print one line and exit 2" and "say which rows of a file are wrong". Defined once
so that every command answers a typo the same way.

The database imports sit inside the functions: `python -m core --help` reads this module too,
and SQLAlchemy, SQLModel and Alembic alone take most of a second to import.
"""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlmodel import Session

    from core.auth import Actor
    from core.models import Pilot


def engine_from_env():
    """The engine for DATABASE_URL (or the default SQLite file), migrated to the newest schema."""
    from core.db import make_engine, migrate

    engine = make_engine()
    migrate(engine)
    return engine


def one_line(text: object) -> str:
    """Messages may hold line breaks (cell values, SQL errors); scripts read one line each."""
    return re.sub(r"\s+", " ", str(text)).strip()


def fail(message: object) -> int:
    print(f"error: {one_line(message)}", file=sys.stderr)
    return 2


ROWS_SHOWN = 3  # rows quoted in a refused file's one line; the rest are counted


def rows_message(errors: dict[str, str]) -> str:
    """A refused file's row problems (roster, directory) in one line: the first few, counted."""
    shown = "; ".join(f"{row}: {message}" for row, message in list(errors.items())[:ROWS_SHOWN])
    more = f" (and {len(errors) - ROWS_SHOWN} more)" if len(errors) > ROWS_SHOWN else ""
    noun = "row has" if len(errors) == 1 else "rows have"
    return f"{len(errors)} {noun} problems; nothing imported. {shown}{more}"


def find_pilot(reference: str, *, session: Session) -> Pilot:
    """A pilot by id or exact name; two pilots of one name must be told apart by id."""
    from sqlmodel import select

    from core.errors import NotFound, ValidationFailed
    from core.models import Pilot

    reference = reference.strip()
    if reference.isdigit() and (pilot := session.get(Pilot, int(reference))) is not None:
        return pilot
    named = session.exec(select(Pilot).where(Pilot.name == reference)).all()
    if len(named) > 1:
        ids = ", ".join(str(p.id) for p in named)
        raise ValidationFailed(
            {"pilot": f"{len(named)} pilots are named '{reference}'; give the id ({ids})"}
        )
    if not named:
        raise NotFound(
            f"No pilot has the id or name '{reference}'. Check the spelling or use its id."
        )
    return named[0]


def acting_admin(pilot: Pilot, email: str | None, *, session: Session) -> Actor:
    """The person named by --as, or the pilot's first administrator; either must be allowed to
    administer the pilot, so a script cannot do more than that person could in the browser."""
    from sqlmodel import select

    from core.access import require_pilot_admin
    from core.auth import actor_for, normalise_email
    from core.errors import NotFound
    from core.models import Enrollment, EnrollmentStatus, Person, Role

    if email:
        person = session.exec(select(Person).where(Person.email == normalise_email(email))).first()
        if person is None:
            raise NotFound(f"No account has the email {normalise_email(email)}.")
    else:
        person = session.exec(
            select(Person)
            .join(Enrollment, Enrollment.person_id == Person.id)
            .where(
                Enrollment.pilot_id == pilot.id,
                Enrollment.role == Role.ADMIN,
                Enrollment.status != EnrollmentStatus.WITHDRAWN,
            )
            .order_by(Enrollment.id)
        ).first()
        if person is None and pilot.created_by_id:
            person = session.get(Person, pilot.created_by_id)
        if person is None:
            raise NotFound(f"The pilot '{pilot.name}' has no administrator; give --as EMAIL.")
    actor = actor_for(person)
    require_pilot_admin(actor, pilot.id, session=session)  # type: ignore[arg-type]
    return actor


def acting_staff(email: str | None, *, session: Session) -> Actor:
    """The programme administrator named by --as, or the instance's only one when --as is
    optional for the command (`email` None); anybody else is refused."""
    from sqlmodel import select

    from core.auth import actor_for, normalise_email
    from core.errors import DomainError, NotAllowed, NotFound
    from core.models import Person

    if email:
        person = session.exec(select(Person).where(Person.email == normalise_email(email))).first()
        if person is None:
            raise NotFound(f"No account has the email {normalise_email(email)}.")
        if not person.is_staff:
            raise NotAllowed(f"{person.email} is not a programme administrator.")
        return actor_for(person)
    staff = session.exec(select(Person).where(Person.is_staff).order_by(Person.id)).all()
    if not staff:
        raise NotFound("No programme administrator exists yet; create one with create-admin.")
    if len(staff) > 1:
        raise DomainError(f"{len(staff)} programme administrators exist; give --as EMAIL.")
    return actor_for(staff[0])
