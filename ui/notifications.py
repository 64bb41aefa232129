"""Messages that follow an action at once (a planned session's invitation, the partner's answer,
a published match) instead of waiting for the server's next reminder run."""

from __future__ import annotations

import logging

from core.reminders.job import run_reminders
from ui.context import engine

log = logging.getLogger(__name__)


def send_now(*, pair_ids: set[int] | None = None, pilot_ids: set[int] | None = None) -> None:
    """Runs the reminder job for these pairs or pilots. A failure is logged, never shown: the
    action itself is saved, and the next scheduled run sends what is still due."""
    try:
        run_reminders(engine(), wait=True, pair_ids=pair_ids, pilot_ids=pilot_ids)
    except Exception:  # noqa: BLE001
        log.exception("immediate reminder run failed")
