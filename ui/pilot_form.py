"""The pilot settings form, shared by "New pilot" and "Pilot set-up"."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from core.dashboard.metrics import DEFAULT_CRITERIA, METRICS
from core.pilots.catalogue import FOCUS_AREAS
from core.pilots.settings import PilotInput


def pilot_form_fields(prefix: str, initial: PilotInput | None = None) -> PilotInput:
    """Widgets inside an open st.form; keys carry the page prefix so typed values survive."""
    today = date.today()
    init = initial or PilotInput(name="", start_date=today, end_date=None)
    name = st.text_input("Pilot name", value=init.name, key=f"{prefix}_name")
    purpose = st.text_area(
        "Purpose",
        value=init.purpose,
        key=f"{prefix}_purpose",
        placeholder="Why this pilot, and what leadership should be able to do at the end.",
    )
    focus = st.multiselect(
        "Focus areas",
        list(dict.fromkeys([*FOCUS_AREAS, *init.focus_areas])),
        default=init.focus_areas,
        key=f"{prefix}_focus",
        accept_new_options=True,
    )
    c1, c2 = st.columns(2)
    start = c1.date_input("Start date", value=init.start_date, key=f"{prefix}_start")
    end = c2.date_input(
        "End date",
        value=init.end_date or (init.start_date or today) + timedelta(days=180),
        key=f"{prefix}_end",
    )
    c1, c2, c3 = st.columns([2, 2, 1])
    sponsor_name = c1.text_input(
        "Executive sponsor", value=init.sponsor_name, key=f"{prefix}_sponsor"
    )
    sponsor_email = c2.text_input(
        "Sponsor email", value=init.sponsor_email, key=f"{prefix}_sponsor_email"
    )
    signed_off = c3.checkbox(
        "Sponsor signed off", value=init.sponsor_signed_off, key=f"{prefix}_signed_off"
    )
    with st.expander("Matching and privacy settings"):
        gap = st.number_input(
            "Minimum grade gap (mentee grade − mentor grade)",
            min_value=0,
            max_value=10,
            value=init.min_grade_gap,
            key=f"{prefix}_gap",
            help="Reverse mentoring: the mentor must be at least this many grades junior.",
        )
        orientation = st.checkbox(
            "Mentees must complete orientation before they are matched",
            value=init.orientation_required,
            key=f"{prefix}_orientation",
        )
        inactivity = st.number_input(
            "Flag a pair as at risk after this many days without a session",
            min_value=7,
            max_value=120,
            value=init.inactivity_days,
            key=f"{prefix}_inactivity",
        )
        privacy = st.number_input(
            "Smallest group shown on the dashboard",
            min_value=2,
            max_value=50,
            value=init.privacy_threshold,
            key=f"{prefix}_privacy",
            help="Breakdowns for smaller groups are hidden: they would identify people.",
        )
        retention = st.number_input(
            "Delete private notes and free text this many days after the pilot closes",
            min_value=0,
            max_value=3650,
            value=init.retention_days,
            key=f"{prefix}_retention",
        )
    st.markdown("**Success criteria** — what the pilot will be judged by (shown on the dashboard)")
    labels = {key: f"{m.label} ({m.unit})" for key, m in METRICS.items()}
    keys = {label: key for key, label in labels.items()}
    chosen = init.success_criteria if initial is not None else [dict(c) for c in DEFAULT_CRITERIA]
    edited = st.data_editor(
        pd.DataFrame(
            [
                {"Measure": labels.get(c["metric"], c["metric"]), "Target": c["target"]}
                for c in chosen
            ],
            columns=["Measure", "Target"],
        ),
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        key=f"{prefix}_criteria",
        column_config={
            "Measure": st.column_config.SelectboxColumn(options=list(keys), required=True),
            "Target": st.column_config.NumberColumn(required=True, min_value=0),
        },
    )
    criteria = [
        {"metric": keys.get(row["Measure"], row["Measure"] or ""),
         "target": None if pd.isna(row["Target"]) else row["Target"]}
        for row in edited.to_dict("records")
        if row["Measure"] or not pd.isna(row["Target"])
    ]  # fmt: skip
    return PilotInput(
        name=name,
        start_date=start,
        end_date=end,
        purpose=purpose,
        focus_areas=focus,
        sponsor_name=sponsor_name,
        sponsor_email=sponsor_email,
        sponsor_signed_off=signed_off,
        min_grade_gap=int(gap),
        orientation_required=orientation,
        inactivity_days=int(inactivity),
        privacy_threshold=int(privacy),
        success_criteria=criteria,
        retention_days=int(retention),
    )
