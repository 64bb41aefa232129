"""Send one message through SMTP and record it in the outbox.

The standard library's `smtplib` and `email.message` do the protocol: they handle STARTTLS, SSL
and MIME correctly and need no extra dependency. Every message lands in the outbox whether or
not it could be delivered, so admins can see what reached whom and share a link by hand when no
mail server is configured.
"""

from __future__ import annotations

import functools
import logging
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from sqlmodel import Session

from core.db import after_commit
from core.models import OutboxMessage, OutboxStatus, utcnow
from core.settings import SmtpSettings, smtp_settings

log = logging.getLogger(__name__)
REDACTED = "[personal link: only in the email itself]"


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # e.g. "text/calendar; method=REQUEST"
    data: bytes


@dataclass(frozen=True)
class Outgoing:
    to_email: str
    subject: str
    text: str
    html: str = ""
    kind: str = "message"
    to_name: str = ""
    person_id: int | None = None
    pilot_id: int | None = None
    # Parts of the text (links with a token) that must never be stored.
    secrets: tuple[str, ...] = ()
    attachments: tuple[Attachment, ...] = field(default_factory=tuple)
    dedupe_key: str | None = None


def build_message(outgoing: Outgoing, settings: SmtpSettings) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = formataddr((outgoing.to_name, outgoing.to_email))
    message["Subject"] = outgoing.subject
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or "localhost")
    message.set_content(outgoing.text)
    if outgoing.html:
        message.add_alternative(outgoing.html, subtype="html")
    for part in outgoing.attachments:
        maintype, _, rest = part.content_type.partition("/")
        subtype, _, params = rest.partition(";")
        extra = {}
        for param in filter(None, (p.strip() for p in params.split(";"))):
            name, _, value = param.partition("=")
            extra[name.strip()] = value.strip()
        message.add_attachment(
            part.data,
            maintype=maintype,
            subtype=subtype.strip(),
            filename=part.filename,
            params=extra,
        )
    return message


@functools.cache
def _tls_context() -> ssl.SSLContext:
    return ssl.create_default_context()


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    # Loading the trust store costs more than a whole message to a local relay: only when used.
    context = _tls_context() if settings.security in ("ssl", "starttls") else None
    if settings.security == "ssl":
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=20, context=context
        )
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=20)
    try:
        if settings.security == "starttls":
            client.starttls(context=context)
        if settings.user:
            client.login(settings.user, settings.password)
    except BaseException:
        client.close()
        raise
    return client


def deliver(message: EmailMessage, settings: SmtpSettings) -> None:
    """One SMTP conversation; no login when no user is configured (an internal relay)."""
    with _connect(settings) as client:
        client.send_message(message)


class SmtpConnection:
    """One SMTP conversation for many messages, for the reminder run: a conversation per message
    costs a TCP handshake, TLS and a login each. It reconnects after MESSAGES_PER_CONNECTION
    messages (Exchange accepts 20 per connection by default) and after any failure, so that one
    refused message never leaves the next ones on a connection in an unknown state."""

    MESSAGES_PER_CONNECTION = 20

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._client: smtplib.SMTP | None = None
        self._sent_here = 0

    def send(self, message: EmailMessage) -> None:
        if self._client is None or self._sent_here >= self.MESSAGES_PER_CONNECTION:
            self.close()
            self._client = _connect(self.settings)
        try:
            self._client.send_message(message)
        except BaseException:
            self.close()
            raise
        self._sent_here += 1

    def close(self) -> None:
        client, self._client, self._sent_here = self._client, None, 0
        if client is None:
            return
        try:
            client.quit()
        except (OSError, smtplib.SMTPException):
            client.close()

    def __enter__(self) -> SmtpConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _stored(text: str, secrets: tuple[str, ...]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return text


def outbox_row(outgoing: Outgoing, status: str = OutboxStatus.QUEUED) -> OutboxMessage:
    """The outbox record of a message, its secrets redacted. Reminders insert it (with its
    dedupe key) before delivering, so that two runs cannot both claim one message."""
    return OutboxMessage(
        kind=outgoing.kind,
        to_email=outgoing.to_email,
        person_id=outgoing.person_id,
        pilot_id=outgoing.pilot_id,
        subject=outgoing.subject[:200],
        body_text=_stored(outgoing.text, outgoing.secrets),
        dedupe_key=outgoing.dedupe_key,
        status=status,
    )


def attempt_delivery(
    row: OutboxMessage,
    outgoing: Outgoing,
    settings: SmtpSettings,
    connection: SmtpConnection | None = None,
) -> None:
    """Deliver when SMTP is configured and write the outcome on the row (not saved here); on the
    given connection when there is one, else in a conversation of its own."""
    if not settings.configured:
        row.status = OutboxStatus.NOT_CONFIGURED
        return
    try:
        message = build_message(outgoing, settings)
        if connection is None:
            deliver(message, settings)
        else:
            connection.send(message)
    except (OSError, smtplib.SMTPException) as exc:
        row.status = OutboxStatus.FAILED
        row.error = _stored(f"{type(exc).__name__}: {exc}", outgoing.secrets)[:500]
        log.warning("mail to %s failed: %s", outgoing.to_email, row.error)
    else:
        row.status = OutboxStatus.SENT
        row.sent_at = utcnow()


def send(
    outgoing: Outgoing, *, session: Session, settings: SmtpSettings | None = None
) -> OutboxMessage:
    """Deliver when SMTP is configured; record the outcome either way. Inside a unit of work the
    message leaves once the unit has committed, so a unit that rolls back sends nothing and one
    run again sends once. A delivery failure is recorded, not raised: the person's action (an
    invitation, a reset) has still happened and the admin sees the failed row in the outbox."""
    row = outbox_row(outgoing)
    session.add(row)
    session.flush()
    deliver_once_committed(row, outgoing, settings or smtp_settings(), session=session)
    return row


def deliver_once_committed(
    row: OutboxMessage, outgoing: Outgoing, settings: SmtpSettings, *, session: Session
) -> None:
    """Deliver the message of a saved outbox row after the unit commits (at once when the
    session is not a unit of work): a unit run again must not send it twice."""
    if not settings.configured:
        row.status = OutboxStatus.NOT_CONFIGURED
    elif not after_commit(session, lambda: attempt_delivery(row, outgoing, settings)):
        attempt_delivery(row, outgoing, settings)


def will_be_delivered(row: OutboxMessage) -> bool:
    """Whether a row from `send` was sent or is on its way (it leaves after the commit)."""
    return row.status in (OutboxStatus.SENT, OutboxStatus.QUEUED)
