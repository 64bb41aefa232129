"""A mentee's learning goals: topic, priority, a concrete objective, preferred format."""

import streamlit as st

from core.models import TopicKind
from core.people.profiles import MAX_GOALS, my_goals
from core.pilots.settings import list_topics
from ui.context import load, require_actor, require_pilot_id
from ui.topic_items import GOALS, topic_items

st.session_state.setdefault("goals_form_version", 0)

actor = require_actor()
pilot_id = require_pilot_id()
goals = load(my_goals, actor, pilot_id)
topics = load(list_topics, actor, pilot_id, TopicKind.LEARN)

st.title("My learning goals")
st.write(
    "What do you want to learn from a junior colleague? Pick up to five topics and say, in "
    "your own words, what you want to be able to do by the end of the pilot."
)
st.progress(len(goals) / MAX_GOALS, text=f"{len(goals)} of {MAX_GOALS} goals entered")
topic_items(GOALS, actor, pilot_id, goals, topics)
