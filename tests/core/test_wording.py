"""Counts in words agree with their number."""

from core.wording import count_of, people


def test_one_is_singular_and_every_other_count_plural():
    assert [people(n) for n in (0, 1, 2)] == ["0 people", "1 person", "2 people"]
    assert [count_of(n, "pair") for n in (0, 1, 5)] == ["0 pairs", "1 pair", "5 pairs"]
    assert count_of(1, "personal link") == "1 personal link"
    assert count_of(3, "mentee") == "3 mentees"
