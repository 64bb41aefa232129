"""The directory import as a background step: a thread runs the one all-or-nothing import and
notes how far it got; the page draws a progress bar from that note and polls it.

A 100 000-row export takes about 16 s to import. Run inside the page's script, the bar would
only move while the browser keeps the websocket busy, and a click elsewhere would cut the run
short; in a thread the import finishes whatever the page does, and the person may leave the page
and come back to the bar. The job lives in the person's `st.session_state` (never in a module:
that would be shared by every user of the server) and touches no Streamlit API from its thread.
"""

from __future__ import annotations

import copy
import logging
import secrets
import threading
from dataclasses import dataclass, field

import streamlit as st
from sqlalchemy.engine import Engine

from core.auth import Actor
from core.db import transaction
from core.errors import DomainError
from core.people.directory_import import DirectoryImportResult, DirectoryOptions, import_directory
from ui.context import engine, flash, show_error

log = logging.getLogger(__name__)
JOB = "directory_job"
POLL_SECONDS = 0.5


@dataclass
class DirectoryImportJob:
    filename: str
    fraction: float = 0.0
    step: str = "Starting"
    result: DirectoryImportResult | None = None
    refusal: DomainError | None = None
    failure: str = ""  # the log reference of an unexpected error
    drawn: bool = False  # the bar has been on screen at least once
    finished: threading.Event = field(default_factory=threading.Event)

    def note(self, fraction: float, step: str) -> None:
        self.fraction, self.step = min(max(fraction, 0.0), 1.0), step

    def wait(self, timeout: float) -> bool:
        return self.finished.wait(timeout)

    def run(
        self, bound: Engine, actor: Actor, data: bytes, options: DirectoryOptions | None
    ) -> None:
        try:
            self.result = transaction(
                bound,
                lambda session: import_directory(
                    actor, data, self.filename, options, session=session, progress=self.note
                ),
            )
        except DomainError as exc:
            self.refusal = exc
        except Exception:  # noqa: BLE001  (the page reports it; the log keeps the traceback)
            self.failure = secrets.token_hex(3)
            log.exception("directory import failed, reference %s", self.failure)
        finally:
            self.finished.set()


def start_import(
    actor: Actor, data: bytes, filename: str, options: DirectoryOptions | None
) -> DirectoryImportJob:
    """Start the import in a thread and keep the job in this person's session."""
    job = DirectoryImportJob(filename)
    # The thread gets its own copy: the admin may change the mapping while it runs.
    thread = threading.Thread(
        target=job.run, args=(engine(), actor, data, copy.deepcopy(options)),
        name="directory-import", daemon=True,
    )  # fmt: skip
    st.session_state[JOB] = job
    thread.start()
    return job


def running_import() -> DirectoryImportJob | None:
    """The job of this session that is still to be shown: running, or finished but its bar
    not yet followed by its result."""
    job: DirectoryImportJob | None = st.session_state.get(JOB)
    if job is not None and job.finished.is_set() and job.drawn:
        st.session_state.pop(JOB)
        _report(job)
        return None
    return job


def _report(job: DirectoryImportJob) -> None:
    if job.result is not None:
        flash(f"Directory imported: {job.result.summary()}.")
        st.rerun()
    if job.refusal is not None:
        show_error(job.refusal)
    else:
        st.error(
            f"The import stopped (reference {job.failure}); nothing was changed. Try again, "
            "and if it keeps happening tell the programme team this reference.",
            icon=":material/error:",
        )


def show_progress(job: DirectoryImportJob) -> None:
    """The bar, redrawn on its own every half second; once the import has finished, the whole
    page runs again and shows the result instead."""

    @st.fragment(run_every=POLL_SECONDS)
    def bar() -> None:
        st.progress(job.fraction, text=f"Importing {job.filename}: {job.step}")
        st.caption("The import runs on the server: you may leave this page and come back.")
        if job.finished.is_set() and job.drawn:
            st.rerun(scope="app")
        job.drawn = True

    bar()
