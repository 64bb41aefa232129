"""Loading a pilot's frames: the ratings come as rows, read with one statement."""

from __future__ import annotations

from sqlalchemy import event

from core.dashboard.frames import load_frames
from core.models import Role
from tests.builders.dashboard import (  # noqa: F401
    AS_OF,
    DATA,
    GENAI,
    RESP_AI,
    STRATEGY,
    dashboard_template,
    world,
)


def test_ratings_are_the_checkins_rows_read_in_one_statement(world):
    session, built, _ = world
    seen: list[str] = []

    def count(conn, cursor, statement, *args):  # noqa: ANN001
        seen.append(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        frames = load_frames(built.admin, built.pilot_id, session=session, as_of=AS_OF)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len([s for s in seen if "checkinrating" in s.lower()]) == 1

    t, p = built.topics, built.pair_ids
    mentee, mentor = Role.MENTEE, Role.MENTOR
    rows = {
        (pair, role, phase, topic, rating)
        for pair, role, phase, topic, rating in frames.ratings[
            ["pair_id", "role", "phase", "topic_id", "rating"]
        ].itertuples(index=False)
    }
    # The hand-built check-ins of pairs 1 and 4 (tests/builders/dashboard.py).
    assert {r for r in rows if r[0] in (p["p1"], p["p4"])} == {
        (p["p1"], mentee, "start", t[GENAI], 2), (p["p1"], mentee, "start", t[DATA], 3),
        (p["p1"], mentee, "end", t[GENAI], 4), (p["p1"], mentee, "end", t[DATA], 4),
        (p["p1"], mentor, "start", t[STRATEGY], 2), (p["p1"], mentor, "end", t[STRATEGY], 4),
        (p["p4"], mentee, "start", t[GENAI], 3), (p["p4"], mentee, "start", t[RESP_AI], 1),
        (p["p4"], mentee, "end", t[GENAI], 4), (p["p4"], mentee, "end", t[RESP_AI], 2),
        (p["p4"], mentor, "start", t[STRATEGY], 1), (p["p4"], mentor, "end", t[STRATEGY], 3),
    }  # fmt: skip
    assert len(frames.ratings) == 6 + 5 + 1 + 6  # pairs 1 to 4, as built
