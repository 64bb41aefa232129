"""Counts in words: "1 person", "3 people", "1 pair", "2 pairs". One function, so that no page
says "1 people" or falls back on "person(s)"."""

from __future__ import annotations


def count_of(n: int, singular: str, plural: str | None = None) -> str:
    """`n` and the noun that agrees with it; the plural is the singular plus "s" unless given."""
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"


def people(n: int) -> str:
    return count_of(n, "person", "people")
