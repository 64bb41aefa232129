"""A mentor's expertise: the topics they can teach, and how well."""

import streamlit as st

from core.models import TopicKind
from core.people.profiles import MAX_EXPERTISE, my_expertise
from core.pilots.settings import list_topics
from ui.context import load, require_actor, require_pilot_id
from ui.topic_items import EXPERTISE, topic_items

st.session_state.setdefault("expertise_form_version", 0)

actor = require_actor()
pilot_id = require_pilot_id()
items = load(my_expertise, actor, pilot_id)
topics = load(list_topics, actor, pilot_id, TopicKind.LEARN)

st.title("My expertise")
st.write(
    "Which topics could you help a senior leader with? Be honest about your level: matching "
    "looks for the best fit across the whole pilot, not just for you."
)
st.progress(
    min(len(items), 3) / 3,
    text=f"{len(items)} topics entered (3 or more give the best matches; up to {MAX_EXPERTISE})",
)
topic_items(EXPERTISE, actor, pilot_id, items, topics)
