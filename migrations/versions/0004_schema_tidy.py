"""Indexes where rows are filtered, ON DELETE rules, one holding pair per mentee, check-in ratings
as rows, uncovered goals by topic id.

Every row is kept. Two values change shape:
- `checkin.ratings` ({topic id: 1-5} as JSON) becomes rows of `checkinrating`. Entries the
  dashboard already skipped (a key that is not a topic id of the database, a value that is not a
  whole number from 1 to 5) are not carried over: they never counted anywhere.
- `pair.uncovered` held goal topic *names*; it now holds topic ids, looked up among the topics of
  the pair's own pilot (goal topics first). A name no topic of the pilot carries any more (the
  topic was renamed since) matched no goal before either, and is dropped.

The upgrade refuses, and changes nothing, when a mentee already holds two pairs at once (the new
unique index would not hold): end or reject the extra pairs first. On SQLite, tables are rebuilt
to change their foreign keys; migrations/env.py runs this with foreign keys off and in one
transaction, and the rebuilt tables are checked with PRAGMA foreign_key_check before commit.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Frozen copies of this revision's values: later edits of core.models must not change what this
# migration did.
HOLDING = ("active", "approved", "paused", "published", "suggested")
HOLDING_INDEX = "uq_pair_holding_mentee"
LEARN = "learn"

# table -> {foreign key column: ON DELETE rule}
ON_DELETE: dict[str, dict[str, str]] = {
    "topic": {"pilot_id": "CASCADE"},
    "enrollment": {"pilot_id": "CASCADE"},
    # Also by topic: PostgreSQL checks a NO ACTION key as soon as the pilot's delete reaches the
    # topic, before the enrollment's cascade has removed the goal.
    "learninggoal": {"enrollment_id": "CASCADE", "topic_id": "CASCADE"},
    "expertise": {"enrollment_id": "CASCADE", "topic_id": "CASCADE"},
    "matchrun": {"pilot_id": "CASCADE"},
    "pair": {
        "pilot_id": "CASCADE",
        "run_id": "SET NULL",
        "mentee_enrollment_id": "CASCADE",
        "mentor_enrollment_id": "CASCADE",
    },
    "milestone": {"pilot_id": "CASCADE"},
    "pairmilestone": {"pair_id": "CASCADE", "milestone_id": "CASCADE"},
    "mentoringsession": {"pair_id": "CASCADE"},
    "sessionnote": {"session_id": "CASCADE"},
    "candourpulse": {"session_id": "CASCADE"},
    "plannedsession": {"pair_id": "CASCADE"},
    "checkin": {"pair_id": "CASCADE"},
    "concern": {"pilot_id": "CASCADE", "pair_id": "CASCADE"},
    "pairevent": {"pair_id": "CASCADE"},
}
# Each repeats the leading column of its table's unique constraint, whose index serves it.
PREFIX_INDEXES: dict[str, list[tuple[str, list[str]]]] = {
    "topic": [("ix_topic_pilot_id", ["pilot_id"])],
    "enrollment": [("ix_enrollment_pilot_id", ["pilot_id"])],
    "learninggoal": [("ix_learninggoal_enrollment_id", ["enrollment_id"])],
    "expertise": [("ix_expertise_enrollment_id", ["enrollment_id"])],
    "pairmilestone": [("ix_pairmilestone_pair_id", ["pair_id"])],
    "sessionnote": [("ix_sessionnote_session_id", ["session_id"])],
    "candourpulse": [("ix_candourpulse_session_id", ["session_id"])],
    "checkin": [("ix_checkin_pair_id", ["pair_id"])],
}
# Foreign keys that queries filter on (or that a parent's delete looks up).
FILTER_INDEXES: dict[str, list[tuple[str, list[str]]]] = {
    "pairmilestone": [("ix_pairmilestone_milestone_id", ["milestone_id"])],
    "concern": [("ix_concern_pair_id", ["pair_id"])],
    "learninggoal": [("ix_learninggoal_topic_id", ["topic_id"])],
    "expertise": [("ix_expertise_topic_id", ["topic_id"])],
    "pair": [("ix_pair_run_id", ["run_id"])],
}

topic_t = sa.table(
    "topic", sa.column("id"), sa.column("pilot_id"), sa.column("kind"), sa.column("name")
)
pair_t = sa.table(
    "pair",
    sa.column("id"),
    sa.column("pilot_id"),
    sa.column("status"),
    sa.column("mentee_enrollment_id"),
    sa.column("uncovered", sa.JSON),
)
checkin_t = sa.table("checkin", sa.column("id"), sa.column("ratings", sa.JSON))
rating_t = sa.table(
    "checkinrating", sa.column("checkin_id"), sa.column("topic_id"), sa.column("rating")
)


def _is_sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _alter(
    table: str,
    rules: dict[str, str | None],
    drop_indexes: list[tuple[str, list[str]]],
    add_indexes: list[tuple[str, list[str]]],
    drop_columns: tuple[str, ...] = (),
) -> None:
    """Sets the ON DELETE rules of `table`'s foreign keys and swaps indexes.

    SQLite cannot alter a foreign key: the table is rebuilt from its reflected self with the new
    rules (batch mode, copy_from). PostgreSQL drops and re-adds each constraint under its name.
    """
    bind = op.get_bind()
    if _is_sqlite():
        reflected = sa.Table(table, sa.MetaData(), autoload_with=bind)
        for fk in reflected.foreign_key_constraints:
            (column,) = fk.column_keys
            if column in rules:
                fk.ondelete = rules[column]
        with op.batch_alter_table(table, recreate="always", copy_from=reflected) as batch:
            for name, _columns in drop_indexes:
                batch.drop_index(name)
            for name in drop_columns:
                batch.drop_column(name)
            for name, columns in add_indexes:
                batch.create_index(name, columns)
        return
    for fk in sa.inspect(bind).get_foreign_keys(table):
        (column,) = fk["constrained_columns"]
        if column in rules:
            op.drop_constraint(fk["name"], table, type_="foreignkey")
            op.create_foreign_key(
                fk["name"],
                table,
                fk["referred_table"],
                [column],
                fk["referred_columns"],
                ondelete=rules[column],
            )
    for name, _columns in drop_indexes:
        op.drop_index(name, table_name=table)
    for name in drop_columns:
        op.drop_column(table, name)
    for name, columns in add_indexes:
        op.create_index(name, table, columns)


def _check_foreign_keys() -> None:
    """A rebuilt SQLite table must still point at existing rows (foreign keys were off)."""
    if _is_sqlite():
        broken = op.get_bind().exec_driver_sql("PRAGMA foreign_key_check").all()
        if broken:
            raise RuntimeError(f"rows without their parent after the rebuild: {broken[:10]}")


def _refuse_double_holding() -> None:
    bind = op.get_bind()
    doubles = bind.execute(
        sa.select(pair_t.c.mentee_enrollment_id, sa.func.count())
        .where(pair_t.c.status.in_(HOLDING))
        .group_by(pair_t.c.mentee_enrollment_id)
        .having(sa.func.count() > 1)
        .order_by(pair_t.c.mentee_enrollment_id)
    ).all()
    if doubles:
        listed = ", ".join(f"enrollment {e} ({n} pairs)" for e, n in doubles)
        raise RuntimeError(
            "A mentee may hold one pair at a time, but these mentees hold several "
            f"({'/'.join(HOLDING)}): {listed}. End or reject the extra pairs, then upgrade again."
        )


def _topic_ids_by_name() -> dict[tuple[int, str], int]:
    """(pilot id, topic name) -> topic id; a goal (learn) topic wins over an offer topic."""
    found: dict[tuple[int, str], int] = {}
    rows = op.get_bind().execute(
        sa.select(topic_t.c.id, topic_t.c.pilot_id, topic_t.c.kind, topic_t.c.name).order_by(
            topic_t.c.id
        )
    )
    for topic_id, pilot_id, kind, name in sorted(rows, key=lambda r: r.kind != LEARN):
        found.setdefault((pilot_id, name), topic_id)
    return found


def _rewrite_uncovered(convert) -> None:  # noqa: ANN001
    bind = op.get_bind()
    rows = bind.execute(sa.select(pair_t.c.id, pair_t.c.pilot_id, pair_t.c.uncovered)).all()
    changes = []
    for pair_id, pilot_id, uncovered in rows:
        new = convert(pilot_id, list(uncovered or []))
        if new != (uncovered or []):
            changes.append({"pair": pair_id, "new": new})
    if changes:
        bind.execute(
            pair_t.update()
            .where(pair_t.c.id == sa.bindparam("pair"))
            .values(uncovered=sa.bindparam("new", type_=sa.JSON)),
            changes,
        )


def upgrade() -> None:
    bind = op.get_bind()
    _refuse_double_holding()

    op.create_table(
        "checkinrating",
        sa.Column("checkin_id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name="ck_checkinrating_rating"),
        sa.ForeignKeyConstraint(["checkin_id"], ["checkin.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["topic_id"], ["topic.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("checkin_id", "topic_id"),
    )
    topics = set(bind.execute(sa.select(topic_t.c.id)).scalars())
    ratings = []
    for checkin_id, given in bind.execute(sa.select(checkin_t.c.id, checkin_t.c.ratings)):
        for key, value in (given or {}).items():
            try:
                topic_id = int(key)
            except (TypeError, ValueError):
                continue
            whole = isinstance(value, int) and not isinstance(value, bool)
            if topic_id in topics and whole and 1 <= value <= 5:
                ratings.append({"checkin_id": checkin_id, "topic_id": topic_id, "rating": value})
    if ratings:
        bind.execute(rating_t.insert(), ratings)

    by_name = _topic_ids_by_name()

    def to_ids(pilot_id: int, uncovered: list) -> list[int]:
        ids = []
        for item in uncovered:
            topic_id = item if isinstance(item, int) else by_name.get((pilot_id, item))
            if topic_id is not None and topic_id not in ids:
                ids.append(topic_id)
        return ids

    _rewrite_uncovered(to_ids)

    for table, rules in ON_DELETE.items():
        _alter(
            table,
            dict(rules),
            PREFIX_INDEXES.get(table, []),
            FILTER_INDEXES.get(table, []),
            drop_columns=("ratings",) if table == "checkin" else (),
        )
    holding = sa.column("status").in_(HOLDING)
    op.create_index(
        HOLDING_INDEX,
        "pair",
        ["mentee_enrollment_id"],
        unique=True,
        sqlite_where=holding,
        postgresql_where=holding,
    )
    _check_foreign_keys()


def downgrade() -> None:
    bind = op.get_bind()
    op.drop_index(HOLDING_INDEX, table_name="pair")
    for table, rules in ON_DELETE.items():
        _alter(
            table,
            dict.fromkeys(rules),
            FILTER_INDEXES.get(table, []),
            PREFIX_INDEXES.get(table, []),
        )
    with op.batch_alter_table("checkin") as batch:
        batch.add_column(sa.Column("ratings", sa.JSON(), nullable=True))
    given: dict[int, dict[str, int]] = {}
    for checkin_id, topic_id, rating in bind.execute(
        sa.select(rating_t.c.checkin_id, rating_t.c.topic_id, rating_t.c.rating).order_by(
            rating_t.c.checkin_id, rating_t.c.topic_id
        )
    ):
        given.setdefault(checkin_id, {})[str(topic_id)] = rating
    checkins = bind.execute(sa.select(checkin_t.c.id)).scalars().all()
    if checkins:
        bind.execute(
            checkin_t.update()
            .where(checkin_t.c.id == sa.bindparam("checkin"))
            .values(ratings=sa.bindparam("given", type_=sa.JSON)),
            [{"checkin": c, "given": given.get(c, {})} for c in checkins],
        )
    with op.batch_alter_table("checkin") as batch:
        batch.alter_column("ratings", existing_type=sa.JSON(), nullable=False)
    op.drop_table("checkinrating")

    names = {
        (pilot_id, topic_id): name
        for topic_id, pilot_id, name in bind.execute(
            sa.select(topic_t.c.id, topic_t.c.pilot_id, topic_t.c.name)
        )
    }

    def to_names(pilot_id: int, uncovered: list) -> list[str]:
        return [names[(pilot_id, t)] for t in uncovered if (pilot_id, t) in names]

    _rewrite_uncovered(to_names)
    _check_foreign_keys()
