"""AppTest of the dashboard of a pilot that has just been created: every chart and tile says in
words that nothing is there yet, and nothing reads "None"."""

from __future__ import annotations

import re

from tests import builders
from tests.builders.apptest import app, texts


def test_an_empty_pilot_shows_sentences_not_blank_charts_or_none(db_url, session, monkeypatch):
    admin = builders.staff(session)
    pilot = builders.pilot(session, admin, name="Empty pilot")
    session.commit()
    monkeypatch.setenv("DATABASE_URL", db_url)
    at = app(admin, pilot.id).run()
    at.switch_page("pages/dashboard.py").run()
    assert not at.exception, at.exception

    assert len(at.get("vega_lite_chart")) == 0  # no empty chart frames
    shown = texts(at)
    assert "No figures yet" in shown
    for sentence in (
        "Nobody has been invited yet.",
        "No pairs matched yet.",
        "No sessions logged yet.",
        "No end-of-pilot check-ins yet.",
        "No matched pairs yet.",
    ):
        assert sentence in shown
    assert {m.value for m in at.metric} == {"Not yet"}
    (commitment,) = at.dataframe  # the page's one table
    table = commitment.value
    assert list(table.columns) == ["Measure", "Yes", "Of", "Share"]
    cells = [str(v) for v in table.to_numpy().ravel()]
    everything = "\n".join([shown, *cells, *(m.value for m in at.metric)])
    assert not re.search(r"\b(None|nan|NaN|NaT)\b", everything)
