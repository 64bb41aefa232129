"""Pilots, people, enrollments, topics, goals and expertise.

Revision ID: 0001
Revises: 
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('job_title', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('grade', sa.Integer(), nullable=True),
    sa.Column('department', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('manager_email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True),
    sa.Column('time_zone', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('career_stage', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('password_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('is_staff', sa.Boolean(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_email'), ['email'], unique=True)
        batch_op.create_index(batch_op.f('ix_person_manager_email'), ['manager_email'], unique=False)
    op.create_table('pilot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('focus_areas', sa.JSON(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('sponsor_name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('sponsor_email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('sponsor_signed_off', sa.Boolean(), nullable=False),
    sa.Column('invite_code', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('min_grade_gap', sa.Integer(), nullable=False),
    sa.Column('match_weights', sa.JSON(), nullable=False),
    sa.Column('match_objective', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('orientation_required', sa.Boolean(), nullable=False),
    sa.Column('inactivity_days', sa.Integer(), nullable=False),
    sa.Column('privacy_threshold', sa.Integer(), nullable=False),
    sa.Column('success_criteria', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('published_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('pilot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pilot_invite_code'), ['invite_code'], unique=True)
    op.create_table('enrollment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pilot_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('availability', sa.JSON(), nullable=False),
    sa.Column('offers', sa.JSON(), nullable=False),
    sa.Column('wants', sa.JSON(), nullable=False),
    sa.Column('learn_back_note', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('opted_out', sa.Boolean(), nullable=False),
    sa.Column('consent', sa.Boolean(), nullable=False),
    sa.Column('orientation_completed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('invited_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('joined_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('withdrawn_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['pilot_id'], ['pilot.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('pilot_id', 'person_id')
    )
    with op.batch_alter_table('enrollment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enrollment_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enrollment_pilot_id'), ['pilot_id'], unique=False)
    op.create_table('topic',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pilot_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('category', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['pilot_id'], ['pilot.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('pilot_id', 'kind', 'name')
    )
    with op.batch_alter_table('topic', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_topic_pilot_id'), ['pilot_id'], unique=False)
    op.create_table('expertise',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollment.id'], ),
    sa.ForeignKeyConstraint(['topic_id'], ['topic.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('enrollment_id', 'topic_id')
    )
    with op.batch_alter_table('expertise', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_expertise_enrollment_id'), ['enrollment_id'], unique=False)
    op.create_table('learninggoal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('objective', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('preferred_format', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollment.id'], ),
    sa.ForeignKeyConstraint(['topic_id'], ['topic.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('enrollment_id', 'topic_id')
    )
    with op.batch_alter_table('learninggoal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_learninggoal_enrollment_id'), ['enrollment_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('learninggoal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_learninggoal_enrollment_id'))

    op.drop_table('learninggoal')
    with op.batch_alter_table('expertise', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_expertise_enrollment_id'))

    op.drop_table('expertise')
    with op.batch_alter_table('topic', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_topic_pilot_id'))

    op.drop_table('topic')
    with op.batch_alter_table('enrollment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enrollment_pilot_id'))
        batch_op.drop_index(batch_op.f('ix_enrollment_person_id'))

    op.drop_table('enrollment')
    with op.batch_alter_table('pilot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pilot_invite_code'))

    op.drop_table('pilot')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_manager_email'))
        batch_op.drop_index(batch_op.f('ix_person_email'))

    op.drop_table('person')
