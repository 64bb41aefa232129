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
