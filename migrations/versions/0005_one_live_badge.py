"""badges: one live badge per registration (a partial unique index); older duplicates are revoked

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05 09:30:00.000000

"""
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    # Concurrent first downloads could make several live badges for one person. The newest is the
    # one every later download printed, so it stays; the others are revoked as a reissue would.
    bind = op.get_bind()
    now = datetime.now(UTC)
    if bind.dialect.name == 'sqlite':
        now = now.replace(tzinfo=None)
    badges = sa.table(
        'badges',
        sa.column('id', sa.Integer()),
        sa.column('registration_id', sa.Integer()),
        sa.column('revoked_at', sa.DateTime(timezone=True)),
    )
    newest = (
        sa.select(sa.func.max(badges.c.id))
        .where(badges.c.revoked_at.is_(None))
        .group_by(badges.c.registration_id)
    )
    op.execute(
        badges.update()
        .where(badges.c.revoked_at.is_(None), badges.c.id.not_in(newest))
        .values(revoked_at=now)
    )
    op.create_index(
        'uq_badges_live_registration',
        'badges',
        ['registration_id'],
        unique=True,
        postgresql_where=sa.text('revoked_at IS NULL'),
        sqlite_where=sa.text('revoked_at IS NULL'),
    )


def downgrade():
    op.drop_index('uq_badges_live_registration', table_name='badges')
