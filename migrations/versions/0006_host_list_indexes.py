"""registrations: indexes for the hosts' paged lists (sort orders, status and category counts, substring search)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

TRIGRAM = {
    'ix_registrations_full_name_trgm': "((given_name || ' ') || family_name) gin_trgm_ops",
    'ix_registrations_email_trgm': 'email gin_trgm_ops',
    'ix_registrations_organisation_trgm': 'organisation gin_trgm_ops',
}


def upgrade():
    op.create_index('ix_registrations_meeting_created', 'registrations', ['meeting_id', 'created_at', 'id'])
    op.create_index(
        'ix_registrations_meeting_status_name',
        'registrations',
        ['meeting_id', 'status', 'family_name', 'given_name', 'id'],
    )
    op.create_index(
        'ix_registrations_meeting_status_category', 'registrations', ['meeting_id', 'status', 'category']
    )
    if op.get_bind().dialect.name != 'postgresql':
        return
    # Indexes of expressions, PostgreSQL only: SQLite, for development, cannot reflect them.
    op.create_index(
        'ix_registrations_meeting_name',
        'registrations',
        ['meeting_id', sa.text('lower(family_name)'), sa.text('lower(given_name)'), 'id'],
    )
    # Substring search reads trigram indexes. pg_trgm ships with PostgreSQL and is a trusted
    # extension: the database's owner may create it without being a superuser.
    op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    for name, expression in TRIGRAM.items():
        op.create_index(name, 'registrations', [sa.text(expression)], postgresql_using='gin')


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for name in TRIGRAM:
            op.drop_index(name, table_name='registrations')
        op.drop_index('ix_registrations_meeting_name', table_name='registrations')
    op.drop_index('ix_registrations_meeting_status_category', table_name='registrations')
    op.drop_index('ix_registrations_meeting_status_name', table_name='registrations')
    op.drop_index('ix_registrations_meeting_created', table_name='registrations')
