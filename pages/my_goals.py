"""A mentee's learning goals: topic, priority, a concrete objective, preferred format."""

import streamlit as st

from core.models import TopicKind
from core.people.profiles import (
    FORMATS,
    MAX_GOALS,
    PRIORITY_LABELS,
    delete_goal,
    my_goals,
    save_goal,
)
from core.pilots.settings import list_topics
from ui.context import attempt, flash, load, require_actor, require_pilot_id

actor = require_actor()
pilot_id = require_pilot_id()
goals = load(my_goals, actor, pilot_id)
topics = load(list_topics, actor, pilot_id, TopicKind.LEARN)
topic_label = {t.id: f"{t.category} · {t.name}" for t in topics}

st.title("My learning goals")
st.write(
    "What do you want to learn from a junior colleague? Pick up to five topics and say, in "
    "your own words, what you want to be able to do by the end of the pilot."
)
st.progress(len(goals) / MAX_GOALS, text=f"{len(goals)} of {MAX_GOALS} goals entered")

for goal in goals:
    with st.expander(f"{PRIORITY_LABELS[goal.priority]} · {goal.topic}", expanded=False):
        with st.form(f"goals_edit_{goal.id}"):
            priority = st.radio(
                "Priority", list(PRIORITY_LABELS), format_func=PRIORITY_LABELS.get,
                index=goal.priority - 1, horizontal=True, key=f"goals_priority_{goal.id}",
            )  # fmt: skip
            objective = st.text_area(
                "Objective", value=goal.objective, max_chars=500, key=f"goals_objective_{goal.id}"
            )
            fmt = st.selectbox(
                "Preferred format", ["", *FORMATS],
                index=(["", *FORMATS].index(goal.preferred_format)), key=f"goals_format_{goal.id}",
            )  # fmt: skip
            c1, c2 = st.columns(2)
            if c1.form_submit_button("Save"):
                if attempt(
                    save_goal, actor, pilot_id, topic_id=goal.topic_id, priority=priority,
                    objective=objective, preferred_format=fmt, goal_id=goal.id,
                ) is not None:  # fmt: skip
                    flash("Goal saved.")
                    st.rerun()
            if c2.form_submit_button("Delete goal"):
                if attempt(delete_goal, actor, pilot_id, goal.id) is not None:
                    flash("Goal deleted.")
                    st.rerun()

if len(goals) < MAX_GOALS:
    st.subheader("Add a goal")
    taken = {g.topic_id for g in goals}
    # A successful add bumps the version so the form comes back empty; errors keep the input.
    v = st.session_state.setdefault("goals_form_version", 0)
    with st.form("goals_add_form"):
        topic_id = st.selectbox(
            "Topic",
            [t.id for t in topics if t.id not in taken],
            format_func=topic_label.get,
            index=None,
            placeholder="Choose a topic",
            key=f"goals_new_topic_{v}",
        )
        priority = st.radio(
            "Priority", list(PRIORITY_LABELS), format_func=PRIORITY_LABELS.get, index=1,
            horizontal=True, key=f"goals_new_priority_{v}",
        )  # fmt: skip
        objective = st.text_area(
            "Objective: what will you be able to do?",
            max_chars=500,
            placeholder="e.g. Use an AI assistant to draft and summarise my weekly team update",
            key=f"goals_new_objective_{v}",
        )
        fmt = st.selectbox("Preferred format", ["", *FORMATS], key=f"goals_new_format_{v}")
        if st.form_submit_button("Add goal", type="primary"):
            if attempt(
                save_goal, actor, pilot_id, topic_id=topic_id, priority=priority,
                objective=objective, preferred_format=fmt,
            ) is not None:  # fmt: skip
                st.session_state.goals_form_version += 1
                flash("Goal added.")
                st.rerun()
else:
    st.success("You have five goals: a focused list works best.")
