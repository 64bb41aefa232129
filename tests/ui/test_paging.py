"""Long card lists a page at a time (ui/paging.py): everything when it fits, else the slice the
person chose, which stays chosen across reruns."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def cards(count: int) -> None:
    import streamlit as st

    from ui.paging import page_of

    for item in page_of([f"card {i}" for i in range(count)], key="cards_page", noun="cards"):
        st.text(item)


def shown(at: AppTest) -> list[str]:
    return [t.value for t in at.text]


def test_a_list_that_fits_has_no_choice_of_page():
    at = AppTest.from_function(cards, args=(20,)).run()
    assert shown(at) == [f"card {i}" for i in range(20)]
    assert len(at.selectbox) == 0


def test_a_longer_list_shows_twenty_and_keeps_the_chosen_slice():
    at = AppTest.from_function(cards, args=(45,)).run()
    assert shown(at) == [f"card {i}" for i in range(20)]
    choice = at.selectbox(key="cards_page")
    assert choice.label == "Which cards to show"
    assert choice.options == ["1–20 of 45", "21–40 of 45", "41–45 of 45"]
    choice.set_value(40).run()
    assert shown(at) == ["card 40", "card 41", "card 42", "card 43", "card 44"]
    at.run()
    assert shown(at) == ["card 40", "card 41", "card 42", "card 43", "card 44"]
