"""`python -m core load-sample`: the sample organisation and pilot from the command line."""

from __future__ import annotations

import argparse


def _load_sample(args: argparse.Namespace) -> int:
    from sqlmodel import select

    from core.auth import actor_for, normalise_email
    from core.cli.common import engine_from_env
    from core.db import unit_of_work
    from core.errors import DomainError
    from core.models import Person
    from core.sample.pilot import SAMPLE_PASSWORD, load_sample_pilot, sample_accounts

    with unit_of_work(engine_from_env()) as session:
        query = select(Person).where(Person.is_staff)
        if args.as_email:
            query = query.where(Person.email == normalise_email(args.as_email))
        staff = session.exec(query.order_by(Person.id)).first()
        if staff is None:
            raise DomainError(
                "no administrator to own the sample: run `python -m core create-admin` first"
                if not args.as_email
                else f"{args.as_email} is not an administrator"
            )
        pilot = load_sample_pilot(actor_for(staff), session=session)
        accounts = sample_accounts(session=session)
    print(f"Sample pilot '{pilot.name}' loaded (id {pilot.id}).")
    for email, role in accounts:
        print(f"  sign in as the sample {role}: {email} / {SAMPLE_PASSWORD}")
    return 0


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("load-sample", help="load the sample organisation and pilot")
    p.add_argument("--as", dest="as_email", help="administrator who owns it (default: the first)")
    p.set_defaults(handler=_load_sample)
