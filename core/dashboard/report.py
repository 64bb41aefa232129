"""The published results of a pilot: one self-contained HTML page and a PDF.

Both are built only from the dashboard datasets and KPI tiles, which hold no names and no free
text, so the report cannot leak either. The HTML embeds its charts as inline SVG and its styles
inline: it opens offline, from an email attachment, with no script and no external URL. Every
string a person typed (pilot name, purpose, topic and department names) is escaped; SVG text is
escaped by Vega's renderer.

The PDF (core.dashboard.pdf) carries the same content as a reader would lay it out: headings,
the success criteria and the commitment figures as tables, the highlights as a bulleted list,
each chart with its caption and its one privacy note, and a sentence in place of a chart that
has nothing to draw yet. Every figure in either format is a tile's, a dataset's or a visible
row's, all of which went through the privacy gate (core.privacy.gate) before they got here.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlmodel import Session

from core.auth import Actor
from core.dashboard.charts import CHART_TITLES, chart_notes, dashboard_charts, empty_charts
from core.dashboard.datasets import DashboardData, compute_dashboard
from core.dashboard.frames import DashboardFilters, PilotSummary, load_frames
from core.dashboard.kpis import KpiTile, compute_kpis
from core.dashboard.privacy import hidden_note, visible
from core.dashboard.reach import cross_department_share
from core.wording import count_of

CHART_CAPTIONS = {
    "funnel": "How many people reached each step, from the invitation to the end of the pilot.",
    "supply_demand": "Topics leaders want to learn against what the volunteers can teach.",
    "score_distribution": "How well the matched pairs fit, by match score.",
    "sessions_per_week": "Sessions held per week across all pairs.",
    "milestones_vs_plan": "Pair milestones completed against the share due by each date.",
    "confidence": "Mentees' confidence on their goal topics at the start and at the end.",
    "learned_back": "What the junior mentors learned back on leadership topics.",
    "satisfaction": "Satisfaction at the end, overall and by group.",
    "reach": "How far the pairs reach across grades and departments.",
}


@dataclass(frozen=True)
class ReportContent:
    """What both formats show, computed once."""

    data: DashboardData
    tiles: list[KpiTile]
    highlights: list[str]

    @property
    def pilot(self) -> PilotSummary:
        return self.data.frames.pilot


def report_content(
    actor: Actor,
    pilot_id: int,
    *,
    session: Session,
    filters: DashboardFilters | None = None,
    as_of: date | None = None,
) -> ReportContent:
    """Datasets, KPI tiles and highlights of the pilot, for its admins only."""
    frames = load_frames(actor, pilot_id, filters, session=session, as_of=as_of)
    data = compute_dashboard(frames)
    return ReportContent(data, compute_kpis(frames), highlights(data))


def highlights(data: DashboardData) -> list[str]:
    """A few anonymous sentences for readers who skip the charts. Topic names only come from
    rows the privacy rule shows."""
    lines = []
    activity = data.pair_activity
    if len(activity):
        sessions, minutes = int(activity["sessions"].sum()), int(activity["minutes"].sum())
        lines.append(f"Pairs met {sessions / len(activity):.1f} times on average.")
        hours = round(minutes / 60)
        lines.append(
            f"{count_of(sessions, 'session')} and {count_of(hours, 'hour')} of mentoring "
            f"across {count_of(len(activity), 'pair')}."
        )
    wanted = data.supply_demand.loc[data.supply_demand["demand"] > 0]
    if len(wanted):
        lines.append("Most wanted topics: " + ", ".join(wanted["topic"].head(3)) + ".")
    gaps = wanted.loc[wanted["no_one_can_teach"], "topic"]
    if len(gaps):
        lines.append("No mentor can teach yet: " + ", ".join(gaps) + ".")
    for table, sentence in (
        (data.confidence, "Biggest confidence gain: {topic} ({gain:+.1f} points)."),
        (data.learned_back, "Mentors learned most about: {topic} ({gain:+.1f} points)."),
    ):
        shown = visible(table)
        if len(shown):
            top = shown.sort_values("gain", ascending=False).iloc[0]
            lines.append(sentence.format(topic=top["topic"], gain=float(top["gain"])))
    share = cross_department_share(data.frames)
    if share is not None:
        lines.append(f"{share:.0f}% of matched pairs bring together two departments.")
    coverage = data.goal_coverage
    if len(coverage):
        lines.append(
            f"Mentors cover {100 * coverage['covered_share'].mean():.0f}% of their mentee's "
            "goals on average."
        )
    return lines


def long_day(day: date) -> str:
    """ "3 Aug 2026": the way the report and the charts write a date."""
    return f"{day.day} {day:%b %Y}"


COMMITMENT_COLUMNS = ("Measure", "Yes", "Of", "Share")


def commitment_table(commitment: pd.DataFrame) -> pd.DataFrame:
    """The leadership-commitment rows as a person reads them: every cell a short text, "–"
    where there is nothing to count yet and "hidden" where the privacy gate hid the figure, so
    no table shows "None" or "nan"."""
    rows = []
    for row in commitment.itertuples():
        if row.hidden:
            rows.append((row.label, "hidden", "hidden", "hidden"))
            continue
        share = "–" if pd.isna(row.pct) else f"{row.pct:.0f}%"
        rows.append((row.label, str(row.numerator), str(row.denominator), share))
    return pd.DataFrame(rows, columns=list(COMMITMENT_COLUMNS))


NOT_YET = "Not yet"


def tile_value(tile: KpiTile) -> str:
    """What a tile shows as its value: the figure, "hidden" when the privacy gate hid it, or
    "Not yet" while there is nothing to measure (the tile's detail says what is missing)."""
    return tile.display_value if tile.value is not None or tile.hidden else NOT_YET


def tile_rows(tiles: list[KpiTile]) -> list[tuple[str, str, str, str, str]]:
    """The success criteria as table rows: measure, result, target, status, what it is based on.
    Each value is the tile's own display text, so a hidden figure stays hidden."""
    status = {True: "Target met", False: "Target not met", None: "–"}
    return [
        (
            tile.label,
            tile_value(tile),
            tile.display_target.removeprefix("Target: "),
            status[tile.met],
            tile.detail,
        )
        for tile in tiles
    ]


# --- HTML ----------------------------------------------------------------------------------------

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222;
       max-width: 980px; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
h1 { margin-bottom: .2rem; } .meta { color: #666; margin-top: 0; }
.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); gap: 12px; }
.tile { border: 1px solid #ddd; border-left: 6px solid #999; border-radius: 6px; padding: 10px; }
.tile.met { border-left-color: #009E73; } .tile.missed { border-left-color: #D55E00; }
.tile .value { font-size: 1.8rem; font-weight: 600; } .tile .label { font-weight: 600; }
.tile .target, .tile .detail, figcaption, .note { color: #555; font-size: .9rem; }
figure { margin: 2rem 0; } figure svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; } td, th { padding: 4px 10px; border-bottom: 1px solid #eee;
text-align: left; } footer { margin-top: 3rem; color: #666; font-size: .85rem; }
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _tile_html(tile: KpiTile) -> str:
    state = {True: "met", False: "missed", None: "open"}[tile.met]
    verdict = {True: "Target met", False: "Target not met", None: ""}[tile.met]
    value = "" if tile.value is None else repr(tile.value)
    target = "" if tile.target is None else repr(tile.target)
    return (
        f'<div class="tile {state}" data-kpi="{_e(tile.key)}" data-value="{value}" '
        f'data-target="{target}" data-met="{str(tile.met).lower()}">'
        f'<div class="label">{_e(tile.label)}</div>'
        f'<div class="value">{_e(tile_value(tile))}</div>'
        f'<div class="target">{_e(tile.display_target)}'
        f"{' · ' + verdict if verdict else ''}</div>"
        f'<div class="detail">{_e(tile.detail)}</div></div>'
    )


def _table_html(df: pd.DataFrame, columns: dict[str, str]) -> str:
    head = "".join(f"<th>{_e(label)}</th>" for label in columns.values())
    rows = []
    for _, row in df.iterrows():
        cells = []
        for column in columns:
            value = row[column]
            if pd.isna(value):
                text = "–"
            elif isinstance(value, float):
                text = f"{value:.1f}"
            else:
                text = str(value)
            cells.append(f"<td>{_e(text)}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _filters_text(filters: DashboardFilters) -> str | None:
    parts = []
    for label, values in (
        ("Departments", filters.departments),
        ("Career stages", filters.career_stages),
        ("Topic categories", filters.topic_categories),
    ):
        if values:
            parts.append(f"{label}: {', '.join(values)}")
    if filters.date_from or filters.date_to:
        start = long_day(filters.date_from) if filters.date_from else "…"
        end = long_day(filters.date_to) if filters.date_to else "…"
        parts.append(f"Dates: {start} to {end}")
    return "; ".join(parts) or None


def render_report_html(content: ReportContent) -> str:
    import vl_convert as vlc  # only when a report is asked for: the page never needs it

    data, pilot = content.data, content.pilot
    charts = dashboard_charts(data)
    figures = []
    notes, empty = chart_notes(data), empty_charts(data)
    for key, chart in charts.items():
        if key in empty:
            figures.append(
                f'<figure class="empty"><h3>{_e(CHART_TITLES[key])}</h3>'
                f'<p class="note">{_e(empty[key])}</p></figure>'
            )
            continue
        svg = vlc.vegalite_to_svg(chart.to_dict())
        note = notes.get(key)
        caption = CHART_CAPTIONS[key] + (f" {note}" if note else "")
        figures.append(f"<figure>{svg}<figcaption>{_e(caption)}</figcaption></figure>")
    table = commitment_table(data.commitment)
    commitment = _table_html(table, {c: c for c in COMMITMENT_COLUMNS})
    stages = visible(data.career_stage_pairs)
    stage_note = hidden_note(data.career_stage_pairs, "combinations")
    filters = _filters_text(data.frames.filters)
    purpose = "".join(f"<p>{_e(p)}</p>" for p in pilot.purpose.split("\n\n") if p.strip())
    items = "".join(f"<li>{_e(line)}</li>" for line in content.highlights)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Results: {_e(pilot.name)}</title><style>{STYLE}</style></head>
<body>
<header><h1>{_e(pilot.name)}</h1>
<p class="meta">Results as of {_e(long_day(data.frames.as_of))} · pilot from
{_e(long_day(pilot.start_date))} to {_e(long_day(pilot.end_date))}</p>
{f'<p class="note">Filtered to {_e(filters)}</p>' if filters else ""}
<section class="purpose">{purpose}</section></header>
<section><h2>Success criteria</h2><div class="tiles">
{"".join(_tile_html(t) for t in content.tiles)}</div></section>
<section><h2>Highlights</h2><ul>{items}</ul></section>
<section><h2>Results</h2>{"".join(figures)}</section>
<section><h2>Leadership commitment</h2>{commitment}</section>
<section><h2>Who was paired with whom</h2>
{_table_html(stages, {"label": "Mentor → mentee career stage", "pairs": "Pairs"})}
{f'<p class="note">{_e(stage_note)}</p>' if stage_note else ""}</section>
<footer>Figures for groups of fewer than {pilot.privacy_threshold} people are not shown.
This report contains no names and no written feedback.</footer>
</body></html>
"""


def build_report_html(
    actor: Actor,
    pilot_id: int,
    *,
    session: Session,
    filters: DashboardFilters | None = None,
    as_of: date | None = None,
) -> str:
    """The pilot's results as one self-contained HTML page, for its admins to publish."""
    content = report_content(actor, pilot_id, session=session, filters=filters, as_of=as_of)
    _audit_export(actor, pilot_id, "html", filters, session=session)
    return render_report_html(content)


def _audit_export(
    actor: Actor, pilot_id: int, fmt: str, filters: DashboardFilters | None, *, session: Session
) -> None:
    from core.privacy.audit import filters_record, record

    after = {"filters": filters_record(filters)}
    record(session, actor, f"export.report_{fmt}", pilot_id, {}, after)


# --- PDF -----------------------------------------------------------------------------------------


def render_report_pdf(content: ReportContent) -> bytes:
    import vl_convert as vlc  # only when a report is asked for: the page never needs it

    from core.dashboard.pdf import PortalPdf

    data, pilot = content.data, content.pilot
    pdf = PortalPdf(page_numbers=True)
    pdf.set_title(pdf.safe(f"Results: {pilot.name}"))
    pdf.set_author(pdf.safe(pilot.name))
    pdf.add_page()
    pdf.paragraph(pilot.name, size=20, bold=True, gap=1)
    pdf.paragraph(
        f"Results as of {long_day(data.frames.as_of)} · pilot from "
        f"{long_day(pilot.start_date)} to {long_day(pilot.end_date)}",
        size=9.5,
        muted=True,
    )
    if filters := _filters_text(data.frames.filters):
        pdf.paragraph(f"Filtered to {filters}", size=9.5, muted=True)
    for part in pilot.purpose.split("\n\n"):
        if part.strip():
            pdf.paragraph(part.strip())

    pdf.heading("Success criteria")
    pdf.grid(
        ("Measure", "Result", "Target", "Status", "Based on"),
        tile_rows(content.tiles),
        widths=(42, 24, 32, 28, 48),
    )
    if content.highlights:
        pdf.heading("Highlights")
        pdf.bullets(content.highlights)
    pdf.heading("Leadership commitment")
    pdf.grid(
        COMMITMENT_COLUMNS,
        commitment_table(data.commitment).itertuples(index=False),
        widths=(96, 26, 26, 26),
    )
    stages = visible(data.career_stage_pairs)
    pdf.heading("Who was paired with whom")
    if stages.empty:
        pdf.paragraph("No matched pairs to show yet.", muted=True)
    else:
        pdf.grid(
            ("Mentor → mentee career stage", "Pairs"),
            [(row.label, str(row.pairs)) for row in stages.itertuples()],
            widths=(140, 34),
        )
    if note := hidden_note(data.career_stage_pairs, "combinations"):
        pdf.paragraph(note, size=8.5, muted=True)

    pdf.heading("Results")
    notes, empty = chart_notes(data), empty_charts(data)
    for key, chart in dashboard_charts(data).items():
        if key in empty:
            pdf.subheading(CHART_TITLES[key])
            pdf.paragraph(empty[key], size=9.5, muted=True, gap=4)
            continue
        png = vlc.vegalite_to_png(chart.to_dict(), scale=2)
        pdf.figure(png, CHART_CAPTIONS[key], notes.get(key))
    pdf.paragraph(
        f"Figures for groups of fewer than {pilot.privacy_threshold} people are not shown. "
        "This report contains no names and no written feedback.",
        size=8.5,
        muted=True,
    )
    return bytes(pdf.output())


def build_report_pdf(
    actor: Actor,
    pilot_id: int,
    *,
    session: Session,
    filters: DashboardFilters | None = None,
    as_of: date | None = None,
) -> bytes:
    """The same results as `build_report_html`, as a PDF with the charts as images."""
    content = report_content(actor, pilot_id, session=session, filters=filters, as_of=as_of)
    _audit_export(actor, pilot_id, "pdf", filters, session=session)
    return render_report_pdf(content)
