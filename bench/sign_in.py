"""Sign-in timing: a known email, an unknown one and an invited person without a password must
cost the same, or the answer's delay would tell who has an account.

Prints the median and spread of `authenticate` for each case (wrong password, so every call is
a failure and nothing gets locked: each call uses a fresh client address and email key)."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlmodel import delete  # noqa: E402

from core.accounts.sign_in import authenticate  # noqa: E402
from core.auth import create_admin  # noqa: E402
from core.db import make_engine, migrate, unit_of_work  # noqa: E402
from core.models import Person, SignInThrottle  # noqa: E402

ROUNDS = 40


def main() -> None:
    folder = tempfile.mkdtemp()
    engine = make_engine(f"sqlite:///{folder}/bench.db")
    migrate(engine)
    with unit_of_work(engine) as session:
        create_admin(
            "known@example.com", "Known Person", "a long enough passphrase", session=session
        )
        session.add(Person(email="invited@example.com", name="Invited, no password yet"))
    cases = {
        "known email, wrong password": "known@example.com",
        "unknown email": "nobody@example.com",
        "invited, no password yet": "invited@example.com",
    }
    timings: dict[str, list[float]] = {name: [] for name in cases}
    for round_ in range(ROUNDS):
        for name, email in cases.items():  # interleaved, so load affects every case alike
            with unit_of_work(engine) as session:
                session.exec(delete(SignInThrottle))
            with unit_of_work(engine) as session:
                start = time.perf_counter()
                authenticate(email, "wrong password!", client=f"10.0.{round_}.1", session=session)
                timings[name].append((time.perf_counter() - start) * 1000)
    print(f"authenticate(), {ROUNDS} calls each, milliseconds")
    print(f"{'case':32} {'median':>8} {'p10':>8} {'p90':>8}")
    for name, values in timings.items():
        values.sort()
        p10, p90 = values[len(values) // 10], values[len(values) * 9 // 10]
        print(f"{name:32} {statistics.median(values):8.1f} {p10:8.1f} {p90:8.1f}")


if __name__ == "__main__":
    main()
