"""Errors a person can act on. Pages show them with st.error; the CLI prints them in one line."""

from __future__ import annotations


class DomainError(Exception):
    """A request the portal refuses, with a message that says what to do instead."""


class NotAllowed(DomainError):
    """The acting user's role does not permit this."""


class NotFound(DomainError):
    pass


class ValidationFailed(DomainError):
    """Input is wrong; `errors` maps each field (or "row N") to what to fix."""

    def __init__(self, errors: dict[str, str]):
        self.errors = dict(errors)
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.errors.items()))


class PortalBusy(DomainError):
    """The database stayed locked by other writers; nothing was saved, and the page still holds
    what the person entered, so sending it again is safe."""

    MESSAGE = "The portal is busy; your entry was kept, try again in a moment."

    def __init__(self, message: str = MESSAGE):
        super().__init__(message)
