"""Reminders: invitation details on planned sessions, reminder preferences, unsubscribe links.

Revision ID: 0007
Revises: 0010
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0007"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("plannedsession", schema=None) as batch_op:
        batch_op.add_column(sa.Column("planned_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "time_zone",
                sqlmodel.sql.sqltypes.AutoString(length=64),
                nullable=False,
                server_default="UTC",
            )
        )
        batch_op.add_column(
            sa.Column("sequence", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column(
                "updated_at",
                sqlmodel.sql.sqltypes.UTCDateTime(),
                nullable=False,
                server_default=sa.func.current_timestamp(),
            )
        )
        batch_op.add_column(
            sa.Column("cancelled_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.create_foreign_key(
            "fk_plannedsession_planned_by_id_person", "person", ["planned_by_id"], ["id"]
        )
    op.create_table(
        "reminderpreference",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("frequency", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("person_id", "kind"),
    )
    with op.batch_alter_table("reminderpreference", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reminderpreference_person_id"), ["person_id"], unique=False
        )
    op.create_table(
        "unsubscribelink",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("used_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("unsubscribelink", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_unsubscribelink_person_id"), ["person_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("unsubscribelink", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_unsubscribelink_person_id"))
    op.drop_table("unsubscribelink")
    with op.batch_alter_table("reminderpreference", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reminderpreference_person_id"))
    op.drop_table("reminderpreference")
    with op.batch_alter_table("plannedsession", schema=None) as batch_op:
        batch_op.drop_constraint("fk_plannedsession_planned_by_id_person", type_="foreignkey")
        batch_op.drop_column("cancelled_at")
        batch_op.drop_column("updated_at")
        batch_op.drop_column("sequence")
        batch_op.drop_column("time_zone")
        batch_op.drop_column("planned_by_id")
