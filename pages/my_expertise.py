"""A mentor's expertise: the topics they can teach, and how well."""

import streamlit as st

from core.models import TopicKind
from core.people.profiles import (
    LEVEL_LABELS,
    MAX_EXPERTISE,
    delete_expertise,
    my_expertise,
    save_expertise,
)
from core.pilots.settings import list_topics
from ui.context import attempt, flash, load, require_actor, require_pilot_id

actor = require_actor()
pilot_id = require_pilot_id()
items = load(my_expertise, actor, pilot_id)
topics = load(list_topics, actor, pilot_id, TopicKind.LEARN)
topic_label = {t.id: f"{t.category} · {t.name}" for t in topics}

st.title("My expertise")
st.write(
    "Which topics could you help a senior leader with? Be honest about your level: matching "
    "looks for the best fit across the whole pilot, not just for you."
)
st.progress(
    min(len(items), 3) / 3,
    text=f"{len(items)} topics entered (3 or more give the best matches; up to {MAX_EXPERTISE})",
)

for item in items:
    with st.expander(f"{item.topic} · {LEVEL_LABELS[item.level]}"):
        with st.form(f"expertise_edit_{item.id}"):
            level = st.radio(
                "Level", list(LEVEL_LABELS), format_func=LEVEL_LABELS.get,
                index=item.level - 1, horizontal=True, key=f"expertise_level_{item.id}",
            )  # fmt: skip
            note = st.text_input(
                "Example of what you could show", value=item.note, max_chars=300,
                key=f"expertise_note_{item.id}",
            )  # fmt: skip
            c1, c2 = st.columns(2)
            if c1.form_submit_button("Save"):
                if attempt(
                    save_expertise, actor, pilot_id, topic_id=item.topic_id, level=level,
                    note=note, expertise_id=item.id,
                ) is not None:  # fmt: skip
                    flash("Saved.")
                    st.rerun()
            if c2.form_submit_button("Remove"):
                if attempt(delete_expertise, actor, pilot_id, item.id) is not None:
                    flash("Removed.")
                    st.rerun()

if len(items) < MAX_EXPERTISE:
    st.subheader("Add a topic")
    taken = {i.topic_id for i in items}
    # A successful add bumps the version so the form comes back empty; errors keep the input.
    v = st.session_state.setdefault("expertise_form_version", 0)
    with st.form("expertise_add_form"):
        topic_id = st.selectbox(
            "Topic", [t.id for t in topics if t.id not in taken], format_func=topic_label.get,
            index=None, placeholder="Choose a topic", key=f"expertise_new_topic_{v}",
        )  # fmt: skip
        level = st.radio(
            "Level", list(LEVEL_LABELS), format_func=LEVEL_LABELS.get, index=1,
            horizontal=True, key=f"expertise_new_level_{v}",
        )  # fmt: skip
        note = st.text_input(
            "Example of what you could show (optional)",
            max_chars=300,
            key=f"expertise_new_note_{v}",
        )
        if st.form_submit_button("Add topic", type="primary"):
            if (
                attempt(save_expertise, actor, pilot_id, topic_id=topic_id, level=level, note=note)
                is not None
            ):
                st.session_state.expertise_form_version += 1
                flash("Topic added.")
                st.rerun()
