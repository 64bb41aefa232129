"""Dashboard: the pilot's success criteria, charts and one-click published results."""

import streamlit as st

from core.dashboard.charts import CHART_TITLES
from core.dashboard.downloads import csv_exports_zip, download_name, recognition_letters_zip
from core.dashboard.exports import export_xlsx
from core.dashboard.frames import DashboardFilters
from core.dashboard.report import (
    build_report_html,
    build_report_pdf,
    commitment_table,
    tile_value,
)
from core.pilots.settings import pilot_for_admin
from ui.cached import dashboard_filter_options, dashboard_view
from ui.context import deferred, load, require_actor, require_pilot_id
from ui.plain import md
from ui.status_marks import MET, NOT_MET

actor = require_actor()
pilot_id = require_pilot_id()
pilot = load(pilot_for_admin, actor, pilot_id)
st.title(f"Dashboard · {md(pilot.name)}")

options = load(dashboard_filter_options, actor, pilot_id)
with st.expander("Filters", expanded=False):
    c1, c2, c3 = st.columns(3)
    departments = c1.multiselect("Department", options.departments, key="dashboard_departments")
    stages = c2.multiselect("Career stage", options.career_stages, key="dashboard_stages")
    categories = c3.multiselect(
        "Topic category", options.topic_categories, key="dashboard_categories"
    )
    dates = st.date_input("Sessions and check-ins between", value=(), key="dashboard_dates")
filters = DashboardFilters(
    departments=tuple(departments),
    career_stages=tuple(stages),
    topic_categories=tuple(categories),
    date_from=dates[0] if len(dates) > 0 else None,
    date_to=dates[1] if len(dates) > 1 else None,
)
view = load(dashboard_view, actor, pilot_id, filters)
content = view.content

st.subheader("Success criteria")
if all(tile.value is None and not tile.hidden for tile in content.tiles):
    st.info("No figures yet: each tile fills in as people join, are matched and meet.")
for row in range(0, len(content.tiles), 4):
    for col, tile in zip(st.columns(4), content.tiles[row : row + 4], strict=False):
        mark = {True: f"{MET} ", False: f"{NOT_MET} ", None: ""}[tile.met]
        col.metric(
            f"{mark}{tile.label}",
            tile_value(tile),
            delta=tile.display_target if tile.target is not None else None,
            delta_color="off",
            help=tile.detail,
            border=True,
        )
        # What the figure counts, in words people read (not only in the tooltip).
        col.caption(tile.detail)
if content.highlights:
    st.markdown("\n".join(f"- {md(line)}" for line in content.highlights))

SECTIONS = [
    ("Recruiting and matching", ["funnel", "supply_demand", "score_distribution"]),
    ("Momentum", ["sessions_per_week", "milestones_vs_plan"]),
    ("Learning, both ways", ["confidence", "learned_back"]),
    ("Satisfaction and reach", ["satisfaction", "reach"]),
]
for title, keys in SECTIONS:
    st.subheader(title)
    cols = st.columns(2)
    for i, key in enumerate(keys):
        with cols[i % 2]:
            if empty := view.empty.get(key):  # a sentence, not a blank frame
                st.markdown(f"**{CHART_TITLES[key]}**")
                st.caption(empty)
                continue
            st.altair_chart(view.charts[key], width="stretch", key=f"dashboard_chart_{key}")
            if note := view.notes.get(key):
                st.caption(note)

st.subheader("Leadership commitment")
st.write(
    "Sponsor sign-off: "
    + (f"{MET} signed off" if pilot.sponsor_signed_off else f"{NOT_MET} not yet")
)
st.dataframe(commitment_table(content.data.commitment), hide_index=True, key="dashboard_commitment")

st.subheader("Publish the results")
st.caption(
    "Anonymised: no names and no free text in the report. Recognition letters quote a mentee's "
    "feedback only where the mentee agreed."
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
downloads = [
    ("Report (HTML)", deferred(build_report_html, actor, pilot_id, filters=filters),
     download_name("report", "html"), "text/html", "dashboard_html"),
    ("Report (PDF)", deferred(build_report_pdf, actor, pilot_id, filters=filters),
     download_name("report", "pdf"), "application/pdf", "dashboard_pdf"),
    ("Recognition letters", deferred(recognition_letters_zip, actor, pilot_id),
     download_name("recognition letters", "zip"), "application/zip", "dashboard_letters"),
    ("Data (XLSX)", deferred(export_xlsx, actor, pilot_id, filters=filters), download_name("data", "xlsx"), XLSX,
     "dashboard_xlsx"),
    ("Data (CSV)", deferred(csv_exports_zip, actor, pilot_id, filters=filters), download_name("data csv", "zip"),
     "application/zip", "dashboard_csv"),
]  # fmt: skip
for col, (label, build, name, mime, key) in zip(st.columns(len(downloads)), downloads, strict=True):
    # Each file is built only when its button is clicked.
    col.download_button(label, build, file_name=name, mime=mime, key=key, on_click="ignore")
