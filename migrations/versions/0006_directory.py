"""The organisation directory: employee id, location and leavers on person; remembered mappings.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("employee_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.add_column(
            sa.Column(
                "location",
                sqlmodel.sql.sqltypes.AutoString(length=120),
                nullable=False,
                server_default="",
            )
        )
        batch_op.add_column(
            sa.Column("in_directory", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("is_leaver", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("left_on", sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f("ix_person_employee_id"), ["employee_id"], unique=True)
        batch_op.create_index(batch_op.f("ix_person_is_leaver"), ["is_leaver"], unique=False)
    op.create_table(
        "directorymapping",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("layout", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("headers", sa.JSON(), nullable=False),
        sa.Column("mapping", sa.JSON(), nullable=False),
        sa.Column("grades", sa.JSON(), nullable=False),
        sa.Column("zones", sa.JSON(), nullable=False),
        sa.Column("saved_by_id", sa.Integer(), nullable=True),
        sa.Column("saved_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["saved_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("directorymapping", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_directorymapping_layout"), ["layout"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("directorymapping", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_directorymapping_layout"))
    op.drop_table("directorymapping")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_is_leaver"))
        batch_op.drop_index(batch_op.f("ix_person_employee_id"))
        batch_op.drop_column("left_on")
        batch_op.drop_column("is_leaver")
        batch_op.drop_column("in_directory")
        batch_op.drop_column("location")
        batch_op.drop_column("employee_id")
