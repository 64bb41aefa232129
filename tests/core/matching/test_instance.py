"""How ids are quoted in messages: exactly as they appear in the JSON file."""

import json

import pytest

from core.matching.instance import show


@pytest.mark.parametrize(
    "value",
    ["e1", "", " ", "Zoë", "a\"b", "a\\b", "line\nbreak", "tab\t", "\u2028", "\x7f", "日本",
     7, -3, 0, True, None, 1.5, ["x", 2], {"a": 1}],
)  # fmt: skip
def test_ids_are_shown_as_json_writes_them(value):
    assert show(value) == json.dumps(value, ensure_ascii=False)
