"""Many messages on one SMTP conversation (the reminder run): all of them arrive, a server's
per-connection limit is respected, and a refused message neither stops the next ones nor is
reported as sent. Against a real SMTP server on 127.0.0.1 that records which connection each
message came on and refuses one address."""

from __future__ import annotations

import email
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller

from core.mail.delivery import Outgoing, SmtpConnection, attempt_delivery, outbox_row
from core.models import OutboxStatus
from core.settings import SmtpSettings
from tests.builders.smtp import free_port

REFUSED = "gone@example.com"


class CountingServer:
    def __init__(self) -> None:
        self.arrived: list[tuple[tuple[str, int], str]] = []  # (client address, subject)

    async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: ANN001, ANN201, N802
        if address == REFUSED:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201, N802
        message = email.message_from_bytes(envelope.content)
        self.arrived.append((session.peer, message["Subject"]))
        return "250 OK"


@pytest.fixture
def server() -> Iterator[tuple[CountingServer, SmtpSettings]]:
    handler, port = CountingServer(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, SmtpSettings("127.0.0.1", port, "none", "", "", "portal@example.com")
    finally:
        controller.stop()


def _to(address: str, n: int) -> Outgoing:
    return Outgoing(address, f"Reminder {n}", f"Reminder number {n}.")


def test_45_messages_arrive_over_3_conversations_of_at_most_20(server):
    handler, settings = server
    rows = []
    with SmtpConnection(settings) as connection:
        for n in range(45):
            outgoing = _to(f"p{n}@example.com", n)
            row = outbox_row(outgoing)
            attempt_delivery(row, outgoing, settings, connection)
            rows.append(row)

    assert [r.status for r in rows] == [OutboxStatus.SENT] * 45
    assert [subject for _, subject in handler.arrived] == [f"Reminder {n}" for n in range(45)]
    per_connection: dict[tuple[str, int], int] = {}
    for peer, _ in handler.arrived:
        per_connection[peer] = per_connection.get(peer, 0) + 1
    assert sorted(per_connection.values()) == [5, 20, 20]


def test_a_refused_message_fails_alone_and_the_next_one_arrives(server):
    handler, settings = server
    outgoing = [_to("a@example.com", 1), _to(REFUSED, 2), _to("b@example.com", 3)]
    rows = [outbox_row(o) for o in outgoing]
    with SmtpConnection(settings) as connection:
        for row, message in zip(rows, outgoing, strict=True):
            attempt_delivery(row, message, settings, connection)

    assert [r.status for r in rows] == [OutboxStatus.SENT, OutboxStatus.FAILED, OutboxStatus.SENT]
    assert "550" in rows[1].error and rows[1].sent_at is None
    assert [subject for _, subject in handler.arrived] == ["Reminder 1", "Reminder 3"]


def test_a_server_that_is_down_fails_each_message_without_raising():
    settings = SmtpSettings("127.0.0.1", free_port(), "none", "", "", "portal@example.com")
    outgoing = [_to("a@example.com", 1), _to("b@example.com", 2)]
    rows = [outbox_row(o) for o in outgoing]
    with SmtpConnection(settings) as connection:
        for row, message in zip(rows, outgoing, strict=True):
            attempt_delivery(row, message, settings, connection)
    assert [r.status for r in rows] == [OutboxStatus.FAILED, OutboxStatus.FAILED]
    assert all("ConnectionRefused" in r.error for r in rows)
