"""outbox_messages: a partial index of the queued messages, for the jobs worker's look every second

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_outbox_messages_queued',
        'outbox_messages',
        ['id'],
        unique=False,
        postgresql_where=sa.text("status = 'queued'"),
        sqlite_where=sa.text("status = 'queued'"),
    )


def downgrade():
    op.drop_index('ix_outbox_messages_queued', table_name='outbox_messages')
