"""speakers' lists

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('speakers_lists',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('inscriptions_close_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('seconds_per_speaker', sa.Integer(), nullable=False),
    sa.Column('chairs_first', sa.Boolean(), nullable=False),
    sa.Column('is_published', sa.Boolean(), nullable=False),
    sa.Column('clock_started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('clock_used_ms', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('recent_action_keys', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('seconds_per_speaker > 0', name=op.f('ck_speakers_lists_positive_time_limit')),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_speakers_lists_session_id_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_speakers_lists')),
    sa.UniqueConstraint('session_id', name=op.f('uq_speakers_lists_session_id'))
    )
    op.create_table('speaker_inscriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('list_id', sa.Integer(), nullable=False),
    sa.Column('delegation_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=32), nullable=False),
    sa.Column('inscribed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('inscribed_by_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('spoken_ms', sa.Integer(), nullable=True),
    sa.Column('times_absent', sa.Integer(), nullable=False),
    sa.CheckConstraint('ended_at IS NULL OR started_at IS NOT NULL', name=op.f('ck_speaker_inscriptions_ends_after_start')),
    sa.ForeignKeyConstraint(['delegation_id'], ['delegations.id'], name=op.f('fk_speaker_inscriptions_delegation_id_delegations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['inscribed_by_id'], ['users.id'], name=op.f('fk_speaker_inscriptions_inscribed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['list_id'], ['speakers_lists.id'], name=op.f('fk_speaker_inscriptions_list_id_speakers_lists'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_speaker_inscriptions_registration_id_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_speaker_inscriptions')),
    sa.UniqueConstraint('list_id', 'delegation_id', name=op.f('uq_speaker_inscriptions_list_id_delegation_id'))
    )
    with op.batch_alter_table('speaker_inscriptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_speaker_inscriptions_delegation_id'), ['delegation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_speaker_inscriptions_list_id'), ['list_id'], unique=False)


def downgrade():
    with op.batch_alter_table('speaker_inscriptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_speaker_inscriptions_list_id'))
        batch_op.drop_index(batch_op.f('ix_speaker_inscriptions_delegation_id'))

    op.drop_table('speaker_inscriptions')
    op.drop_table('speakers_lists')
