"""Tables people read. No raw field names on screen: every page each role reaches, rendered on
the sample pilot, is scanned for `snake_case` identifiers (`mentee_name`, `days_overdue`) in
what a person reads as a name for something: table column labels, widget labels and options,
headings, tabs, expanders and metric labels. And the tables that matter most keep their key
columns pinned and their reasons readable."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Dataframe, Node

from core.auth import actor_for
from core.db import make_engine
from core.models import Enrollment, Pair, Person
from core.sample.pilot import load_sample_pilot
from tests.builders import directory, staff
from tests.builders.apptest import app
from tests.pages.tabs import open_tab, tab_labels
from ui.navigation import ACCOUNT_PAGES, ADMIN_PAGES, MENTEE_PAGES, MENTOR_PAGES, STAFF_PAGES

SNAKE_CASE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
# What Streamlit draws as an icon or a colour, not as words: `:material/check_circle:`, `:green[`.
ICON_MARKUP = re.compile(r":material/[a-z0-9_]+:|:[a-z]+\[|\]")
MENTEE_EMAIL = "lucas.jensen@sample.example.com"
MENTOR_EMAIL = "hiroshi.adeyemi@sample.example.com"
ROLE_PAGES = {
    "admin": ADMIN_PAGES + STAFF_PAGES + ACCOUNT_PAGES,
    "mentee": MENTEE_PAGES + ACCOUNT_PAGES,
    "mentor": MENTOR_PAGES + ACCOUNT_PAGES,
}
HEADINGS = {"title", "header", "subheader"}


def column_labels(table: Dataframe) -> list[str]:
    """The headers a person sees: the configured label, else the frame's column name; hidden
    columns and a hidden index are not on screen."""
    config = json.loads(table.proto.columns or "{}")
    order = list(table.proto.column_order) or [str(c) for c in table.value.columns]
    labels = []
    for name in order:
        column = config.get(name, {})
        if column.get("hidden"):
            continue
        labels.append(column.get("label") or name)
    return labels


def shown_names(at: AppTest) -> Iterator[tuple[str, str]]:
    """(where, text) for every name-like text on the page, sidebar included."""
    node: Node
    for node in at._tree:
        kind = getattr(node, "type", "")
        if isinstance(node, Dataframe):
            for label in column_labels(node):
                yield "table column", label
        if kind in HEADINGS:
            yield kind, str(node.value)
        label = getattr(node, "label", None)
        if isinstance(label, str):
            yield f"{kind} label", label
        for option in getattr(node, "options", None) or []:
            yield f"{kind} option ({getattr(node, 'key', None)})", str(option)


def field_names(at: AppTest) -> list[str]:
    return [
        f"{where}: {text!r}"
        for where, text in shown_names(at)
        if SNAKE_CASE.search(ICON_MARKUP.sub(" ", text))
    ]


def test_the_scan_finds_a_raw_column_name_and_passes_a_human_one(monkeypatch, db_url):
    """The scanner itself: a frame shown as built is caught, the same frame relabelled (the
    second table) is not."""
    script = Path(db_url.removeprefix("sqlite:///")).with_name("table_page.py")
    script.write_text(
        "import pandas as pd\nimport streamlit as st\n"
        "frame = pd.DataFrame({'mentee_name': ['A'], 'days_overdue': [3]})\n"
        "st.dataframe(frame, key='raw')\n"
        "st.dataframe(frame, key='human', hide_index=True, column_config={\n"
        "    'mentee_name': 'Mentee', 'days_overdue': 'Days overdue'})\n"
        "st.metric('Sessions logged', 3)\n"
    )
    at = AppTest.from_file(str(script), default_timeout=30).run()
    found = field_names(at)
    assert found == ["table column: 'mentee_name'", "table column: 'days_overdue'"]


@pytest.fixture(scope="module")
def sample_world(tmp_path_factory, migrated_template):
    """One copy of the sample pilot for the whole module: the pages only read it."""
    import shutil

    path = tmp_path_factory.mktemp("sample") / "portal.db"
    shutil.copyfile(migrated_template, path)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as session:
        admin = staff(session)
        pilot = load_sample_pilot(admin, session=session)
        session.commit()
        world = {"url": url, "pilot_id": pilot.id, "admin": admin}
        for role, email in (("mentee", MENTEE_EMAIL), ("mentor", MENTOR_EMAIL)):
            person = session.exec(select(Person).where(Person.email == email)).one()
            world[role] = actor_for(person)
        mentee = session.exec(
            select(Enrollment).where(
                Enrollment.pilot_id == pilot.id, Enrollment.person_id == world["mentee"].person_id
            )
        ).one()
        world["enrollment_id"] = mentee.id
        world["pair_id"] = session.exec(
            select(Pair.id).where(Pair.mentee_enrollment_id == mentee.id)
        ).first()
    engine.dispose()
    return world


BAD_ROSTER = (
    Path(__file__).resolve().parents[2].joinpath("docs", "roster-example.csv").read_bytes()
    + b"not-an-email,Bo,boss,,x,,,,,\n"
)


def _roster_preview(at: AppTest, world: dict) -> None:
    open_tab(at, "participants_tabs", "Import a roster")
    at.file_uploader(key="participants_roster_file").set_value(
        ("roster.csv", BAD_ROSTER, "text/csv")
    ).run()
    open_tab(at, "participants_tabs", "Everyone")
    at.selectbox(key="participants_detail_who").set_value(world["enrollment_id"]).run()


def _pair_details(at: AppTest, world: dict) -> None:
    at.selectbox(key="matching_detail_pair").set_value(world["pair_id"]).run()


def _directory_preview(at: AppTest, world: dict) -> None:
    at.file_uploader(key="directory_file").set_value(
        ("workday.csv", directory.workday_csv(), "text/csv")
    ).run()


# Pages whose tabs draw only the open one: each tab is opened and read.
LAZY_TABS = {"pages/participants.py": "participants_tabs", "pages/progress.py": "progress_tabs"}
# What appears only once the person does something: an upload, a choice in a list.
AFTER = {
    "pages/participants.py": _roster_preview,
    "pages/matching.py": _pair_details,
    "pages/directory.py": _directory_preview,
}


@pytest.mark.parametrize("role", sorted(ROLE_PAGES))
def test_no_page_shows_a_raw_field_name(monkeypatch, sample_world, role):
    monkeypatch.setenv("DATABASE_URL", sample_world["url"])
    at = app(sample_world[role], sample_world["pilot_id"]).run()
    found = {}
    for file, title, _icon in ROLE_PAGES[role]:
        at.switch_page(file).run()
        names = field_names(at)
        if file in LAZY_TABS:
            for tab in tab_labels(at, LAZY_TABS[file]):
                names += field_names(open_tab(at, LAZY_TABS[file], tab))
        if file in AFTER:
            AFTER[file](at, sample_world)
            names += field_names(at)
        assert not at.exception, f"{title}: {at.exception}"
        if names:
            found[title] = sorted(set(names))
    assert not found, "raw field names on screen:\n" + "\n".join(
        f"{title}: {name}" for title, names in found.items() for name in names
    )


def test_the_review_table_keeps_the_decisions_next_to_the_pair(monkeypatch, sample_world):
    """Action and New mentor follow the pinned mentee, before the long reasons, which wrap; a
    pair's reasons are there in full below the table."""
    monkeypatch.setenv("DATABASE_URL", sample_world["url"])
    at = app(sample_world["admin"], sample_world["pilot_id"]).run()
    at.switch_page("pages/matching.py").run()
    [review] = [t for t in at.dataframe if "Why this pair" in t.value.columns]
    shown = column_labels(review)
    assert shown[:4] == ["Mentee", "Action", "New mentor", "Mentor"]
    assert shown.index("Why this pair") < shown.index("Goals not covered")
    config = json.loads(review.proto.columns)
    assert config["Mentee"]["pinned"] is True
    assert review.proto.row_height > 64  # the grid wraps text only in rows taller than 4rem

    at.selectbox(key="matching_detail_pair").set_value(sample_world["pair_id"]).run()
    cell = review.value.set_index("pair_id").loc[sample_world["pair_id"], "Why this pair"]
    lines = [str(n.value) for n in at._tree if getattr(n, "type", "") == "text"]
    reasons = cell.split(" · ")
    assert len(reasons) >= 2
    assert all(f"• {reason}" in lines for reason in reasons)


def test_progress_tables_name_their_columns_and_pin_the_pair(monkeypatch, sample_world):
    monkeypatch.setenv("DATABASE_URL", sample_world["url"])
    at = app(sample_world["admin"], sample_world["pilot_id"]).run()
    at.switch_page("pages/progress.py").run()
    tables = {}  # each tab draws its tables only while it is open
    for tab in ("Pairs", "At risk", "Check-ins"):
        open_tab(at, "progress_tabs", tab)
        tables.update({tuple(column_labels(t)): t for t in at.dataframe})
    overdue = next(t for labels, t in tables.items() if "Days overdue" in labels)
    assert column_labels(overdue) == ["Mentee", "Mentor", "Milestone", "Due", "Days overdue"]
    checkins = next(t for labels, t in tables.items() if "Mentee: start check-in" in labels)
    for table in (overdue, checkins):
        config = json.loads(table.proto.columns)
        assert config["mentee_name" if table is overdue else "mentee"]["pinned"] is True
