"""registration, agenda and check-in additions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 14:06:23.711190

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('category_capacities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_category_capacities_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_category_capacities')),
    sa.UniqueConstraint('meeting_id', 'category', name=op.f('uq_category_capacities_meeting_id_category'))
    )
    with op.batch_alter_table('category_capacities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_category_capacities_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('device_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_device_tokens_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_device_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_device_tokens_token_hash'))
    )
    with op.batch_alter_table('device_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_device_tokens_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('badge_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('layout', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('selection', sa.JSON(), nullable=False),
    sa.Column('badge_count', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=True),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_badge_batches_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_badge_batches_requested_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_badge_batches'))
    )
    with op.batch_alter_table('badge_batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_badge_batches_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('outbox_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('to', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('attachments', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('registration_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_outbox_messages_meeting_id_meetings'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_outbox_messages_registration_id_registrations'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_messages'))
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_messages_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_messages_registration_id'), ['registration_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_messages_to'), ['to'], unique=False)

    op.create_table('presences',
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('checkpoint', sa.String(length=64), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('inside', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_presences_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_presences_registration_id_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('registration_id', 'checkpoint', name=op.f('pk_presences'))
    )
    with op.batch_alter_table('presences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_presences_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('session_attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_session_attendance_registration_id_registrations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_session_attendance_session_id_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_attendance')),
    sa.UniqueConstraint('session_id', 'registration_id', name=op.f('uq_session_attendance_session_id_registration_id'))
    )
    with op.batch_alter_table('session_attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_attendance_registration_id'), ['registration_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_session_attendance_session_id'), ['session_id'], unique=False)

    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agenda_published', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('host_ministry', sa.String(length=200), nullable=False, server_default=sa.text("''")))
        batch_op.add_column(sa.Column('host_address', sa.Text(), nullable=False, server_default=sa.text("''")))
        batch_op.add_column(sa.Column('letter_signatory_name', sa.String(length=200), nullable=False, server_default=sa.text("''")))
        batch_op.add_column(sa.Column('letter_signatory_title', sa.String(length=200), nullable=False, server_default=sa.text("''")))
        batch_op.add_column(sa.Column('anonymise_after_days', sa.Integer(), nullable=False, server_default=sa.text("'90'")))
        batch_op.add_column(sa.Column('passports_purged_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('personal_data_purged_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('badge_signing_key', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('badge_public_key', sa.String(length=64), nullable=True))

    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('calendar_token_version', sa.Integer(), nullable=False, server_default=sa.text("'1'")))
        batch_op.add_column(sa.Column('passport_number_encrypted', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('passport_expiry_encrypted', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('passport_country', sa.String(length=3), nullable=True))
        batch_op.add_column(sa.Column('photo_filename', sa.String(length=200), nullable=True))



def downgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_column('photo_filename')
        batch_op.drop_column('passport_country')
        batch_op.drop_column('passport_expiry_encrypted')
        batch_op.drop_column('passport_number_encrypted')
        batch_op.drop_column('calendar_token_version')

    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('badge_public_key')
        batch_op.drop_column('badge_signing_key')
        batch_op.drop_column('personal_data_purged_at')
        batch_op.drop_column('passports_purged_at')
        batch_op.drop_column('anonymise_after_days')
        batch_op.drop_column('letter_signatory_title')
        batch_op.drop_column('letter_signatory_name')
        batch_op.drop_column('host_address')
        batch_op.drop_column('host_ministry')
        batch_op.drop_column('agenda_published')

    with op.batch_alter_table('session_attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_attendance_session_id'))
        batch_op.drop_index(batch_op.f('ix_session_attendance_registration_id'))

    op.drop_table('session_attendance')
    with op.batch_alter_table('presences', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_presences_meeting_id'))

    op.drop_table('presences')
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_messages_to'))
        batch_op.drop_index(batch_op.f('ix_outbox_messages_registration_id'))
        batch_op.drop_index(batch_op.f('ix_outbox_messages_meeting_id'))

    op.drop_table('outbox_messages')
    with op.batch_alter_table('badge_batches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_badge_batches_meeting_id'))

    op.drop_table('badge_batches')
    with op.batch_alter_table('device_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_device_tokens_meeting_id'))

    op.drop_table('device_tokens')
    with op.batch_alter_table('category_capacities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_category_capacities_meeting_id'))

    op.drop_table('category_capacities')
