"""One widget for a participant's list of topics: a mentee's learning goals (priority and an
objective) and a mentor's expertise (level and a note) are the same list with other words."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st
from sqlmodel import Session

from core.auth import Actor
from core.errors import DomainError, ValidationFailed
from core.models import Topic
from core.people.profiles import (
    FORMATS,
    LEVEL_LABELS,
    MAX_EXPERTISE,
    MAX_GOALS,
    PRIORITY_LABELS,
    delete_expertise,
    delete_goal,
    save_expertise,
    save_goal,
)
from ui.context import attempt, flash, label_of, run, show_error
from ui.once import submit_key, submit_once
from ui.plain import md

FORMAT_CHOICES = ["", *FORMATS]


@dataclass(frozen=True)
class TopicItemKind:
    """What differs between goals and expertise. Widget keys are `{prefix}_{field}_{id}`, so
    each page keeps its own prefix."""

    prefix: str
    noun: str  # "goal" or "topic": the add form's subheader and button
    rank_field: str  # the item's 1-3 attribute
    rank_label: str
    rank_labels: dict[int, str]
    text_field: str  # the item's free-text attribute
    text_label: str
    new_text_label: str
    text_placeholder: str
    text_max: int
    long_text: bool  # a text area rather than a one-line input
    with_format: bool  # goals ask for a preferred format
    maximum: int
    delete_label: str
    saved: str
    deleted: str
    added: str
    full: str  # shown once the list is full; "" for nothing
    # (actor, pilot_id, topic_id, rank, text, preferred_format, item_id, *, session)
    save: Callable[..., Any]
    delete: Callable[..., Any]

    def title(self, item: Any) -> str:
        rank = self.rank_labels[getattr(item, self.rank_field)]
        topic = md(item.topic)  # the expander's label reads Markdown
        return f"{rank} · {topic}" if self.with_format else f"{topic} · {rank}"


def _save_goal(
    actor: Actor, pilot_id: int, topic_id: int | None, rank: int, text: str, fmt: str,
    item_id: int | None, *, session: Session,
) -> object:  # fmt: skip
    return save_goal(
        actor, pilot_id, topic_id=topic_id, priority=rank, objective=text,
        preferred_format=fmt, goal_id=item_id, session=session,
    )  # fmt: skip


def _save_expertise(
    actor: Actor, pilot_id: int, topic_id: int | None, rank: int, text: str, fmt: str,
    item_id: int | None, *, session: Session,
) -> object:  # fmt: skip
    return save_expertise(
        actor, pilot_id, topic_id=topic_id, level=rank, note=text, expertise_id=item_id,
        session=session,
    )  # fmt: skip


GOALS = TopicItemKind(
    prefix="goals", noun="goal", rank_field="priority", rank_label="Priority",
    rank_labels=PRIORITY_LABELS, text_field="objective", text_label="Objective",
    new_text_label="Objective: what will you be able to do?",
    text_placeholder="e.g. Use an AI assistant to draft and summarise my weekly team update",
    text_max=500, long_text=True, with_format=True, maximum=MAX_GOALS,
    delete_label="Delete goal", saved="Goal saved.", deleted="Goal deleted.",
    added="Goal added.", full="You have five goals: a focused list works best.",
    save=_save_goal, delete=delete_goal,
)  # fmt: skip
EXPERTISE = TopicItemKind(
    prefix="expertise", noun="topic", rank_field="level", rank_label="Level",
    rank_labels=LEVEL_LABELS, text_field="note", text_label="Example of what you could show",
    new_text_label="Example of what you could show (optional)", text_placeholder="",
    text_max=300, long_text=False, with_format=False, maximum=MAX_EXPERTISE,
    delete_label="Remove", saved="Saved.", deleted="Removed.", added="Topic added.", full="",
    save=_save_expertise, delete=delete_expertise,
)  # fmt: skip


def topic_items(
    kind: TopicItemKind, actor: Actor, pilot_id: int, items: list, topics: list[Topic]
) -> None:
    """Each item in an edit form, then a form to add one while the list is not full."""
    reopen = st.session_state.pop(f"{kind.prefix}_reopen", None)
    for item in items:
        # Keyed and tracked, so the panel stays open while its form shows an error. Its title
        # carries the rank, so a saved change is a new panel: it opens again after the save.
        key = f"{kind.prefix}_panel_{item.id}"
        if reopen == item.id:
            st.session_state[key] = True
        panel = st.expander(kind.title(item), key=key, on_change="rerun")
        with panel, st.form(f"{kind.prefix}_edit_{item.id}"):
            _edit(kind, actor, pilot_id, item)
    if len(items) >= kind.maximum:
        if kind.full:
            st.success(kind.full)
        return
    st.subheader(f"Add a {kind.noun}")
    taken = {i.topic_id for i in items}
    choices = {t.id: f"{t.category} · {t.name}" for t in topics if t.id not in taken}
    # A successful add bumps the version so the form comes back empty; errors keep the input.
    v = st.session_state[f"{kind.prefix}_form_version"]
    with st.form(f"{kind.prefix}_add_form"):
        topic_id = st.selectbox(
            "Topic", list(choices), format_func=choices.get, index=None,
            placeholder="Choose a topic", key=f"{kind.prefix}_new_topic_{v}",
        )  # fmt: skip
        rank = _rank(kind, 2, f"{kind.prefix}_new_{kind.rank_field}_{v}")
        text = _text(
            kind, kind.new_text_label, "", f"{kind.prefix}_new_{kind.text_field}_{v}",
            placeholder=kind.text_placeholder or None,
        )  # fmt: skip
        fmt = (
            st.selectbox("Preferred format", FORMAT_CHOICES, key=f"{kind.prefix}_new_format_{v}")
            if kind.with_format
            else ""
        )
        form_key = f"{kind.prefix}_add"
        if st.form_submit_button(f"Add {kind.noun}", type="primary", key=submit_key(form_key)) and (
            submit_once(
                form_key, actor, kind.save, actor, pilot_id, topic_id, rank, text, fmt, None
            )
            is not None
        ):
            st.session_state[f"{kind.prefix}_form_version"] += 1
            flash(kind.added)
            st.rerun()


def _edit(kind: TopicItemKind, actor: Actor, pilot_id: int, item: Any) -> None:
    p, iid = kind.prefix, item.id
    # Each field has a slot right below it, for what is wrong with it after "Save".
    rank = _rank(kind, getattr(item, kind.rank_field), f"{p}_{kind.rank_field}_{iid}")
    slots = {kind.rank_field: st.empty()}
    text = _text(
        kind, kind.text_label, getattr(item, kind.text_field), f"{p}_{kind.text_field}_{iid}"
    )
    slots[kind.text_field] = st.empty()
    fmt = ""
    if kind.with_format:
        fmt = st.selectbox(
            "Preferred format", FORMAT_CHOICES,
            index=FORMAT_CHOICES.index(item.preferred_format), key=f"{p}_format_{iid}",
        )  # fmt: skip
        slots["preferred_format"] = st.empty()
    c1, c2 = st.columns(2)
    if c1.form_submit_button("Save", key=f"{p}_save_{iid}"):
        try:
            run(kind.save, actor, pilot_id, item.topic_id, rank, text, fmt, iid)
        except ValidationFailed as exc:
            _show_by_field(exc, slots)
        except DomainError as exc:
            show_error(exc)
        else:
            st.session_state[f"{p}_reopen"] = iid
            flash(kind.saved)
            st.rerun()
    if c2.form_submit_button(kind.delete_label, key=f"{p}_delete_{iid}"):
        if attempt(kind.delete, actor, pilot_id, iid) is not None:
            flash(kind.deleted)
            st.rerun()


def _show_by_field(exc: ValidationFailed, slots: dict[str, Any]) -> None:
    """Each problem under its own field; one about something else (the topic) in one message."""
    rest = {}
    for field, problem in exc.errors.items():
        if field in slots:
            slots[field].error(f"{label_of(field)}: {problem}", icon=":material/error:")
        else:
            rest[field] = problem
    if rest:
        show_error(ValidationFailed(rest))


def _rank(kind: TopicItemKind, current: int, key: str) -> int:
    return st.radio(
        kind.rank_label, list(kind.rank_labels), format_func=kind.rank_labels.get,
        index=current - 1, horizontal=True, key=key,
    )  # fmt: skip


def _text(
    kind: TopicItemKind, label: str, value: str, key: str, placeholder: str | None = None
) -> str:
    widget = st.text_area if kind.long_text else st.text_input
    return widget(label, value=value, max_chars=kind.text_max, placeholder=placeholder, key=key)
