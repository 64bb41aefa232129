"""Every figure built from answers is hidden below the privacy threshold, under any filter.

The hand-built pilot (tests.builders.dashboard) with its threshold raised to 5 and its five end
check-ins spread over five days, so a date range leaves 1, 4 or 5 people who answered:

    day         who  satisfaction  would recommend  take part again
    2026-06-16  m1   5             yes              yes
    2026-06-17  t1   4             yes              yes
    2026-06-18  m2   4             yes              no
    2026-06-19  m4   3             no               yes
    2026-06-20  t4   4             yes              (not answered)

All start check-ins are on 2026-01-08. Pulses (p1 only): m1 and t1, two people.
"""

from __future__ import annotations

import argparse
from datetime import date

import pandas as pd
import pytest
from sqlmodel import select

from core.cli.main import main
from core.dashboard.datasets import compute_dashboard
from core.dashboard.exports import export_tables
from core.dashboard.frames import DashboardFilters, load_frames
from core.dashboard.kpis import all_kpis
from core.dashboard.report import build_report_html
from core.errors import ValidationFailed
from core.models import CheckIn
from core.privacy.gate import gate
from tests.builders.dashboard import (  # noqa: F401
    AS_OF,
    at,
    dashboard_template,
    set_privacy_threshold,
    world,
)

END_DAYS = {"m1": 16, "t1": 17, "m2": 18, "m4": 19, "t4": 20}
ANSWER_TILES = {
    "avg_confidence_gain",
    "pct_mentees_more_confident",
    "avg_learned_back_gain",
    "avg_satisfaction",
    "pct_would_recommend",
    "pct_take_part_again",
    "pct_sessions_candid",
}


@pytest.fixture
def spread(world):
    session, built, url = world
    set_privacy_threshold(session, built.pilot_id, 5)
    for key, day in END_DAYS.items():
        checkin = session.exec(
            select(CheckIn).where(
                CheckIn.person_id == built.actors[key].person_id, CheckIn.phase == "end"
            )
        ).one()
        checkin.submitted_at = at(date(2026, 6, day))
        session.add(checkin)
    session.commit()
    return session, built, url


def tiles(session, built, filters):
    frames = load_frames(built.admin, built.pilot_id, filters, session=session, as_of=AS_OF)
    return {t.key: t for t in all_kpis(frames)}, frames


def test_the_gate_counts_distinct_people_not_answers():
    assert gate(4.0, [7, 7, 7, 7, 7], 5).value is None
    assert gate(4.0, [1, 2, 3, 4, 5], 5).value == 4.0
    hidden = gate(4.0, pd.Series([1, 1, 2]), 3)
    assert not hidden.shown and hidden.reason.startswith("Hidden: fewer than 3 people")


def test_a_one_day_range_no_longer_shows_one_persons_satisfaction(spread):
    """The leak: one day (t1's end check-in) showed "4.00 / 5 (1 end check-ins)"."""
    session, built, _ = spread
    by_key, _ = tiles(
        session, built, DashboardFilters(date_from=date(2026, 6, 17), date_to=date(2026, 6, 17))
    )
    tile = by_key["avg_satisfaction"]
    assert tile.value is None and tile.hidden
    assert tile.display_value == "hidden"
    assert tile.detail.startswith("Hidden: fewer than 5 people answered under these filters")
    assert "1 end check-in" not in tile.detail


def test_finance_no_longer_shows_would_recommend_of_three_people(spread):
    """The leak: Finance (6 participants, so the filter is allowed) showed "Would recommend"
    from the end check-ins of m1, t1 and m2 although the threshold is 5."""
    session, built, _ = spread
    by_key, frames = tiles(session, built, DashboardFilters(departments=("Finance",)))
    assert frames.checkins.loc[frames.checkins["phase"] == "end", "person_id"].nunique() == 3
    for key in ("pct_would_recommend", "avg_satisfaction", "pct_take_part_again"):
        assert by_key[key].value is None and by_key[key].hidden, key
    # Figures that are not answers stay: Finance's pairs and sessions.
    assert by_key["avg_sessions_per_pair"].value is not None


# (range end, people who answered at the end); the range starts on 1 January.
RANGES = [(16, 1), (19, 4), (20, 5)]


@pytest.mark.parametrize(("last_day", "people"), RANGES)
def test_every_answer_figure_under_a_range_leaving_1_4_or_5_people(spread, last_day, people):
    session, built, _ = spread
    filters = DashboardFilters(date_from=date(2026, 1, 1), date_to=date(2026, 6, last_day))
    by_key, frames = tiles(session, built, filters)
    data = compute_dashboard(frames)
    ends = frames.checkins.loc[frames.checkins["phase"] == "end"]
    assert ends["person_id"].nunique() == people

    # Tiles: at 5 people only satisfaction and recommendation reach the threshold; "take part
    # again" has 4 answers (t4 skipped it), mentees' confidence 3 (m1, m2, m4), mentors'
    # learning back 2 (t1, t4), pulses 2 (m1, t1).
    shown = {k for k in ANSWER_TILES if by_key[k].value is not None}
    assert shown == ({"avg_satisfaction", "pct_would_recommend"} if people == 5 else set())
    # Hidden with the reason wherever there was something to hide (at 1 person, some measures
    # simply have no answers yet: their "No ... yet" stays).
    assert all(by_key[k].value is None for k in ANSWER_TILES - shown)
    if people == 5:
        assert all(by_key[k].hidden for k in ANSWER_TILES - shown)
    assert by_key["pct_sessions_candid"].hidden
    if people == 5:
        assert by_key["avg_satisfaction"].value == 4.0  # (5 + 4 + 4 + 3 + 4) / 5
        assert by_key["pct_would_recommend"].value == 80.0  # 4 of 5

    # The satisfaction table's overall row goes through the gate too; every group is smaller.
    table = data.satisfaction
    overall = table.iloc[0]
    assert bool(overall["hidden"]) == (people < 5)
    if people == 5:
        assert (overall["respondents"], overall["mean_satisfaction"]) == (5, 4.0)
    else:
        assert pd.isna(overall["mean_satisfaction"]) and pd.isna(overall["respondents"])
    assert table.iloc[1:]["hidden"].all()
    assert table.iloc[1:]["mean_satisfaction"].isna().all()

    # Per-topic learning: no topic has 5 people who rated it at both check-ins.
    for per_topic in (data.confidence, data.learned_back):
        assert per_topic["hidden"].all() and per_topic["gain"].isna().all()

    # Leadership commitment: "take part again" of mentees (at most 3) is hidden.
    again = data.commitment.set_index("measure").loc["mentees_take_part_again"]
    assert bool(again["hidden"]) and pd.isna(again["pct"]) and pd.isna(again["numerator"])


@pytest.mark.parametrize(("last_day", "people"), RANGES)
def test_the_report_and_the_exports_under_the_same_ranges(spread, last_day, people):
    session, built, _ = spread
    filters = DashboardFilters(date_from=date(2026, 1, 1), date_to=date(2026, 6, last_day))
    html = build_report_html(
        built.admin, built.pilot_id, session=session, filters=filters, as_of=AS_OF
    )
    satisfaction_tile = html.split('data-kpi="avg_satisfaction"', 1)[1].split("</div></div>", 1)[0]
    if people == 5:
        assert 'data-value="4.0"' in satisfaction_tile
    else:
        assert 'data-value=""' in satisfaction_tile and ">hidden<" in satisfaction_tile
    tables = export_tables(built.admin, built.pilot_id, session=session, filters=filters)
    answers = {"satisfaction", "would_recommend", "take_part_again", "rating", "feedback", "score"}
    assert not answers & set(tables["checkins"].columns)
    ends = tables["checkins"].loc[tables["checkins"]["phase"] == "end"]
    assert len(ends) == people  # who completed, never what they answered


@pytest.mark.parametrize(
    ("filters", "participants"),
    [
        (DashboardFilters(career_stages=("Mid career",)), 1),  # t3
        (DashboardFilters(departments=("HR", "Legal")), 4),  # m4, t4, m5, t5
    ],
)
def test_people_filters_leaving_1_or_4_people_are_refused(spread, filters, participants):
    session, built, _ = spread
    with pytest.raises(ValidationFailed) as refused:
        load_frames(built.admin, built.pilot_id, filters, session=session, as_of=AS_OF)
    assert f"only {participants} participants match" in str(refused.value.errors["filters"])


def test_a_people_filter_leaving_5_people_shows_no_answer_of_its_2_respondents(spread):
    session, built, _ = spread
    filters = DashboardFilters(career_stages=("Early career",))  # t1, t2, t4, t5, t6
    by_key, frames = tiles(session, built, filters)
    assert len(frames.participants) == 5
    assert all(by_key[k].value is None for k in ANSWER_TILES)
    assert compute_dashboard(frames).satisfaction["hidden"].all()


def test_the_export_command_takes_the_pages_filters(spread, tmp_path, monkeypatch):
    session, built, url = spread
    session.commit()
    monkeypatch.setenv("DATABASE_URL", url)
    out = tmp_path / "out"
    code = main(
        ["export", str(built.pilot_id), "--format", "html", "--out", str(out),
         "--department", "Finance", "--from", "2026-01-01", "--to", "2026-06-30"]
    )  # fmt: skip
    assert code == 0
    html = next(out.glob("*.html")).read_text()
    assert "Departments: Finance" in html and "Dates: 1 Jan 2026 to 30 Jun 2026" in html
    tile = html.split('data-kpi="pct_would_recommend"', 1)[1].split("</div></div>", 1)[0]
    assert 'data-value=""' in tile
    assert main(["export", str(built.pilot_id), "--format", "csv", "--out", str(out),
                 "--career-stage", "Mid career"]) == 2  # fmt: skip


def test_the_export_command_refuses_a_bad_date(capsys):
    with pytest.raises(SystemExit):
        main(["export", "1", "--format", "html", "--out", "x", "--from", "17/06/2026"])
    assert "is not a date: use YYYY-MM-DD" in capsys.readouterr().err
    assert isinstance(argparse.ArgumentTypeError("x"), Exception)
