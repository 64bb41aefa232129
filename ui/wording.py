"""Counts in words for pages; the one definition lives in core.wording so that e-mails, reports
and pages agree."""

from core.wording import count_of, people

__all__ = ["count_of", "people"]
