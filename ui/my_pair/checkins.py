"""The start and end check-ins: confidence (mentee) or learning back (mentor), satisfaction."""

from __future__ import annotations

import streamlit as st

from core.auth import Actor
from core.models import Role, TopicKind
from core.people.profiles import my_profile
from core.pilots.settings import list_topics
from core.tracking.checkins import CheckInView, my_checkins, submit_checkin
from core.tracking.my_pair import MyPairView
from ui.context import flash, load
from ui.once import submit_key, submit_once
from ui.plain import md
from ui.status_marks import MET

YES_NO = ["yes", "no"]


def checkins_tab(actor: Actor, pilot_id: int, view: MyPairView) -> None:
    st.caption(
        "At the start and at the end of the pilot. The programme team sees whether you "
        "completed it and, if you tick it, that you asked for help; your other answers reach "
        "them only as totals over several people."
    )
    is_mentee = view.pair.my_role == Role.MENTEE
    if is_mentee:
        rate = {g.topic_id: g.topic for g in view.goals}
        question = "How confident are you today with…"
    else:
        wants = set(load(my_profile, actor, pilot_id).data.wants)
        offered = load(list_topics, actor, pilot_id, TopicKind.OFFER)
        rate = {t.id: t.name for t in offered if t.id in wants}
        question = "How much have you learned so far about…"
    # A phase answered before comes back filled in: submitting again replaces the answers.
    earlier = {c.phase: c for c in load(my_checkins, actor, view.pair.id)}
    phase = st.radio(
        "Check-in", ["start", "end"], horizontal=True, key="pair_checkin_phase",
        format_func=lambda p: p.capitalize() + (f" {MET} answered" if p in earlier else ""),
    )  # fmt: skip
    _form(actor, view.pair.id, phase, rate, question, earlier.get(phase), is_mentee=is_mentee)


def _yes_no_index(answer: bool | None) -> int | None:
    return None if answer is None else YES_NO.index("yes" if answer else "no")


def _form(
    actor: Actor,
    pair_id: int,
    phase: str,
    rate: dict[int, str],
    question: str,
    before: CheckInView | None,
    *,
    is_mentee: bool,
) -> None:
    key = f"pair_checkin_{phase}"
    with st.form("pair_checkin_form"):
        st.markdown(f"**{question}** (1 = not at all, 5 = very)")
        ratings = {
            tid: st.slider(
                md(name), 1, 5, before.ratings.get(tid, 3) if before else 3, key=f"{key}_{tid}"
            )
            for tid, name in rate.items()
        }
        satisfaction = st.radio(
            "How satisfied are you with the pair so far?", [1, 2, 3, 4, 5],
            index=before.satisfaction - 1 if before and before.satisfaction else None,
            horizontal=True, key=f"{key}_satisfaction",
        )  # fmt: skip
        recommend = st.radio(
            "Would you recommend reverse mentoring to a colleague?", YES_NO,
            index=_yes_no_index(before.would_recommend if before else None),
            horizontal=True, key=f"{key}_recommend",
        )  # fmt: skip
        again = st.radio(
            "Would you take part again?", YES_NO,
            index=_yes_no_index(before.take_part_again if before else None),
            horizontal=True, key=f"{key}_again",
        )  # fmt: skip
        feedback = st.text_area(
            "Anything else?", value=before.feedback if before else "", max_chars=5000,
            key=f"{key}_text",
        )  # fmt: skip
        help_wanted = st.checkbox(
            "Tell the programme team we need help",
            value=before.needs_help if before else False,
            key=f"{key}_help",
            help="The programme team sees this answer as yours and will get in touch. Your other "
            "answers reach them only as totals over several people.",
        )
        share = is_mentee and st.checkbox(
            "My mentor may quote this feedback in their recognition letter",
            value=before.share_feedback if before else False,
            key=f"{key}_share",
        )
        if before is not None:
            edited = f"; changed on {before.edited_at:%d %b %Y}" if before.edited_at else ""
            st.caption(f"Submitted on {before.submitted_at:%d %b %Y}{edited}.")
        if st.form_submit_button(
            "Submit check-in", type="primary", key=submit_key("pair_checkin_submit")
        ):
            if submit_once(
                "pair_checkin_submit", actor, submit_checkin, actor, pair_id, phase, ratings,
                satisfaction=satisfaction,
                would_recommend=None if recommend is None else recommend == "yes",
                take_part_again=None if again is None else again == "yes",
                feedback=feedback, share_feedback=share, needs_help=help_wanted,
            ) is not None:  # fmt: skip
                flash(f"{phase.capitalize()} check-in saved. Thank you!")
                st.rerun()
