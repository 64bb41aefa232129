"""Privacy: what the portal stores about whom, who sees it and for how long, generated from the
rules the services apply (core.privacy.catalogue). Open to everyone, signed in or not."""

import streamlit as st

from core.privacy.catalogue import AUDIENCES, CATALOGUE, PROMISES
from ui.context import current_actor
from ui.data_rights import NOTHING, pilot_numbers, who_sees_what, with_numbers
from ui.plain import md

pilot_name, threshold, retention = pilot_numbers(current_actor())
st.title("Privacy")
st.write(
    "What the portal stores about whom, who sees it and for how long. This page is generated "
    "from the rules the portal's code enforces, so it says what the portal does, not what it "
    "hopes to do."
)
if pilot_name:
    st.info(
        f"For **{md(pilot_name)}**: figures from check-ins, pulses and feedback need at least "
        f"{threshold} people, and private notes and free text are deleted {retention} days "
        "after the pilot closes.",
        icon=":material/tune:",
    )
else:
    st.caption(
        f"Each pilot sets two of the numbers below: the smallest group a figure may come from "
        f"(default {threshold}) and how many days after it closes private notes and free text "
        f"are deleted (default {retention})."
    )

st.subheader("What we promise")
st.markdown("\n".join(f"- {with_numbers(p, threshold, retention)}" for p in PROMISES))

st.subheader("Who sees what")
table = who_sees_what(threshold, retention)
st.table(table[["Data", *AUDIENCES]].set_index("Data"))
st.caption(f"{NOTHING} means: nothing of it.")

st.subheader("In detail")
for item, row in zip(CATALOGUE, table.to_dict("records"), strict=True):
    with st.container(border=True):
        st.markdown(f"**{item.title}**: {item.what}")
        st.markdown(f"*About whom:* {item.about}")
        st.markdown("\n".join(f"- {who}: {row[who]}" for who in AUDIENCES if row[who] != NOTHING))
        st.markdown(f"*How long:* {row['How long it is kept']}")

st.subheader("Your rights")
st.write(
    "On the Account page you download everything the portal holds about you (a ZIP with JSON "
    "and a readable page), see who can see each part, correct your profile, and ask for "
    "erasure. Erasure removes your name, email and everything you wrote, and keeps only "
    "anonymous numbers so that a pilot's totals keep their counts. The programme team can "
    "do the same for a colleague who left."
)
