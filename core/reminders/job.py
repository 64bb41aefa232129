"""The reminder run: plan what is due, claim each message in the outbox, then deliver.

Sending each message once, whatever happens:
- Claiming happens alone: on PostgreSQL under a transaction-level advisory lock
  (`pg_try_advisory_xact_lock`: a second run finds it taken and exits), on SQLite in a
  `BEGIN IMMEDIATE` transaction (a second run waits for the first to commit). The claim writes
  one outbox row per message, keyed by its dedupe key, before anything is delivered; the key is
  UNIQUE, so even two runs that somehow both plan the same message cannot both insert it.
- Delivery happens after the claim is committed, outside the lock, and only for the rows this
  run claimed. A run that crashes between the two leaves its rows "queued"; the next run marks
  rows queued for more than an hour as failed rather than sending them again: a message that
  may already have reached the person is not repeated (the admins see it in the outbox).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import text, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from core.db import SQLITE_IMMEDIATE, unit_of_work
from core.mail.delivery import Outgoing, SmtpConnection, attempt_delivery, outbox_row
from core.models import OutboxMessage, OutboxStatus, utcnow
from core.reminders.messages import build
from core.reminders.schedule import plan
from core.settings import SmtpSettings, smtp_settings

log = logging.getLogger(__name__)
ADVISORY_LOCK_KEY = 0x52454D44  # one number for "the reminder run", shared by every server
INTERRUPTED_AFTER = timedelta(hours=1)
INTERRUPTED = "interrupted before delivery was confirmed; not sent again to avoid a duplicate"
KEYS_PER_QUERY = 500
# Outcomes are written in batches: a commit per message was most of a large run's time. A crash
# before a batch is written leaves its rows "queued", which the next run marks failed, not resent.
OUTCOMES_PER_COMMIT = 100


@dataclass
class RunReport:
    messages: list[Outgoing] = field(default_factory=list)  # planned (dry run) or claimed
    sent: int = 0
    failed: int = 0
    busy: bool = False  # another run held the lock: nothing was done


def _already_recorded(keys: list[str], *, session: Session) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), KEYS_PER_QUERY):
        chunk = keys[start : start + KEYS_PER_QUERY]
        found.update(
            k
            for k in session.exec(
                select(OutboxMessage.dedupe_key).where(col(OutboxMessage.dedupe_key).in_(chunk))
            ).all()
            if k
        )
    return found


def due_messages(
    session: Session,
    now: datetime,
    *,
    dry_run: bool,
    pilot_ids=None,
    pair_ids=None,  # noqa: ANN001
) -> list[Outgoing]:
    """What a run would send now: due, and not in the outbox yet."""
    due = plan(session, now, pilot_ids=pilot_ids, pair_ids=pair_ids)
    recorded = _already_recorded([d.key for d in due], session=session)
    return [build(d, session=session, dry_run=dry_run) for d in due if d.key not in recorded]


def _claim(engine: Engine, now: datetime, *, wait: bool, pilot_ids, pair_ids):  # noqa: ANN001, ANN202
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if sqlite:
            conn = conn.execution_options(**{SQLITE_IMMEDIATE: True})
        with Session(bind=conn, expire_on_commit=False) as session:
            if not sqlite:
                lock = "pg_advisory_xact_lock" if wait else "pg_try_advisory_xact_lock"
                got = session.exec(
                    text(f"SELECT {lock}(:key)").bindparams(key=ADVISORY_LOCK_KEY)
                ).one()  # type: ignore[call-overload]
                if not wait and not got[0]:
                    session.rollback()
                    return None
            else:
                # The first statement of the IMMEDIATE transaction; it takes the write lock.
                session.exec(text("SELECT 1"))  # type: ignore[call-overload]
            session.exec(  # type: ignore[call-overload]
                update(OutboxMessage)
                .where(
                    col(OutboxMessage.status) == OutboxStatus.QUEUED,
                    col(OutboxMessage.created_at) < utcnow() - INTERRUPTED_AFTER,
                )
                .values(status=OutboxStatus.FAILED, error=INTERRUPTED)
            )
            messages = due_messages(
                session, now, dry_run=False, pilot_ids=pilot_ids, pair_ids=pair_ids
            )
            claimed = [(outbox_row(m), m) for m in messages]
            session.add_all([row for row, _ in claimed])
            session.commit()
            return claimed


def _deliver(engine: Engine, claimed, settings: SmtpSettings, report: RunReport) -> None:  # noqa: ANN001
    done: list[OutboxMessage] = []
    with SmtpConnection(settings) as connection:
        for row, outgoing in claimed:
            attempt_delivery(row, outgoing, settings, connection)
            if row.status == OutboxStatus.SENT:
                report.sent += 1
            elif row.status == OutboxStatus.FAILED:
                report.failed += 1
            done.append(row)
            if len(done) >= OUTCOMES_PER_COMMIT:
                _record_outcomes(engine, done)
                done = []
    _record_outcomes(engine, done)


def _record_outcomes(engine: Engine, rows: list[OutboxMessage]) -> None:
    if not rows:
        return
    with unit_of_work(engine) as session:
        for row in rows:
            session.exec(  # type: ignore[call-overload]
                update(OutboxMessage)
                .where(col(OutboxMessage.id) == row.id)
                .values(status=row.status, error=row.error, sent_at=row.sent_at)
            )


def run_reminders(
    engine: Engine,
    *,
    now: datetime | None = None,
    dry_run: bool = False,
    wait: bool = False,
    pilot_ids: set[int] | None = None,
    pair_ids: set[int] | None = None,
    settings: SmtpSettings | None = None,
) -> RunReport:
    """One run for every pilot (or only these pilots or pairs: the pages call it right after
    an action, so a planned session's invitation goes out at once). A dry run only reads."""
    now = (now or utcnow()).astimezone(UTC)
    report = RunReport()
    if dry_run:
        with Session(engine, expire_on_commit=False) as session:
            report.messages = due_messages(
                session, now, dry_run=True, pilot_ids=pilot_ids, pair_ids=pair_ids
            )
            session.rollback()
        return report
    claimed = _claim(engine, now, wait=wait, pilot_ids=pilot_ids, pair_ids=pair_ids)
    if claimed is None:
        report.busy = True
        return report
    report.messages = [m for _, m in claimed]
    _deliver(engine, claimed, settings or smtp_settings(), report)
    log.info("reminders: %d claimed, %d sent, %d failed", len(claimed), report.sent, report.failed)
    return report
