"""Milestones, sessions, private notes, check-ins, pulses, concerns.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0003"
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('milestone',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pilot_id', sa.Integer(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('scope', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('completed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['completed_by_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['pilot_id'], ['pilot.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('milestone', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_milestone_pilot_id'), ['pilot_id'], unique=False)
    op.create_table('mentoringsession',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('topic_ids', sa.JSON(), nullable=False),
    sa.Column('takeaways', sa.Text(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['pair_id'], ['pair.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('mentoringsession', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentoringsession_held_on'), ['held_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentoringsession_pair_id'), ['pair_id'], unique=False)
    op.create_table('sessionnote',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['session_id'], ['mentoringsession.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('session_id', 'author_id')
    )
    with op.batch_alter_table('sessionnote', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sessionnote_session_id'), ['session_id'], unique=False)
    op.create_table('candourpulse',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['session_id'], ['mentoringsession.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('session_id', 'person_id')
    )
    with op.batch_alter_table('candourpulse', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_candourpulse_session_id'), ['session_id'], unique=False)
    op.create_table('plannedsession',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.ForeignKeyConstraint(['pair_id'], ['pair.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('plannedsession', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plannedsession_pair_id'), ['pair_id'], unique=False)
    op.create_table('checkin',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('phase', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('ratings', sa.JSON(), nullable=False),
    sa.Column('satisfaction', sa.Integer(), nullable=True),
    sa.Column('would_recommend', sa.Boolean(), nullable=True),
    sa.Column('take_part_again', sa.Boolean(), nullable=True),
    sa.Column('feedback', sa.Text(), nullable=False),
    sa.Column('share_feedback', sa.Boolean(), nullable=False),
    sa.Column('submitted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['pair_id'], ['pair.id'], ),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('pair_id', 'person_id', 'phase')
    )
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checkin_pair_id'), ['pair_id'], unique=False)
    op.create_table('concern',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pilot_id', sa.Integer(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=False),
    sa.Column('raised_by_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('resolved_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['pair_id'], ['pair.id'], ),
    sa.ForeignKeyConstraint(['pilot_id'], ['pilot.id'], ),
    sa.ForeignKeyConstraint(['raised_by_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('concern', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_concern_pilot_id'), ['pilot_id'], unique=False)
    op.create_table('pairevent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['pair_id'], ['pair.id'], ),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('pairevent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pairevent_pair_id'), ['pair_id'], unique=False)
    op.create_table('pairmilestone',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=False),
    sa.Column('milestone_id', sa.Integer(), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=False),
    sa.Column('completed_by_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['completed_by_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['milestone_id'], ['milestone.id'], ),
    sa.ForeignKeyConstraint(['pair_id'], ['pair.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('pair_id', 'milestone_id')
    )
    with op.batch_alter_table('pairmilestone', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pairmilestone_pair_id'), ['pair_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('pairmilestone', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pairmilestone_pair_id'))

    op.drop_table('pairmilestone')
    with op.batch_alter_table('pairevent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pairevent_pair_id'))

    op.drop_table('pairevent')
    with op.batch_alter_table('concern', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_concern_pilot_id'))

    op.drop_table('concern')
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checkin_pair_id'))

    op.drop_table('checkin')
    with op.batch_alter_table('plannedsession', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plannedsession_pair_id'))

    op.drop_table('plannedsession')
    with op.batch_alter_table('candourpulse', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candourpulse_session_id'))

    op.drop_table('candourpulse')
    with op.batch_alter_table('sessionnote', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sessionnote_session_id'))

    op.drop_table('sessionnote')
    with op.batch_alter_table('mentoringsession', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentoringsession_pair_id'))
        batch_op.drop_index(batch_op.f('ix_mentoringsession_held_on'))

    op.drop_table('mentoringsession')
    with op.batch_alter_table('milestone', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_milestone_pilot_id'))

    op.drop_table('milestone')
