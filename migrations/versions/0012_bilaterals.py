"""bilateral meetings between delegations

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('bilateral_settings',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('delegations_book_rooms', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_bilateral_settings_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', name=op.f('pk_bilateral_settings'))
    )
    op.create_table('bilateral_rooms',
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_bilateral_rooms_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['room_id'], ['rooms.id'], name=op.f('fk_bilateral_rooms_room_id_rooms'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('room_id', name=op.f('pk_bilateral_rooms'))
    )
    with op.batch_alter_table('bilateral_rooms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bilateral_rooms_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('bilaterals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('requester_id', sa.Integer(), nullable=False),
    sa.Column('counterpart_id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('awaiting', sa.String(length=32), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('room_id', sa.Integer(), nullable=True),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('requester_id <> counterpart_id', name=op.f('ck_bilaterals_two_delegations')),
    sa.CheckConstraint('ends_at IS NULL OR ends_at > starts_at', name=op.f('ck_bilaterals_ends_after_start')),
    sa.CheckConstraint('duration_minutes > 0', name=op.f('ck_bilaterals_positive_duration')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_bilaterals_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requester_id'], ['delegations.id'], name=op.f('fk_bilaterals_requester_id_delegations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['counterpart_id'], ['delegations.id'], name=op.f('fk_bilaterals_counterpart_id_delegations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['room_id'], ['rooms.id'], name=op.f('fk_bilaterals_room_id_rooms'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_bilaterals_requested_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bilaterals'))
    )
    with op.batch_alter_table('bilaterals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bilaterals_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bilaterals_requester_id'), ['requester_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bilaterals_counterpart_id'), ['counterpart_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bilaterals_room_id'), ['room_id'], unique=False)
        batch_op.create_index('ix_bilaterals_meeting_starts', ['meeting_id', 'starts_at'], unique=False)

    op.create_table('bilateral_proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bilateral_id', sa.Integer(), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('side', sa.String(length=32), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['bilateral_id'], ['bilaterals.id'], name=op.f('fk_bilateral_proposals_bilateral_id_bilaterals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bilateral_proposals'))
    )
    with op.batch_alter_table('bilateral_proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bilateral_proposals_bilateral_id'), ['bilateral_id'], unique=False)

    op.create_table('bilateral_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bilateral_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('side', sa.String(length=32), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('locale', sa.String(length=10), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['bilateral_id'], ['bilaterals.id'], name=op.f('fk_bilateral_steps_bilateral_id_bilaterals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_bilateral_steps_actor_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bilateral_steps'))
    )
    with op.batch_alter_table('bilateral_steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bilateral_steps_bilateral_id'), ['bilateral_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bilateral_steps_actor_id'), ['actor_id'], unique=False)


def downgrade():
    with op.batch_alter_table('bilateral_steps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bilateral_steps_actor_id'))
        batch_op.drop_index(batch_op.f('ix_bilateral_steps_bilateral_id'))
    op.drop_table('bilateral_steps')
    with op.batch_alter_table('bilateral_proposals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bilateral_proposals_bilateral_id'))
    op.drop_table('bilateral_proposals')
    with op.batch_alter_table('bilaterals', schema=None) as batch_op:
        batch_op.drop_index('ix_bilaterals_meeting_starts')
        batch_op.drop_index(batch_op.f('ix_bilaterals_room_id'))
        batch_op.drop_index(batch_op.f('ix_bilaterals_counterpart_id'))
        batch_op.drop_index(batch_op.f('ix_bilaterals_requester_id'))
        batch_op.drop_index(batch_op.f('ix_bilaterals_meeting_id'))
    op.drop_table('bilaterals')
    with op.batch_alter_table('bilateral_rooms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bilateral_rooms_meeting_id'))
    op.drop_table('bilateral_rooms')
    op.drop_table('bilateral_settings')
