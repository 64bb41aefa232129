"""A form's token makes its write happen once, whoever sends it twice and however."""

from __future__ import annotations

import threading
import time

import pytest
from sqlmodel import Session, func, select

from core.auth import Actor
from core.db import make_engine, migrate, unit_of_work
from core.errors import DomainError
from core.models import Person, Submission
from core.submissions import once

ANNA = Actor(person_id=1, email="anna@example.com", name="Anna")


def _person_writer(session: Session, email: str, calls: list[str], pause: float = 0.0):
    def compute() -> dict:
        calls.append(email)
        time.sleep(pause)  # keeps the token row uncommitted while the other submit arrives
        person = Person(email=email, name=email.split("@")[0])
        session.add(person)
        session.flush()
        return {"person_id": person.id}

    return compute


def _people(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Person)).one()


def test_a_second_submit_of_the_same_token_is_answered_with_the_first_result(engine):
    calls: list[str] = []
    with unit_of_work(engine) as session:
        first = once(session, "tok-1", None, _person_writer(session, "a@example.com", calls))
    with unit_of_work(engine) as session:
        again = once(session, "tok-1", None, _person_writer(session, "b@example.com", calls))
        assert _people(session) == 1
    assert again == first
    assert calls == ["a@example.com"]


def test_a_new_token_writes_again(engine):
    calls: list[str] = []
    with unit_of_work(engine) as session:
        once(session, "tok-1", None, _person_writer(session, "a@example.com", calls))
        once(session, "tok-2", None, _person_writer(session, "b@example.com", calls))
        assert _people(session) == 2


def test_a_failed_write_leaves_the_token_unused(engine):
    def refuse() -> dict:
        raise DomainError("Name: is required")

    with pytest.raises(DomainError), unit_of_work(engine) as session:
        once(session, "tok-1", None, refuse)
    calls: list[str] = []
    with unit_of_work(engine) as session:
        once(session, "tok-1", None, _person_writer(session, "a@example.com", calls))
        assert session.get(Submission, "tok-1").result == {"person_id": 1}
    assert calls == ["a@example.com"]


def test_a_token_sent_by_someone_else_is_refused(engine):
    with unit_of_work(engine) as session:
        session.add(Person(email="anna@example.com", name="Anna"))
        session.flush()
        once(session, "tok-1", ANNA, lambda: {"done": True})
    with pytest.raises(DomainError, match="another account"), unit_of_work(engine) as session:
        once(session, "tok-1", None, lambda: {"done": True})


@pytest.mark.parametrize("token", ["", "x" * 65])
def test_a_missing_or_overlong_token_is_refused(engine, token):
    with pytest.raises(DomainError, match="Reload the page"), unit_of_work(engine) as session:
        once(session, token, None, lambda: {})


@pytest.mark.postgres
def test_two_servers_receiving_the_same_submit_at_once_write_one_row(pg_url):
    """Both transactions are open at the same time; the second waits on the token row, then
    answers with the first one's result."""
    engine = make_engine(pg_url)
    migrate(engine)
    for round_ in range(5):
        barrier = threading.Barrier(2)
        answers: list[dict] = []
        errors: list[BaseException] = []

        def submit(
            email: str, round_=round_, barrier=barrier, answers=answers, errors=errors
        ) -> None:
            try:
                with unit_of_work(engine) as session:
                    session.get(
                        Submission, f"tok-{round_}"
                    )  # both have looked before either writes
                    barrier.wait(timeout=10)
                    calls: list[str] = []
                    answers.append(
                        once(
                            session,
                            f"tok-{round_}",
                            None,
                            _person_writer(session, email, calls, 0.2),
                        )
                    )
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [
            threading.Thread(target=submit, args=(f"p{round_}-{i}@example.com",)) for i in (1, 2)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        assert errors == []
        assert len(answers) == 2 and answers[0] == answers[1]
    with Session(engine) as session:
        assert _people(session) == 5
        assert session.exec(select(func.count()).select_from(Submission)).one() == 5
    engine.dispose()
