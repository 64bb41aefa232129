"""Data versions: one counter per pilot, bumped by every write, that cached page data is keyed by.

Revision ID: 0011
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dataversion",
        sa.Column("pilot_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("pilot_id"),
    )


def downgrade() -> None:
    op.drop_table("dataversion")
