"""Matching runs and pairs.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0002"
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('matchrun',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pilot_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('objective', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('weights', sa.JSON(), nullable=False),
    sa.Column('total_score', sa.Float(), nullable=False),
    sa.Column('matched', sa.Integer(), nullable=False),
    sa.Column('mentees', sa.Integer(), nullable=False),
    sa.Column('proved_optimal', sa.Boolean(), nullable=False),
    sa.Column('unmatched', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['pilot_id'], ['pilot.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('matchrun', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_matchrun_pilot_id'), ['pilot_id'], unique=False)
    op.create_table('pair',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pilot_id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('mentee_enrollment_id', sa.Integer(), nullable=False),
    sa.Column('mentor_enrollment_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('uncovered', sa.JSON(), nullable=False),
    sa.Column('alternatives', sa.JSON(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('locked', sa.Boolean(), nullable=False),
    sa.Column('mentee_response', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('mentor_response', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('decline_reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('declined_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('published_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('accepted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('ended_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['declined_by_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['mentee_enrollment_id'], ['enrollment.id'], ),
    sa.ForeignKeyConstraint(['mentor_enrollment_id'], ['enrollment.id'], ),
    sa.ForeignKeyConstraint(['pilot_id'], ['pilot.id'], ),
    sa.ForeignKeyConstraint(['run_id'], ['matchrun.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('pair', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pair_mentee_enrollment_id'), ['mentee_enrollment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pair_mentor_enrollment_id'), ['mentor_enrollment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pair_pilot_id'), ['pilot_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pair_status'), ['status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('pair', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pair_status'))
        batch_op.drop_index(batch_op.f('ix_pair_pilot_id'))
        batch_op.drop_index(batch_op.f('ix_pair_mentor_enrollment_id'))
        batch_op.drop_index(batch_op.f('ix_pair_mentee_enrollment_id'))

    op.drop_table('pair')
    with op.batch_alter_table('matchrun', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_matchrun_pilot_id'))

    op.drop_table('matchrun')
