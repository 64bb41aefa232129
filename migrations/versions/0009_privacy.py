"""Privacy: the audit trail, the check-in's "we need help" answer, erased people, retention.

Revision ID: 0009
Revises: 0006
Create Date: 2026-12-01 21:40:30.915476
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0009'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('auditentry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('pilot_id', sa.Integer(), nullable=True),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('before', sa.JSON(), nullable=False),
    sa.Column('after', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['pilot_id'], ['pilot.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['subject_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('auditentry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_auditentry_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_auditentry_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_auditentry_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_auditentry_pilot_id'), ['pilot_id'], unique=False)

    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.add_column(sa.Column('needs_help', sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erased_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))

    with op.batch_alter_table('pilot', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retention_days', sa.Integer(), nullable=False, server_default='90'))
        batch_op.add_column(sa.Column('closed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('pilot', schema=None) as batch_op:
        batch_op.drop_column('closed_at')
        batch_op.drop_column('retention_days')

    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_column('erased_at')

    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.drop_column('needs_help')

    with op.batch_alter_table('auditentry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_auditentry_pilot_id'))
        batch_op.drop_index(batch_op.f('ix_auditentry_created_at'))
        batch_op.drop_index(batch_op.f('ix_auditentry_actor_id'))
        batch_op.drop_index(batch_op.f('ix_auditentry_action'))

    op.drop_table('auditentry')
